package org.cnn4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cnn4j.kernels.Elementwise;
import org.cnn4j.tensor.Tensor;

/**
 * Channels [start, end) of [N, C, H, W]: one part of a split, as ShuffleNetV2's {@code x.chunk(2, dim=1)}
 * (ONNX's Slice or Split on axis 1). It runs on the channel split and concatenation kernels; its gradient
 * is the output's gradient in those channels and zero in the others.
 */
public final class ChannelSlice extends Module {
    private final int start, end;
    private Tensor output, before, after, gradInput;

    public ChannelSlice(int start, int end) {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("ChannelSlice: needs 0 <= start < end, got start=" + start + " end=" + end);
        }
        this.start = start;
        this.end = end;
    }

    @Override
    public LayerConfig config() {
        return new LayerConfig("ChannelSlice").put("start", start).put("end", end);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) < end) {
            throw new IllegalArgumentException("ChannelSlice(" + start + ", " + end + "): input must be [N, C, H, W] with at least " + end
                    + " channels, got " + x.shape());
        }
        output = ensure(output, x.layout(), x.dim(0), end - start, x.dim(2), x.dim(3));
        before = start == 0 ? null : ensure(before, x.layout(), x.dim(0), start, x.dim(2), x.dim(3));
        after = end == x.dim(1) ? null : ensure(after, x.layout(), x.dim(0), x.dim(1) - end, x.dim(2), x.dim(3));
        Elementwise.splitChannels(x, parts(output));
        return output;
    }

    /** before, {@code middle} and after, without the empty ones. */
    private List<Tensor> parts(Tensor middle) {
        List<Tensor> p = new ArrayList<>();
        if (before != null) {
            p.add(before);
        }
        p.add(middle);
        if (after != null) {
            p.add(after);
        }
        return p;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        requireForward(output != null);
        if (!needsInputGrad()) {
            return null;
        }
        int channels = end + (after == null ? 0 : after.dim(1));
        gradInput = ensure(gradInput, gradOutput.layout(), gradOutput.dim(0), channels, gradOutput.dim(2), gradOutput.dim(3));
        for (Tensor t : new Tensor[] {before, after}) {
            if (t != null) {
                t.zero();
            }
        }
        Elementwise.concatChannels(parts(gradOutput), gradInput);
        return gradInput;
    }

    @Override
    public int[] outputShape(int[]... in) {
        int[] s = in[0];
        if (s.length != 3 || s[0] < end) {
            throw new IllegalArgumentException("ChannelSlice(" + start + ", " + end + "): expects [C, H, W] with at least " + end
                    + " channels, got " + Arrays.toString(s));
        }
        return new int[] {end - start, s[1], s[2]};
    }

    @Override
    protected Module newReplica() {
        return new ChannelSlice(start, end);
    }

    @Override
    public String describe() {
        return "ChannelSlice(" + start + ", " + end + ")";
    }

    @Override
    public void close() {
        super.close();
        release(output, before, after, gradInput);
    }
}
