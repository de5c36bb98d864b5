package org.cnn4j.peers;

import static org.bytedeco.pytorch.global.torch.MemoryFormat.ChannelsLast;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.AbstractTensor;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorArrayRef;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.cnn4j.backend.Activation;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.ConvGeometry;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Pool2d;

/**
 * A cnn4j network as libtorch's functional operations on copies of its weights, as a PyTorch user would write it:
 * {@code conv2d} with channels-last weights, {@code batch_norm} with the running statistics, {@code linear}, the
 * pooling and activation functions, {@code add} and {@code cat} for the graph's merges, node by node in the graph's
 * order. In training the weights are leaves that require gradients ({@link #parameters}) and batch norm uses the
 * batch's statistics and updates the running ones; otherwise it is the network in eval mode.
 */
final class TorchNetwork {
    /** The layer types translated here, by {@link Module#typeName()}. */
    private static final Set<String> TRANSLATED = Set.of("Conv2d", "BatchNorm2d", "Linear", "MaxPool2d", "AvgPool2d", "ReLU", "LeakyReLU",
            "Sigmoid", "Tanh", "ReLU6", "HardSigmoid", "HardSwish", "GlobalAvgPool2d", "GlobalMaxPool2d", "Flatten", "Dropout", "Add",
            "Multiply", "Concat");

    /** One node: libtorch code on the values of its inputs. */
    @FunctionalInterface
    private interface Op {
        Tensor apply(Tensor[] in);
    }

    private record Step(String name, Op op, List<String> inputs) {
    }

    private final boolean training;
    private final TensorVector parameters = new TensorVector();
    private final Op whole;

    /** The translation of {@code network}; {@link #untranslatable} must have said null for it. */
    TorchNetwork(Module network, boolean training) {
        this.training = training;
        whole = translate("", network);
    }

    /** The first layer (by its name in the graph, and type) that has no translation here, or null when all have. */
    static String untranslatable(Module network) {
        return untranslatable("", network);
    }

    private static String untranslatable(String name, Module m) {
        if (m instanceof Graph g) {
            for (Graph.Node n : g.nodes()) {
                String inside = untranslatable(name.isEmpty() ? n.name() : name + "/" + n.name(), n.module());
                if (inside != null) {
                    return inside;
                }
            }
            return null;
        }
        if (!TRANSLATED.contains(m.typeName())) {
            return (name.isEmpty() ? "" : name + " ") + "(" + m.typeName() + ")";
        }
        if (m instanceof Conv2d c) {
            ConvGeometry g = c.geometry();
            if (g.padTop() != g.padBottom() || g.padLeft() != g.padRight()) {
                return name + " (Conv2d with asymmetric padding " + g + ")";
            }
        }
        return null;
    }

    /** The trainable weights, for the optimiser. */
    TensorVector parameters() {
        return parameters;
    }

    Tensor forward(Tensor x) {
        return whole.apply(new Tensor[] {x});
    }

