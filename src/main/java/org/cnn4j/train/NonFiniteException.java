package org.cnn4j.train;

/**
 * Training stopped because the loss or a gradient became NaN or infinite: the step is named (epoch and
 * batch, or the step count) and so is what was not finite. It is thrown before the optimiser updates
 * the weights with it: a NaN from here on would only spread.
 */
public final class NonFiniteException extends IllegalStateException {
    public NonFiniteException(String where, String what) {
        super("training stopped at " + where + ": " + what + " (check the data and the learning rate, or clip gradients); "
                + "this step did not update the weights");
    }
}
