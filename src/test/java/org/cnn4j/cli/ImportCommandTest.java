package org.cnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cnn4j.audio.WavWriter;
import org.cnn4j.audio.Waveform;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Module;
import org.cnn4j.onnx.OnnxExport;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cnn4j import writes model files of ONNX files; a 1-D waveform model with --sample-rate becomes a sound model that predict and explain read WAV files with. */
class ImportCommandTest {
    private static final String SIGNAL = "src/test/resources/onnx/op_signal_1d.onnx";

    @Test
    void aOneDimensionalModelWithASampleRateClassifiesWavFiles(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("signal.cnn4j");
        assertThat(Main.run("import", SIGNAL, "--sample-rate", "8000", "--out", model.toString())).isZero();
        ModelFile.Saved saved = ModelFile.read(model);
        saved.model().close();
        assertThat(saved.isSound()).isTrue();
        assertThat(saved.sampleRate()).isEqualTo(8000);
        assertThat(new int[] {saved.channels(), saved.height(), saved.width()}).containsExactly(1, 1, 400);
        float[] tone = new float[1600];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
        }
        Path wav = dir.resolve("tone.wav");
        WavWriter.write(wav, new Waveform(tone, 16000));
        assertThat(Main.run("predict", "--model-file", model.toString(), wav.toString())).as("a 16 kHz clip, resampled").isZero();
        for (String method : new String[] {"gradcam", "occlusion"}) {
            Path png = dir.resolve(method + ".png");
            assertThat(Main.run("explain", "--model-file", model.toString(), wav.toString(), "--method", method, "--out", png.toString()))
                    .as("%s over a 50 ms clip, with the occlusion window fitted to it", method).isZero();
            assertThat(png).exists();
        }
    }

    /** cnn4j writes its 1-D models as 2-D ops over H = 1 ([N, 1, 1, L]); they import back as sound models too. */
    @Test
    void cnn4jsOwnWaveformExportImportsAsASoundModel(@TempDir Path dir) throws IOException {
        Path onnx = dir.resolve("m5.onnx"), model = dir.resolve("m5.cnn4j");
        try (Module m5 = Zoo.build("m5", 1, 1, 2000, 3)) {
            m5.eval();
            OnnxExport.write(m5, new int[] {1, 1, 2000}, onnx);
        }
        assertThat(Main.run("import", onnx.toString(), "--sample-rate", "8000", "--out", model.toString())).isZero();
        ModelFile.Saved saved = ModelFile.read(model);
        saved.model().close();
        assertThat(saved.sampleRate()).isEqualTo(8000);
        assertThat(new int[] {saved.channels(), saved.height(), saved.width()}).containsExactly(1, 1, 2000);
    }

    @Test
    void aSampleRateNeedsAMonoWaveformModelAndARate(@TempDir Path dir) {
        Path out = dir.resolve("m.cnn4j");
        assertThat(Main.run("import", "src/test/resources/onnx/fmnist-cnn.onnx", "--sample-rate", "8000", "--out", out.toString()))
                .as("an image model").isEqualTo(2);
        assertThat(Main.run("import", SIGNAL, "--sample-rate", "100", "--out", out.toString())).as("under 1 kHz").isEqualTo(2);
        assertThat(Main.run("import", SIGNAL, "--input-shape", "1,20,20", "--out", out.toString())).as("another rank").isEqualTo(2);
        assertThat(Files.exists(out)).isFalse();
    }
}
