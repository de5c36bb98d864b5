package org.cnn4j.nn;

import java.util.Map;
import org.cnn4j.kernels.Elementwise;
import org.cnn4j.tensor.Tensor;

/**
 * Inverted dropout: in training, zeroes each element with probability p and scales the rest by
 * 1/(1-p); in evaluation, the identity. The mask of call t is a function of (seed, t, element), so a
 * run is reproducible from its seed on any backend and thread count. The call counter t is saved with
 * the model (buffer {@code calls}), so a run resumed from a checkpoint draws the masks it would have drawn.
 */
public final class Dropout extends Module {
    private final float p;
    private final long seed;
    private final Tensor calls;
    private Tensor mask, output, gradInput;
    private boolean forwarded, applied;

    public Dropout(float p, long seed) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        }
        this.p = p;
        this.seed = seed;
        this.calls = CallCounter.create();
    }

    /** A replica of {@code of}, with its call counter itself ({@link Module#newReplica}). */
    private Dropout(Dropout of) {
        p = of.p;
        seed = of.seed;
        calls = of.calls;
    }

    public float probability() {
        return p;
    }

    public long seed() {
        return seed;
    }

    @Override
    public Tensor forward(Tensor x) {
        forwarded = true;
        applied = isTraining() && p > 0;
        if (!applied) {
            return x;
        }
        mask = ensure(mask, x.layout(), x.dims());
        output = ensure(output, x.layout(), x.dims());
        Elementwise.dropout(p, CallCounter.nextCallSeed(seed, calls), x, mask, output);
        return output;
    }

    @Override
    protected Map<String, Tensor> ownBuffers() {
        return Map.of("calls", calls);
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
        gradInput = ensure(gradInput, gradOutput.layout(), gradOutput.dims());
        Elementwise.multiply(gradOutput, mask, gradInput);
        return gradInput;
    }

    static Dropout fromConfig(LayerConfig c) {
        return new Dropout(c.number("p"), c.longValue("seed"));
    }

    @Override
    public LayerConfig config() {
        return new LayerConfig("Dropout").put("p", p).put("seed", seed);
    }

    @Override
    public int[] outputShape(int[]... in) {
        return in[0].clone();
    }

    @Override
    protected Module newReplica() {
        return new Dropout(this);
    }

    @Override
    public String describe() {
        return "Dropout(" + p + ")";
    }

    @Override
    public void close() {
        super.close();
        release(mask, output, gradInput);
    }
}
