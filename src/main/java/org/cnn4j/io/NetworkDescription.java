package org.cnn4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.cnn4j.backend.Activation;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.GlobalAvgPool2d;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Pool2d;
import org.cnn4j.nn.Sequential;

/**
 * A network's architecture as JSON, so a model file rebuilds any {@link Sequential} or {@link Graph} of
 * the built-in layers, not only zoo models. Every layer is an object with a {@code "type"} and its
 * hyper-parameters (the names PyTorch uses), e.g.
 * <pre>{@code
 * {"type": "Sequential", "layers": [
 *   {"name": "conv1", "layer": {"type": "Conv2d", "in": 1, "out": 8, "kernel": 3, "stride": 1, "padding": 1,
 *                               "dilation": 1, "groups": 1, "bias": false}},
 *   {"name": "relu1", "layer": {"type": "ReLU"}}, ...]}
 * {"type": "Graph", "input": "x", "output": "out", "nodes": [
 *   {"name": "a", "op": "layer", "inputs": ["x"], "layer": {...}},
 *   {"name": "sum", "op": "add", "inputs": ["a", "x"]}, {"name": "cat", "op": "concat", "inputs": [...]}]}
 * }</pre>
 * Other types: BatchNorm2d (channels, eps, momentum), Linear (in, out, bias), MaxPool2d / AvgPool2d
 * (kernel, stride, padding, ceil_mode, count_include_pad), GlobalAvgPool2d, Flatten, Dropout (p, seed),
 * LeakyReLU (negative_slope), Sigmoid, Tanh. Rebuilt layers get fresh initial weights, which the model
 * file then overwrites.
 */
public final class NetworkDescription {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NetworkDescription() {
    }

    /** The description of {@code m}; fails, naming the layer, for a module this format cannot describe. */
    public static ObjectNode describe(Module m) {
        ObjectNode o = JSON.createObjectNode();
        if (m instanceof Sequential s) {
            o.put("type", "Sequential");
            ArrayNode layers = o.putArray("layers");
            for (String name : s.names()) {
                layers.addObject().put("name", name).set("layer", describe(s.get(name)));
            }
        } else if (m instanceof Graph g) {
            o.put("type", "Graph").put("input", g.inputName()).put("output", g.outputName());
            ArrayNode nodes = o.putArray("nodes");
            for (Graph.Node n : g.nodes()) {
                ObjectNode node = nodes.addObject().put("name", n.name()).put("op", n.kind().name().toLowerCase(Locale.ROOT));
                ArrayNode inputs = node.putArray("inputs");
                n.inputs().forEach(inputs::add);
                if (n.module() != null) {
                    node.set("layer", describe(n.module()));
                }
            }
        } else if (m instanceof Conv2d c) {
            if (c.hasFusedRelu()) {
                throw new IllegalArgumentException("network description: " + c.describe() + " is an inference copy; save the original network");
            }
            o.put("type", "Conv2d").put("in", c.inChannels()).put("out", c.outChannels()).put("kernel", c.kernelSize())
                    .put("stride", c.stride()).put("padding", c.padding()).put("dilation", c.dilation()).put("groups", c.groups())
                    .put("bias", c.bias() != null);
        } else if (m instanceof BatchNorm2d b) {
            o.put("type", "BatchNorm2d").put("channels", b.channels()).put("eps", b.eps()).put("momentum", b.momentum());
        } else if (m instanceof Linear l) {
            o.put("type", "Linear").put("in", l.inFeatures()).put("out", l.outFeatures()).put("bias", l.bias() != null);
        } else if (m instanceof Pool2d p) {
            o.put("type", p.kind() == Pool2dSpec.Kind.MAX ? "MaxPool2d" : "AvgPool2d").put("kernel", p.kernelSize())
                    .put("stride", p.stride()).put("padding", p.padding()).put("ceil_mode", p.ceilMode())
                    .put("count_include_pad", p.countIncludePad());
        } else if (m instanceof ActivationLayer a) {
            Activation act = a.activation();
            switch (act.kind()) {
                case RELU -> o.put("type", "ReLU");
                case LEAKY_RELU -> o.put("type", "LeakyReLU").put("negative_slope", act.alpha());
                case SIGMOID -> o.put("type", "Sigmoid");
                case TANH -> o.put("type", "Tanh");
            }
        } else if (m instanceof GlobalAvgPool2d) {
            o.put("type", "GlobalAvgPool2d");
        } else if (m instanceof Flatten) {
            o.put("type", "Flatten");
        } else if (m instanceof Dropout d) {
            o.put("type", "Dropout").put("p", d.probability()).put("seed", d.seed());
        } else {
            throw new IllegalArgumentException("network description: cannot describe a " + m.getClass().getName()
                    + " (model files hold networks of the built-in layers)");
        }
        return o;
    }

