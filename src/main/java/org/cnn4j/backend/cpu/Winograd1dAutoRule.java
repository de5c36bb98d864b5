package org.cnn4j.backend.cpu;

import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvDirection;

/**
 * When AUTO takes a 1-D Winograd algorithm over oneDNN, and which tile size, chosen from
 * {@code cnn4j bench --suite conv1d --direction all} (docs/performance.md, "AUTO's convolution rule": the
 * figures behind each threshold). Only where the measured gain leaves a margin: Winograd saves half the
 * multiplies (F(4,3)) or 56% (F(6,3)) and adds transforms that read and write memory, so it wins where
 * oneDNN's direct kernel is bound by its FMAs, and that holds on Zen 4 (whose 512-bit FMAs run at half
 * Xeon's rate per core, which only makes the saved multiplies worth more) as on Xeon.
 * Lengths are counted on the signal the direction writes (the input for backward-data, else the output).
 */
final class Winograd1dAutoRule {
    /** Fewest channels a side: the layers measured have 32-128; below that the transforms' share grows and it is unmeasured. */
    private static final int MIN_CHANNELS = 32;
    /** Backward-weights wins only with 64 channels a side and this many output positions in the batch (0.72-0.95x at 32). */
    private static final int MIN_WEIGHT_GRADIENT_CHANNELS = 64;
    private static final long MIN_WEIGHT_GRADIENT_POSITIONS = 1024;
    /** F(6,3) over F(4,3) only with this many tiles of 6 and signals of at least 24 samples (at L = 7 a third of its tile is padding). */
    private static final long MIN_F6_TILES = 256;
    private static final int MIN_F6_LENGTH = 24;

    private Winograd1dAutoRule() {
    }

    /** Whether a 1-D Winograd algorithm beats oneDNN on this shape (which one: {@link #prefersF6}). */
    static boolean pays(ConvDirection direction, Conv2dSpec spec) {
        if (direction == ConvDirection.BACKWARD_WEIGHTS) {
            return spec.c() >= MIN_WEIGHT_GRADIENT_CHANNELS && spec.k() >= MIN_WEIGHT_GRADIENT_CHANNELS
                    && (long) spec.n() * spec.outW() >= MIN_WEIGHT_GRADIENT_POSITIONS;
        }
        return spec.c() >= MIN_CHANNELS && spec.k() >= MIN_CHANNELS;
    }

    /**
     * Whether F(6,3) beats F(4,3): long signals and, forward and backward-weights, plenty of tiles (a batch for
     * training, not batch-1 inference); backward-data's F(4,3) lost at batch 1 and L = 62 (0.95x, F(6,3) 1.09x).
     */
    static boolean prefersF6(ConvDirection direction, Conv2dSpec spec) {
        if (direction == ConvDirection.BACKWARD_DATA) {
            return spec.w() >= MIN_F6_LENGTH;
        }
        return spec.outW() >= MIN_F6_LENGTH && (long) spec.n() * ((spec.outW() + 5) / 6) >= MIN_F6_TILES;
    }

    static boolean takesF6(ConvDirection direction, Conv2dSpec spec) {
        return pays(direction, spec) && prefersF6(direction, spec);
    }

    static boolean takesF4(ConvDirection direction, Conv2dSpec spec) {
        return pays(direction, spec) && !prefersF6(direction, spec);
    }
}
