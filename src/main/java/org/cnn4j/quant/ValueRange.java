package org.cnn4j.quant;

/** What calibration concluded about one value: the magnitude its int8 levels cover, and whether it was never negative. */
public record ValueRange(double range, boolean neverNegative) {
    public ValueRange {
        if (!(range >= 0) || Double.isInfinite(range)) {
            throw new IllegalArgumentException("ValueRange: range must be finite and not negative, got " + range);
        }
    }
}
