package org.cnn4j.audio;

/**
 * Band-limited resampling by a windowed-sinc interpolator (the method of Smith's digital audio
 * resampling, as in libsamplerate and resampy): each output sample is the input convolved with a
 * Kaiser-windowed sinc low-pass evaluated at the output instant, so any ratio works, rational or not.
 * <p>The filter: cutoff {@value #ROLLOFF} of the lower of the two Nyquist frequencies, {@value #ZERO_CROSSINGS}
 * zero crossings of the sinc on each side, Kaiser beta {@value #BETA}. Why: beta 8.6 gives about 86 dB of
 * stop-band attenuation (Kaiser's formula A = beta / 0.1102 + 8.7), and for that attenuation a window
 * spanning 2 x 32 zero crossings has a transition band of 2.74 / 32 = 8.6% of the cutoff, so with the
 * cutoff at 0.92 x Nyquist the stop band starts at 0.92 x 1.043 = 0.9994 x Nyquist: nothing above the new
 * Nyquist frequency folds back by more than -80 dB, and the pass band is flat (ripple below 0.001 dB) up
 * to 0.84 x Nyquist (3.36 kHz at 8 kHz). The window is tabulated at {@value #TABLE_STEPS} points per zero
 * crossing and interpolated linearly (error below 1e-5, -100 dB). The signal is taken as zero outside
 * its samples.
 * <p>{@link #FAST} is a shorter filter for speed perturbation, which resamples every training clip on every
 * epoch: 8 zero crossings and beta 5.65 (about 60 dB of stop band, transition 2.3 / 8 = 29% of the cutoff, so
 * a cutoff of 0.78 x Nyquist stops by 1.0 x Nyquist), a quarter of the taps: with the filter above, speed
 * perturbation was where M5's training spent most of its time (stack samples of a training run).
 */
public final class Resampler {
    static final double ROLLOFF = 0.92;
    static final int ZERO_CROSSINGS = 32;
    static final double BETA = 8.6;
    static final int TABLE_STEPS = 512;
    private static final Resampler BEST = new Resampler(ROLLOFF, ZERO_CROSSINGS, BETA);
    /** The short filter for augmentation (see above). */
    public static final Resampler FAST = new Resampler(0.78, 8, 5.65);

    private final double rolloff;
    private final int zeroCrossings;
    /** sinc(u) * kaiser(u / zeroCrossings) at u = k / TABLE_STEPS, k = 0 .. zeroCrossings * TABLE_STEPS (+1 for interpolation). */
    private final float[] table;

    private Resampler(double rolloff, int zeroCrossings, double beta) {
        this.rolloff = rolloff;
        this.zeroCrossings = zeroCrossings;
        this.table = kernel(zeroCrossings, beta);
    }

    /** {@code x} sampled at {@code fromRate} Hz, resampled to {@code toRate} Hz: ceil(length * toRate / fromRate) samples. */
    public static float[] resample(float[] x, int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("resample: sample rates must be > 0 Hz, got " + fromRate + " -> " + toRate);
        }
        if (fromRate == toRate) {
            return x.clone();
        }
        long n = ((long) x.length * toRate + fromRate - 1) / fromRate;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("resample: " + x.length + " samples at " + fromRate + " Hz make " + n + " at " + toRate
                    + " Hz, more than an array holds");
        }
        float[] out = new float[(int) n];
        BEST.into(x, 0, x.length, (double) toRate / fromRate, 0, out, 0, out.length);
        return out;
    }

    /** {@link #into} with the long filter. */
    public static void resampleInto(float[] in, int inOffset, int inLength, double ratio, long first, float[] out, int outOffset, int count) {
        BEST.into(in, inOffset, inLength, ratio, first, out, outOffset, count);
    }

    /**
     * Writes output samples {@code first .. first+count-1} of {@code in[inOffset, inOffset+inLength)} resampled by
     * {@code ratio} (output rate / input rate; output sample j lies at input instant j / ratio) into
     * {@code out[outOffset ..]}; samples past either end of the input come out as the filter's tail, then zero.
     */
    public void into(float[] in, int inOffset, int inLength, double ratio, long first, float[] out, int outOffset, int count) {
        if (!(ratio > 0) || Double.isInfinite(ratio)) {
            throw new IllegalArgumentException("resample: ratio must be a positive number, got " + ratio);
        }
        double c = rolloff * Math.min(1, ratio); // cutoff as a fraction of the input's Nyquist frequency
        double halfWidth = zeroCrossings / c; // in input samples
        double step = c * TABLE_STEPS; // table positions per input sample
        int last = table.length - 1;
        for (int k = 0; k < count; k++) {
            double t = (first + k) / ratio;
            int lo = (int) Math.max(0, Math.ceil(t - halfWidth)), hi = (int) Math.min(inLength - 1, Math.floor(t + halfWidth));
            double at = (t - lo) * step, sum = 0; // the table position of input sample i is |t - i| x step
            for (int i = lo; i <= hi; i++, at -= step) {
                double a = Math.abs(at);
                int j = (int) a;
                if (j < last) { // linear interpolation between table entries
                    float w = table[j];
                    sum += in[inOffset + i] * (w + (a - j) * (table[j + 1] - w));
                }
            }
            out[outOffset + k] = (float) (c * sum);
        }
    }

    private static float[] kernel(int zeroCrossings, double beta) {
        int n = zeroCrossings * TABLE_STEPS;
        float[] k = new float[n + 2];
        double i0Beta = besselI0(beta);
        for (int j = 0; j <= n; j++) {
            double u = (double) j / TABLE_STEPS, r = u / zeroCrossings;
            double sinc = j == 0 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u);
            k[j] = (float) (sinc * besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta);
        }
        return k;
    }

    /** The modified Bessel function of the first kind, order 0, by its power series (converges fast for x < 20). */
    static double besselI0(double x) {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 200 && term > 1e-17 * sum; k++) {
            term *= q / ((double) k * k);
            sum += term;
        }
        return sum;
    }
}
