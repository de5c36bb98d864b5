package org.cnn4j.data.augment;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * Adds white or pink noise at a signal-to-noise ratio drawn uniformly from minSnrDb..maxSnrDb: the noise is
 * scaled so that 10 log10(signal power / noise power) over the clip is exactly the drawn SNR (a silent clip
 * stays silent: it has no power to compare with). White noise is Gaussian; pink noise (power density 1/f,
 * -3 dB per octave, closer to room and street noise) is white noise whose spectrum is scaled by 1/sqrt(f)
 * in the frequency domain (no DC), with JTransforms' real FFT over the whole clip.
 */
public final class NoiseMix implements Augmentation {
    /** The noise's spectrum. */
    public enum Color { WHITE, PINK }

    /** FFT plans by length: JTransforms' plans are read-only once made, so threads share them. */
    private static final Map<Integer, FloatFFT_1D> PLANS = new ConcurrentHashMap<>();

    private final double minSnrDb, maxSnrDb;
    private final Color color;

    public NoiseMix(double minSnrDb, double maxSnrDb, Color color) {
        if (!(Double.isFinite(minSnrDb) && Double.isFinite(maxSnrDb) && minSnrDb <= maxSnrDb)) {
            throw new IllegalArgumentException("noise: the SNR range must be finite with min <= max dB, got " + minSnrDb + ".." + maxSnrDb);
        }
        if (color == null) {
            throw new IllegalArgumentException("noise: needs a colour (WHITE or PINK)");
        }
        this.minSnrDb = minSnrDb;
        this.maxSnrDb = maxSnrDb;
        this.color = color;
    }

    public double minSnrDb() {
        return minSnrDb;
    }

    public double maxSnrDb() {
        return maxSnrDb;
    }

    public Color color() {
        return color;
    }

    @Override
    public void apply(float[] samples, float[] scratch, int channels, int height, int width, SplittableRandom rnd) {
        Waveforms.requireWaveform("noise", channels, height, width);
        double snr = minSnrDb + rnd.nextDouble() * (maxSnrDb - minSnrDb);
        for (int c = 0; c < channels; c++) {
            int o = c * width;
            for (int i = 0; i < width; i += 2) { // Box-Muller: two independent normals per pair of draws
                double r = Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())), a = 2 * Math.PI * rnd.nextDouble();
                scratch[o + i] = (float) (r * Math.cos(a));
                if (i + 1 < width) {
                    scratch[o + i + 1] = (float) (r * Math.sin(a));
                }
            }
            if (color == Color.PINK && width >= 2) {
                pink(scratch, o, width);
            }
            double signal = 0, noise = 0;
            for (int i = o; i < o + width; i++) {
                signal += (double) samples[i] * samples[i];
                noise += (double) scratch[i] * scratch[i];
            }
            if (signal == 0 || noise == 0) {
                continue;
            }
            float scale = (float) Math.sqrt(signal / noise / Math.pow(10, snr / 10));
            for (int i = o; i < o + width; i++) {
                samples[i] += scale * scratch[i];
            }
        }
    }

    /** Shapes white noise in {@code x[o, o+n)} to 1/f power: the amplitude of bin k (k >= 1) is divided by sqrt(k). */
    private static void pink(float[] x, int o, int n) {
        FloatFFT_1D fft = PLANS.computeIfAbsent(n, FloatFFT_1D::new);
        fft.realForward(x, o);
        x[o] = 0; // DC
        for (int i = 1; i < n; i++) { // JTransforms packs bin i / 2 at i >= 2, and the last bin, n / 2, at 1
            x[o + i] /= (float) Math.sqrt(i == 1 ? n / 2 : i / 2);
        }
        fft.realInverse(x, o, true);
    }

    @Override
    public String toString() {
        return "NoiseMix[" + color.name().toLowerCase(java.util.Locale.ROOT) + ", snr " + minSnrDb + ".." + maxSnrDb + " dB]";
    }
}
