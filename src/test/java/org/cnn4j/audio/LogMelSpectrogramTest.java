package org.cnn4j.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.cnn4j.nn.LayerConfig;
import org.cnn4j.nn.LayerRegistry;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The STFT and the log-mel front end against torch 1.13 (tools/make_audio_fixtures.py: torch.stft in float64 and
 * torchaudio's HTK mel filters), and the module's backward pass against finite differences.
 * <p>Tolerance of the comparison with torch: the fixture has 6 significant digits (up to 5e-6 relative); the
 * Java side computes in float32 (JTransforms' FloatFFT_1D), whose FFT error is about 1e-7 x |frame| x log2(n_fft)
 * per bin. On a log-mel value that error is divided by the band's power plus the 1e-6 floor: below 1e-4 where
 * the band holds at least 1e-3 of the power, but up to a few 1e-3 in bands 120 dB below the tones, where the
 * value is near log(1e-6) = -13.8. Hence 2e-3 absolute + 1e-4 relative on log-mel values, and 1e-5 relative to
 * the frame's largest magnitude on the STFT.
 */
class LogMelSpectrogramTest {
    /** The floor of the fixture script's log. */
    private static final float TORCH_FLOOR = 1e-6f;

    static float[] signal(String name, int sampleRate, int length) {
        float[] x = new float[length];
        for (int n = 0; n < length; n++) {
            double t = (double) n / sampleRate, duration = (double) length / sampleRate;
            x[n] = (float) switch (name) {
                case "tones" -> 0.5 * Math.sin(2 * Math.PI * 440 * t) + 0.25 * Math.sin(2 * Math.PI * 1250 * t + 0.3);
                case "chirp" -> 0.6 * Math.sin(2 * Math.PI * (100 * t + (3600 - 100) * t * t / (2 * duration)));
                default -> 0.8 * frac(0.6180339887498949 * n) - 0.4;
            };
        }
        return x;
    }

    private static double frac(double v) {
        return v - Math.floor(v);
    }

    /** The fixture's sections by name, each as [rows][cols]. */
    static Map<String, double[][]> fixture() throws IOException {
        Map<String, double[][]> out = new HashMap<>();
        try (InputStream in = LogMelSpectrogramTest.class.getResourceAsStream("logmel-torch.txt")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; ) {
                String[] head = lines[i++].split(" ");
                double[][] v = new double[Integer.parseInt(head[1])][];
                for (int r = 0; r < v.length; r++) {
                    v[r] = java.util.Arrays.stream(lines[i++].trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
                }
                out.put(head[0], v);
            }
        }
        return out;
    }

    private static float[] logMel(LogMelSpectrogram m, float[] x) {
        try (Tensor in = Tensor.of(x, 1, 1, 1, x.length)) {
            return m.forward(in).toArray();
        }
    }

    private static void assertMatches(float[] got, double[][] want, String what) {
        int cols = want[0].length;
        assertThat(got).as(what + " size").hasSize(want.length * cols);
        for (int r = 0; r < want.length; r++) {
            for (int c = 0; c < cols; c++) {
                double w = want[r][c];
                assertThat((double) got[r * cols + c]).as("%s at mel %d, frame %d", what, r, c).isCloseTo(w, within(2e-3 + 1e-4 * Math.abs(w)));
            }
        }
    }

    @Test
    void logMelMatchesTorchAtTheEightKilohertzDefaults() throws IOException {
        Map<String, double[][]> ref = fixture();
        try (LogMelSpectrogram m = new LogMelSpectrogram(8000, 256, 80, 40, 20, 4000, TORCH_FLOOR)) {
            for (String name : new String[] {"tones", "chirp", "golden"}) {
                assertMatches(logMel(m, signal(name, 8000, 400)), ref.get("logmel-8k-" + name), name);
            }
        }
    }

    @Test
    void logMelAndStftMatchTorchAtSixteenKilohertz() throws IOException {
        Map<String, double[][]> ref = fixture();
        float[] x = signal("tones", 16000, 120);
        try (LogMelSpectrogram m = new LogMelSpectrogram(16000, 64, 16, 10, 0, 8000, TORCH_FLOOR)) {
            assertMatches(logMel(m, x), ref.get("logmel-16k-tones"), "16 kHz tones");
        }
        Stft stft = new Stft(64, 16);
        int frames = stft.frames(x.length), bins = stft.bins();
        float[] spectrum = new float[frames * 2 * bins];
        stft.transform(x, 0, x.length, spectrum, 0);
        double[][] want = ref.get("stft-magnitude-16k-tones"); // [bins][frames]
        assertThat(want.length).isEqualTo(bins);
        assertThat(want[0].length).isEqualTo(frames);
        for (int t = 0; t < frames; t++) {
            double peak = 0;
            for (int k = 0; k < bins; k++) {
                peak = Math.max(peak, want[k][t]);
            }
            for (int k = 0; k < bins; k++) {
                double mag = Math.hypot(spectrum[t * 2 * bins + 2 * k], spectrum[t * 2 * bins + 2 * k + 1]);
                assertThat(mag).as("|X| at bin %d, frame %d", k, t).isCloseTo(want[k][t], within(1e-5 * peak + 1e-6 * want[k][t]));
            }
        }
    }

    @Test
    void oneSecondAtEightKilohertzIsFortyMelsByOneHundredAndOneFrames() {
        try (LogMelSpectrogram m = LogMelSpectrogram.speech(8000); Tensor x = Tensor.zeros(2, 1, 1, 8000)) {
            assertThat(new int[] {m.nFft(), m.hop(), m.mels()}).containsExactly(256, 80, 40);
            assertThat(m.fMin()).isEqualTo(20f);
            assertThat(m.fMax()).isEqualTo(4000f);
            assertThat(m.outputShape(new int[] {1, 1, 8000})).containsExactly(1, 40, 101);
            Tensor y = m.forward(x);
            assertThat(y.dims()).containsExactly(2, 1, 40, 101);
            for (float v : y.toArray()) {
                assertThat(v).as("silence is the speech floor, log(1e-2)").isCloseTo(-4.60517f, within(1e-5f));
            }
            assertThat(m.macs(new int[][] {{1, 1, 8000}}, new int[] {1, 40, 101})).isBetween(101L * 256 * 16, 101L * 256 * 24);
        }
        assertThat(LogMelSpectrogram.speech(16000).nFft()).isEqualTo(512);
    }

    @Test
    void aChannelsLastInputGivesTheSameSpectrogram() {
        float[] x = signal("chirp", 8000, 600);
        try (LogMelSpectrogram m = LogMelSpectrogram.speech(8000); Tensor nhwc = Tensor.zeros(Shape.of(1, 1, 1, 600), Layout.NHWC)) {
            float[] plain = logMel(m, x);
            nhwc.copyFrom(x);
            Tensor y = m.forward(nhwc);
            assertThat(y.layout()).isEqualTo(Layout.NHWC);
            assertThat(y.toArray()).containsExactly(plain);
        }
    }

    /**
     * d L / d x for L = sum(y * gy) against central differences. The loss is computed in double from float32
     * outputs; with h = 1e-3 on samples of size 0.5, the quotient's truncation error is ~1e-6 relative, and
     * float32 rounding of log-mel values (~1e-7 x 14 per value, 360 values) over 2h adds ~1e-3 absolute.
     */
    @Test
    void backwardIsTheInputGradient() {
        SplittableRandom rnd = new SplittableRandom(3);
        int length = 300;
        float[] x = signal("tones", 8000, length);
        for (int i = 0; i < length; i++) {
            x[i] += (float) (0.05 * (rnd.nextDouble() - 0.5));
        }
        try (LogMelSpectrogram m = new LogMelSpectrogram(8000, 64, 40, 12, 20, 4000, 1e-6f); Tensor in = Tensor.of(x, 1, 1, 1, length)) {
            Tensor y = m.forward(in);
            float[] gy = new float[y.numel()];
            for (int i = 0; i < gy.length; i++) {
                gy[i] = (float) (rnd.nextDouble() * 2 - 1);
            }
            float[] gx;
            try (Tensor g = Tensor.of(gy, y.dims())) {
                gx = m.backward(g).toArray();
            }
            double h = 1e-3;
            for (int i : new int[] {0, 1, 5, 31, 32, 33, 100, 150, 257, 298, 299}) {
                float keep = x[i];
                x[i] = (float) (keep + h);
                double up = loss(m, x, gy);
                x[i] = (float) (keep - h);
                double down = loss(m, x, gy);
                x[i] = keep;
                double numeric = (up - down) / (2 * h);
                assertThat((double) gx[i]).as("d/dx[%d]", i).isCloseTo(numeric, within(3e-3 + 2e-3 * Math.abs(numeric)));
            }
        }
    }

    private static double loss(Module m, float[] x, float[] gy) {
        try (Tensor in = Tensor.of(x, 1, 1, 1, x.length)) {
            float[] y = m.forward(in).toArray();
            double s = 0;
            for (int i = 0; i < y.length; i++) {
                s += (double) y[i] * gy[i];
            }
            return s;
        }
    }

    @Test
    void theConfigRebuildsTheSameLayer() {
        try (LogMelSpectrogram m = new LogMelSpectrogram(16000, 512, 160, 64, 50, 7600, 1e-3f); Module copy = LayerRegistry.build(m.config())) {
            assertThat(copy.describe()).isEqualTo(m.describe())
                    .isEqualTo("LogMelSpectrogram(16000 Hz, n_fft 512, hop 160, 64 mels 50.0-7600.0 Hz, floor 0.001)");
            assertThat(copy.config()).isEqualTo(m.config());
        }
        LayerConfig former = new LayerConfig("LogMelSpectrogram").put("sample_rate", 8000).put("n_fft", 256).put("hop_length", 80)
                .put("n_mels", 40).put("f_min", 20f).put("f_max", 4000f);
        try (LogMelSpectrogram old = (LogMelSpectrogram) LayerRegistry.build(former)) {
            assertThat(old.floor()).as("a file from before the floor was a setting keeps the floor it was trained with").isEqualTo(1e-6f);
        }
    }

    @Test
    void badSettingsAndInputsNameTheLayerAndTheValues() {
        assertThatThrownBy(() -> new LogMelSpectrogram(8000, 255, 80, 40, 20, 4000, 1e-2f)).hasMessageContaining("LogMelSpectrogram")
                .hasMessageContaining("n_fft must be even").hasMessageContaining("255");
        assertThatThrownBy(() -> new LogMelSpectrogram(8000, 256, 80, 40, 20, 5000, 1e-2f)).hasMessageContaining("f_max 5000");
        assertThatThrownBy(() -> new LogMelSpectrogram(8000, 32, 80, 40, 20, 4000, 1e-2f)).hasMessageContaining("covers no FFT bin");
        assertThatThrownBy(() -> new LogMelSpectrogram(8000, 256, 80, 40, 20, 4000, 0f)).hasMessageContaining("floor").hasMessageContaining("0.0");
        assertThatThrownBy(() -> new LogMelSpectrogram(8000, 256, 80, 40, 20, 4000, Float.NaN)).hasMessageContaining("floor").hasMessageContaining("NaN");
        try (LogMelSpectrogram m = LogMelSpectrogram.speech(8000); Tensor stereo = Tensor.zeros(1, 2, 1, 8000);
             Tensor shortClip = Tensor.zeros(1, 1, 1, 100)) {
            assertThatThrownBy(() -> m.forward(stereo)).hasMessageContaining("LogMelSpectrogram").hasMessageContaining("[N, 1, 1, L]")
                    .hasMessageContaining("2");
            assertThatThrownBy(() -> m.forward(shortClip)).hasMessageContaining("100 samples").hasMessageContaining("n_fft 256");
            assertThatThrownBy(() -> m.backward(null)).isInstanceOf(IllegalStateException.class).hasMessageContaining("backward before forward");
        }
    }

    @Test
    void aFrontEndForAnotherSampleRateThanTheClipsIsNamed() {
        try (org.cnn4j.nn.Module net = org.cnn4j.zoo.Zoo.build("spectro-cnn", 1, 1, 8000, 20)) {
            LogMelSpectrogram.requireSampleRate(net, 8000);
            assertThatThrownBy(() -> LogMelSpectrogram.requireSampleRate(net, 16000)).hasMessageContaining("LogMelSpectrogram 'melspec'")
                    .hasMessageContaining("for 8000 Hz clips, these are 16000 Hz").hasMessageContaining("--sample-rate 8000");
        }
    }
}
