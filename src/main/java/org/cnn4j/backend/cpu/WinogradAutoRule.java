package org.cnn4j.backend.cpu;

import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvDirection;

/**
 * When AUTO takes a Winograd algorithm over oneDNN, and which tile size, chosen from {@code cnn4j bench}
 * on Xeon and Zen 4 (the measurements behind each threshold: docs/performance.md, "AUTO's convolution rule").
 * Tiles are counted on the image the direction writes (the input for backward-data, else the output), and
 * channels from its input side to its output side.
 */
final class WinogradAutoRule {
    /** Above this many bytes of transformed filter per 4x4 tile, reading the filter bounds F(4x4)'s time. */
    private static final double MAX_F4X4_FILTER_BYTES_PER_TILE = 1 << 20;

    private WinogradAutoRule() {
    }

    /**
     * Whether Winograd beats oneDNN: at least 16 input and output channels (for backward-weights, 32 on one
     * side as well) and at least 16 output tiles of 2x2 in the batch.
     */
    static boolean pays(ConvDirection direction, Conv2dSpec spec) {
        boolean wide = spec.c() >= 32 || spec.k() >= 32;
        return spec.c() >= 16 && spec.k() >= 16 && (wide || direction != ConvDirection.BACKWARD_WEIGHTS)
                && smallTiles(direction, spec) >= 16;
    }

    /**
     * Whether F(2x2,3x3) beats F(4x4,3x3): with fewer than 16 tiles of 4x4, or when F(4x4)'s transformed
     * filter (4x the weights, in panels of 16 input by 32 output channels) exceeds 1 MiB per tile.
     */
    static boolean prefersSmallTiles(ConvDirection direction, Conv2dSpec spec) {
        boolean data = direction == ConvDirection.BACKWARD_DATA;
        int in = data ? spec.k() : spec.c(), out = data ? spec.c() : spec.k();
        long tiles = largeTiles(direction, spec);
        double filterBytesPerTile = 36.0 * roundUp(in, 16) * roundUp(out, 32) * Float.BYTES / tiles;
        return tiles < 16 || filterBytesPerTile > MAX_F4X4_FILTER_BYTES_PER_TILE;
    }

    private static long largeTiles(ConvDirection direction, Conv2dSpec spec) {
        boolean data = direction == ConvDirection.BACKWARD_DATA;
        int h = data ? spec.h() : spec.outH(), w = data ? spec.w() : spec.outW();
        return (long) spec.n() * ((h + 3) / 4) * ((w + 3) / 4);
    }

    private static long smallTiles(ConvDirection direction, Conv2dSpec spec) {
        boolean data = direction == ConvDirection.BACKWARD_DATA;
        int h = data ? spec.h() : spec.outH(), w = data ? spec.w() : spec.outW();
        return (long) spec.n() * ((h + 1) / 2) * ((w + 1) / 2);
    }

    private static long roundUp(int x, int to) {
        return (x + to - 1L) / to * to;
    }
}
