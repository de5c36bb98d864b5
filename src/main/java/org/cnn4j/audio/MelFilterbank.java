package org.cnn4j.audio;

/**
 * Triangular mel filters on the HTK mel scale (mel = 2595 log10(1 + f / 700)) without area
 * normalisation: torchaudio's {@code melscale_fbanks(..., norm=None, mel_scale="htk")}, the default of
 * its MelSpectrogram. Filter m rises linearly from the (m)th to the (m+1)th of n_mels + 2 points equally
 * spaced in mel between f_min and f_max and falls to the (m+2)th; FFT bin k sits at k * (sampleRate / 2)
 * / (bins - 1) Hz (torchaudio takes sampleRate / 2 rounded down, as here). A filter that covers no bin
 * (too many mels for the FFT's resolution) is an error, not a constant row.
 */
public final class MelFilterbank {
    private final int bins, mels;
    private final float[] weights; // [mels][bins]
    private final int[] first, end; // each filter's non-zero bins: [first, end)

    public MelFilterbank(int bins, int sampleRate, int mels, double fMin, double fMax) {
        if (bins < 2 || mels <= 0 || sampleRate <= 0) {
            throw new IllegalArgumentException("mel filterbank: needs bins >= 2, mels > 0 and a sample rate > 0, got " + bins
                    + " bins, " + mels + " mels, " + sampleRate + " Hz");
        }
        if (!(fMin >= 0 && fMin < fMax && fMax <= sampleRate / 2.0)) {
            throw new IllegalArgumentException("mel filterbank: needs 0 <= f_min < f_max <= sample rate / 2 = " + sampleRate / 2.0
                    + " Hz, got f_min " + fMin + ", f_max " + fMax);
        }
        this.bins = bins;
        this.mels = mels;
        this.weights = new float[mels * bins];
        this.first = new int[mels];
        this.end = new int[mels];
        double mMin = hzToMel(fMin), mMax = hzToMel(fMax);
        double[] f = new double[mels + 2];
        for (int i = 0; i < f.length; i++) {
            f[i] = melToHz(mMin + (mMax - mMin) * i / (mels + 1));
        }
        double binHz = (sampleRate / 2) / (double) (bins - 1);
        for (int m = 0; m < mels; m++) {
            first[m] = bins;
            for (int k = 0; k < bins; k++) {
                double hz = k * binHz;
                double w = Math.max(0, Math.min((hz - f[m]) / (f[m + 1] - f[m]), (f[m + 2] - hz) / (f[m + 2] - f[m + 1])));
                weights[m * bins + k] = (float) w;
                if (w > 0) {
                    first[m] = Math.min(first[m], k);
                    end[m] = k + 1;
                }
            }
            if (end[m] == 0) {
                throw new IllegalArgumentException("mel filterbank: filter " + m + " (" + Math.round(f[m]) + "-" + Math.round(f[m + 2])
                        + " Hz) covers no FFT bin: " + mels + " mels are too many for " + bins + " bins between " + fMin + " and " + fMax + " Hz");
            }
        }
    }

    public static double hzToMel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    public static double melToHz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }

    public int bins() {
        return bins;
    }

    public int mels() {
        return mels;
    }

    /** The weight of FFT bin {@code k} in filter {@code m}. */
    public float weight(int m, int k) {
        return weights[m * bins + k];
    }

    /** The number of non-zero weights (the multiply-adds of one frame). */
    public long nonZeros() {
        long n = 0;
        for (int m = 0; m < mels; m++) {
            n += end[m] - first[m];
        }
        return n;
    }

    /** out[m] = sum_k weight(m, k) * power[pOffset + k] for one frame. */
    public void apply(float[] power, int pOffset, float[] out, int oOffset, int oStride) {
        for (int m = 0; m < mels; m++) {
            double s = 0;
            for (int k = first[m]; k < end[m]; k++) {
                s += weights[m * bins + k] * power[pOffset + k];
            }
            out[oOffset + m * oStride] = (float) s;
        }
    }

    /** grad[k] = sum_m weight(m, k) * gradMel[gOffset + m * gStride] for one frame (the transpose of {@link #apply}). */
    public void applyTransposed(float[] gradMel, int gOffset, int gStride, float[] grad, int offset) {
        java.util.Arrays.fill(grad, offset, offset + bins, 0f);
        for (int m = 0; m < mels; m++) {
            float g = gradMel[gOffset + m * gStride];
            for (int k = first[m]; k < end[m]; k++) {
                grad[offset + k] += weights[m * bins + k] * g;
            }
        }
    }
}
