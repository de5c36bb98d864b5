package org.cnn4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The peers of a bench: ONNX Runtime, which the core jar holds, and the engines of other jars on the class path,
 * found by {@link ServiceLoader} (PyTorch, registered by {@code benchmarks/peers}' jar). A provider that fails to load
 * becomes a line saying so, never an exception.
 */
public final class Peers {
    /** How to get the PyTorch column when its jar is not on the class path. */
    static final String PYTORCH_HINT = "the PyTorch 2.10 peer is not on the class path: build it with "
            + "mvn -B -f benchmarks/peers/pom.xml package, and ./cnn4j adds it";

    /** The peers found (PyTorch's jar, when missing, as a peer that says how to get it), and a line for each provider that could not load. */
    public record Found(List<Peer> peers, List<String> problems) {
    }

    private Peers() {
    }

    /** A peer whose jar is not on the class path: its column says how to get it. */
    private record Absent(String name, String id, String reason) implements Peer {
        @Override
        public String unavailable(PeerTask task) {
            return reason;
        }

        @Override
        public String version() {
            throw new IllegalStateException(reason);
        }

        @Override
        public PeerSession open(PeerTask task) {
            throw new IllegalStateException(reason);
        }
    }

    public static Found find() {
        List<Peer> peers = new ArrayList<>(List.of(new OnnxRuntimePeer()));
        List<String> problems = new ArrayList<>();
        var providers = ServiceLoader.load(Peer.class, Peers.class.getClassLoader()).stream().iterator();
        while (true) {
            try {
                if (!providers.hasNext()) {
                    break;
                }
                peers.add(providers.next().get());
            } catch (ServiceConfigurationError | LinkageError e) {
                problems.add("a bench peer could not load: " + e.getMessage());
            }
        }
        if (peers.stream().noneMatch(p -> p.id().equals("pytorch"))) {
            peers.add(new Absent("PyTorch", "pytorch", PYTORCH_HINT));
        }
        return new Found(peers, problems);
    }
}
