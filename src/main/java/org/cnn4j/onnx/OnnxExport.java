package org.cnn4j.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.cnn4j.io.AtomicFiles;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.LayerConfig;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Sequential;
import org.cnn4j.onnx.proto.Onnx.AttributeProto;
import org.cnn4j.onnx.proto.Onnx.GraphProto;
import org.cnn4j.onnx.proto.Onnx.ModelProto;
import org.cnn4j.onnx.proto.Onnx.NodeProto;
import org.cnn4j.onnx.proto.Onnx.OperatorSetIdProto;
import org.cnn4j.onnx.proto.Onnx.TensorProto;
import org.cnn4j.onnx.proto.Onnx.TensorShapeProto;
import org.cnn4j.onnx.proto.Onnx.TypeProto;
import org.cnn4j.onnx.proto.Onnx.ValueInfoProto;
import org.cnn4j.tensor.Tensor;

/**
 * Writes a cnn4j network as an ONNX model (opset 13) that ONNX Runtime or any other ONNX reader runs:
 * one ONNX node per layer, batch norm
 * as BatchNormalization with its running statistics (inference semantics; Dropout becomes Identity), the
 * batch dimension symbolic. Nested graphs are written inline. A layer type with no ONNX form fails naming it.
 */
public final class OnnxExport {
    public static final int OPSET = 13;

    private static final Set<String> EXPORTABLE = Set.of("Conv2d", "BatchNorm2d", "Linear", "MaxPool2d", "AvgPool2d", "ReLU",
            "LeakyReLU", "Sigmoid", "Tanh", "ReLU6", "GlobalAvgPool2d", "GlobalMaxPool2d", "Flatten", "Dropout", "Add", "Multiply", "Concat");

    private OnnxExport() {
    }

    /** Writes {@code network}, taking inputs of per-sample shape {@code inputShape}, to {@code file} atomically. */
    public static void write(Module network, int[] inputShape, Path file) throws IOException {
        ModelProto m = toModel(network, inputShape);
        AtomicFiles.write(file, m::writeTo);
    }

