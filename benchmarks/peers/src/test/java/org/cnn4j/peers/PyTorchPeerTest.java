package org.cnn4j.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.cnn4j.bench.NetworkBenchmark;
import org.cnn4j.bench.Peer;
import org.cnn4j.bench.PeerSession;
import org.cnn4j.bench.PeerTask;
import org.cnn4j.bench.Peers;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.ChannelShuffle;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.train.Trainer;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The PyTorch peer computes what cnn4j computes: the same zoo network, translated with its weights, gives cnn4j's
 * logits in inference and cnn4j's losses over two training steps (the second one after an Adam step on each side) to
 * 1e-4 of their scale, the tolerance (cnn4j's Winograd and oneDNN kernels round differently from libtorch's).
 * Batch norm's running statistics are set to random values first, so that eval mode's normalisation is checked too.
 */
class PyTorchPeerTest {
    private final PyTorchPeer peer = new PyTorchPeer();

    @ParameterizedTest
    @CsvSource({"fmnist-cnn, 4", "fmnist-resnet, 4", "resnet18, 1"})
    void inferenceGivesCnn4jsLogits(String name, int mb) {
        Zoo.Entry design = Zoo.entry(name);
        NetworkBenchmark.seed();
        try (Module net = design.build()) {
            randomRunningStatistics(net);
            NetworkBenchmark bench = new NetworkBenchmark(net, design);
            PeerTask task = new PeerTask(net, bench.inputShape(mb).dims(), bench.input(mb), false, null, design.classes(), 2, null);
            assertThat(peer.unavailable(task)).isNull();
            float[] mine = bench.output(mb, null);
            try (PeerSession session = peer.open(task)) {
                float[] theirs = session.run();
                assertThat(theirs).hasSameSizeAs(mine);
                assertThat(relativeDifference(mine, theirs)).as(name).isLessThan(1e-4);
                assertThat(session.run()).as("a second pass gives the same").containsExactly(theirs);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"fmnist-cnn", "fmnist-resnet"})
    void trainingStepsGiveCnn4jsLosses(String name) {
        Zoo.Entry design = Zoo.entry(name);
        NetworkBenchmark.seed();
        int mb = 8;
        try (Module net = design.build(); Adam adam = Adam.of(net.parameters(), (float) PeerTask.LEARNING_RATE)) {
            NetworkBenchmark bench = new NetworkBenchmark(net, design);
            PeerTask task = new PeerTask(net, bench.inputShape(mb).dims(), bench.input(mb), true, bench.labelValues(mb), design.classes(), 2, null);
            assertThat(peer.unavailable(task)).isNull();
            try (PeerSession session = peer.open(task)) { // copies the weights before cnn4j's first step
                Trainer trainer = bench.trainer(adam);
                for (int step = 1; step <= 2; step++) {
                    float mine = bench.output(mb, trainer)[0], theirs = session.run()[0];
                    assertThat(Math.abs((double) mine - theirs) / Math.abs(theirs)).as(name + " step " + step).isLessThan(1e-4);
                }
            }
        }
    }

    @Test
    void aLayerWithoutTranslationMakesThePeerUnavailableNamingIt() {
        Graph g = new Graph("input");
        g.layer("conv", new Conv2d(4, 4, 3, 1, 1, 1, 1, false), "input").layer("shuffle", new ChannelShuffle(2), "conv");
        PeerTask task = new PeerTask(g, new int[] {1, 4, 8, 8}, new float[256], false, null, 0, 1, null);
        assertThat(peer.unavailable(task)).isEqualTo("PyTorch peer cannot translate shuffle (ChannelShuffle)");
        g.close();
    }

    @Test
    void benchFindsThePeerThroughItsServiceFile() {
        assertThat(Peers.find().peers()).extracting(Peer::id).contains("onnxruntime", "pytorch");
        assertThat(Peers.find().peers().stream().filter(p -> p.id().equals("pytorch")).findFirst().orElseThrow())
                .isInstanceOf(PyTorchPeer.class);
    }

    @Test
    void reportsTheVersionOfThePresetsPyTorch() {
        assertThat(peer.version()).isEqualTo("2.10.0");
    }

    private static void randomRunningStatistics(Module net) {
        SplittableRandom r = new SplittableRandom(3);
        for (Module m : modules(net)) {
            if (m instanceof BatchNorm2d bn) {
                float[] mean = new float[bn.channels()], var = new float[bn.channels()];
                for (int c = 0; c < mean.length; c++) {
                    mean[c] = (float) (r.nextDouble() - 0.5) * 0.2f;
                    var[c] = (float) (0.5 + r.nextDouble());
                }
                bn.runningMean().copyFrom(mean);
                bn.runningVar().copyFrom(var);
            }
        }
    }

    private static java.util.List<Module> modules(Module m) {
        java.util.List<Module> all = new java.util.ArrayList<>(java.util.List.of(m));
        m.children().values().forEach(c -> all.addAll(modules(c)));
        return all;
    }

    private static double relativeDifference(float[] a, float[] b) {
        double diff = 0, scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff / scale;
    }
}
