package org.cnn4j.nn;

import java.util.Arrays;
import org.cnn4j.kernels.Elementwise;
import org.cnn4j.tensor.Tensor;

/** The element-wise sum of two or more inputs of one shape: a residual connection. */
public final class Add extends Module {
    private int inputs;
    private Tensor sum;

    @Override
    public boolean acceptsInputs(int count) {
        return count >= 2;
    }

    @Override
    public String expectedInputs() {
        return "two or more inputs";
    }

    @Override
    public Tensor forward(Tensor input) {
        return forward(new Tensor[] {input});
    }

    @Override
    public Tensor forward(Tensor... in) {
        if (!acceptsInputs(in.length)) {
            throw new IllegalArgumentException("Add: takes " + expectedInputs() + ", got " + in.length);
        }
        sum = ensure(sum, in[0].layout(), in[0].dims());
        Elementwise.add(in[0], in[1], sum);
        for (int i = 2; i < in.length; i++) {
            Elementwise.add(sum, in[i], sum);
        }
        inputs = in.length;
        return sum;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        requireForward(inputs > 0);
        throw new IllegalStateException("Add: has several inputs; call backwardInputs");
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
