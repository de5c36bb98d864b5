package org.cnn4j.onnx;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cnn4j.onnx.OnnxImporter.Activation;
import org.cnn4j.onnx.OnnxTensors.Constant;
import org.cnn4j.onnx.proto.Onnx.AttributeProto;
import org.cnn4j.onnx.proto.Onnx.NodeProto;

/**
 * 1-D models (PyTorch's Conv1d, BatchNorm1d, MaxPool1d, AvgPool1d and AdaptiveAvgPool1d(1) export values [N, C, L])
 * as cnn4j signals [N, C, 1, L], the layout of {@link org.cnn4j.nn.SignalLayer}s and the same memory. A node reading
 * such a value is lifted to its 2-D form over H = 1 before it is converted: kernel_shape [k] becomes [1, k], strides
 * and dilations alike, pads [b, e] become [0, b, 0, e], a Conv's weight [out, in, k] becomes [out, in, 1, k], a Pad's
 * six pads eight, ReduceMean over the length a mean over H and W; its outputs are signals again, except a Flatten's and
 * a ReduceMean's without kept dimensions. Only ops with such a form read signals; any other fails the import naming it.
 */
final class OnnxSignals {
    /** Ops whose 1-D form is their 2-D form over H = 1 with the attributes lifted. */
    private static final Set<String> LIFTED = Set.of("Conv", "MaxPool", "AveragePool", "Pad", "BatchNormalization", "GlobalAveragePool",
            "GlobalMaxPool", "ReduceMean", "Flatten", "Concat", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "Clip",
            "Add", "Sum", "Mul", "Dropout", "Identity");
    /** Attributes that hold one entry per spatial axis, and pads (two per axis). */
    private static final Set<String> PER_AXIS = Set.of("kernel_shape", "strides", "dilations");

    private final Set<String> signals = new HashSet<>();

    /** Records that the ONNX value {@code name} (the graph's input) is [N, C, L], held as [N, C, 1, L]. */
    void add(String name) {
        signals.add(name);
    }

    /** Whether {@code node} reads a signal. */
    boolean reads(NodeProto node) {
        return node.getInputList().stream().anyMatch(signals::contains);
    }

    /** {@code node} (which {@link #reads} a signal) in its 2-D form; constants it needs reshaped are added to {@code im}. */
    NodeProto lift(NodeProto node, OnnxNode n, OnnxImporter im) {
        String op = node.getOpType();
        if (!LIFTED.contains(op)) {
            throw n.unsupported(op + " on a 1-D signal [C, L] (1-D models import " + String.join(", ", LIFTED.stream().sorted().toList()) + ")");
        }
        NodeProto.Builder b = node.toBuilder().clearAttribute();
        for (AttributeProto a : node.getAttributeList()) {
            b.addAttribute(liftAttribute(op, a, n));
        }
        switch (op) {
            case "Conv" -> {
                if (n.hasInput(1) && im.isConstant(n, 1)) {
                    Constant w = im.constant(n, 1, "a weight");
                    long[] d = w.dims();
                    if (d.length != 3) {
                        throw n.error("a weight of " + OnnxNode.dims(d) + " for a 1-D convolution (expected [out, in/group, k])");
                    }
                    b.setInput(1, im.define(node.getInput(1) + "#2d", new Constant(new long[] {d[0], d[1], 1, d[2]}, w.asFloats(), null)));
                }
            }
            case "Pad" -> {
                if (n.opset() >= 11 && n.hasInput(1) && im.isConstant(n, 1)) {
                    long[] p = im.constant(n, 1, "pads").asLongs();
                    if (p.length != 6) {
                        throw n.error("pads " + Arrays.toString(p) + " for a 1-D signal (expected 6: [N, C, L] begins, then ends)");
                    }
                    b.setInput(1, im.define(node.getInput(1) + "#2d", Constant.ofLongs(p[0], p[1], 0, p[2], p[3], p[4], 0, p[5])));
                }
            }
            case "ReduceMean" -> {
                if (n.opset() >= 18 && n.hasInput(1)) {
                    throw n.unsupported("ReduceMean with axes as an input on a 1-D signal (opset 18+)");
                }
            }
            case "Add", "Sum", "Mul" -> {
                for (int i = 0; i < n.inputCount(); i++) {
                    if (n.hasInput(i) && im.isConstant(n, i) && im.constant(n, i, "an operand").numel() > 1) {
                        throw n.unsupported(op + " of a 1-D signal and a constant of " + OnnxNode.dims(im.constant(n, i, "an operand").dims())
                                + " (only scalars, or two layers' outputs)");
                    }
                }
            }
            default -> {
            }
        }
        return b.build();
    }

    private static AttributeProto liftAttribute(String op, AttributeProto a, OnnxNode n) {
        String name = a.getName();
        List<Long> v = a.getIntsList();
        if (PER_AXIS.contains(name)) {
            if (v.size() != 1) {
                throw n.error(name + " " + v + " for a 1-D signal (expected one entry)");
            }
            return a.toBuilder().clearInts().addInts(1).addInts(v.get(0)).build();
        }
        if (name.equals("pads") && !op.equals("Pad")) {
            if (v.size() != 2) {
                throw n.error("pads " + v + " for a 1-D signal (expected [begin, end])");
            }
            return a.toBuilder().clearInts().addAllInts(List.of(0L, v.get(0), 0L, v.get(1))).build();
        }
        if (name.equals("pads")) { // Pad before opset 11: [N, C, L] begins, then ends
            if (v.size() != 6) {
                throw n.error("pads " + v + " for a 1-D signal (expected 6)");
            }
            return a.toBuilder().clearInts().addAllInts(List.of(v.get(0), v.get(1), 0L, v.get(2), v.get(3), v.get(4), 0L, v.get(5))).build();
        }
        if (name.equals("axes") && op.equals("ReduceMean")) {
            if (v.size() != 1 || v.get(0) != 2 && v.get(0) != -1) {
                throw n.unsupported("ReduceMean over axes " + v + " of a 1-D signal [N, C, L] (only over the length, axis 2)");
            }
            return a.toBuilder().clearInts().addInts(2).addInts(3).build();
        }
        if (name.equals("axis") && (op.equals("Concat") || op.equals("Flatten"))) {
            long axis = a.getI() < 0 ? a.getI() + 3 : a.getI();
            if (axis != 1) {
                throw n.unsupported(op + " at axis " + a.getI() + " of a 1-D signal [N, C, L] (only axis 1)");
            }
            return a.toBuilder().setI(1).build();
        }
        return a;
    }

    /** After {@code node} was converted: its outputs that are signals again become signals. */
    void markOutputs(NodeProto node, OnnxNode n, OnnxImporter im) {
        String op = node.getOpType();
        boolean flattened = op.equals("Flatten") || op.equals("ReduceMean") && n.integer("keepdims", 1) == 0;
        if (flattened) {
            return;
        }
        for (String out : node.getOutputList()) {
            Object v = out.isEmpty() ? null : im.valueNamed(out);
            if (v instanceof OnnxImporter.Padded || v instanceof Activation a && a.shape().length == 3 && a.shape()[1] == 1) {
                signals.add(out);
            }
        }
    }
}
