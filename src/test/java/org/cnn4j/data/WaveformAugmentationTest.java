package org.cnn4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.cnn4j.data.augment.Augmentation;
import org.cnn4j.data.augment.AugmentationPipeline;
import org.cnn4j.data.augment.Gain;
import org.cnn4j.data.augment.NoiseMix;
import org.cnn4j.data.augment.RandomEq;
import org.cnn4j.data.augment.SpeedPerturb;
import org.cnn4j.data.augment.TimeShift;
import org.junit.jupiter.api.Test;

/** The waveform augmentations measured: shifts exact, gains in dB, SNRs, a tone's frequency after a speed change; seeded. */
class WaveformAugmentationTest {
    private static final int RATE = 8000, L = 8000;

    private static float[] tone(double hz) {
        float[] x = new float[L];
        for (int i = 0; i < L; i++) {
            x[i] = (float) (0.3 * Math.sin(2 * Math.PI * hz * i / RATE));
        }
        return x;
    }

    private static float[] ramp() {
        float[] x = new float[L];
        for (int i = 0; i < L; i++) {
            x[i] = (i + 1) / (float) L;
        }
        return x;
    }

    private static float[] apply(Augmentation a, float[] x, long seed) {
        float[] v = x.clone();
        a.apply(v, new float[L], 1, 1, L, new SplittableRandom(seed));
        return v;
    }

    private static double power(float[] x) {
        double s = 0;
        for (float v : x) {
            s += (double) v * v;
        }
        return s / x.length;
    }

    @Test
    void timeShiftMovesEverySampleByTheDrawnOffset() {
        for (boolean circular : new boolean[] {false, true}) {
            for (long seed = 0; seed < 10; seed++) {
                int shift = new SplittableRandom(seed).nextInt(2 * 800 + 1) - 800;
                float[] x = ramp(), y = apply(new TimeShift(0.1, circular), x, seed);
                for (int i = 0; i < L; i++) {
                    int from = i - shift;
                    float want = circular ? x[Math.floorMod(from, L)] : from >= 0 && from < L ? x[from] : 0f;
                    assertThat(y[i]).as("seed %d sample %d (shift %d)", seed, i, shift).isEqualTo(want);
                }
            }
        }
    }

    @Test
    void gainIsUniformInDecibelsWithinTheRange() {
        float[] x = tone(500);
        double min = 0, max = 0;
        for (long seed = 0; seed < 200; seed++) {
            double db = 10 * Math.log10(power(apply(new Gain(6), x, seed)) / power(x));
            double want = (new SplittableRandom(seed).nextDouble() * 2 - 1) * 6;
            assertThat(db).as("seed %d", seed).isCloseTo(want, within(1e-4));
            min = Math.min(min, db);
            max = Math.max(max, db);
        }
        assertThat(min).isLessThan(-5.5);
        assertThat(max).isGreaterThan(5.5);
    }

    @Test
    void noiseIsAddedAtTheDrawnSnr() {
        float[] x = tone(700);
        for (NoiseMix.Color color : NoiseMix.Color.values()) {
            for (long seed = 0; seed < 20; seed++) {
                float[] y = apply(new NoiseMix(10, 30, color), x, seed);
                float[] noise = new float[L];
                for (int i = 0; i < L; i++) {
                    noise[i] = y[i] - x[i];
                }
                double snr = 10 * Math.log10(power(x) / power(noise));
                assertThat(snr).as("%s seed %d", color, seed).isBetween(10 - 1e-3, 30 + 1e-3)
                        .isCloseTo(10 + 20 * new SplittableRandom(seed).nextDouble(), within(1e-3));
            }
        }
        float[] silent = new float[L];
        assertThat(apply(new NoiseMix(10, 10, NoiseMix.Color.WHITE), silent, 1)).as("no signal, no noise").containsOnly(0f);
    }

