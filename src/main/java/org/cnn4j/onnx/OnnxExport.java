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
import org.cnn4j.nn.SignalLayer;
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
 * batch dimension symbolic. Nested graphs are written inline. A 1-D layer ({@link SignalLayer}) is written as the
 * 2-D op it runs as, over inputs one pixel high. A layer type with no ONNX form fails naming it.
 */
public final class OnnxExport {
    public static final int OPSET = 13;

    private static final Set<String> EXPORTABLE = Set.of("Conv2d", "ConvTranspose2d", "BatchNorm2d", "Linear", "MaxPool2d", "AvgPool2d", "ReLU",
            "LeakyReLU", "Sigmoid", "Tanh", "ReLU6", "HardSigmoid", "HardSwish", "GlobalAvgPool2d", "GlobalMaxPool2d", "Flatten", "Dropout",
            "Add", "Multiply", "Concat", "ScaleShift", "ChannelShuffle", "ChannelSlice");

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
        String result = w.graph(g, input, inputShape, "");
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
        /** Writes {@code g}'s nodes reading {@code input} of per-sample shape {@code shape}; returns the name of its output value. */
        String graph(Graph g, String input, int[] shape, String prefix) {
            Map<String, String> names = new HashMap<>();
            Map<String, int[]> shapes = new HashMap<>();
            names.put(g.inputName(), input);
            shapes.put(g.inputName(), shape);
            for (Graph.Node n : g.nodes()) {
                String[] ins = n.inputs().stream().map(names::get).toArray(String[]::new);
                int[][] inShapes = n.inputs().stream().map(shapes::get).toArray(int[][]::new);
                String name = prefix + n.name();
                names.put(n.name(), n.module() instanceof Graph sub ? graph(sub, ins[0], inShapes[0], name + "_")
                        : layer(name, n.module(), ins, inShapes[0]));
                shapes.put(n.name(), n.module().outputShape(inShapes));
            }
            return names.get(g.outputName());
        }

