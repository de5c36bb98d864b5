package org.cnn4j.audio;

import java.nio.FloatBuffer;
import java.util.Map;
import org.cnn4j.nn.CallCounter;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;

/**
 * A random augmentation of spectrograms [N, C, F, T] inside a network ({@link SpecAugment}, {@link FrequencyWarp}):
 * in training, each call draws new randomness for each example and maps the input linearly; in evaluation it is
 * the identity. Randomness follows {@link org.cnn4j.nn.Dropout}: call t's draws are a function of (seed, t,
 * example), and the call counter is saved with the model (buffer {@code calls}), so a run repeats from its seed and
 * resumes from a checkpoint drawing what it would have drawn. Subclasses draw, map and map the gradient back; this
 * class checks shapes, keeps the buffers and knows both layouts.
 */
abstract class SpectrogramAugmentation extends Module {
    protected final long seed;
    private final Tensor calls;
    /** The shape [N, C, F, T] and layout of the last training call's input. */
    protected int[] dims;
    protected Layout layout;
    private boolean forwarded, applied;
    private Tensor output, gradInput;

    protected SpectrogramAugmentation(long seed) {
        this.seed = seed;
        this.calls = CallCounter.create();
    }

    /** A replica of {@code of}, sharing its call counter ({@link Module#newReplica}). */
    protected SpectrogramAugmentation(SpectrogramAugmentation of) {
        seed = of.seed;
        calls = of.calls;
    }

    /** Whether the settings change anything (masks of width 0 or a warp of 0 do not). */
    protected abstract boolean changes();

    /** Draws this call's randomness for {@link #dims}' examples from {@code callSeed}. */
    protected abstract void draw(long callSeed);

    /** out = the map of in, both of {@link #dims} in {@link #layout}. */
    protected abstract void map(FloatBuffer in, FloatBuffer out);

    /** gx = the transposed map of g (laid out in {@code gl}); gx is in {@link #layout}. */
    protected abstract void mapBackward(FloatBuffer g, Layout gl, FloatBuffer gx);

    @Override
    public final Tensor forward(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(typeName() + ": input must be spectrograms [N, C, F, T], got " + x.shape());
        }
        forwarded = true;
        applied = isTraining() && changes();
        if (!applied) {
            return x;
        }
        dims = x.dims();
        layout = x.layout();
        draw(CallCounter.nextCallSeed(seed, calls));
        output = ensure(output, layout, dims);
        map(x.buffer(), output.buffer());
        return output;
    }

    @Override
    public final Tensor backward(Tensor gradOutput) {
        requireForward(forwarded);
        if (!needsInputGrad()) {
            return null;
        }
        if (!applied) {
            return gradOutput;
        }
        if (!gradOutput.shape().equals(output.shape())) {
            throw new IllegalArgumentException(typeName() + ": gradient " + gradOutput.shape() + " does not match the output " + output.shape());
        }
        gradInput = ensure(gradInput, layout, dims);
        mapBackward(gradOutput.buffer(), gradOutput.layout(), gradInput.buffer());
        return gradInput;
    }

    /** The memory index of element (i, ch, row, frame) of a tensor of {@link #dims} in layout {@code l}. */
    protected final int at(Layout l, int i, int ch, int row, int frame) {
        int c = dims[1], f = dims[2], t = dims[3];
        return l == Layout.NHWC ? ((i * f + row) * t + frame) * c + ch : ((i * c + ch) * f + row) * t + frame;
    }

    @Override
    protected Map<String, Tensor> ownBuffers() {
        return Map.of("calls", calls);
    }

    @Override
    public int[] outputShape(int[]... in) {
        if (in[0].length != 3) {
            throw new IllegalArgumentException(typeName() + " expects spectrograms [C, F, T], got " + java.util.Arrays.toString(in[0]));
        }
        return in[0].clone();
    }

    @Override
    public void close() {
        super.close();
        release(output, gradInput);
    }
}
