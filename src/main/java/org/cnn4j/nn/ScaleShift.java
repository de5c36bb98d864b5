package org.cnn4j.nn;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnn4j.kernels.Elementwise;
import org.cnn4j.tensor.Tensor;

/**
 * y = x * scale + shift with one fixed scale and shift per channel of [N, C, H, W] or feature of [N, C]:
 * a frozen batch norm (torchvision's FrozenBatchNorm2d), a Keras Normalization layer, or ONNX's Mul, Add,
 * Sub and Div by constants. The two vectors are constants of the model (buffers, saved with it), not trained.
 */
public final class ScaleShift extends Module {
    private final Tensor scale, shift;
    private Tensor output, gradInput;

    public ScaleShift(float[] scale, float[] shift) {
        if (scale.length == 0 || scale.length != shift.length) {
            throw new IllegalArgumentException("ScaleShift: scale and shift need one value per channel each, got " + scale.length
                    + " and " + shift.length);
        }
        this.scale = Tensor.of(scale, scale.length).detach();
        this.shift = Tensor.of(shift, shift.length).detach();
    }

    /** A replica of {@code of}: the same constants, output buffers of its own. */
    private ScaleShift(ScaleShift of) {
        scale = of.scale;
        shift = of.shift;
    }

    static ScaleShift fromConfig(LayerConfig c) {
        int channels = c.integer("channels");
        if (channels <= 0) {
            throw new IllegalArgumentException("ScaleShift: channels must be positive, got " + channels);
        }
        float[] ones = new float[channels];
        Arrays.fill(ones, 1f);
        return new ScaleShift(ones, new float[channels]);
    }

    static long weightFloats(LayerConfig c) {
        return 2L * Math.max(0, c.integer("channels"));
    }

    public int channels() {
        return scale.dim(0);
    }

    @Override
    public LayerConfig config() {
        return new LayerConfig("ScaleShift").put("channels", channels());
    }

    @Override
    protected Map<String, Tensor> ownBuffers() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("scale", scale);
        m.put("shift", shift);
        return m;
    }

    @Override
    public Tensor forward(Tensor x) {
        if ((x.rank() != 2 && x.rank() != 4) || x.dim(1) != channels()) {
            throw new IllegalArgumentException("ScaleShift(" + channels() + "): input must be [N, " + channels() + "] or [N, "
                    + channels() + ", H, W], got " + x.shape());
        }
        output = ensure(output, x.layout(), x.dims());
        Elementwise.channelAffine(x, scale, shift, output);
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        requireForward(output != null);
        if (!needsInputGrad()) {
            return null;
        }
        gradInput = ensure(gradInput, gradOutput.layout(), gradOutput.dims());
        Elementwise.channelAffine(gradOutput, scale, null, gradInput);
        return gradInput;
    }

    @Override
    public int[] outputShape(int[]... in) {
        int[] s = in[0];
        if ((s.length != 1 && s.length != 3) || s[0] != channels()) {
            throw new IllegalArgumentException("ScaleShift(" + channels() + "): expects [" + channels() + "] or [" + channels()
                    + ", H, W], got " + Arrays.toString(s));
        }
        return s.clone();
    }

    @Override
    protected Module newReplica() {
        return new ScaleShift(this);
    }

    @Override
    public String describe() {
        return "ScaleShift(" + channels() + ")";
    }

    @Override
    public void close() {
        super.close();
        release(output, gradInput);
    }
}
