package org.cnn4j.optim;

/**
 * A learning rate as a function of the epoch (from 0) and the fraction of it done: constant,
 * step decay, cosine annealing, each optionally after a linear warm-up.
 */
@FunctionalInterface
public interface LrSchedule {

    /** The learning rate at {@code epoch + progress} (progress in [0, 1)). */
    float at(int epoch, double progress);

    static LrSchedule constant(float lr) {
        checkRate("constant schedule: lr", lr);
        return (e, p) -> lr;
    }

    /** lr * gamma^(floor(epoch / stepSize)), torch's StepLR. */
    static LrSchedule step(float lr, int stepSize, float gamma) {
        checkRate("step schedule: lr", lr);
        if (stepSize <= 0) {
            throw new IllegalArgumentException("step schedule: step size must be > 0, got " + stepSize);
        }
        if (!(gamma > 0) || Float.isInfinite(gamma)) {
            throw new IllegalArgumentException("step schedule: gamma must be finite and > 0, got " + gamma);
        }
        return (e, p) -> (float) (lr * Math.pow(gamma, e / stepSize));
    }

    /** Cosine annealing from lr to minLr over {@code epochs}. */
    static LrSchedule cosine(float lr, float minLr, int epochs) {
        checkRate("cosine schedule: lr", lr);
        checkRate("cosine schedule: min lr", minLr);
        if (epochs <= 0) {
            throw new IllegalArgumentException("cosine schedule: epochs must be > 0, got " + epochs);
        }
        return (e, p) -> (float) (minLr + (lr - minLr) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, (e + p) / epochs))));
    }

    /** Rises linearly from 0 over {@code warmupEpochs}, then follows this schedule. */
    default LrSchedule withWarmup(double warmupEpochs) {
        if (!(warmupEpochs >= 0) || Double.isInfinite(warmupEpochs)) {
            throw new IllegalArgumentException("warm-up: epochs must be finite and >= 0, got " + warmupEpochs);
        }
        return (e, p) -> {
            double t = e + p;
            return t < warmupEpochs ? (float) (at(e, p) * (t + 1e-9) / warmupEpochs) : at(e, p);
        };
    }

    /** A learning rate: finite and >= 0 (NaN or infinity would ruin the weights at the first step). */
    private static void checkRate(String what, float lr) {
        if (!(lr >= 0) || Float.isInfinite(lr)) {
            throw new IllegalArgumentException(what + " must be finite and >= 0, got " + lr);
        }
    }
}
