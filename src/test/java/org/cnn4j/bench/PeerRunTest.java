package org.cnn4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.cnn4j.nn.Linear;
import org.junit.jupiter.api.Test;

/**
 * A peer never ends a bench: what it throws, opening or in a round, becomes the sentence its column prints. And the
 * peers are found through {@code META-INF/services}: ONNX Runtime from the core jar, PyTorch (absent from the core's
 * tests) as a line saying how to get it. Nothing here is timed for its figures.
 */
class PeerRunTest {
    private static final PeerTask TASK = new PeerTask(new Linear(2, 2), new int[] {1, 2}, new float[2], false, null, 2, 1, null);

    /** A peer whose sessions return {@code output}, or throw when it is null; {@code opens} false makes open throw. */
    private record FakePeer(boolean opens, float[] output) implements Peer {
        @Override
        public String name() {
            return "Fake";
        }

        @Override
        public String id() {
            return "fake";
        }

        @Override
        public String unavailable(PeerTask task) {
            return null;
        }

        @Override
        public String version() {
            return "0.1";
        }

        @Override
        public PeerSession open(PeerTask task) {
            if (!opens) {
                throw new IllegalStateException("no engine here");
            }
            return new PeerSession() {
                @Override
                public float[] run() {
                    if (output == null) {
                        throw new IllegalStateException("the engine broke");
                    }
                    return output.clone();
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @Test
    void aPeerThatCannotOpenBecomesAReason() {
        try (PeerRun run = PeerRun.open(new FakePeer(false, null), TASK, null)) {
            assertThat(run.available()).isFalse();
            run.compare(new float[] {1, 2});
            run.round(1, 1.0, 0, Double.NaN);
            assertThat(run.figures("ms", 1)).containsEntry("unavailable", "Fake cannot run inference: no engine here");
        }
    }

    @Test
    void aPeerThatFailsInARoundBecomesAReason() {
        try (PeerRun run = PeerRun.open(new FakePeer(true, null), TASK, null)) {
            run.compare(new float[] {1, 2});
            assertThat(run.figures("ms", 1)).containsEntry("unavailable", "Fake failed: the engine broke");
        }
    }

    @Test
    void aWorkingPeerGetsRatiosAndItsOutputDifference() {
        try (PeerRun run = PeerRun.open(new FakePeer(true, new float[] {1, 2}), TASK, TASK)) {
            run.compare(new float[] {1, 2.5f});
            run.round(1, 1.0, 1, 2.0);
            Map<String, Object> f = run.figures("latency_ms", 4);
            assertThat(f).containsEntry("version", "0.1").containsKeys("latency_ms", "ratio_latency_ms", "round_ratios", "throughput",
                    "ratio_batch_ms", "round_batch_ratios");
            assertThat((Double) f.get("max_difference")).isEqualTo(0.25);
        }
    }

    @Test
    void outputsOfAnotherSizeAreAReasonNotADifference() {
        try (PeerRun run = PeerRun.open(new FakePeer(true, new float[] {1, 2}), TASK, null)) {
            run.compare(new float[] {1, 2, 3});
            assertThat(run.available()).isFalse();
            assertThat(run.figures("ms", 1).get("unavailable")).isEqualTo("Fake 2 output values where cnn4j gives 3");
        }
    }

    @Test
    void onnxRuntimeIsFoundAndTheMissingPyTorchJarSaysHowToGetIt() {
        Peers.Found found = Peers.find();
        assertThat(found.peers()).extracting(Peer::id).containsExactly("onnxruntime", "pytorch");
        Peer torch = found.peers().get(1);
        assertThat(torch.unavailable(TASK)).isEqualTo(Peers.PYTORCH_HINT).contains("mvn -B -f benchmarks/peers/pom.xml package");
        assertThat(found.peers().get(0).unavailable(new PeerTask(new Linear(2, 2), new int[] {2, 2}, new float[4], true, new int[] {0, 1}, 2, 1,
                null))).isEqualTo("ONNX Runtime does not train (its Java API runs inference only)");
    }
}
