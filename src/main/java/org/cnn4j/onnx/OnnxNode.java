package org.cnn4j.onnx;

import java.util.Arrays;
import org.cnn4j.onnx.proto.Onnx.AttributeProto;
import org.cnn4j.onnx.proto.Onnx.NodeProto;

/** One ONNX node being imported: its attributes with their defaults, and errors that name the op, the node and the opset. */
final class OnnxNode {
    private final NodeProto node;
    private final int opset;
    private final int index;

    OnnxNode(NodeProto node, int opset, int index) {
        this.node = node;
        this.opset = opset;
        this.index = index;
    }

    String op() {
        return node.getOpType();
    }

    int opset() {
        return opset;
    }

    /** The node's name, or its op type and position when the file gave none. */
    String name() {
        return node.getName().isEmpty() ? node.getOpType() + "_" + index : node.getName();
    }

    int inputCount() {
        return node.getInputCount();
    }

    /** Whether input {@code i} is given (an empty name means an omitted optional input). */
    boolean hasInput(int i) {
        return i < node.getInputCount() && !node.getInput(i).isEmpty();
    }

    String input(int i) {
        if (!hasInput(i)) {
            throw error("input " + i + " is missing");
        }
        return node.getInput(i);
    }

    int outputCount() {
        return node.getOutputCount();
    }

    String output(int i) {
        return node.getOutput(i);
    }

    private AttributeProto attribute(String name) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    boolean has(String name) {
        return attribute(name) != null;
    }

    long integer(String name, long fallback) {
        AttributeProto a = attribute(name);
        return a == null ? fallback : a.getI();
    }

    float number(String name, float fallback) {
        AttributeProto a = attribute(name);
        return a == null ? fallback : a.getF();
    }

    String string(String name, String fallback) {
        AttributeProto a = attribute(name);
        return a == null ? fallback : a.getS().toStringUtf8();
    }

    long[] ints(String name, long... fallback) {
        AttributeProto a = attribute(name);
        return a == null ? fallback : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    AttributeProto tensorAttribute(String name) {
        return attribute(name);
    }

    /** An exception naming this node, for a file that breaks the ONNX spec or a shape that does not fit. */
    IllegalArgumentException error(String what) {
        return new IllegalArgumentException("ONNX " + where() + ": " + what);
    }

    /** An exception for a valid ONNX feature cnn4j does not import (yet). */
    UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException("ONNX " + where() + ": " + what + " is not supported by cnn4j's importer");
    }

    String where() {
        return op() + " node '" + name() + "' (opset " + opset + ")";
    }

    static String dims(long[] d) {
        return Arrays.toString(d);
    }
}
