package org.cnn4j.golden;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.kernels.BatchNorm;
import org.cnn4j.kernels.Convolution;
import org.cnn4j.kernels.Pooling;
import org.cnn4j.tensor.Tensor;

/**
 * The 1-D golden cases (conv1d_forward, conv1d_backward, maxpool1d, avgpool1d, global_avgpool1d,
 * batchnorm1d_train, batchnorm1d_eval) on signals [N, C, L] and weights [K, C/groups, k], computed as the 2-D
 * ops over images one pixel high, [N, C, 1, L] and [K, C/groups, 1, k], exactly as the 1-D layers run (the
 * same memory, so a reshape is all it takes). A conv1d case with "causal": true pads (k-1)*dilation on the
 * left only. Every tensor made here belongs to the caller's {@link org.cnn4j.tensor.TensorScope}.
 */
final class GoldenSignalOps {
    private GoldenSignalOps() {
    }

    static boolean handles(String op) {
        return switch (op) {
            case "conv1d_forward", "conv1d_backward", "maxpool1d", "avgpool1d", "global_avgpool1d", "batchnorm1d_train",
                 "batchnorm1d_eval" -> true;
            default -> false;
        };
    }

    static Map<String, Tensor> run(GoldenCase c) throws IOException {
        return switch (c.op()) {
            case "conv1d_forward", "conv1d_backward" -> conv(c);
            case "maxpool1d" -> pool(c, Pool2dSpec.Kind.MAX);
            case "avgpool1d" -> pool(c, Pool2dSpec.Kind.AVG);
            case "global_avgpool1d" -> globalAvgPool(c);
            case "batchnorm1d_train" -> batchNormTrain(c);
            case "batchnorm1d_eval" -> batchNormEval(c);
            default -> throw new UnsupportedOperationException("unknown 1-D op '" + c.op() + "'");
        };
    }

    /** {@code name}'s [A, B, L] tensor as [A, B, 1, L]. */
    private static Tensor signal(GoldenCase c, String name) throws IOException {
        Tensor t = c.tensor(name);
        if (t.rank() != 3) {
            throw new IllegalArgumentException("golden case " + c.name() + ": " + name + " must be [N, C, L], got " + t.shape());
        }
        return t.reshape(t.dim(0), t.dim(1), 1, t.dim(2));
    }

    private static Map<String, Tensor> conv(GoldenCase c) throws IOException {
        int k = c.integer("kernel"), d = c.integer("dilation"), p = c.integer("padding");
        boolean causal = c.flag("causal", false);
        Conv2dSpec spec = new Conv2dSpec(c.integer("N"), c.integer("C"), 1, c.integer("L"), c.integer("K"), 1, k, 1, c.integer("stride"),
                0, 0, causal ? (k - 1) * d : p, causal ? 0 : p, 1, d, c.integer("groups"));
        Tensor x = signal(c, "input"), w = signal(c, "weight");
        Tensor b = c.flag("bias", false) ? c.tensor("bias") : null;
        Map<String, Tensor> out = new LinkedHashMap<>();
        Tensor y = Tensor.zeros(spec.outputDims());
        Convolution.forward(spec, x, w, b, y);
        out.put("output", y);
        if (c.op().equals("conv1d_backward")) {
            Tensor gy = signal(c, "grad_output");
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

    private static Map<String, Tensor> pool(GoldenCase c, Pool2dSpec.Kind kind) throws IOException {
        Pool2dSpec spec = new Pool2dSpec(kind, c.integer("N"), c.integer("C"), 1, c.integer("L"), 1, c.integer("kernel"), 1,
                c.integer("stride"), 0, c.integer("padding"), c.flag("ceil_mode", false), c.flag("count_include_pad", true));
        Tensor x = signal(c, "input"), gy = signal(c, "grad_output");
        Tensor y = Tensor.zeros(spec.outputDims()), gx = Tensor.zeros(spec.inputDims());
        Pooling.forward(spec, x, y);
        Pooling.backward(spec, x, gy, gx);
        return Map.of("output", y, "grad_input", gx);
    }

    private static Map<String, Tensor> globalAvgPool(GoldenCase c) throws IOException {
        Tensor x = signal(c, "input"), gy = signal(c, "grad_output");
        Tensor y = Tensor.zeros(x.dim(0), x.dim(1), 1, 1), gx = Tensor.zeros(x.dims());
        Pooling.globalAvgForward(x, y);
        Pooling.globalAvgBackward(gy, gx);
        return Map.of("output", y, "grad_input", gx);
    }

    private static Map<String, Tensor> batchNormTrain(GoldenCase c) throws IOException {
        float eps = (float) c.number("eps"), momentum = (float) c.number("momentum");
        Tensor x = signal(c, "input"), gamma = c.tensor("gamma"), beta = c.tensor("beta");
        Tensor rm = c.tensor("running_mean"), rv = c.tensor("running_var"), gy = signal(c, "grad_output");
        int ch = x.dim(1);
        Tensor y = Tensor.zeros(x.dims()), mean = Tensor.zeros(ch), var = Tensor.zeros(ch);
        BatchNorm.trainingForward(eps, momentum, x, gamma, beta, rm, rv, y, mean, var);
        Tensor gx = Tensor.zeros(x.dims()), gg = Tensor.zeros(ch), gb = Tensor.zeros(ch);
        BatchNorm.backward(eps, true, x, gamma, mean, var, gy, gx, gg, gb);
        return Map.of("output", y, "batch_mean", mean, "batch_var", var, "running_mean_out", rm, "running_var_out", rv,
                "grad_input", gx, "grad_gamma", gg, "grad_beta", gb);
    }

    private static Map<String, Tensor> batchNormEval(GoldenCase c) throws IOException {
        float eps = (float) c.number("eps");
        Tensor x = signal(c, "input"), gamma = c.tensor("gamma"), beta = c.tensor("beta");
        Tensor rm = c.tensor("running_mean"), rv = c.tensor("running_var"), gy = signal(c, "grad_output");
        int ch = x.dim(1);
        Tensor y = Tensor.zeros(x.dims()), gx = Tensor.zeros(x.dims()), gg = Tensor.zeros(ch), gb = Tensor.zeros(ch);
        BatchNorm.inferenceForward(eps, x, gamma, beta, rm, rv, y);
        BatchNorm.backward(eps, false, x, gamma, rm, rv, gy, gx, gg, gb);
        return Map.of("output", y, "grad_input", gx, "grad_gamma", gg, "grad_beta", gb);
    }
}
