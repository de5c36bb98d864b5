package org.cnn4j.golden;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnn4j.backend.Activation;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.kernels.Activations;
import org.cnn4j.kernels.BatchNorm;
import org.cnn4j.kernels.Convolution;
import org.cnn4j.kernels.Elementwise;
import org.cnn4j.kernels.Linear;
import org.cnn4j.kernels.Loss;
import org.cnn4j.kernels.Pooling;
import org.cnn4j.tensor.Tensor;

/**
 * Whole-network golden cases in inference mode, composed straight from the op API so they test the
 * ops' composition independently of the layer classes: fmnist-cnn (NETS.md) and the ResNet basic
 * block with projection shortcut.
 */
final class GoldenNetworks {
    private GoldenNetworks() {
    }

    static Map<String, Tensor> forward(GoldenCase c) throws IOException {
        String net = c.json().path("net").asText();
        if (!net.equals("fmnist-cnn")) {
            throw new UnsupportedOperationException("network_forward_eval of net '" + net + "' (supported: fmnist-cnn)");
        }
        float eps = (float) c.number("bn_eps");
        Map<String, Tensor> out = new LinkedHashMap<>();
        Tensor x = c.tensor("input");
        Tensor a = convBn(c, x, "conv1", "bn1", 1, 1, eps, true);
        out.put("act_block1", a);
        a = convBn(c, a, "conv2", "bn2", 1, 1, eps, true);
        a = maxPool2x2(a);
        out.put("act_pool1", a);
        a = convBn(c, a, "conv3", "bn3", 1, 1, eps, true);
        a = convBn(c, a, "conv4", "bn4", 1, 1, eps, true);
        a = maxPool2x2(a);
        out.put("act_pool2", a);
        Tensor flat = a.reshape(a.dim(0), a.numel() / a.dim(0));
        Tensor fc1 = relu(dense(c, flat, "fc1"));
        out.put("act_fc1", fc1);
        Tensor logits = dense(c, fc1, "fc2");
        Tensor probs = Tensor.zeros(logits.dims());
        Loss.softmax(logits, probs);
        out.put("logits", logits);
        out.put("probs", probs);
        return out;
    }

    /** out = relu(bn2(conv2(relu(bn1(conv1_s(x))))) + proj_bn(proj_s(x))), or the identity shortcut without proj. */
    static Map<String, Tensor> basicBlock(GoldenCase c) throws IOException {
        float eps = (float) c.number("bn_eps");
        int stride = c.integer("stride");
        Tensor x = c.tensor("input");
        Tensor a = convBn(c, x, "conv1", "bn1", stride, 1, eps, true);
        a = convBn(c, a, "conv2", "bn2", 1, 1, eps, false);
        Tensor shortcut = c.json().path("inputs").has("proj.weight") ? convBn(c, x, "proj", "proj_bn", stride, 0, eps, false) : x;
        Tensor sum = Tensor.zeros(a.dims());
        Elementwise.add(a, shortcut, sum);
        return Map.of("output", relu(sum));
    }

    private static Tensor convBn(GoldenCase c, Tensor x, String conv, String bn, int stride, int pad, float eps, boolean relu)
            throws IOException {
        Tensor w = c.tensor(conv + ".weight");
        Conv2dSpec spec = new Conv2dSpec(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(2), w.dim(3), stride, stride,
                pad, pad, pad, pad, 1, 1, x.dim(1) / w.dim(1));
        Tensor y = Tensor.zeros(spec.outputDims());
        Convolution.forward(spec, x, w, null, y);
        Tensor z = Tensor.zeros(spec.outputDims());
        BatchNorm.inferenceForward(eps, y, c.tensor(bn + ".gamma"), c.tensor(bn + ".beta"), c.tensor(bn + ".running_mean"),
                c.tensor(bn + ".running_var"), z);
        return relu ? relu(z) : z;
    }

    private static Tensor relu(Tensor x) {
        Tensor y = Tensor.zeros(x.dims());
        Activations.forward(Activation.RELU, x, y);
        return y;
    }

    private static Tensor maxPool2x2(Tensor x) {
        Pool2dSpec spec = Pool2dSpec.of(Pool2dSpec.Kind.MAX, x.dim(0), x.dim(1), x.dim(2), x.dim(3), 2, 2, 0);
        Tensor y = Tensor.zeros(spec.outputDims());
        Pooling.forward(spec, x, y);
        return y;
    }

    private static Tensor dense(GoldenCase c, Tensor x, String layer) throws IOException {
        Tensor w = c.tensor(layer + ".weight"), b = c.tensor(layer + ".bias");
        Tensor y = Tensor.zeros(x.dim(0), w.dim(0));
        Linear.forward(x, w, b, y);
        return y;
    }
}