    /** Pink noise has equal power per octave (-3 dB per octave of density); white noise doubles it every octave. */
    @Test
    void pinkNoiseHasEqualPowerPerOctave() {
        float[] x = tone(1000);
        double[] pink = new double[3], white = new double[3];
        for (long seed = 0; seed < 10; seed++) {
            bands(apply(new NoiseMix(0, 0, NoiseMix.Color.PINK), x, seed), x, pink);
            bands(apply(new NoiseMix(0, 0, NoiseMix.Color.WHITE), x, seed), x, white);
        }
        for (int b = 1; b < 3; b++) {
            assertThat(10 * Math.log10(pink[b] / pink[b - 1])).as("pink, octave %d over %d", b, b - 1).isCloseTo(0, within(0.5));
            assertThat(10 * Math.log10(white[b] / white[b - 1])).as("white, octave %d over %d", b, b - 1).isCloseTo(3.01, within(0.5));
        }
    }

    /** Adds the noise's (y - x) power in the octaves 250-500, 500-1000 and 1000-2000 Hz, from a DFT at every third bin. */
    private static void bands(float[] y, float[] x, double[] out) {
        double[][] octaves = {{250, 500}, {500, 1000}, {1000, 2000}};
        for (int b = 0; b < 3; b++) {
            for (int k = (int) octaves[b][0]; k < octaves[b][1]; k += 3) { // bin k is k Hz for one second at 8 kHz; skip the 1 kHz tone's bin
                double re = 0, im = 0;
                for (int i = 0; i < L; i++) {
                    double a = 2 * Math.PI * k * i / L, d = y[i] - x[i];
                    re += d * Math.cos(a);
                    im -= d * Math.sin(a);
                }
                out[b] += re * re + im * im;
            }
        }
    }

    @Test
    void speedChangesATonesFrequencyByTheFactor() {
        float[] x = tone(1000);
        for (long seed = 0; seed < 6; seed++) {
            double s = 1 + (new SplittableRandom(seed).nextDouble() * 2 - 1) * 0.1;
            float[] y = apply(new SpeedPerturb(0.1), x, seed);
            double best = 0, bestHz = 0;
            for (double hz = 850; hz <= 1150; hz += 0.5) {
                double a = amplitude(y, 500, L - 500, hz);
                if (a > best) {
                    best = a;
                    bestHz = hz;
                }
            }
            assertThat(bestHz).as("seed %d: speed %.4f", seed, s).isCloseTo(1000 * s, within(0.5));
            assertThat(amplitude(y, 500, L - 500, 1000 * s)).as("the level is kept").isCloseTo(0.3, within(0.003));
        }
    }

    private static double amplitude(float[] x, int from, int to, double hz) {
        double re = 0, im = 0;
        for (int i = from; i < to; i++) {
            double a = 2 * Math.PI * hz * i / RATE;
            re += x[i] * Math.cos(a);
            im += x[i] * Math.sin(a);
        }
        return 2 * Math.hypot(re, im) / (to - from);
    }

    @Test
    void eqBoostsOrCutsATuneAtItsDrawnCentreByItsDrawnGainAndLeavesFarTonesAlone() {
        for (long seed = 0; seed < 8; seed++) {
            SplittableRandom draw = new SplittableRandom(seed);
            double centreHz = RATE / 2.0 * 0.01 * Math.pow(90, draw.nextDouble()), gainDb = (draw.nextDouble() * 2 - 1) * 12;
            double q = 0.5 * Math.pow(4, draw.nextDouble());
            double atCentre = amplitude(apply(new RandomEq(1, 12), tone(centreHz), seed), 2000, L, centreHz);
            assertThat(20 * Math.log10(atCentre / 0.3)).as("seed %d: %.0f Hz, Q %.2f", seed, centreHz, q).isCloseTo(gainDb, within(0.05));
            double farHz = centreHz > 400 ? centreHz / 16 : Math.min(centreHz * 16, 3900);
            double far = amplitude(apply(new RandomEq(1, 12), tone(farHz), seed), 2000, L, farHz);
            assertThat(Math.abs(20 * Math.log10(far / 0.3))).as("seed %d: a tone at %.0f Hz", seed, farHz).isLessThan(Math.abs(gainDb) / 3 + 0.05);
        }
        float[] x = tone(440);
        assertThat(apply(new RandomEq(3, 0), x, 1)).as("0 dB is the identity, to rounding").containsExactly(x, within(1e-6f));
        assertThatThrownBy(() -> new RandomEq(0, 6)).hasMessageContaining("eq").hasMessageContaining("0");
        assertThatThrownBy(() -> new RandomEq(3, -1)).hasMessageContaining("eq").hasMessageContaining("-1");
    }

