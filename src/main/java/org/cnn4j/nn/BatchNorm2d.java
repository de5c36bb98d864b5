package org.cnn4j.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.kernels.BatchNorm;
import org.cnn4j.tensor.Tensor;

/**
 * Batch normalisation over the channels of [N, C, H, W] (eps 1e-5, momentum 0.1 by default, as
 * PyTorch). Training normalises with the batch statistics and updates the running ones; evaluation
 * uses the running statistics. gamma starts at 1, beta at 0, running mean 0, running variance 1.
 * A frozen batch norm (gamma and beta frozen) runs as in evaluation even in training mode, as Keras
 * does: a frozen pretrained body computes the features it learned, and {@code Trainer.fit}, which puts
 * the whole network in training mode, cannot drift its running statistics.
 * <p>{@link #fusedWithRelu} is this layer and a ReLU after it in one pass over the data (each way), the
 * module the training-time fusion pass puts in place of a batch norm whose only reader is a ReLU;
 * {@link #fusedWithAddRelu} also adds a residual block's shortcut before that ReLU.
 */
public class BatchNorm2d extends Module {
    private final int channels;
    private final float eps, momentum;
    private final Parameter gamma, beta;
    private final Tensor runningMean, runningVar, batchMean, batchVar;
    private final boolean relu, residual;
    private boolean forwardWasTraining;
    private Tensor input, shortcut, output, gradInput, gradShortcut;

    public BatchNorm2d(int channels, float eps, float momentum) {
        if (channels <= 0) {
            throw new IllegalArgumentException("BatchNorm2d: channels must be > 0, got " + channels);
        }
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        relu = false;
        residual = false;
        gamma = new Parameter("gamma", channels);
        beta = new Parameter("beta", channels);
        Init.ones(gamma.value());
        runningMean = Tensor.zeros(channels).detach();
        runningVar = Tensor.zeros(channels).detach().fill(1f);
        batchMean = Tensor.zeros(channels).detach();
        batchVar = Tensor.zeros(channels).detach();
    }

    /**
     * A replica of {@code of}: its configuration, parameters and running statistics themselves, and
     * batch statistics of its own ({@link Module#newReplica}); with a ReLU after it when {@code relu}, and a
     * shortcut added before that when {@code residual}.
     */
    protected BatchNorm2d(BatchNorm2d of, boolean relu, boolean residual) {
        this.relu = relu;
        this.residual = residual;
        channels = of.channels;
        eps = of.eps;
        momentum = of.momentum;
        gamma = of.gamma;
        beta = of.beta;
        runningMean = of.runningMean;
        runningVar = of.runningVar;
        batchMean = Tensor.zeros(channels).detach();
        batchVar = Tensor.zeros(channels).detach();
    }

    public BatchNorm2d(int channels) {
        this(channels, 1e-5f, 0.1f);
    }

    /**
     * relu(this(x)) in one pass each way, on this layer's parameters and running statistics themselves:
     * backward then takes the gradient with respect to the ReLU's output. Closing it frees only its own
     * batch statistics and activations.
     */
    public BatchNorm2d fusedWithRelu() {
        BatchNorm2d f = new BatchNorm2d(this, true, false);
        f.sharesParameters();
        return f;
    }

    /**
     * relu(this(x) + shortcut), a residual block's end, in one pass each way on this layer's parameters and running
     * statistics themselves: it takes (x, shortcut), and its backward takes the gradient after the ReLU and gives
     * both inputs' gradients. Closing it frees only its own batch statistics and activations.
     */
    public BatchNorm2d fusedWithAddRelu() {
        BatchNorm2d f = new BatchNorm2d(this, true, true);
        f.sharesParameters();
        return f;
    }

    static BatchNorm2d fromConfig(LayerConfig c) {
        return new BatchNorm2d(c.integer("channels"), c.number("eps"), c.number("momentum"));
    }

    /** gamma, beta and the two running statistics. */
    static long weightFloats(LayerConfig c) {
        return 4L * Math.max(0, c.integer("channels"));
    }

    /** The 2-D batch norm's config (also what a {@link BatchNorm1d} runs as). */
    @Override
    public LayerConfig config() {
        return new LayerConfig("BatchNorm2d").put("channels", channels).put("eps", eps).put("momentum", momentum);
    }

