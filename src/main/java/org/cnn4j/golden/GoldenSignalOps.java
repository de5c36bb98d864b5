package org.cnn4j.golden;

import java.io.IOException;
import java.util.Map;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.Pool2dSpec;
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
        GoldenOps.Tensors t = name -> signal(c, name);
        return switch (c.op()) {
            case "conv1d_forward", "conv1d_backward" -> GoldenOps.conv(convSpec(c), t, c.flag("bias", false), c.op().equals("conv1d_backward"));
            case "maxpool1d" -> GoldenOps.pool(poolSpec(c, Pool2dSpec.Kind.MAX), t);
            case "avgpool1d" -> GoldenOps.pool(poolSpec(c, Pool2dSpec.Kind.AVG), t);
            case "global_avgpool1d" -> GoldenOps.globalAvgPool(t);
            case "batchnorm1d_train" -> GoldenOps.batchNormTrain(c, t);
            case "batchnorm1d_eval" -> GoldenOps.batchNormEval(c, t);
            default -> throw new UnsupportedOperationException("unknown 1-D op '" + c.op() + "'");
        };
    }

    /** {@code name}'s tensor, a signal or weight [A, B, L] viewed as [A, B, 1, L]; per-channel vectors as they are. */
    private static Tensor signal(GoldenCase c, String name) throws IOException {
        Tensor t = c.tensor(name);
        if (t.rank() == 1) {
            return t;
        }
        if (t.rank() != 3) {
            throw new IllegalArgumentException("golden case " + c.name() + ": " + name + " must be [N, C, L], got " + t.shape());
        }
        return t.reshape(t.dim(0), t.dim(1), 1, t.dim(2));
    }

    private static Conv2dSpec convSpec(GoldenCase c) {
        int k = c.integer("kernel"), d = c.integer("dilation"), p = c.integer("padding");
        boolean causal = c.flag("causal", false);
        return new Conv2dSpec(c.integer("N"), c.integer("C"), 1, c.integer("L"), c.integer("K"), 1, k, 1, c.integer("stride"),
                0, 0, causal ? (k - 1) * d : p, causal ? 0 : p, 1, d, c.integer("groups"));
    }

    private static Pool2dSpec poolSpec(GoldenCase c, Pool2dSpec.Kind kind) {
        return new Pool2dSpec(kind, c.integer("N"), c.integer("C"), 1, c.integer("L"), 1, c.integer("kernel"), 1,
                c.integer("stride"), 0, c.integer("padding"), c.flag("ceil_mode", false), c.flag("count_include_pad", true));
    }
}
