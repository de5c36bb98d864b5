package org.cnn4j.optim;

import java.nio.FloatBuffer;
import java.util.List;
import org.cnn4j.nn.Parameter;

/**
 * Updates parameters from their gradients. Frozen parameters are skipped. {@link #setLearningRate}
 * lets a schedule change the rate between steps; {@link #clipGradNorm} rescales all gradients when
 * their global L2 norm exceeds a limit.
 */
public abstract class Optimizer implements AutoCloseable {
    protected final List<Parameter> params;
    protected float lr;
    protected int steps;

    protected Optimizer(List<Parameter> params, float lr) {
        if (!(lr >= 0)) {
            throw new IllegalArgumentException("optimizer: learning rate must be >= 0, got " + lr);
        }
        this.params = List.copyOf(params);
        this.lr = lr;
    }

    /** One update of every trainable parameter. */
    public final void step() {
        steps++;
        for (int i = 0; i < params.size(); i++) {
            if (!params.get(i).isFrozen()) {
                update(i, params.get(i));
            }
        }
    }

    protected abstract void update(int index, Parameter p);

    public float learningRate() {
        return lr;
    }

    public void setLearningRate(float lr) {
        if (!(lr >= 0)) {
            throw new IllegalArgumentException("optimizer: learning rate must be >= 0, got " + lr);
        }
        this.lr = lr;
    }

    public int stepCount() {
        return steps;
    }

    /** Scales every trainable gradient by min(1, maxNorm / norm) and returns the norm before clipping. */
    public double clipGradNorm(double maxNorm) {
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
        if (norm > maxNorm && norm > 0) {
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
