package org.cnn4j.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.cpu.NativeBackend;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The PyTorch-computed 1-D cases (tools/make_golden_1d.py) pass on the reference backend and on the native one
 * with im2col+GEMM and oneDNN, at the runner's tolerance for direct algorithms (relative 2e-6, see {@link GoldenRunner}).
 */
class GoldenSignalTest {
    private static final Path TORCH_1D = Path.of("src/test/resources/golden/torch1d");

    @AfterEach
    void reset() {
        ConvAlgorithm.use(null);
        Backends.use(NativeBackend.isAvailable() ? NativeBackend.instance() : ReferenceBackend.INSTANCE);
    }

    private static void runAll(Backend backend, ConvAlgorithm algorithm) throws Exception {
        Backends.use(backend);
        ConvAlgorithm.use(algorithm);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        GoldenRunner.Summary s = new GoldenRunner(new PrintStream(buf, true, StandardCharsets.UTF_8), 2e-6).run(TORCH_1D);
        String text = buf.toString(StandardCharsets.UTF_8);
        assertThat(s.failed()).as(text).isZero();
        assertThat(s.passed()).as(text).isEqualTo(17);
        assertThat(text).contains("conv1d_backward", "maxpool1d", "avgpool1d", "global_avgpool1d", "batchnorm1d_train", "batchnorm1d_eval");
    }

    @Test
    void everyCasePassesOnTheReference() throws Exception {
        runAll(ReferenceBackend.INSTANCE, null);
    }

    @Test
    void everyCasePassesOnTheNativeBackend() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(NativeBackend.isAvailable(), "native backend not built");
        for (ConvAlgorithm algorithm : new ConvAlgorithm[] {ConvAlgorithm.IM2COL_GEMM, ConvAlgorithm.ONEDNN, ConvAlgorithm.AUTO}) {
            runAll(NativeBackend.instance(), algorithm);
        }
    }
}
