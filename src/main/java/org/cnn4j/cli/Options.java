package org.cnn4j.cli;

/**
 * Range checks of option values, run before a command does any work. Each failure is an
 * {@link IllegalArgumentException} whose message names the option and the value (the command line
 * prints it as one line and exits with 2); NaN and the infinities fail every real-valued check.
 */
final class Options {
    private Options() {
    }

    /** A count of at least {@code min}, e.g. {@code atLeast("--epochs", epochs, 1)}. */
    static void atLeast(String option, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be >= " + min + ", got " + value);
        }
    }

    static void between(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    /** A finite number > 0, e.g. a learning rate. */
    static void positive(String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(option + " must be a finite number > 0, got " + shown(value));
        }
    }

    /** A finite number >= 0, e.g. a weight decay. */
    static void nonNegative(String option, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(option + " must be a finite number >= 0, got " + shown(value));
        }
    }

    /** A number in [0, 1), e.g. a momentum. */
    static void fraction(String option, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(option + " must be >= 0 and < 1, got " + shown(value));
        }
    }

    /** The value as the user typed it: a float option's -0.1 is not shown as -0.10000000149011612. */
    private static String shown(double value) {
        return (double) (float) value == value ? Float.toString((float) value) : Double.toString(value);
    }
}
