package org.cnn4j.audio;

import java.nio.FloatBuffer;
import java.util.Map;
import org.cnn4j.backend.DropoutMask;
import org.cnn4j.nn.LayerConfig;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;

/**
 * SpecAugment's frequency and time masking (Park et al. 2019; torchaudio's FrequencyMasking and
 * TimeMasking) on spectrograms [N, C, F, T], in training only (the identity in evaluation). Each example
 * gets {@code freqMasks} bands of f consecutive frequency rows, f drawn uniformly from 0..{@code freqWidth},
 * and {@code timeMasks} bands of t consecutive frames, t from 0..{@code timeWidth} (both at most the size),
 * each at a uniform position; the same bands cover all its channels. Masked values are set to the mean of
 * that example's channel, the value the paper's zero is on its mean-normalised log-mel features, so a mask
 * looks like neither silence nor a loud band. The backward pass is exact: the gradient is masked, and the
 * masked positions' share reaches every input through the mean.
 * <p>Randomness follows {@link org.cnn4j.nn.Dropout}: the bands of call t are a function of (seed, t,
 * example), and the call counter is saved with the model (buffer {@code calls}), so a run repeats from its
 * seed and resumes from a checkpoint drawing the masks it would have drawn.
 */
public final class SpecAugment extends Module {
    /** Model files hold float32 tensors: the counter is kept as two exact 24-bit halves (good for 2^48 calls). */
    private static final int HALF = 1 << 24;

    private final int freqMasks, freqWidth, timeMasks, timeWidth;
    private final long seed;
    private final Tensor calls;
    private boolean[] maskedRow, maskedFrame; // [N][F], [N][T] of the last training call
    private int[] dims;
    private Layout layout;
    private boolean forwarded, applied;
    private Tensor output, gradInput;

    public SpecAugment(int freqMasks, int freqWidth, int timeMasks, int timeWidth, long seed) {
        if (freqMasks < 0 || freqWidth < 0 || timeMasks < 0 || timeWidth < 0) {
            throw new IllegalArgumentException("SpecAugment: mask counts and widths must be >= 0, got freq_masks " + freqMasks
                    + ", freq_mask_param " + freqWidth + ", time_masks " + timeMasks + ", time_mask_param " + timeWidth);
        }
        this.freqMasks = freqMasks;
        this.freqWidth = freqWidth;
        this.timeMasks = timeMasks;
        this.timeWidth = timeWidth;
        this.seed = seed;
        this.calls = Tensor.zeros(2).detach();
    }

    /** A replica of {@code of}, with its call counter itself. */
    private SpecAugment(SpecAugment of) {
        freqMasks = of.freqMasks;
        freqWidth = of.freqWidth;
        timeMasks = of.timeMasks;
        timeWidth = of.timeWidth;
        seed = of.seed;
        calls = of.calls;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("SpecAugment: input must be spectrograms [N, C, F, T], got " + x.shape());
        }
        forwarded = true;
        applied = isTraining() && (freqMasks > 0 && freqWidth > 0 || timeMasks > 0 && timeWidth > 0);
        if (!applied) {
            return x;
        }
        dims = x.dims();
        layout = x.layout();
        int n = dims[0], c = dims[1], f = dims[2], t = dims[3];
        maskedRow = maskedRow != null && maskedRow.length == n * f ? maskedRow : new boolean[n * f];
        maskedFrame = maskedFrame != null && maskedFrame.length == n * t ? maskedFrame : new boolean[n * t];
        java.util.Arrays.fill(maskedRow, false);
        java.util.Arrays.fill(maskedFrame, false);
        long callSeed = seed * 0x9E3779B97F4A7C15L + nextCall();
        for (int i = 0; i < n; i++) {
            long draw = (long) i * (freqMasks + timeMasks) * 2;
            for (int j = 0; j < freqMasks; j++, draw += 2) {
                band(callSeed, draw, freqWidth, f, maskedRow, i * f);
            }
            for (int j = 0; j < timeMasks; j++, draw += 2) {
                band(callSeed, draw, timeWidth, t, maskedFrame, i * t);
            }
        }
        output = ensure(output, layout, dims);
        FloatBuffer in = x.buffer(), out = output.buffer();
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
        return output;
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

    /** The memory index of element (i, ch, row, frame) of a tensor of this call's shape in layout {@code l}. */
    private int at(Layout l, int i, int ch, int row, int frame) {
        int c = dims[1], f = dims[2], t = dims[3];
        return l == Layout.NHWC ? ((i * f + row) * t + frame) * c + ch : ((i * c + ch) * f + row) * t + frame;
    }

    /** Returns the call counter and advances it. */
    private long nextCall() {
        FloatBuffer c = calls.buffer();
        long t = (long) c.get(1) * HALF + (long) c.get(0);
        c.put(0, (float) ((t + 1) % HALF)).put(1, (float) ((t + 1) / HALF));
        return t;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        requireForward(forwarded);
        if (!needsInputGrad()) {
            return null;
        }
        if (!applied) {
            return gradOutput;
        }
        if (!gradOutput.shape().equals(output.shape())) {
            throw new IllegalArgumentException("SpecAugment: gradient " + gradOutput.shape() + " does not match the output " + output.shape());
        }
        Layout gl = gradOutput.layout();
        gradInput = ensure(gradInput, layout, dims);
        int n = dims[0], c = dims[1], f = dims[2], t = dims[3];
        FloatBuffer g = gradOutput.buffer(), gx = gradInput.buffer();
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
        return gradInput;
    }

    @Override
    protected Map<String, Tensor> ownBuffers() {
        return Map.of("calls", calls);
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
    public int[] outputShape(int[]... in) {
        if (in[0].length != 3) {
            throw new IllegalArgumentException("SpecAugment expects spectrograms [C, F, T], got " + java.util.Arrays.toString(in[0]));
        }
        return in[0].clone();
    }

    @Override
    protected Module newReplica() {
        return new SpecAugment(this);
    }

    @Override
    public String describe() {
        return "SpecAugment(" + freqMasks + " frequency masks <= " + freqWidth + ", " + timeMasks + " time masks <= " + timeWidth + ")";
    }

    @Override
    public void close() {
        super.close();
        release(output, gradInput);
    }
}
