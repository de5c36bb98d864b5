package org.cnn4j.golden;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnn4j.backend.Activation;
import org.cnn4j.backend.AdamSpec;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.backend.SgdSpec;
import org.cnn4j.kernels.Activations;
import org.cnn4j.kernels.BatchNorm;
import org.cnn4j.kernels.Convolution;
import org.cnn4j.kernels.Linear;
import org.cnn4j.kernels.Loss;
import org.cnn4j.kernels.Optimizers;
import org.cnn4j.kernels.Pooling;
import org.cnn4j.tensor.Tensor;

/**
 * Computes a golden case's outputs with the op API ({@code kernels}) on the active backend. Every
 * tensor made here belongs to the caller's {@link org.cnn4j.tensor.TensorScope}.
 */
final class GoldenOps {
    private GoldenOps() {
    }

    /** Reads a case's tensor by name: as stored, or (1-D cases) viewed as the 2-D op's operand. */
    @FunctionalInterface
    interface Tensors {
        Tensor get(String name) throws IOException;
    }

    static Map<String, Tensor> run(GoldenCase c) throws IOException {
        if (GoldenSignalOps.handles(c.op())) {
            return GoldenSignalOps.run(c);
        }
        return switch (c.op()) {
            case "conv2d_forward", "conv2d_backward" -> conv(convSpec(c), c::tensor, c.flag("bias", false), c.op().equals("conv2d_backward"));
            case "maxpool2d" -> pool(poolSpec(c, Pool2dSpec.Kind.MAX), c::tensor);
            case "avgpool2d" -> pool(poolSpec(c, Pool2dSpec.Kind.AVG), c::tensor);
            case "global_avgpool2d" -> globalAvgPool(c::tensor);
            case "batchnorm2d_train" -> batchNormTrain(c, c::tensor);
            case "batchnorm2d_eval" -> batchNormEval(c, c::tensor);
            case "relu" -> relu(c);
            case "softmax_cross_entropy" -> softmaxCrossEntropy(c);
            case "linear" -> linear(c);
            case "sgd" -> sgd(c);
            case "adam", "adamw" -> adam(c);
            case "network_forward_eval" -> GoldenNetworks.forward(c);
            case "resnet_basic_block_eval" -> GoldenNetworks.basicBlock(c);
            default -> throw new UnsupportedOperationException("unknown op '" + c.op() + "'");
        };
    }

    static Conv2dSpec convSpec(GoldenCase c) {
        int[] k = c.pair("kernel"), s = c.pair("stride"), p = c.pair("padding"), d = c.pair("dilation");
        return new Conv2dSpec(c.integer("N"), c.integer("C"), c.integer("H"), c.integer("W"), c.integer("K"), k[0], k[1],
                s[0], s[1], p[0], p[0], p[1], p[1], d[0], d[1], c.integer("groups"));
    }

    /** The convolution forward and, for a backward case, its gradients for the case's grad_output. */
    static Map<String, Tensor> conv(Conv2dSpec spec, Tensors t, boolean bias, boolean backward) throws IOException {
        Tensor x = t.get("input"), w = t.get("weight");
        Tensor b = bias ? t.get("bias") : null;
        Map<String, Tensor> out = new LinkedHashMap<>();
        Tensor y = Tensor.zeros(spec.outputDims());
        Convolution.forward(spec, x, w, b, y);
        out.put("output", y);
        if (backward) {
            Tensor gy = t.get("grad_output");
            Tensor gx = Tensor.zeros(spec.inputDims()), gw = Tensor.zeros(spec.weightDims());
            Tensor gb = b == null ? null : Tensor.zeros(spec.k());
            Convolution.backwardData(spec, gy, w, gx);
            Convolution.backwardWeights(spec, x, gy, gw, gb);
            out.put("grad_input", gx);
            out.put("grad_weight", gw);
            if (gb != null) {
                out.put("grad_bias", gb);
            }
        }
        return out;
    }

    private static Pool2dSpec poolSpec(GoldenCase c, Pool2dSpec.Kind kind) {
        int[] k = c.pair("kernel"), s = c.pair("stride"), p = c.pair("padding");
        return new Pool2dSpec(kind, c.integer("N"), c.integer("C"), c.integer("H"), c.integer("W"), k[0], k[1], s[0], s[1],
                p[0], p[1], c.flag("ceil_mode", false), c.flag("count_include_pad", true));
    }

    static Map<String, Tensor> pool(Pool2dSpec spec, Tensors t) throws IOException {
        Tensor x = t.get("input"), gy = t.get("grad_output");
        Tensor y = Tensor.zeros(spec.outputDims()), gx = Tensor.zeros(spec.inputDims());
        Pooling.forward(spec, x, y);
        Pooling.backward(spec, x, gy, gx);
        return Map.of("output", y, "grad_input", gx);
    }

    static Map<String, Tensor> globalAvgPool(Tensors t) throws IOException {
        Tensor x = t.get("input"), gy = t.get("grad_output");
        Tensor y = Tensor.zeros(x.dim(0), x.dim(1), 1, 1), gx = Tensor.zeros(x.dims());
        Pooling.globalAvgForward(x, y);
        Pooling.globalAvgBackward(gy, gx);
        return Map.of("output", y, "grad_input", gx);
    }

