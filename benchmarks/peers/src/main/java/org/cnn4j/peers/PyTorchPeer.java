package org.cnn4j.peers;

import java.io.IOException;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.presets.openblas_nolapack;
import org.bytedeco.pytorch.global.torch;
import org.cnn4j.bench.Peer;
import org.cnn4j.bench.PeerSession;
import org.cnn4j.bench.PeerTask;

/**
 * PyTorch 2.10 (libtorch through the JavaCPP preset {@code org.bytedeco:pytorch}) as a bench peer: the cnn4j network
 * translated layer by layer with its weights ({@link TorchNetwork}), channels-last, on {@code at::set_num_threads(threads)}
 * intra-op threads and one OpenBLAS thread (libtorch's fully-connected layers call OpenBLAS, the same library as
 * cnn4j's; set through the OpenBLAS preset's {@code blas_set_num_threads}, which cnn4j's runtime also asks for, so
 * that OpenBLAS does not start threads of its own beside the OpenMP ones). Registered in
 * {@code META-INF/services/org.cnn4j.bench.Peer}.
 */
public final class PyTorchPeer implements Peer {
    @Override
    public String name() {
        return "PyTorch";
    }

    @Override
    public String id() {
        return "pytorch";
    }

    @Override
    public String unavailable(PeerTask task) {
        String layer = TorchNetwork.untranslatable(task.network());
        if (layer != null) {
            return "PyTorch peer cannot translate " + layer;
        }
        try {
            // JavaCPP loads libtorch.so before it extracts libtorch_cpu.so, its dependency, to its cache: on a first run the
            // dynamic linker then finds another libtorch_cpu.so (Debian's python3-torch puts 1.13's in /lib) and the JVM
            // crashes in its static initialisers; extracted first, it is found beside libtorch.so
            Loader.cacheResource(torch.class, "/org/bytedeco/pytorch/" + Loader.getPlatform() + "/libtorch_cpu.so");
            torch.get_num_threads(); // loads libtorch
            openblas_nolapack.blas_set_num_threads(1);
        } catch (IOException | RuntimeException | LinkageError e) {
            return "libtorch cannot load: " + e.getMessage();
        }
        int blasThreads = openblas_nolapack.blas_get_num_threads();
        return blasThreads == 1 ? null : "OpenBLAS runs " + blasThreads + " threads and would not take one";
    }

    /** The PyTorch version of the preset jar, e.g. 2.10.0 (its manifest says 2.10.0-1.5.13: PyTorch, then JavaCPP). */
    @Override
    public String version() {
        String v = torch.class.getPackage().getImplementationVersion();
        return v == null ? "2.x (unknown version)" : v.substring(0, v.indexOf('-') > 0 ? v.indexOf('-') : v.length());
    }

    @Override
    public PeerSession open(PeerTask task) {
        torch.set_num_threads(task.threads());
        return new PyTorchSession(task);
    }
}