    /** The ONNX model of {@code network} for inputs of per-sample shape {@code inputShape}. */
    public static ModelProto toModel(Module network, int[] inputShape) {
        Graph g = network instanceof Graph graph ? graph : new Sequential().add("0", network);
        GraphProto.Builder out = GraphProto.newBuilder().setName("cnn4j");
        Writer w = new Writer(out);
        String input = g.inputName().isEmpty() ? "input" : g.inputName(); // a Sequential's input has no name
        out.addInput(valueInfo(input, inputShape));
        String result = w.graph(g, input, "");
        int[] outShape = network.outputShape(inputShape);
        out.addOutput(valueInfo(result, outShape));
        return ModelProto.newBuilder().setIrVersion(7).setProducerName("cnn4j").setProducerVersion("0.1")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).setGraph(out).build();
    }

    private static ValueInfoProto valueInfo(String name, int[] perSample) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (int d : perSample) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
    }

    /** Emits nodes and initializers; a nested graph's names get its node's name as a prefix. */
    private record Writer(GraphProto.Builder out) {
        /** Writes {@code g}'s nodes reading {@code input}; returns the name of its output value. */
        String graph(Graph g, String input, String prefix) {
            Map<String, String> names = new HashMap<>();
            names.put(g.inputName(), input);
            for (Graph.Node n : g.nodes()) {
                String[] ins = n.inputs().stream().map(names::get).toArray(String[]::new);
                String name = prefix + n.name();
                names.put(n.name(), n.module() instanceof Graph sub ? graph(sub, ins[0], name + "_") : layer(name, n.module(), ins));
            }
            return names.get(g.outputName());
        }

        /** Writes one layer as ONNX nodes; returns its output's name. */
        String layer(String name, Module m, String[] ins) {
            if (!EXPORTABLE.contains(m.typeName())) {
                throw new UnsupportedOperationException("ONNX export: layer '" + name + "' of type " + m.typeName() + " has no ONNX form here"
                        + (m.typeName().startsWith("Fused") ? " (export the network before InferenceFusion.fuse)" : ""));
            }
            LayerConfig c = m.config();
            switch (m.typeName()) {
                case "Conv2d" -> {
                    NodeProto.Builder n = node("Conv", name, ins[0], name + ".weight");
                    initializer(name + ".weight", m, "weight");
                    if (c.bool("bias")) {
                        n.addInput(name + ".bias");
                        initializer(name + ".bias", m, "bias");
                    }
                    int k = c.integer("kernel"), s = c.integer("stride"), p = c.integer("padding"), d = c.integer("dilation");
                    n.addAttribute(ints("kernel_shape", k, k)).addAttribute(ints("strides", s, s))
                            .addAttribute(ints("pads", p, p, p, p)).addAttribute(ints("dilations", d, d))
                            .addAttribute(integer("group", c.integer("groups")));
                    out.addNode(n);
                }
                case "BatchNorm2d" -> {
                    NodeProto.Builder n = node("BatchNormalization", name, ins[0], name + ".gamma", name + ".beta",
                            name + ".running_mean", name + ".running_var");
                    initializer(name + ".gamma", m, "gamma");
                    initializer(name + ".beta", m, "beta");
                    buffer(name + ".running_mean", m.namedBuffers().get("running_mean"));
                    buffer(name + ".running_var", m.namedBuffers().get("running_var"));
                    n.addAttribute(number("epsilon", c.number("eps"))).addAttribute(number("momentum", 1 - c.number("momentum")));
                    out.addNode(n);
                }
                case "Linear" -> {
                    NodeProto.Builder n = node("Gemm", name, ins[0], name + ".weight");
                    initializer(name + ".weight", m, "weight");
                    if (c.bool("bias")) {
                        n.addInput(name + ".bias");
                        initializer(name + ".bias", m, "bias");
                    }
                    out.addNode(n.addAttribute(integer("transB", 1)));
                }
                case "MaxPool2d", "AvgPool2d" -> {
                    int k = c.integer("kernel"), s = c.integer("stride"), p = c.integer("padding");
                    boolean max = m.typeName().equals("MaxPool2d");
                    NodeProto.Builder n = node(max ? "MaxPool" : "AveragePool", name, ins[0])
                            .addAttribute(ints("kernel_shape", k, k)).addAttribute(ints("strides", s, s))
                            .addAttribute(ints("pads", p, p, p, p)).addAttribute(integer("ceil_mode", c.bool("ceil_mode") ? 1 : 0));
                    if (!max) {
                        n.addAttribute(integer("count_include_pad", c.bool("count_include_pad") ? 1 : 0));
                    }
                    out.addNode(n);
                }
                case "ReLU" -> out.addNode(node("Relu", name, ins[0]));
                case "LeakyReLU" -> out.addNode(node("LeakyRelu", name, ins[0]).addAttribute(number("alpha", c.number("negative_slope"))));
                case "Sigmoid" -> out.addNode(node("Sigmoid", name, ins[0]));
                case "Tanh" -> out.addNode(node("Tanh", name, ins[0]));
                case "ReLU6" -> {
                    out.addInitializer(OnnxTensors.floats(name + ".min", new float[] {0}));
                    out.addInitializer(OnnxTensors.floats(name + ".max", new float[] {6}));
                    out.addNode(node("Clip", name, ins[0], name + ".min", name + ".max"));
                }
                case "GlobalAvgPool2d" -> out.addNode(node("GlobalAveragePool", name, ins[0]));
                case "GlobalMaxPool2d" -> out.addNode(node("GlobalMaxPool", name, ins[0]));
                case "Flatten" -> out.addNode(node("Flatten", name, ins[0]).addAttribute(integer("axis", 1)));
                case "Dropout" -> out.addNode(node("Identity", name, ins[0]));
                case "Add" -> out.addNode(node(ins.length == 2 ? "Add" : "Sum", name, ins));
                case "Multiply" -> out.addNode(node("Mul", name, ins));
                case "Concat" -> out.addNode(node("Concat", name, ins).addAttribute(integer("axis", 1)));
                default -> throw new IllegalStateException("ONNX export: " + m.typeName() + " is listed as exportable but not written");
            }
            return name;
        }

        private void initializer(String name, Module m, String parameter) {
            buffer(name, m.namedParameters().get(parameter).value());
        }

        private void buffer(String name, Tensor t) {
            out.addInitializer(OnnxTensors.floats(name, t.toArray(), Arrays.stream(t.dims()).asLongStream().toArray()));
        }
    }

    private static NodeProto.Builder node(String op, String name, String... inputs) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(Arrays.asList(inputs)).addOutput(name);
    }

    private static AttributeProto ints(String name, long... values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
                .addAllInts(Arrays.stream(values).boxed().toList()).build();
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto number(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }
}