    static Map<String, Tensor> batchNormTrain(GoldenCase c, Tensors t) throws IOException {
        float eps = (float) c.number("eps"), momentum = (float) c.number("momentum");
        Tensor x = t.get("input"), gamma = t.get("gamma"), beta = t.get("beta");
        Tensor rm = t.get("running_mean"), rv = t.get("running_var"), gy = t.get("grad_output");
        int ch = x.dim(1);
        Tensor y = Tensor.zeros(x.dims()), mean = Tensor.zeros(ch), var = Tensor.zeros(ch);
        BatchNorm.trainingForward(eps, momentum, x, gamma, beta, rm, rv, y, mean, var);
        Tensor gx = Tensor.zeros(x.dims()), gg = Tensor.zeros(ch), gb = Tensor.zeros(ch);
        BatchNorm.backward(eps, true, x, gamma, mean, var, gy, gx, gg, gb);
        return Map.of("output", y, "batch_mean", mean, "batch_var", var, "running_mean_out", rm, "running_var_out", rv,
                "grad_input", gx, "grad_gamma", gg, "grad_beta", gb);
    }

    static Map<String, Tensor> batchNormEval(GoldenCase c, Tensors t) throws IOException {
        float eps = (float) c.number("eps");
        Tensor x = t.get("input"), gamma = t.get("gamma"), beta = t.get("beta");
        Tensor rm = t.get("running_mean"), rv = t.get("running_var"), gy = t.get("grad_output");
        int ch = x.dim(1);
        Tensor y = Tensor.zeros(x.dims()), gx = Tensor.zeros(x.dims()), gg = Tensor.zeros(ch), gb = Tensor.zeros(ch);
        BatchNorm.inferenceForward(eps, x, gamma, beta, rm, rv, y);
        BatchNorm.backward(eps, false, x, gamma, rm, rv, gy, gx, gg, gb);
        return Map.of("output", y, "grad_input", gx, "grad_gamma", gg, "grad_beta", gb);
    }

    private static Map<String, Tensor> relu(GoldenCase c) throws IOException {
        Tensor x = c.tensor("input"), gy = c.tensor("grad_output");
        Tensor y = Tensor.zeros(x.dims()), gx = Tensor.zeros(x.dims());
        Activations.forward(Activation.RELU, x, y);
        Activations.backward(Activation.RELU, x, y, gy, gx);
        return Map.of("output", y, "grad_input", gx);
    }

    private static Map<String, Tensor> softmaxCrossEntropy(GoldenCase c) throws IOException {
        if (!c.json().path("reduction").asText("mean").equals("mean")) {
            throw new UnsupportedOperationException("reduction " + c.json().path("reduction").asText() + " (only mean)");
        }
        Tensor z = c.tensor("logits"), t = c.tensor("target");
        Tensor p = Tensor.zeros(z.dims()), g = Tensor.zeros(z.dims());
        double loss = Loss.softmaxCrossEntropy(z, t, p, g);
        return Map.of("loss", Tensor.of(new float[] {(float) loss}, 1), "probs", p, "grad_logits", g);
    }

    private static Map<String, Tensor> linear(GoldenCase c) throws IOException {
        Tensor x = c.tensor("input"), w = c.tensor("weight"), b = c.tensor("bias"), gy = c.tensor("grad_output");
        Tensor y = Tensor.zeros(x.dim(0), w.dim(0));
        Tensor gx = Tensor.zeros(x.dims()), gw = Tensor.zeros(w.dims()), gb = Tensor.zeros(b.dims());
        Linear.forward(x, w, b, y);
        Linear.backward(x, w, gy, gx, gw, gb);
        return Map.of("output", y, "grad_input", gx, "grad_weight", gw, "grad_bias", gb);
    }

    private static Map<String, Tensor> sgd(GoldenCase c) throws IOException {
        SgdSpec spec = new SgdSpec((float) c.number("lr"), (float) c.number("momentum"), (float) c.number("dampening"),
                (float) c.number("weight_decay"), c.flag("nesterov", false));
        Tensor param = c.tensor("param"), buf = Tensor.zeros(param.dims());
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int step = 1; step <= c.integer("steps"); step++) {
            Optimizers.sgdStep(spec, step, param, c.tensor("grad_step" + step), buf);
            out.put("param_step" + step, param.copy());
        }
        out.put("momentum_buffer", buf);
        return out;
    }

    private static Map<String, Tensor> adam(GoldenCase c) throws IOException {
        double[] betas = {c.json().path("betas").path(0).asDouble(), c.json().path("betas").path(1).asDouble()};
        AdamSpec spec = new AdamSpec((float) c.number("lr"), (float) betas[0], (float) betas[1], (float) c.number("eps"),
                (float) c.number("weight_decay"), c.op().equals("adamw"));
        Tensor param = c.tensor("param"), m = Tensor.zeros(param.dims()), v = Tensor.zeros(param.dims());
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int step = 1; step <= c.integer("steps"); step++) {
            Optimizers.adamStep(spec, step, param, c.tensor("grad_step" + step), m, v);
            out.put("param_step" + step, param.copy());
        }
        out.put("exp_avg", m);
        out.put("exp_avg_sq", v);
        return out;
    }
}
