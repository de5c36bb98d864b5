package org.cnn4j.train;

/** Called by the {@link Trainer} after every epoch; returning false stops training. */
@FunctionalInterface
public interface Callback {
    boolean afterEpoch(EpochResult result) throws java.io.IOException;
}
