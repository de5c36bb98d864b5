package org.cnn4j.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The resampler keeps a tone's frequency and level, suppresses what would alias by at least 80 dB (the Kaiser
 * design gives about 86, see {@link Resampler}), and clips are fitted by centring.
 */
class ResamplerTest {

    /** The amplitude of the tone of {@code hz} in {@code x[from, to)} at {@code rate}, by least squares on a sine and a cosine. */
    static double amplitude(float[] x, int from, int to, double hz, int rate) {
        double ss = 0, cc = 0, sc = 0, xs = 0, xc = 0;
        for (int i = from; i < to; i++) {
            double s = Math.sin(2 * Math.PI * hz * i / rate), c = Math.cos(2 * Math.PI * hz * i / rate);
            ss += s * s;
            cc += c * c;
            sc += s * c;
            xs += x[i] * s;
            xc += x[i] * c;
        }
        double det = ss * cc - sc * sc, a = (xs * cc - xc * sc) / det, b = (xc * ss - xs * sc) / det;
        return Math.hypot(a, b);
    }

    static double rms(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += (double) x[i] * x[i];
        }
        return Math.sqrt(s / (to - from));
    }

    @Test
    void aToneKeepsItsFrequencyAndLevelWhenTheRateChanges() {
        int[][] rates = {{16000, 8000}, {44100, 8000}, {8000, 16000}, {8000, 11025}};
        for (int[] r : rates) {
            float[] x = WavBytes.sine(1000, r[0], r[0], 0.5);
            float[] y = Resampler.resample(x, r[0], r[1]);
            assertThat(y).hasSize(r[1]);
            int edge = 200; // the filter's reach from the clip's abrupt ends
            assertThat(amplitude(y, edge, y.length - edge, 1000, r[1])).as("%d -> %d Hz", r[0], r[1]).isCloseTo(0.5, within(0.5 * 1e-3));
            assertThat(rms(y, edge, y.length - edge)).as("all of it is the 1 kHz tone").isCloseTo(0.5 / Math.sqrt(2), within(1e-3));
        }
    }

    @Test
    void toneAboveTheNewNyquistFrequencyIsSuppressedByEightyDecibels() {
        for (double hz : new double[] {4100, 5000, 7000}) {
            float[] x = WavBytes.sine(hz, 16000, 16000, 0.5);
            float[] y = Resampler.resample(x, 16000, 8000);
            int edge = 300;
            double db = 20 * Math.log10(rms(y, edge, y.length - edge) / (0.5 / Math.sqrt(2)));
            assertThat(db).as("%s Hz at 16 kHz resampled to 8 kHz (would alias to %s Hz)", hz, 8000 - hz).isLessThan(-80);
        }
    }

    @Test
    void resampleIntoComputesAWindowOfTheOutput() {
        float[] x = WavBytes.sine(300, 8000, 1000, 0.3);
        float[] all = new float[1100];
        Resampler.resampleInto(x, 0, x.length, 1.1, 0, all, 0, all.length);
        float[] part = new float[50];
        Resampler.resampleInto(x, 0, x.length, 1.1, 500, part, 0, 50);
        assertThat(part).containsExactly(java.util.Arrays.copyOfRange(all, 500, 550));
        assertThat(Resampler.resample(x, 8000, 8000)).containsExactly(x);
        assertThatThrownBy(() -> Resampler.resample(x, 0, 8000)).hasMessageContaining("resample").hasMessageContaining("0 -> 8000");
        assertThatThrownBy(() -> Resampler.resampleInto(x, 0, 10, -1, 0, part, 0, 1)).hasMessageContaining("ratio").hasMessageContaining("-1");
    }

    @Test
    void clipsAreCenterCroppedOrCenteredWithZeros() {
        float[] x = {1, 2, 3, 4, 5};
        assertThat(ClipLength.fit(x, 3)).containsExactly(2, 3, 4);
        assertThat(ClipLength.fit(x, 2)).containsExactly(2, 3);
        assertThat(ClipLength.fit(x, 8)).containsExactly(0, 1, 2, 3, 4, 5, 0, 0);
        assertThat(ClipLength.fit(x, 5)).containsExactly(x);
        assertThatThrownBy(() -> ClipLength.fit(x, 0)).hasMessageContaining("clip length").hasMessageContaining("0");
    }
}
