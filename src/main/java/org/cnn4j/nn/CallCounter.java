package org.cnn4j.nn;

import java.nio.FloatBuffer;
import org.cnn4j.tensor.Tensor;

/**
 * The training-call counter of a layer that draws random numbers (dropout, SpecAugment, frequency warping): the
 * draws of call t are a function of (seed, t), and the counter is saved with the model as a buffer, so a run
 * resumed from a checkpoint draws what it would have drawn. Model files hold float32 tensors, so the count is
 * kept as two exact 24-bit halves (good for 2^48 calls).
 */
public final class CallCounter {
    private static final int HALF = 1 << 24;

    private CallCounter() {
    }

    /** A counter at zero, as the buffer a layer saves (no gradient). */
    public static Tensor create() {
        return Tensor.zeros(2).detach();
    }

    /** The seed of this call's draws, a mix of the layer's seed and the count, which it advances. */
    public static long nextCallSeed(long seed, Tensor calls) {
        FloatBuffer c = calls.buffer();
        long t = (long) c.get(1) * HALF + (long) c.get(0);
        c.put(0, (float) ((t + 1) % HALF)).put(1, (float) ((t + 1) / HALF));
        return seed * 0x9E3779B97F4A7C15L + t;
    }
}
