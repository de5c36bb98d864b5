package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

/**
 * A module that combines several inputs (Add, Concat, Multiply): it checks their count, and its
 * gradients come from {@link #backwardInputs}, one per input, since a single-input backward has no meaning.
 */
abstract class Merge extends Module {
    private final int minInputs, maxInputs;

    /** Takes {@code minInputs} to {@code maxInputs} inputs ({@link Integer#MAX_VALUE}: no upper bound). */
    Merge(int minInputs, int maxInputs) {
        this.minInputs = minInputs;
        this.maxInputs = maxInputs;
    }

    /** The merge itself, on a checked number of inputs. */
    abstract Tensor merge(Tensor[] inputs);

    /** Whether a forward pass has run (so that backwardInputs may). */
    abstract boolean forwarded();

    @Override
    public final boolean acceptsInputs(int count) {
        return count >= minInputs && count <= maxInputs;
    }

    @Override
    public final String expectedInputs() {
        String n = minInputs == 2 ? "two" : Integer.toString(minInputs);
        return n + (maxInputs == minInputs ? " inputs" : " or more inputs");
    }

    @Override
    public final Tensor forward(Tensor input) {
        return forward(new Tensor[] {input});
    }

    @Override
    public final Tensor forward(Tensor... in) {
        if (!acceptsInputs(in.length)) {
            throw new IllegalArgumentException(typeName() + ": takes " + expectedInputs() + ", got " + in.length);
        }
        return merge(in);
    }

    @Override
    public final Tensor backward(Tensor gradOutput) {
        requireForward(forwarded());
        throw new IllegalStateException(typeName() + ": has several inputs; call backwardInputs");
    }
}
