package org.cnn4j.nn;

import java.nio.FloatBuffer;
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
    /** Model files hold float32 tensors: the counter is kept as two exact 24-bit halves (good for 2^48 calls). */
    private static final int HALF = 1 << 24;

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
        this.calls = Tensor.zeros(2).detach();
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
        Elementwise.dropout(p, seed * 0x9E3779B97F4A7C15L + nextCall(), x, mask, output);
        return output;
    }

    /** Returns the call counter and advances it. */
    private long nextCall() {
        FloatBuffer c = calls.buffer();
        long t = (long) c.get(1) * HALF + (long) c.get(0);
        c.put(0, (float) ((t + 1) % HALF)).put(1, (float) ((t + 1) / HALF));
        return t;
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
