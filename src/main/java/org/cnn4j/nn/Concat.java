package org.cnn4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cnn4j.kernels.Elementwise;
import org.cnn4j.tensor.Tensor;

/** The concatenation of two or more [N, C_i, H, W] inputs along channels: an Inception block's merge. */
public final class Concat extends Merge {
    private Tensor[] inputs, grads;
    private Tensor cat;

    public Concat() {
        super(2, Integer.MAX_VALUE);
    }

    @Override
    Tensor merge(Tensor[] in) {
        int channels = 0;
        for (Tensor t : in) {
            if (t.rank() != 4) {
                throw new IllegalArgumentException("Concat: inputs must be [N, C, H, W], got " + t.shape());
            }
            channels += t.dim(1);
        }
        Tensor first = in[0];
        cat = ensure(cat, first.layout(), first.dim(0), channels, first.dim(2), first.dim(3));
        Elementwise.concatChannels(List.of(in), cat);
        inputs = in.clone();
        return cat;
    }

    @Override
    boolean forwarded() {
        return inputs != null;
    }

    /** The output's gradient split by channels, one owned tensor per input position (one node may be concatenated twice). */
    @Override
    public Tensor[] backwardInputs(Tensor gradOutput) {
        requireForward(inputs != null);
        if (grads == null || grads.length != inputs.length) {
            release(grads == null ? new Tensor[0] : grads);
            grads = new Tensor[inputs.length];
        }
        List<Tensor> parts = new ArrayList<>();
        for (int k = 0; k < inputs.length; k++) {
            grads[k] = ensure(grads[k], inputs[k].layout(), inputs[k].dims());
            parts.add(grads[k]);
        }
        Elementwise.splitChannels(gradOutput, parts);
        return grads.clone();
    }

    @Override
    public int[] outputShape(int[]... in) {
        int[] out = in[0].clone();
        for (int[] s : Arrays.asList(in).subList(1, in.length)) {
            if (s.length != 3 || out.length != 3 || s[1] != out[1] || s[2] != out[2]) {
                throw new IllegalArgumentException("Concat: cannot join " + Arrays.deepToString(in) + " along channels");
            }
            out[0] += s[0];
        }
        return out;
    }

    @Override
    protected Module newReplica() {
        return new Concat();
    }

    @Override
    public String describe() {
        return "Concat";
    }

    @Override
    public void close() {
        super.close();
        release(cat);
        if (grads != null) {
            release(grads);
        }
    }
}
