package org.cnn4j.audio;

import java.nio.FloatBuffer;
import org.cnn4j.backend.DropoutMask;
import org.cnn4j.nn.LayerConfig;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Layout;

/**
 * SpecAugment's frequency and time masking (Park et al. 2019; torchaudio's FrequencyMasking and
 * TimeMasking) on spectrograms [N, C, F, T], in training only (the identity in evaluation). Each example
 * gets {@code freqMasks} bands of f consecutive frequency rows, f drawn uniformly from 0..{@code freqWidth},
 * and {@code timeMasks} bands of t consecutive frames, t from 0..{@code timeWidth} (both at most the size),
 * each at a uniform position; the same bands cover all its channels. Masked values are set to the mean of
 * that example's channel, the value the paper's zero is on its mean-normalised log-mel features, so a mask
 * looks like neither silence nor a loud band. The backward pass is exact: the gradient is masked, and the
 * masked positions' share reaches every input through the mean.
 * <p>Randomness and the call counter are {@link SpectrogramAugmentation}'s.
 */
public final class SpecAugment extends SpectrogramAugmentation {
    private final int freqMasks, freqWidth, timeMasks, timeWidth;
    private boolean[] maskedRow, maskedFrame; // [N][F], [N][T] of the last training call

    public SpecAugment(int freqMasks, int freqWidth, int timeMasks, int timeWidth, long seed) {
        super(seed);
        if (freqMasks < 0 || freqWidth < 0 || timeMasks < 0 || timeWidth < 0) {
            throw new IllegalArgumentException("SpecAugment: mask counts and widths must be >= 0, got freq_masks " + freqMasks
                    + ", freq_mask_param " + freqWidth + ", time_masks " + timeMasks + ", time_mask_param " + timeWidth);
        }
        this.freqMasks = freqMasks;
        this.freqWidth = freqWidth;
        this.timeMasks = timeMasks;
        this.timeWidth = timeWidth;
    }

    private SpecAugment(SpecAugment of) {
        super(of);
        freqMasks = of.freqMasks;
        freqWidth = of.freqWidth;
        timeMasks = of.timeMasks;
        timeWidth = of.timeWidth;
    }

    @Override
    protected boolean changes() {
        return freqMasks > 0 && freqWidth > 0 || timeMasks > 0 && timeWidth > 0;
    }

    @Override
    protected void draw(long callSeed) {
        int n = dims[0], f = dims[2], t = dims[3];
        maskedRow = maskedRow != null && maskedRow.length == n * f ? maskedRow : new boolean[n * f];
        maskedFrame = maskedFrame != null && maskedFrame.length == n * t ? maskedFrame : new boolean[n * t];
        java.util.Arrays.fill(maskedRow, false);
        java.util.Arrays.fill(maskedFrame, false);
        for (int i = 0; i < n; i++) {
            long draw = (long) i * (freqMasks + timeMasks) * 2;
            for (int j = 0; j < freqMasks; j++, draw += 2) {
                band(callSeed, draw, freqWidth, f, maskedRow, i * f);
            }
            for (int j = 0; j < timeMasks; j++, draw += 2) {
                band(callSeed, draw, timeWidth, t, maskedFrame, i * t);
            }
        }
    }

    @Override
    protected void map(FloatBuffer in, FloatBuffer out) {
        int n = dims[0], c = dims[1], f = dims[2], t = dims[3];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                double sum = 0;
                for (int r = 0; r < f; r++) {
                    for (int q = 0; q < t; q++) {
                        sum += in.get(at(layout, i, ch, r, q));
                    }
                }
                float mean = (float) (sum / ((double) f * t));
                for (int r = 0; r < f; r++) {
                    for (int q = 0; q < t; q++) {
                        int a = at(layout, i, ch, r, q);
                        out.put(a, masked(i, r, q) ? mean : in.get(a));
                    }
                }
            }
        }
    }

    /** Marks one band of width 0..maxWidth (at most size) at a uniform position among size rows or frames. */
    private static void band(long callSeed, long draw, int maxWidth, int size, boolean[] masked, int offset) {
        int cap = Math.min(maxWidth, size);
        int width = Math.min(cap, (int) (DropoutMask.uniform(callSeed, draw) * (cap + 1)));
        int start = Math.min(size - width, (int) (DropoutMask.uniform(callSeed, draw + 1) * (size - width + 1)));
        for (int k = start; k < start + width; k++) {
            masked[offset + k] = true;
        }
    }

    private boolean masked(int i, int row, int frame) {
        return maskedRow[i * dims[2] + row] || maskedFrame[i * dims[3] + frame];
    }

    @Override
    protected void mapBackward(FloatBuffer g, Layout gl, FloatBuffer gx) {
        int n = dims[0], c = dims[1], f = dims[2], t = dims[3];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                double toMean = 0;
                for (int r = 0; r < f; r++) {
                    for (int q = 0; q < t; q++) {
                        if (masked(i, r, q)) {
                            toMean += g.get(at(gl, i, ch, r, q));
                        }
                    }
                }
                float share = (float) (toMean / ((double) f * t));
                for (int r = 0; r < f; r++) {
                    for (int q = 0; q < t; q++) {
                        gx.put(at(layout, i, ch, r, q), (masked(i, r, q) ? 0 : g.get(at(gl, i, ch, r, q))) + share);
                    }
                }
            }
        }
    }

    public static SpecAugment fromConfig(LayerConfig c) {
        return new SpecAugment(c.integer("freq_masks"), c.integer("freq_mask_param"), c.integer("time_masks"),
                c.integer("time_mask_param"), c.longValue("seed"));
    }

    @Override
    public LayerConfig config() {
        return new LayerConfig("SpecAugment").put("freq_masks", freqMasks).put("freq_mask_param", freqWidth)
                .put("time_masks", timeMasks).put("time_mask_param", timeWidth).put("seed", seed);
    }

    @Override
    protected Module newReplica() {
        return new SpecAugment(this);
    }

    @Override
    public String describe() {
        return "SpecAugment(" + freqMasks + " frequency masks <= " + freqWidth + ", " + timeMasks + " time masks <= " + timeWidth + ")";
    }
}