    private Op translate(String name, Module m) {
        if (m instanceof Graph g) {
            return graph(name, g);
        }
        if (m instanceof Conv2d c) {
            ConvGeometry g = c.geometry();
            Tensor w = weight(c.weight().value(), true);
            TensorOptional b = c.bias() == null ? new TensorOptional() : new TensorOptional(weight(c.bias().value(), false));
            long[] stride = {g.strideH(), g.strideW()}, pad = {g.padTop(), g.padLeft()}, dilation = {g.dilationH(), g.dilationW()};
            return in -> torch.conv2d(in[0], w, b, stride, pad, dilation, g.groups());
        }
        if (m instanceof BatchNorm2d bn) {
            TensorOptional gamma = new TensorOptional(weight(bn.gamma().value(), false)),
                    beta = new TensorOptional(weight(bn.beta().value(), false)),
                    mean = new TensorOptional(copy(bn.runningMean())), var = new TensorOptional(copy(bn.runningVar())); // training updates them in place
            double momentum = bn.momentum(), eps = bn.eps();
            return in -> torch.batch_norm(in[0], gamma, beta, mean, var, training, momentum, eps, false);
        }
        if (m instanceof Linear l) {
            Tensor w = weight(l.weight().value(), false);
            TensorOptional b = l.bias() == null ? new TensorOptional() : new TensorOptional(weight(l.bias().value(), false));
            return in -> torch.linear(in[0], w, b);
        }
        if (m instanceof Pool2d p) {
            long[] k = {p.kernelH(), p.kernelW()}, s = {p.strideH(), p.strideW()}, pad = {p.padH(), p.padW()}, one = {1, 1};
            boolean ceil = p.ceilMode(), includePad = p.countIncludePad();
            return p.kind() == Pool2dSpec.Kind.MAX ? in -> torch.max_pool2d(in[0], k, s, pad, one, ceil)
                    : in -> torch.avg_pool2d(in[0], k, s, pad, ceil, includePad, new LongOptional());
        }
        if (m instanceof ActivationLayer a) {
            return activation(a.activation());
        }
        if (m instanceof Dropout d) {
            double p = d.probability();
            return in -> torch.dropout(in[0], p, training);
        }
        return switch (m.typeName()) {
            case "GlobalAvgPool2d" -> in -> torch.adaptive_avg_pool2d(in[0], 1, 1);
            case "GlobalMaxPool2d" -> in -> torch.amax(in[0], new long[] {2, 3}, true);
            case "Flatten" -> in -> torch.flatten(in[0], 1, -1);
            case "Add" -> in -> {
                Tensor sum = torch.add(in[0], in[1]);
                for (int i = 2; i < in.length; i++) {
                    sum = torch.add(sum, in[i]);
                }
                return sum;
            };
            case "Multiply" -> in -> {
                Tensor product = torch.mul(in[0], in[1]);
                for (int i = 2; i < in.length; i++) {
                    product = torch.mul(product, in[i]);
                }
                return product;
            };
            case "Concat" -> in -> torch.cat(new TensorArrayRef(new TensorVector(in)), 1);
            default -> throw new IllegalStateException("PyTorch peer cannot translate " + name + " (" + m.typeName() + ")");
        };
    }

    private Op graph(String prefix, Graph g) {
        List<Step> steps = new ArrayList<>();
        for (Graph.Node n : g.nodes()) {
            steps.add(new Step(n.name(), translate(prefix.isEmpty() ? n.name() : prefix + "/" + n.name(), n.module()), n.inputs()));
        }
        String input = g.inputName(), output = g.outputName();
        return in -> {
            Map<String, Tensor> values = new HashMap<>();
            values.put(input, in[0]);
            for (Step s : steps) {
                values.put(s.name(), s.op().apply(s.inputs().stream().map(values::get).toArray(Tensor[]::new)));
            }
            return values.get(output);
        };
    }

    private static Op activation(Activation a) {
        return switch (a.kind()) {
            case RELU -> in -> torch.relu(in[0]);
            case LEAKY_RELU -> {
                Scalar slope = new Scalar(a.alpha());
                yield in -> torch.leaky_relu(in[0], slope);
            }
            case SIGMOID -> in -> torch.sigmoid(in[0]);
            case TANH -> in -> torch.tanh(in[0]);
            case RELU6 -> in -> torch.relu6(in[0]);
            case HARD_SIGMOID -> { // clamp(alpha x + beta, 0, 1): cnn4j's alpha and beta, which torch's hardsigmoid fixes at 1/6 and 1/2
                Scalar alpha = new Scalar(a.alpha()), beta = new Scalar(a.beta()), zero = new Scalar(0f), one = new Scalar(1f);
                yield in -> torch.hardtanh(torch.add(torch.mul(in[0], alpha), beta), zero, one);
            }
            case HARD_SWISH -> in -> torch.hardswish(in[0]);
        };
    }

    /** A copy of a parameter; a trainable leaf in training; 4-D ones (convolution weights) channels-last. */
    private Tensor weight(org.cnn4j.tensor.Tensor value, boolean channelsLast) {
        Tensor t = copy(value);
        if (channelsLast) {
            t = t.contiguous(ChannelsLast);
        }
        if (training) {
            t.requires_grad_(true);
            parameters.push_back(t);
        }
        return t;
    }

    /** A copy of a cnn4j tensor, in its logical (NCHW, OIHW) order. */
    private static Tensor copy(org.cnn4j.tensor.Tensor value) {
        return AbstractTensor.create(value.toArray(), java.util.Arrays.stream(value.dims()).asLongStream().toArray());
    }
}
