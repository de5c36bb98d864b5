package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ConvDirection;
import org.cnn4j.kernels.Convolution;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AUTOTUNE times every candidate once, then reuses the winner, also across processes via its file. */
class ConvAutotunerTest {

    @BeforeEach
    void load() {
        NativeTestSupport.requireNative();
    }

    @Test
    void timesEachCandidateOnceThenRemembersTheFastest(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("autotune.properties");
        Conv2dSpec spec = Conv2dSpec.of(1, 4, 8, 8, 4, 3, 1, 1);
        List<ConvAlgorithm> calls = new ArrayList<>();
        ConvAutotuner tuner = new ConvAutotuner(() -> file);
        List<ConvAlgorithm> candidates = List.of(ConvAlgorithm.ONEDNN, ConvAlgorithm.IM2COL_GEMM);
        tuner.run(ConvDirection.FORWARD, spec, candidates, algo -> {
            calls.add(algo);
            if (algo == ConvAlgorithm.ONEDNN) {
                sleep(30); // make oneDNN the slow one, so the choice is known
            }
        });
        assertThat(calls).containsExactly(ConvAlgorithm.ONEDNN, ConvAlgorithm.IM2COL_GEMM);
        calls.clear();
        tuner.run(ConvDirection.FORWARD, spec, candidates, calls::add);
        assertThat(calls).containsExactly(ConvAlgorithm.IM2COL_GEMM);

        assertThat(Files.readString(file)).contains("IM2COL_GEMM");
        calls.clear();
        new ConvAutotuner(() -> file).run(ConvDirection.FORWARD, spec, candidates, calls::add);
        assertThat(calls).as("a new tuner reads the file").containsExactly(ConvAlgorithm.IM2COL_GEMM);
    }

    @Test
    void aBadFileFailsTheConvolutionNamingTheFileAndTheEntry(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("autotune.properties");
        Files.writeString(file, "some-shape=FASTEST\n");
        ConvAutotuner tuner = new ConvAutotuner(() -> file); // creating it reads nothing: a bad file never breaks class initialisation
        assertThatThrownBy(() -> tuner.run(ConvDirection.FORWARD, Conv2dSpec.of(1, 4, 8, 8, 4, 3, 1, 1), List.of(ConvAlgorithm.ONEDNN), a -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("some-shape").hasMessageContaining("FASTEST");
    }

    @Test
    void tuningAResidualThatIsTheOutputAddsItOnce() {
        Conv2dSpec spec = Conv2dSpec.of(2, 8, 9, 9, 8, 3, 1, 1); // a shape no other test tunes: the first call times
        float[] x = random(spec.inputDims(), 1), w = random(spec.weightDims(), 2), r = random(spec.outputDims(), 3);
        ConvAlgorithm before = ConvAlgorithm.chosen();
        try (Tensor input = Tensor.of(x, spec.inputDims()); Tensor weight = Tensor.of(w, spec.weightDims());
             Tensor expected = Tensor.of(r, spec.outputDims()); Tensor inPlace = Tensor.of(r, spec.outputDims())) {
            ConvAlgorithm.use(ConvAlgorithm.REFERENCE);
            Convolution.forwardAddRelu(spec, input, weight, null, expected, expected);
            ConvAlgorithm.use(ConvAlgorithm.AUTOTUNE);
            Convolution.forwardAddRelu(spec, input, weight, null, inPlace, inPlace);
            float[] want = expected.toArray(), got = inPlace.toArray();
            for (int i = 0; i < want.length; i++) {
                assertThat(got[i]).as("output %d", i).isCloseTo(want[i], within(1e-4f + 1e-4f * Math.abs(want[i])));
            }
        } finally {
            ConvAlgorithm.use(before);
        }
    }

    private static float[] random(int[] dims, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        float[] a = new float[Shape.of(dims).numel()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
