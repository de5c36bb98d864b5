package org.cnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.cnn4j.audio.WavWriter;
import org.cnn4j.audio.Waveform;
import org.cnn4j.io.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sound pipeline through the command line: a folder of WAV clips (a low and a high hum, recorded at 16 kHz, of
 * varying length, loudness and noise) picks the waveform pipeline in train; the model file keeps the sample rate;
 * predict, eval (also on another test split), explain (every method) and report take WAV files; options out of
 * range are errors naming them.
 */
class SoundCommandsTest {
    private static final int RATE = 16000;

    /** A hum at {@code hz} with two harmonics, 0.5-0.9 s long, at a random level in noise. */
    private static void hum(Path file, double hz, SplittableRandom rnd) throws IOException {
        int n = (int) (RATE * (0.5 + 0.4 * rnd.nextDouble()));
        float[] x = new float[n];
        double level = 0.2 + 0.6 * rnd.nextDouble(), phase = rnd.nextDouble() * 2 * Math.PI;
        for (int i = 0; i < n; i++) {
            double t = (double) i / RATE, envelope = Math.sin(Math.PI * i / n);
            x[i] = (float) (level * envelope * (Math.sin(2 * Math.PI * hz * t + phase) + 0.5 * Math.sin(4 * Math.PI * hz * t)
                    + 0.25 * Math.sin(6 * Math.PI * hz * t)) / 1.75 + 0.02 * (rnd.nextDouble() - 0.5));
        }
        Files.createDirectories(file.getParent());
        WavWriter.write(file, new Waveform(x, RATE));
    }

    private static Path hums(Path root) throws IOException {
        SplittableRandom rnd = new SplittableRandom(3);
        for (String split : new String[] {"train", "test", "test-other"}) {
            int count = split.equals("train") ? 12 : 3;
            for (int i = 0; i < count; i++) {
                hum(root.resolve(split + "/low/" + i + ".wav"), 200 + 40 * rnd.nextDouble(), rnd);
                hum(root.resolve(split + "/high/" + i + ".wav"), 900 + 200 * rnd.nextDouble(), rnd);
            }
        }
        return root;
    }

    @Test
    void trainPredictEvaluateExplainAndReportOnWavClips(@TempDir Path dir) throws IOException {
        Path data = hums(dir.resolve("hums"));
        Path model = dir.resolve("hums.cnn4j");
        assertThat(Main.run("train", "--data", data.toString(), "--model", "m5", "--clip-seconds", "0.5", "--epochs", "6", "--batch", "8",
                "--lr", "0.003", "--augment", "--no-progress", "--out", model.toString())).isZero();
        ModelFile.Saved saved = ModelFile.read(model);
        saved.model().close();
        assertThat(saved.architecture()).isEqualTo("m5");
        assertThat(saved.sampleRate()).isEqualTo(8000);
        assertThat(new int[] {saved.channels(), saved.height(), saved.width()}).containsExactly(1, 1, 4000);
        assertThat(saved.classNames()).containsExactly("high", "low");

        PrintStream stdout = System.out;
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        System.setOut(new PrintStream(text, true));
        try {
            assertThat(Main.run("eval", "--model-file", model.toString(), "--data", data.toString(), "--test-split", "test-other")).isZero();
            assertThat(Main.run("predict", "--model-file", model.toString(), data.resolve("test/low/0.wav").toString())).isZero();
            for (String method : new String[] {"gradcam", "saliency", "occlusion", "occlusion-frequency"}) {
                Path png = dir.resolve(method + ".png");
                assertThat(Main.run("explain", "--model-file", model.toString(), data.resolve("test/high/1.wav").toString(),
                        "--method", method, "--bands", "8", "--out", png.toString())).isZero();
                assertThat(ImageIO.read(png.toFile()).getWidth()).isGreaterThan(100);
            }
            assertThat(Main.run("report", "--model-file", model.toString(), "--data", data.toString(), "--out",
                    dir.resolve("report.html").toString())).isZero();
        } finally {
            System.setOut(stdout);
        }
        assertThat(text.toString()).as("a low and a high hum are easy to tell apart").contains("accuracy 100.00%", "(6 images)")
                .contains("0.wav:  low");
        assertThat(Files.readString(dir.resolve("report.html"))).contains("Frequency responses", "Misclassified test clips");
    }

    @Test
    void theDefaultSoundModelIsTheSpectrogramOne(@TempDir Path dir) throws IOException {
        Path data = hums(dir.resolve("hums"));
        Path model = dir.resolve("default.cnn4j");
        assertThat(Main.run("train", "--data", data.toString(), "--clip-seconds", "0.5", "--epochs", "1", "--batch", "8",
                "--no-progress", "--out", model.toString())).isZero();
        ModelFile.Saved saved = ModelFile.read(model);
        saved.model().close();
        assertThat(saved.architecture()).isEqualTo("spectro-cnn");
        assertThat(saved.sampleRate()).isEqualTo(8000);
    }

    @Test
    void soundOptionsAreChecked(@TempDir Path dir) throws IOException {
        Path data = hums(dir.resolve("hums"));
        Path model = dir.resolve("m.cnn4j");
        assertThat(Main.run("train", "--data", data.toString(), "--sample-rate", "100", "--out", model.toString())).isEqualTo(2);
        assertThat(Main.run("train", "--data", data.toString(), "--clip-seconds", "0", "--out", model.toString())).isEqualTo(2);
        assertThat(Main.run("train", "--data", data.toString(), "--test-split", "../x", "--out", model.toString())).isEqualTo(2);
        assertThat(Main.run("train", "--data", data.toString(), "--test-split", "missing", "--out", model.toString())).isEqualTo(2);
        assertThat(Main.run("train", "--data", data.toString(), "--model", "fmnist-cnn", "--epochs", "1", "--out", model.toString()))
                .as("an image model cannot take 1 x 1 x 8000 waveforms").isEqualTo(2);
        assertThat(Main.run("train", "--data", data.toString(), "--model", "spectro-cnn", "--sample-rate", "16000", "--epochs", "1",
                "--out", model.toString())).as("spectro-cnn's mel bands are for 8 kHz").isEqualTo(2);
        assertThat(Files.exists(model)).isFalse();
    }

    @Test
    void theSoundDemoRunsOnTheEmbeddedSample(@TempDir Path dir) throws IOException {
        assertThat(Main.run("demo", "--audio", "--epochs", "1", "--out", dir.toString())).isZero();
        assertThat(ModelFile.read(dir.resolve("sound.cnn4j")).sampleRate()).isEqualTo(8000);
        assertThat(ImageIO.read(dir.resolve("gradcam-sound.png").toFile())).isNotNull();
        assertThat(ImageIO.read(dir.resolve("filters-conv1-frequency.png").toFile())).isNotNull();
    }
}
