package org.cnn4j.quant;

/**
 * How one value of a quantised network (a node's output, or the input) is stored in int8: q * scale, u8 when it
 * is never negative (after a ReLU), else s8; symmetric, zero point 0.
 */
public record ValueScale(float scale, boolean unsigned) {
    public ValueScale {
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("ValueScale: scale must be positive and finite, got " + scale);
        }
    }

    /** The scale that maps range r onto the type's largest level (255 for u8, 127 for s8); a zero range gets scale 1. */
    public static ValueScale ofRange(double range, boolean unsigned) {
        if (!Double.isFinite(range)) {
            throw new IllegalArgumentException("ValueScale: range must be finite, got " + range);
        }
        return new ValueScale(range <= 0 ? 1f : (float) (range / (unsigned ? 255 : 127)), unsigned);
    }
}
