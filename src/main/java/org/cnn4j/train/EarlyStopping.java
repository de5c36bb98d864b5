package org.cnn4j.train;

import java.util.List;

/**
 * Stops training when the validation loss (the training loss when there is no validation set) has not
 * improved by {@code minDelta} for {@code patience} epochs.
 */
public final class EarlyStopping implements Callback {
    private final int patience;
    private final double minDelta;
    private double best = Double.POSITIVE_INFINITY;
    private int waited;

    public EarlyStopping(int patience, double minDelta) {
        if (patience < 1) {
            throw new IllegalArgumentException("early stopping: patience must be >= 1, got " + patience);
        }
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("early stopping: min delta must be finite and >= 0, got " + minDelta);
        }
        this.patience = patience;
        this.minDelta = minDelta;
    }

    /** Catches up with the epochs of a resumed run, so patience counts from where the run stopped. */
    public EarlyStopping replay(List<EpochResult> history) {
        history.forEach(this::afterEpoch);
        return this;
    }

    @Override
    public boolean afterEpoch(EpochResult r) {
        double loss = Double.isNaN(r.validationLoss()) ? r.trainLoss() : r.validationLoss();
        if (loss < best - minDelta) {
            best = loss;
            waited = 0;
            return true;
        }
        return ++waited < patience;
    }
}
