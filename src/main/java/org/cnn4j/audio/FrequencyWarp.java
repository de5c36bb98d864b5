package org.cnn4j.audio;

import java.nio.FloatBuffer;
import org.cnn4j.backend.DropoutMask;
import org.cnn4j.nn.LayerConfig;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Layout;

/**
 * Vocal tract length perturbation (VTLP; Jaitly and Hinton 2013) on log-mel spectrograms [N, C, F, T], in
 * training only (the identity in evaluation): each example's frequencies are scaled by a factor drawn uniformly
 * from 1 - maxWarp .. 1 + maxWarp, so a voice sounds as if spoken through a shorter or longer vocal tract, with its
 * formants (and harmonics) moved together but its timing unchanged. The warp is piecewise linear, f -> a f up to
 * {@link #KNEE} of f_max (scaled for a < 1 so that it stays inside), then the straight line to (f_max, f_max), so the
 * band edges stay put. Output row m is read from the input at the frequency that maps onto its centre, by linear
 * interpolation between the two neighbouring mel rows (the HTK mel centres of the {@link LogMelSpectrogram} with
 * the same f_min, f_max and F mels). The backward pass is the exact transpose of that interpolation.
 * <p>Randomness and the call counter are {@link SpectrogramAugmentation}'s.
 */
public final class FrequencyWarp extends SpectrogramAugmentation {
    /** The warp is f -> a f below this fraction of f_max (Jaitly and Hinton's F_hi), so the top band edge stays fixed. */
    static final double KNEE = 0.8;

    private final float fMin, fMax, maxWarp;
    private int[] lower; // [N][F]: the input row below output row m's source frequency
    private float[] upperWeight; // [N][F]: the share of the row above it

    public FrequencyWarp(float fMin, float fMax, float maxWarp, long seed) {
        super(seed);
        if (!(fMin >= 0 && fMax > fMin && fMax < Float.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("FrequencyWarp: needs 0 <= f_min < f_max, got f_min " + fMin + ", f_max " + fMax);
        }
        if (!(maxWarp >= 0 && maxWarp <= 0.5f)) {
            throw new IllegalArgumentException("FrequencyWarp: max_warp must be in [0, 0.5], got " + maxWarp);
        }
        this.fMin = fMin;
        this.fMax = fMax;
        this.maxWarp = maxWarp;
    }

    private FrequencyWarp(FrequencyWarp of) {
        super(of);
        fMin = of.fMin;
        fMax = of.fMax;
        maxWarp = of.maxWarp;
    }

    /** The frequency that the warp by {@code factor} moves onto {@code hz} (the inverse of the piecewise-linear warp). */
    static double source(double hz, double factor, double fMax) {
        double knee = KNEE * fMax * Math.min(factor, 1) / factor, kneeOut = factor * knee;
        return hz <= kneeOut ? hz / factor : knee + (hz - kneeOut) * (fMax - knee) / (fMax - kneeOut);
    }

    /** Output row m's source as a fractional input row in [0, mels - 1]: the mel centres are those of {@link MelFilterbank}. */
    static double sourceRow(int m, int mels, double factor, double fMin, double fMax) {
        double lo = MelFilterbank.hzToMel(fMin), step = (MelFilterbank.hzToMel(fMax) - lo) / (mels + 1);
        double from = source(MelFilterbank.melToHz(lo + (m + 1) * step), factor, fMax);
        double row = (MelFilterbank.hzToMel(from) - lo) / step - 1;
        return Math.max(0, Math.min(mels - 1, row));
    }

    @Override
    protected boolean changes() {
        return maxWarp > 0;
    }

    @Override
    protected void draw(long callSeed) {
        int n = dims[0], f = dims[2];
        lower = lower != null && lower.length == n * f ? lower : new int[n * f];
        upperWeight = upperWeight != null && upperWeight.length == n * f ? upperWeight : new float[n * f];
        for (int i = 0; i < n; i++) {
            double factor = 1 + (2 * DropoutMask.uniform(callSeed, i) - 1) * maxWarp;
            for (int m = 0; m < f; m++) {
                double row = sourceRow(m, f, factor, fMin, fMax);
                int below = Math.max(0, Math.min(f - 2, (int) row));
                lower[i * f + m] = below;
                upperWeight[i * f + m] = f == 1 ? 0 : (float) (row - below);
            }
        }
    }

    @Override
    protected void map(FloatBuffer in, FloatBuffer out) {
        int n = dims[0], c = dims[1], f = dims[2], t = dims[3];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int m = 0; m < f; m++) {
                    int r = lower[i * f + m], above = Math.min(f - 1, r + 1);
                    float w = upperWeight[i * f + m];
                    for (int q = 0; q < t; q++) {
                        out.put(at(layout, i, ch, m, q), (1 - w) * in.get(at(layout, i, ch, r, q)) + w * in.get(at(layout, i, ch, above, q)));
                    }
                }
            }
        }
    }

    @Override
    protected void mapBackward(FloatBuffer g, Layout gl, FloatBuffer gx) {
        int n = dims[0], c = dims[1], f = dims[2], t = dims[3];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int q = 0; q < t; q++) {
                    for (int m = 0; m < f; m++) {
                        gx.put(at(layout, i, ch, m, q), 0f);
                    }
                    for (int m = 0; m < f; m++) {
                        int r = lower[i * f + m], above = Math.min(f - 1, r + 1);
                        float w = upperWeight[i * f + m], gy = g.get(at(gl, i, ch, m, q));
                        int lo = at(layout, i, ch, r, q), hi = at(layout, i, ch, above, q);
                        gx.put(lo, gx.get(lo) + (1 - w) * gy);
                        gx.put(hi, gx.get(hi) + w * gy);
                    }
                }
            }
        }
    }

    public static FrequencyWarp fromConfig(LayerConfig c) {
        return new FrequencyWarp(c.number("f_min"), c.number("f_max"), c.number("max_warp"), c.longValue("seed"));
    }

    @Override
    public LayerConfig config() {
        return new LayerConfig("FrequencyWarp").put("f_min", fMin).put("f_max", fMax).put("max_warp", maxWarp).put("seed", seed);
    }

    @Override
    protected Module newReplica() {
        return new FrequencyWarp(this);
    }

    @Override
    public String describe() {
        return "FrequencyWarp(VTLP, frequencies x (1 +- " + maxWarp + "), " + fMin + "-" + fMax + " Hz)";
    }
}
