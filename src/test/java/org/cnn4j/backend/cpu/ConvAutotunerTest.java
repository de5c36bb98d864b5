package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
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
        System.setProperty("cnn4j.autotune.file", file.toString());
        try {
            Conv2dSpec spec = Conv2dSpec.of(1, 4, 8, 8, 4, 3, 1, 1);
            List<ConvAlgorithm> calls = new ArrayList<>();
            ConvAutotuner tuner = new ConvAutotuner();
            List<ConvAlgorithm> candidates = List.of(ConvAlgorithm.ONEDNN, ConvAlgorithm.IM2COL_GEMM);
            tuner.run("forward", spec, candidates, algo -> {
                calls.add(algo);
                if (algo == ConvAlgorithm.ONEDNN) {
                    sleep(30); // make oneDNN the slow one, so the choice is known
                }
            });
            assertThat(calls).containsExactly(ConvAlgorithm.ONEDNN, ConvAlgorithm.IM2COL_GEMM);
            calls.clear();
            tuner.run("forward", spec, candidates, calls::add);
            assertThat(calls).containsExactly(ConvAlgorithm.IM2COL_GEMM);

            assertThat(Files.readString(file)).contains("IM2COL_GEMM");
            calls.clear();
            new ConvAutotuner().run("forward", spec, candidates, calls::add);
            assertThat(calls).as("a new tuner reads the file").containsExactly(ConvAlgorithm.IM2COL_GEMM);
        } finally {
            System.clearProperty("cnn4j.autotune.file");
        }
    }

    @Test
    void aBadFileFailsTheConvolutionNamingTheFileAndTheEntry(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("autotune.properties");
        Files.writeString(file, "some-shape=FASTEST\n");
        System.setProperty("cnn4j.autotune.file", file.toString());
        try {
            ConvAutotuner tuner = new ConvAutotuner(); // creating it reads nothing: a bad file never breaks class initialisation
            assertThatThrownBy(() -> tuner.run("forward", Conv2dSpec.of(1, 4, 8, 8, 4, 3, 1, 1), List.of(ConvAlgorithm.ONEDNN), a -> { }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("some-shape").hasMessageContaining("FASTEST");
        } finally {
            System.clearProperty("cnn4j.autotune.file");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
