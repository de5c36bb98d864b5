package org.cnn4j.backend;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which of a convolution's three computations runs: the output from the input ({@link #FORWARD}), the input's
 * gradient from the output's ({@link #BACKWARD_DATA}) or the weights' gradient ({@link #BACKWARD_WEIGHTS}).
 * An algorithm is chosen per direction, and {@link #key()} is the direction's name in autotune files and in
 * {@code cnn4j bench --direction}.
 */
public enum ConvDirection {
    FORWARD,
    BACKWARD_DATA,
    BACKWARD_WEIGHTS;

    /** "forward", "backward_data" or "backward_weights". */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The direction whose {@link #key()} is {@code key} (case and '-' for '_' do not matter). */
    public static ConvDirection parse(String key) {
        for (ConvDirection d : values()) {
            if (d.key().equals(key.trim().toLowerCase(Locale.ROOT).replace('-', '_'))) {
                return d;
            }
        }
        throw new IllegalArgumentException("conv2d: unknown direction '" + key + "' (expected one of "
                + Arrays.stream(values()).map(ConvDirection::key).toList() + ")");
    }
}