    /** Builds the network {@code d} describes; a malformed description is an IllegalArgumentException saying where. */
    public static Module build(JsonNode d) {
        String type = text(d, "type", "layer");
        return switch (type) {
            case "Sequential" -> {
                Sequential s = new Sequential();
                try {
                    for (JsonNode entry : array(d, "layers", type)) {
                        String name = text(entry, "name", type + " layer");
                        Module layer = build(entry.path("layer"));
                        try {
                            s.add(name, layer);
                        } catch (RuntimeException e) {
                            layer.close();
                            throw e;
                        }
                    }
                } catch (RuntimeException e) {
                    s.close(); // frees the layers built before the fault
                    throw e;
                }
                yield s;
            }
            case "Graph" -> graph(d);
            case "Conv2d" -> new Conv2d(integer(d, "in", type), integer(d, "out", type), integer(d, "kernel", type),
                    integer(d, "stride", type), integer(d, "padding", type), integer(d, "dilation", type), integer(d, "groups", type),
                    bool(d, "bias", type));
            case "BatchNorm2d" -> new BatchNorm2d(integer(d, "channels", type), number(d, "eps", type), number(d, "momentum", type));
            case "Linear" -> new Linear(integer(d, "in", type), integer(d, "out", type), bool(d, "bias", type));
            case "MaxPool2d", "AvgPool2d" -> new Pool2d(type.equals("MaxPool2d") ? Pool2dSpec.Kind.MAX : Pool2dSpec.Kind.AVG,
                    integer(d, "kernel", type), integer(d, "stride", type), integer(d, "padding", type), bool(d, "ceil_mode", type),
                    bool(d, "count_include_pad", type));
            case "ReLU" -> ActivationLayer.relu();
            case "LeakyReLU" -> ActivationLayer.leakyRelu(number(d, "negative_slope", type));
            case "Sigmoid" -> ActivationLayer.sigmoid();
            case "Tanh" -> ActivationLayer.tanh();
            case "GlobalAvgPool2d" -> new GlobalAvgPool2d();
            case "Flatten" -> new Flatten();
            case "Dropout" -> {
                JsonNode seed = d.path("seed");
                if (!seed.canConvertToLong()) {
                    throw new IllegalArgumentException("network description: Dropout has no integer 'seed'");
                }
                yield new Dropout(number(d, "p", type), seed.asLong());
            }
            default -> throw new IllegalArgumentException("network description: unknown layer type '" + type + "'");
        };
    }

    /**
     * The floats of weights and statistics each convolution, linear and batch-norm layer of {@code d} would
     * allocate, by dotted layer path, counted without building anything: a model file compares them with
     * the data it holds before a header of a few bytes can make it allocate gigabytes.
     */
    public static Map<String, Long> weightFloats(JsonNode d) {
        Map<String, Long> out = new LinkedHashMap<>();
        weightFloats(d, "", out);
        return out;
    }

    private static void weightFloats(JsonNode d, String path, Map<String, Long> out) {
        String type = text(d, "type", "layer"), at = path.isEmpty() ? "the network" : path;
        switch (type) {
            case "Sequential" -> {
                for (JsonNode entry : array(d, "layers", type)) {
                    weightFloats(entry.path("layer"), child(path, text(entry, "name", type + " layer")), out);
                }
            }
            case "Graph" -> {
                for (JsonNode n : array(d, "nodes", type)) {
                    if (n.has("layer")) {
                        weightFloats(n.get("layer"), child(path, text(n, "name", "Graph node")), out);
                    }
                }
            }
            // sizes as the constructors allocate them (which reject what is not positive)
            case "Conv2d" -> {
                long k = size(d, "kernel", type), o = size(d, "out", type);
                out.put(at, product(o, size(d, "in", type) / Math.max(1, size(d, "groups", type)), k, k) + (bool(d, "bias", type) ? o : 0));
            }
            case "Linear" -> {
                long o = size(d, "out", type);
                out.put(at, product(o, size(d, "in", type)) + (bool(d, "bias", type) ? o : 0));
            }
            case "BatchNorm2d" -> out.put(at, 4 * size(d, "channels", type));
            default -> {
            }
        }
    }

