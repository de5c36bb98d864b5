package org.cnn4j.nn;

import java.util.Arrays;
import org.cnn4j.kernels.Elementwise;
import org.cnn4j.tensor.Tensor;

/** The element-wise sum of two or more inputs of one shape: a residual connection. */
public final class Add extends Merge {
    private int inputs;
    private Tensor sum;

    public Add() {
        super(2, Integer.MAX_VALUE);
    }

    @Override
    Tensor merge(Tensor[] in) {
        sum = ensure(sum, in[0].layout(), in[0].dims());
        Elementwise.add(in[0], in[1], sum);
        for (int i = 2; i < in.length; i++) {
            Elementwise.add(sum, in[i], sum);
        }
        inputs = in.length;
        return sum;
    }

    @Override
    boolean forwarded() {
        return inputs > 0;
    }

    /** Each input's gradient is the output's gradient itself (the same tensor, read-only to the caller). */
    @Override
    public Tensor[] backwardInputs(Tensor gradOutput) {
        requireForward(inputs > 0);
        Tensor[] g = new Tensor[inputs];
        Arrays.fill(g, gradOutput);
        return g;
    }

    @Override
    public int[] outputShape(int[]... in) {
        for (int[] s : in) {
            if (!Arrays.equals(s, in[0])) {
                throw new IllegalArgumentException("Add: inputs of different shapes " + Arrays.deepToString(in));
            }
        }
        return in[0].clone();
    }

    @Override
    protected Module newReplica() {
        return new Add();
    }

    @Override
    public String describe() {
        return "Add";
    }

    @Override
    public void close() {
        super.close();
        release(sum);
    }
}