    @Override
    public int[] outputShape(int[]... in) {
        if (in[0].length != 3 || in[0][0] != channels) {
            throw new IllegalArgumentException("expects [C, H, W] with " + channels + " channels, got " + java.util.Arrays.toString(in[0]));
        }
        if (residual && !java.util.Arrays.equals(in[1], in[0])) {
            throw new IllegalArgumentException("shortcut " + java.util.Arrays.toString(in[1]) + " is not the input's shape "
                    + java.util.Arrays.toString(in[0]));
        }
        return in[0].clone();
    }

    public Parameter gamma() {
        return gamma;
    }

    public Parameter beta() {
        return beta;
    }

    public Tensor runningMean() {
        return runningMean;
    }

    public Tensor runningVar() {
        return runningVar;
    }

    public int channels() {
        return channels;
    }

    public float eps() {
        return eps;
    }

    public float momentum() {
        return momentum;
    }

    @Override
    protected List<Parameter> ownParameters() {
        return List.of(gamma, beta);
    }

    @Override
    protected Map<String, Tensor> ownBuffers() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("running_mean", runningMean);
        m.put("running_var", runningVar);
        return m;
    }

    @Override
    public boolean acceptsInputs(int count) {
        return count == (residual ? 2 : 1);
    }

    @Override
    public String expectedInputs() {
        return residual ? "(input, shortcut)" : "one input";
    }

    @Override
    public Tensor forward(Tensor... in) {
        if (!acceptsInputs(in.length)) {
            throw new IllegalArgumentException(describe() + ": takes " + expectedInputs() + ", got " + in.length);
        }
        if (residual && !java.util.Arrays.equals(in[1].dims(), in[0].dims())) {
            throw new IllegalArgumentException(describe() + ": shortcut " + in[1].shape() + " is not the input's shape " + in[0].shape());
        }
        shortcut = residual ? in[1] : null;
        return normalize(in[0]);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (residual) {
            throw new IllegalArgumentException(describe() + ": takes " + expectedInputs() + ", got one input");
        }
        return normalize(x);
    }

    private Tensor normalize(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != channels) {
            throw new IllegalArgumentException("BatchNorm2d(" + channels + "): input must be [N, " + channels + ", H, W], got " + x.shape());
        }
        input = x;
        output = ensure(output, x.layout(), x.dims());
        // frozen batch norm normalises with its running statistics and leaves them alone, as Keras does: a frozen
        // pretrained body keeps computing the features it learned, whatever the new data's batch statistics
        forwardWasTraining = isTraining() && !isFrozen();
        if (forwardWasTraining) {
            BatchNorm.trainingForward(eps, momentum, x, shortcut, gamma.value(), beta.value(), runningMean, runningVar, output, batchMean,
                    batchVar, relu);
        } else {
            BatchNorm.inferenceForward(eps, x, shortcut, gamma.value(), beta.value(), runningMean, runningVar, output, relu);
        }
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        if (residual) {
            throw new IllegalStateException(describe() + ": has two inputs; its gradients come from backwardInputs");
        }
        return backwardInputs(gradOutput)[0];
    }

    @Override
    public Tensor[] backwardInputs(Tensor gradOutput) {
        requireForward(input != null);
        Tensor gx = needsInputGrad() ? (gradInput = ensure(gradInput, input.layout(), input.dims())) : null;
        Tensor gs = residual && needsInputGrad() ? (gradShortcut = ensure(gradShortcut, shortcut.layout(), shortcut.dims())) : null;
        Tensor gg = gamma.isFrozen() ? null : gamma.grad(), gb = beta.isFrozen() ? null : beta.grad();
        if (gx != null || gs != null || gg != null || gb != null) {
            Tensor mean = forwardWasTraining ? batchMean : runningMean, var = forwardWasTraining ? batchVar : runningVar;
            BatchNorm.backward(eps, forwardWasTraining, input, shortcut, gamma.value(), beta.value(), mean, var, gradOutput, gx, gs, gg, gb,
                    relu);
        }
        return residual ? new Tensor[] {gx, gs} : new Tensor[] {gx};
    }

    @Override
    protected Module newReplica() {
        return new BatchNorm2d(this, relu, residual);
    }

    @Override
    public String describe() {
        return "BatchNorm2d(" + channels + ")" + (residual ? " + shortcut" : "") + (relu ? " + ReLU" : "");
    }

    @Override
    public void close() {
        super.close();
        release(batchMean, batchVar, output, gradInput, gradShortcut);
    }
}
