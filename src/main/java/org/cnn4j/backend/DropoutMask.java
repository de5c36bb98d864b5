package org.cnn4j.backend;

/**
 * The counter-based random draw behind dropout: whether element {@code index} is kept depends only
 * on (seed, index), never on thread scheduling, so every backend and thread count draws the same mask.
 * The hash is SplitMix64's finaliser; native kernels implement the same function.
 */
public final class DropoutMask {
    private DropoutMask() {
    }

    /** True when element {@code index} survives dropout with drop probability {@code p}. */
    public static boolean keep(long seed, long index, float p) {
        return uniform(seed, index) >= p;
    }

    /** A uniform value in [0, 1) from the top 24 bits of the hash of (seed, index). */
    public static float uniform(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 40) * 0x1.0p-24f;
    }
}