    /** The product of sizes below 2^31, saturating at 2^62 (four of them could wrap a long). */
    private static long product(long... sizes) {
        long p = 1;
        for (long s : sizes) {
            p = s == 0 || p <= (1L << 62) / s ? p * s : 1L << 62;
        }
        return Math.min(p, 1L << 62);
    }

    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static long size(JsonNode d, String field, String where) {
        return Math.max(0, integer(d, field, where));
    }

    /**
     * How many outputs the network {@code d} ends in, when it ends in a linear layer (then perhaps
     * activations, dropout or flatten); empty when the description does not say without running it.
     */
    public static OptionalInt outputs(JsonNode d) {
        switch (d.path("type").asText()) {
            case "Linear" -> {
                return OptionalInt.of(integer(d, "out", "Linear"));
            }
            case "Sequential" -> {
                JsonNode layers = array(d, "layers", "Sequential");
                for (int i = layers.size() - 1; i >= 0; i--) {
                    JsonNode layer = layers.get(i).path("layer");
                    switch (layer.path("type").asText()) {
                        case "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Dropout", "Flatten" -> {
                        }
                        default -> {
                            return outputs(layer);
                        }
                    }
                }
                return OptionalInt.empty();
            }
            case "Graph" -> {
                JsonNode nodes = array(d, "nodes", "Graph");
                String output = d.path("output").asText(nodes.isEmpty() ? "" : nodes.get(nodes.size() - 1).path("name").asText());
                for (JsonNode n : nodes) {
                    if (n.path("name").asText().equals(output) && n.has("layer")) {
                        return outputs(n.get("layer"));
                    }
                }
                return OptionalInt.empty();
            }
            default -> {
                return OptionalInt.empty();
            }
        }
    }

    private static Graph graph(JsonNode d) {
        Graph g = new Graph(text(d, "input", "Graph"));
        try {
            addNodes(g, d);
        } catch (RuntimeException e) {
            g.close(); // frees the layers built before the fault
            throw e;
        }
        return g;
    }

    private static void addNodes(Graph g, JsonNode d) {
        for (JsonNode n : array(d, "nodes", "Graph")) {
            String name = text(n, "name", "Graph node");
            List<String> inputs = new ArrayList<>();
            array(n, "inputs", "Graph node " + name).forEach(i -> inputs.add(i.asText()));
            String[] in = inputs.toArray(String[]::new);
            switch (text(n, "op", "Graph node " + name)) {
                case "layer" -> {
                    if (in.length != 1) {
                        throw new IllegalArgumentException("network description: layer node '" + name + "' needs one input, has " + in.length);
                    }
                    Module layer = build(n.path("layer"));
                    try {
                        g.layer(name, layer, in[0]);
                    } catch (RuntimeException e) {
                        layer.close();
                        throw e;
                    }
                }
                case "add" -> g.add(name, in);
                case "concat" -> g.concat(name, in);
                default -> throw new IllegalArgumentException("network description: node '" + name + "' has unknown op '" + n.path("op").asText() + "'");
            }
        }
        if (d.hasNonNull("output")) {
            g.output(d.get("output").asText());
        }
    }

    private static String text(JsonNode d, String field, String where) {
        JsonNode v = d.path(field);
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("network description: " + where + " has no '" + field + "'");
        }
        return v.asText();
    }

    private static int integer(JsonNode d, String field, String where) {
        JsonNode v = d.path(field);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("network description: " + where + " has no integer '" + field + "'");
        }
        return v.asInt();
    }

    private static float number(JsonNode d, String field, String where) {
        JsonNode v = d.path(field);
        if (!v.isNumber()) {
            throw new IllegalArgumentException("network description: " + where + " has no number '" + field + "'");
        }
        return (float) v.asDouble();
    }

    private static boolean bool(JsonNode d, String field, String where) {
        JsonNode v = d.path(field);
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("network description: " + where + " has no true/false '" + field + "'");
        }
        return v.asBoolean();
    }

    private static JsonNode array(JsonNode d, String field, String where) {
        JsonNode v = d.path(field);
        if (!v.isArray()) {
            throw new IllegalArgumentException("network description: " + where + " has no list '" + field + "'");
        }
        return v;
    }
}