        /** Writes one layer, whose first input has per-sample shape {@code shape}, as ONNX nodes; returns its output's name. */
        String layer(String name, Module m, String[] ins, int[] shape) {
            String type = m instanceof SignalLayer signal ? signal.planarConfig().type() : m.typeName();
            if (!EXPORTABLE.contains(type)) {
                throw new UnsupportedOperationException("ONNX export: layer '" + name + "' of type " + m.typeName() + " has no ONNX form here"
                        + (m.typeName().startsWith("Fused") ? " (export the network before InferenceFusion.fuse)" : ""));
            }
            LayerConfig c = m instanceof SignalLayer signal ? signal.planarConfig() : m.config();
            switch (type) {
                case "Conv2d" -> {
                    NodeProto.Builder n = node("Conv", name, ins[0], name + ".weight");
                    initializer(name + ".weight", m, "weight");
                    if (c.bool("bias")) {
                        n.addInput(name + ".bias");
                        initializer(name + ".bias", m, "bias");
                    }
                    long[] v = convWindow(c);
                    n.addAttribute(ints("kernel_shape", v[0], v[1])).addAttribute(ints("strides", v[2], v[3]))
                            .addAttribute(ints("pads", v[4], v[6], v[5], v[7])).addAttribute(ints("dilations", v[8], v[9]))
                            .addAttribute(integer("group", c.integer("groups")));
                    out.addNode(n);
                }
                case "ConvTranspose2d" -> {
                    NodeProto.Builder n = node("ConvTranspose", name, ins[0], name + ".weight");
                    initializer(name + ".weight", m, "weight");
                    if (c.bool("bias")) {
                        n.addInput(name + ".bias");
                        initializer(name + ".bias", m, "bias");
                    }
                    int k = c.integer("kernel"), s = c.integer("stride"), p = c.integer("padding"), d = c.integer("dilation");
                    int o = c.integer("output_padding");
                    out.addNode(n.addAttribute(ints("kernel_shape", k, k)).addAttribute(ints("strides", s, s))
                            .addAttribute(ints("pads", p, p, p, p)).addAttribute(ints("output_padding", o, o))
                            .addAttribute(ints("dilations", d, d)).addAttribute(integer("group", c.integer("groups"))));
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
                    long[] v = poolWindow(c);
                    boolean max = type.equals("MaxPool2d");
                    NodeProto.Builder n = node(max ? "MaxPool" : "AveragePool", name, ins[0])
                            .addAttribute(ints("kernel_shape", v[0], v[1])).addAttribute(ints("strides", v[2], v[3]))
                            .addAttribute(ints("pads", v[4], v[5], v[4], v[5])).addAttribute(integer("ceil_mode", c.bool("ceil_mode") ? 1 : 0));
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
                case "HardSigmoid" -> out.addNode(node("HardSigmoid", name, ins[0]).addAttribute(number("alpha", c.number("alpha")))
                        .addAttribute(number("beta", c.number("beta"))));
                case "HardSwish" -> { // ONNX's HardSwish is opset 14: x * HardSigmoid(x) with its alpha and beta
                    out.addNode(node("HardSigmoid", name + ".gate", ins[0]).addAttribute(number("alpha", 1f / 6))
                            .addAttribute(number("beta", 0.5f)));
                    out.addNode(node("Mul", name, ins[0], name + ".gate"));
                }
                case "ScaleShift" -> {
                    long[] perChannel = shape.length == 1 ? new long[] {shape[0]} : new long[] {shape[0], 1, 1};
                    Tensor scale = m.namedBuffers().get("scale"), shift = m.namedBuffers().get("shift");
                    out.addInitializer(OnnxTensors.floats(name + ".scale", scale.toArray(), perChannel));
                    out.addInitializer(OnnxTensors.floats(name + ".shift", shift.toArray(), perChannel));
                    out.addNode(node("Mul", name + ".scaled", ins[0], name + ".scale"));
                    out.addNode(node("Add", name, name + ".scaled", name + ".shift"));
                }
                case "ChannelShuffle" -> { // as torch writes it: [N, g, C / g, H, W], transposed on the middle two, and back
                    int groups = c.integer("groups");
                    out.addInitializer(OnnxTensors.longs(name + ".split", 0, groups, shape[0] / groups, shape[1], shape[2]));
                    out.addInitializer(OnnxTensors.longs(name + ".joined", 0, shape[0], shape[1], shape[2]));
                    out.addNode(node("Reshape", name + ".groups", ins[0], name + ".split"));
                    out.addNode(node("Transpose", name + ".transposed", name + ".groups").addAttribute(ints("perm", 0, 2, 1, 3, 4)));
                    out.addNode(node("Reshape", name, name + ".transposed", name + ".joined"));
                }
                case "ChannelSlice" -> {
                    out.addInitializer(OnnxTensors.longs(name + ".starts", c.integer("start")));
                    out.addInitializer(OnnxTensors.longs(name + ".ends", c.integer("end")));
                    out.addInitializer(OnnxTensors.longs(name + ".axes", 1));
                    out.addNode(node("Slice", name, ins[0], name + ".starts", name + ".ends", name + ".axes"));
                }
                case "GlobalAvgPool2d" -> out.addNode(node("GlobalAveragePool", name, ins[0]));
                case "GlobalMaxPool2d" -> out.addNode(node("GlobalMaxPool", name, ins[0]));
                case "Flatten" -> out.addNode(node("Flatten", name, ins[0]).addAttribute(integer("axis", 1)));
                case "Dropout" -> out.addNode(node("Identity", name, ins[0]));
                case "Add" -> out.addNode(node(ins.length == 2 ? "Add" : "Sum", name, ins));
                case "Multiply" -> out.addNode(node("Mul", name, ins));
                case "Concat" -> out.addNode(node("Concat", name, ins).addAttribute(integer("axis", 1)));
                default -> throw new IllegalStateException("ONNX export: " + type + " is listed as exportable but not written");
            }
            return name;
        }

        /** kh, kw, stride h, w, pads top, bottom, left, right, dilation h, w from a Conv2d's config, square or not. */
        private static long[] convWindow(LayerConfig c) {
            if (!c.values().containsKey("kernel_h")) {
                long k = c.integer("kernel"), s = c.integer("stride"), p = c.integer("padding"), d = c.integer("dilation");
                return new long[] {k, k, s, s, p, p, p, p, d, d};
            }
            String[] keys = {"kernel_h", "kernel_w", "stride_h", "stride_w", "pad_top", "pad_bottom", "pad_left", "pad_right",
                "dilation_h", "dilation_w"};
            return Arrays.stream(keys).mapToLong(c::integer).toArray();
        }

        /** kh, kw, stride h, w, padding h, w (each on both sides) from a pool's config, square or not. */
        private static long[] poolWindow(LayerConfig c) {
            if (!c.values().containsKey("kernel_h")) {
                long k = c.integer("kernel"), s = c.integer("stride"), p = c.integer("padding");
                return new long[] {k, k, s, s, p, p};
            }
            return Arrays.stream(new String[] {"kernel_h", "kernel_w", "stride_h", "stride_w", "pad_h", "pad_w"}).mapToLong(c::integer).toArray();
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