    @Test
    void theSameSeedGivesTheSameClip() {
        AugmentationPipeline p = AugmentationPipeline.standardAudio();
        float[] x = tone(440);
        float[] a = x.clone(), b = x.clone(), c = x.clone();
        p.apply(a, new float[L], 1, 1, L, new SplittableRandom(5));
        p.apply(b, new float[L], 1, 1, L, new SplittableRandom(5));
        p.apply(c, new float[L], 1, 1, L, new SplittableRandom(6));
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c).isNotEqualTo(x);
    }

    @Test
    void theSpecNamesTheWaveformAugmentations() {
        List<Augmentation> steps = AugmentationPipeline.parse("speed=0.1, timeshift=0.1,timeroll=0.2,gain=6,whitenoise=10-30,pinknoise=-5-5,"
                + "whitenoise=20,eq=9").steps();
        assertThat(steps).hasSize(8);
        assertThat(steps.get(7)).isEqualTo(new RandomEq(3, 9));
        assertThat(steps.get(0)).isEqualTo(new SpeedPerturb(0.1));
        assertThat(steps.get(1)).isEqualTo(new TimeShift(0.1, false));
        assertThat(steps.get(2)).isEqualTo(new TimeShift(0.2, true));
        assertThat(steps.get(3)).isEqualTo(new Gain(6));
        NoiseMix white = (NoiseMix) steps.get(4), pink = (NoiseMix) steps.get(5), fixed = (NoiseMix) steps.get(6);
        assertThat(new double[] {white.minSnrDb(), white.maxSnrDb()}).containsExactly(10, 30);
        assertThat(white.color()).isEqualTo(NoiseMix.Color.WHITE);
        assertThat(new double[] {pink.minSnrDb(), pink.maxSnrDb()}).containsExactly(-5, 5);
        assertThat(pink.color()).isEqualTo(NoiseMix.Color.PINK);
        assertThat(new double[] {fixed.minSnrDb(), fixed.maxSnrDb()}).containsExactly(20, 20);
        assertThat(AugmentationPipeline.parse("audio").steps()).hasSize(4);
        assertThatThrownBy(() -> AugmentationPipeline.parse("pinknoise=loud")).hasMessageContaining("pinknoise=loud")
                .hasMessageContaining("SNR range").hasMessageContaining("pinknoise=10-30");
        assertThatThrownBy(() -> AugmentationPipeline.parse("whitenoise")).hasMessageContaining("SNR range");
        assertThatThrownBy(() -> AugmentationPipeline.parse("gain")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> AugmentationPipeline.parse("whitenoise=30-10")).hasMessageContaining("noise").hasMessageContaining("30.0..10.0");
        assertThatThrownBy(() -> AugmentationPipeline.parse("speed=1.5")).hasMessageContaining("speed").hasMessageContaining("1.5");
        assertThatThrownBy(() -> AugmentationPipeline.parse("bogus")).hasMessageContaining("timeshift=F");
    }

    @Test
    void anImageIsRefusedNamingTheAugmentationAndTheShape() {
        assertThatThrownBy(() -> new Gain(6).apply(new float[784], new float[784], 1, 28, 28, new SplittableRandom(1)))
                .hasMessageContaining("gain").hasMessageContaining("1x28x28");
        assertThatThrownBy(() -> new Gain(-1)).hasMessageContaining("gain").hasMessageContaining("-1");
        assertThatThrownBy(() -> new TimeShift(2, false)).hasMessageContaining("timeshift").hasMessageContaining("2.0");
    }
}
