package org.cnn4j.nn;

import java.util.SplittableRandom;
import org.cnn4j.tensor.Tensor;

/**
 * Weight initialisers, seeded for reproducible runs ({@link #manualSeed}, like torch.manual_seed).
 * Fans: for a convolution weight [K, C/g, kh, kw], fan_in = C/g*kh*kw and fan_out = K*kh*kw; for a
 * linear weight [out, in], fan_in = in and fan_out = out ({@link #fanIn}, {@link #fanOut} read them
 * from the shape, as torch.nn.init does). Layer defaults follow PyTorch: Conv2d and Linear draw weight
 * and bias from U(-1/sqrt(fan_in), 1/sqrt(fan_in)); BatchNorm2d starts at gamma 1, beta 0.
 */
public final class Init {
    /** Which fan a Kaiming initialiser preserves: the forward pass's variance (IN) or the backward pass's (OUT). */
    public enum Fan { IN, OUT }

    private static SplittableRandom generator = new SplittableRandom(0);
    private static final ThreadLocal<Boolean> SKIP_RANDOM = ThreadLocal.withInitial(() -> false);

    private Init() {
    }

    /** fan_in of a weight tensor: dims[1] times the kernel area (all dims after the first two). */
    public static int fanIn(Tensor w) {
        return w.dim(1) * receptiveField(w);
    }

    /** fan_out of a weight tensor: dims[0] times the kernel area. */
    public static int fanOut(Tensor w) {
        return w.dim(0) * receptiveField(w);
    }

    private static int receptiveField(Tensor w) {
        if (w.rank() < 2) {
            throw new IllegalArgumentException("init: fans need a weight of rank >= 2, got " + w.shape());
        }
        int r = 1;
        for (int i = 2; i < w.rank(); i++) {
            r *= w.dim(i);
        }
        return r;
    }

    /** He/Kaiming normal for ReLU with the fan read from the weight's shape (torch's kaiming_normal_). */
    public static void kaimingNormal(Tensor w, Fan fan) {
        kaimingNormal(w, fan == Fan.IN ? fanIn(w) : fanOut(w));
    }

    /** He/Kaiming uniform for ReLU with the fan read from the weight's shape (torch's kaiming_uniform_). */
    public static void kaimingUniform(Tensor w, Fan fan) {
        kaimingUniform(w, fan == Fan.IN ? fanIn(w) : fanOut(w));
    }

    /** Xavier/Glorot normal with both fans read from the weight's shape. */
    public static void xavierNormal(Tensor w) {
        xavierNormal(w, fanIn(w), fanOut(w));
    }

    /** Xavier/Glorot uniform with both fans read from the weight's shape. */
    public static void xavierUniform(Tensor w) {
        xavierUniform(w, fanIn(w), fanOut(w));
    }

    /**
     * Builds something whose random initial weights will never be read, without drawing them: a network
     * about to be overwritten by a model file, or only counted ({@code cnn4j models}). Drawing VGG-16's
     * 138 M values costs seconds; the generator is left untouched, so seeded runs are unaffected.
     */
    public static <T> T withoutRandomValues(java.util.function.Supplier<T> build) {
        boolean before = SKIP_RANDOM.get();
        SKIP_RANDOM.set(true);
        try {
            return build.get();
        } finally {
            SKIP_RANDOM.set(before);
        }
    }

    /** Restarts the generator every initialiser draws from. */
    public static synchronized void manualSeed(long seed) {
        generator = new SplittableRandom(seed);
    }

    /** He/Kaiming normal for ReLU: N(0, 2 / fan). */
    public static void kaimingNormal(Tensor w, int fan) {
        normal(w, Math.sqrt(2.0 / fan));
    }

    /** He/Kaiming uniform for ReLU: U(-b, b) with b = sqrt(6 / fan). */
    public static void kaimingUniform(Tensor w, int fan) {
        uniform(w, Math.sqrt(6.0 / fan));
    }

    /** Xavier/Glorot normal: N(0, 2 / (fan_in + fan_out)). */
    public static void xavierNormal(Tensor w, int fanIn, int fanOut) {
        normal(w, Math.sqrt(2.0 / (fanIn + fanOut)));
    }

    /** Xavier/Glorot uniform: U(-b, b) with b = sqrt(6 / (fan_in + fan_out)). */
    public static void xavierUniform(Tensor w, int fanIn, int fanOut) {
        uniform(w, Math.sqrt(6.0 / (fanIn + fanOut)));
    }

    /** PyTorch's default for Conv2d and Linear weights and biases: U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
    public static void pytorchDefault(Tensor w, int fanIn) {
        uniform(w, 1.0 / Math.sqrt(fanIn));
    }

    public static void constant(Tensor w, float value) {
        w.fill(value);
    }

    public static void zeros(Tensor w) {
        w.fill(0f);
    }

    public static void ones(Tensor w) {
        w.fill(1f);
    }

    public static synchronized void uniform(Tensor w, double bound) {
        if (SKIP_RANDOM.get()) {
            return;
        }
        java.nio.FloatBuffer b = w.buffer();
        for (int i = 0; i < b.limit(); i++) {
            b.put(i, (float) ((generator.nextDouble() * 2 - 1) * bound));
        }
    }

    public static synchronized void normal(Tensor w, double std) {
        if (SKIP_RANDOM.get()) {
            return;
        }
        java.nio.FloatBuffer b = w.buffer();
        for (int i = 0; i < b.limit(); i++) {
            b.put(i, (float) (gaussian() * std));
        }
    }

    private static double gaussian() {
        double u1 = generator.nextDouble(), u2 = generator.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2); // Box-Muller
    }
}
