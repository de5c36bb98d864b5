package org.cnn4j.optim;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import org.cnn4j.kernels.Elementwise;
import org.cnn4j.nn.Parameter;
import org.cnn4j.tensor.Tensor;

/**
 * Updates parameters from their gradients. Frozen parameters are skipped. {@link #setLearningRate}
 * lets a schedule change the rate between steps; {@link #clipGradNorm} rescales all gradients when
 * their global L2 norm exceeds a limit. {@link #state} and {@link #stepCounts} expose what the
 * optimiser carries between steps, so a checkpoint can restore it and a resumed run continues exactly.
 * {@link #scaleLearningRate} gives some parameters a fraction of the rate (like PyTorch's parameter
 * groups), e.g. a pretrained body fine-tuned ten times slower than a new head.
 */
public abstract class Optimizer implements AutoCloseable {
    protected final List<Parameter> params;
    protected float lr;
    private int steps;
    /** Updates each parameter has had: frozen ones skip steps, and bias corrections count per parameter. */
    private final int[] parameterSteps;
    private final float[] rateScales;

    protected Optimizer(List<Parameter> params, float lr) {
        checkLearningRate(lr);
        this.params = List.copyOf(params);
        this.lr = lr;
        this.parameterSteps = new int[this.params.size()];
        this.rateScales = new float[this.params.size()];
        java.util.Arrays.fill(rateScales, 1f);
    }

    /** Multiplies the learning rate of {@code which} (parameters of this optimiser) by {@code scale} from now on. */
    public Optimizer scaleLearningRate(java.util.Collection<Parameter> which, float scale) {
        if (!(scale >= 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("optimizer: learning-rate scale must be >= 0 and finite, got " + scale);
        }
        for (Parameter p : which) {
            int i = params.indexOf(p);
            if (i < 0) {
                throw new IllegalArgumentException("optimizer: parameter '" + p.name() + "' is not one this optimizer updates");
            }
            rateScales[i] = scale;
        }
        return this;
    }

    /** The learning rate of parameter {@code index}: the current rate times its scale. */
    protected float rate(int index) {
        return lr * rateScales[index];
    }

    /** One update of every trainable parameter. */
    public final void step() {
        steps++;
        for (int i = 0; i < params.size(); i++) {
            if (!params.get(i).isFrozen()) {
                update(i, params.get(i), ++parameterSteps[i]);
            }
        }
    }

    /** Updates parameter {@code index}, for the {@code step}-th time (counting from 1). */
    protected abstract void update(int index, Parameter p, int step);

    /** A short name of the update rule and its variant ("adam", "adamw", "sgd"), checked when state is restored. */
    public abstract String kind();

    /**
     * The tensors carried between steps (momentum buffers, Adam's moments), named
     * {@code <parameter index>.<what>}; a checkpoint saves them and copies them back before resuming.
     */
    public abstract Map<String, Tensor> state();

    /** {total steps, then the update count of each parameter}. */
    public int[] stepCounts() {
        int[] out = new int[params.size() + 1];
        out[0] = steps;
        System.arraycopy(parameterSteps, 0, out, 1, params.size());
        return out;
    }

    /** Restores what {@link #stepCounts} returned (the state tensors are restored by copying into {@link #state}). */
    public void restoreStepCounts(int[] counts) {
        if (counts.length != params.size() + 1) {
            throw new IllegalArgumentException("optimizer: " + (counts.length - 1) + " step counts for " + params.size() + " parameters");
        }
        steps = counts[0];
        System.arraycopy(counts, 1, parameterSteps, 0, params.size());
    }

    public float learningRate() {
        return lr;
    }

    public void setLearningRate(float lr) {
        checkLearningRate(lr);
        this.lr = lr;
    }

    /** 0 is allowed (no updates, e.g. to evaluate through a trainer); NaN and infinities would ruin the weights. */
    private static void checkLearningRate(float lr) {
        if (!(lr >= 0) || Float.isInfinite(lr)) {
            throw new IllegalArgumentException("optimizer: learning rate must be finite and >= 0, got " + lr);
        }
    }

    public int stepCount() {
        return steps;
    }

    /** The first trainable parameter whose gradient holds a NaN or an infinity, or null: one native pass. */
    public Parameter nonFiniteGradient() {
        for (Parameter p : params) {
            if (!p.isFrozen() && Elementwise.countNonFinite(p.grad()) > 0) {
                return p;
            }
        }
        return null;
    }

    /**
     * Scales every trainable gradient by min(1, maxNorm / norm) and returns the norm before clipping. A
     * norm that is not finite leaves the gradients as they are (scaling by maxNorm / infinity would zero
     * them and hide the fault): see {@link #nonFiniteGradient}.
     */
    public double clipGradNorm(double maxNorm) {
        if (!(maxNorm > 0)) { // a negative one would turn descent into ascent
            throw new IllegalArgumentException("optimizer: max gradient norm must be > 0, got " + maxNorm);
        }
        double sq = 0;
        for (Parameter p : params) {
            if (!p.isFrozen()) {
                FloatBuffer g = p.grad().buffer();
                for (int i = 0; i < g.limit(); i++) {
                    sq += (double) g.get(i) * g.get(i);
                }
            }
        }
        double norm = Math.sqrt(sq);
        if (norm > maxNorm && Double.isFinite(norm)) {
            float scale = (float) (maxNorm / norm);
            for (Parameter p : params) {
                if (!p.isFrozen()) {
                    FloatBuffer g = p.grad().buffer();
                    for (int i = 0; i < g.limit(); i++) {
                        g.put(i, g.get(i) * scale);
                    }
                }
            }
        }
        return norm;
    }

    @Override
    public void close() {
    }
}
