package org.cnn4j.nn;

import java.util.Arrays;
import org.cnn4j.kernels.Elementwise;
import org.cnn4j.tensor.Tensor;

/**
 * ShuffleNet's channel shuffle (PyTorch's {@code nn.ChannelShuffle}): the channels of [N, C, H, W], seen
 * as [groups, C / groups], transposed, so that each group of the next grouped convolution reads from
 * every group of the last. ONNX writes it as a Reshape, a Transpose and a Reshape. Its gradient is the
 * inverse shuffle, with C / groups groups.
 */
public final class ChannelShuffle extends Module {
    private final int groups;
    private Tensor output, gradInput;

    public ChannelShuffle(int groups) {
        if (groups <= 0) {
            throw new IllegalArgumentException("ChannelShuffle: groups must be positive, got " + groups);
        }
        this.groups = groups;
    }

    public int groups() {
        return groups;
    }

    @Override
    public LayerConfig config() {
        return new LayerConfig("ChannelShuffle").put("groups", groups);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) % groups != 0) {
            throw new IllegalArgumentException("ChannelShuffle(" + groups + "): input must be [N, C, H, W] with C a multiple of "
                    + groups + ", got " + x.shape());
        }
        output = ensure(output, x.layout(), x.dims());
        Elementwise.channelShuffle(groups, x, output);
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        requireForward(output != null);
        if (!needsInputGrad()) {
            return null;
        }
        gradInput = ensure(gradInput, gradOutput.layout(), gradOutput.dims());
        Elementwise.channelShuffle(gradOutput.dim(1) / groups, gradOutput, gradInput);
        return gradInput;
    }

    @Override
    public int[] outputShape(int[]... in) {
        int[] s = in[0];
        if (s.length != 3 || s[0] % groups != 0) {
            throw new IllegalArgumentException("ChannelShuffle(" + groups + "): expects [C, H, W] with C a multiple of " + groups
                    + ", got " + Arrays.toString(s));
        }
        return s.clone();
    }

    @Override
    protected Module newReplica() {
        return new ChannelShuffle(groups);
    }

    @Override
    public String describe() {
        return "ChannelShuffle(" + groups + ")";
    }

    @Override
    public void close() {
        super.close();
        release(output, gradInput);
    }
}
