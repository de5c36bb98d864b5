package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ConvDirection;
import org.cnn4j.backend.ExecutionOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AUTO runs the calibrated winner of a shape and the rule elsewhere; the file round-trips and a bad one is named. */
class ConvCalibrationTest {
    private static final Conv2dSpec LAYER = Conv2dSpec.of(1, 64, 14, 14, 64, 3, 1, 1);

    @BeforeEach
    void load() {
        NativeTestSupport.requireNative();
    }

    private static ConvCalibration.Entry entry(ConvAlgorithm winner) {
        return new ConvCalibration.Entry(winner, Map.of(ConvAlgorithm.ONEDNN, 1.5, winner, 1.25));
    }

    @Test
    void autoRunsTheMeasuredWinnerOfACalibratedShapeOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/cpu.properties");
        ConvCalibration.at(file).record(Map.of(
                ConvCalibration.key(ConvDirection.FORWARD, NativeLibrary.threads(), LAYER), entry(ConvAlgorithm.IM2COL_GEMM),
                ConvCalibration.key(ConvDirection.BACKWARD_DATA, NativeLibrary.threads() + 1, LAYER), entry(ConvAlgorithm.IM2COL_GEMM)));
        NativeConvolution conv = new NativeConvolution(ConvCalibration.at(file));
        assertThat(conv.ruleChoice(ConvDirection.FORWARD, LAYER)).isEqualTo(ConvAlgorithm.WINOGRAD_4X4_3X3);
        assertThat(conv.choice(ConvDirection.FORWARD, LAYER)).as("calibrated").isEqualTo(ConvAlgorithm.IM2COL_GEMM);
        assertThat(conv.choice(ConvDirection.BACKWARD_DATA, LAYER)).as("calibrated at another thread count only")
                .isEqualTo(ConvAlgorithm.WINOGRAD_4X4_3X3);
        assertThat(conv.choice(ConvDirection.FORWARD, Conv2dSpec.of(2, 64, 14, 14, 64, 3, 1, 1))).as("another batch")
                .isEqualTo(ConvAlgorithm.WINOGRAD_4X4_3X3);
        ConvCalibration reread = ConvCalibration.at(file);
        assertThat(reread.entries()).hasSize(2);
        assertThat(reread.entries().values()).allSatisfy(e -> assertThat(e.medianMs()).containsEntry(ConvAlgorithm.ONEDNN, 1.5));
    }

    @Test
    void aCalibratedWinogradWinnerYieldsToWinogradBeingSwitchedOff(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cpu.properties");
        ConvCalibration.at(file).record(Map.of(ConvCalibration.key(ConvDirection.FORWARD, NativeLibrary.threads(), LAYER),
                entry(ConvAlgorithm.WINOGRAD_2X2_3X3)));
        NativeConvolution conv = new NativeConvolution(ConvCalibration.at(file));
        assertThat(conv.choice(ConvDirection.FORWARD, LAYER)).isEqualTo(ConvAlgorithm.WINOGRAD_2X2_3X3);
        ConvAlgorithm off = ExecutionOptions.current().withWinograd(false).call(() -> conv.choice(ConvDirection.FORWARD, LAYER));
        assertThat(off).isEqualTo(ConvAlgorithm.ONEDNN);
    }

    @Test
    void aBadFileFailsTheConvolutionNamingFileAndEntry(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cpu.properties");
        ConvCalibration.at(file).record(Map.of(ConvCalibration.key(ConvDirection.FORWARD, NativeLibrary.threads(), LAYER),
                entry(ConvAlgorithm.IM2COL_GEMM)));
        String good = Files.readString(file);
        assertThat(good).contains("=IM2COL_GEMM ").contains("1.5000");
        Files.writeString(file, good.replace("=IM2COL_GEMM ", "=SIDEWAYS "));
        assertThatThrownBy(() -> new NativeConvolution(ConvCalibration.at(file)).choice(ConvDirection.FORWARD, LAYER))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("SIDEWAYS").hasMessageContaining("cnn4j calibrate");
        Files.writeString(file, good.replace("1.5000", "fast"));
        assertThatThrownBy(() -> new NativeConvolution(ConvCalibration.at(file)).choice(ConvDirection.FORWARD, LAYER))
                .hasMessageContaining("has no number of ms");
        Conv2dSpec oneByOne = Conv2dSpec.of(1, 64, 14, 14, 64, 1, 1, 0);
        ConvCalibration.at(file.resolveSibling("w.properties")).record(Map.of(
                ConvCalibration.key(ConvDirection.FORWARD, NativeLibrary.threads(), oneByOne), entry(ConvAlgorithm.WINOGRAD_4X4_3X3)));
        assertThatThrownBy(() -> new NativeConvolution(ConvCalibration.at(file.resolveSibling("w.properties")))
                .choice(ConvDirection.FORWARD, oneByOne)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot run");
    }
}
