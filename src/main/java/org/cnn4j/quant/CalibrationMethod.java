package org.cnn4j.quant;

/**
 * How calibration turns the activations it observed into each value's quantisation range [0 or -r, r]:
 * {@link #MINMAX} takes the largest magnitude seen (nothing clips, but one outlier coarsens every other
 * value's quantum); {@link #PERCENTILE} takes the 99.99th percentile of the magnitudes (the rare outliers
 * saturate, the rest get a finer quantum).
 */
public enum CalibrationMethod {
    MINMAX, PERCENTILE;

    /** The fraction of observed magnitudes a {@link #PERCENTILE} range covers. */
    public static final double PERCENTILE_COVERED = 0.9999;
}
