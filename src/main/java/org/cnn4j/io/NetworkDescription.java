package org.cnn4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.cnn4j.nn.Add;
import org.cnn4j.nn.Concat;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.LayerConfig;
import org.cnn4j.nn.LayerRegistry;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Sequential;

/**
 * A network's architecture as JSON, so a model file rebuilds any {@link Sequential} or {@link Graph} of
 * the layers {@link LayerRegistry} knows, not only zoo models. Every layer is an object with a
 * {@code "type"} and its {@link Module#config()} (the names PyTorch uses), e.g.
 * <pre>{@code
 * {"type": "Sequential", "layers": [
 *   {"name": "conv1", "layer": {"type": "Conv2d", "in": 1, "out": 8, "kernel": 3, "stride": 1, "padding": 1,
 *                               "dilation": 1, "groups": 1, "bias": false}},
 *   {"name": "relu1", "layer": {"type": "ReLU"}}, ...]}
 * {"type": "Graph", "input": "x", "output": "out", "nodes": [
 *   {"name": "a", "inputs": ["x"], "layer": {...}},
 *   {"name": "sum", "inputs": ["a", "x"], "layer": {"type": "Add"}}, ...]}
 * }</pre>
 * Files written before every node was a module mark graph nodes with {@code "op"}: {@code "layer"},
 * {@code "add"} or {@code "concat"}; they load as they did. Rebuilt layers get fresh initial weights,
 * which the model file then overwrites.
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
            return o;
        }
        if (m instanceof Graph g) {
            o.put("type", "Graph").put("input", g.inputName()).put("output", g.outputName());
            ArrayNode nodes = o.putArray("nodes");
            for (Graph.Node n : g.nodes()) {
                ObjectNode node = nodes.addObject().put("name", n.name());
                ArrayNode inputs = node.putArray("inputs");
                n.inputs().forEach(inputs::add);
                node.set("layer", describe(n.module()));
            }
            return o;
        }
        LayerConfig config = m.config();
        if (!LayerRegistry.knows(config.type())) {
            throw new IllegalArgumentException("network description: cannot describe a " + m.getClass().getName()
                    + " (model files hold networks of the layers LayerRegistry knows: " + String.join(", ", LayerRegistry.typeNames()) + ")");
        }
        o.put("type", config.type());
        config.values().forEach((k, v) -> put(o, k, v));
        return o;
    }

    private static void put(ObjectNode o, String k, Object v) {
        if (v instanceof Float f) {
            o.put(k, f);
        } else if (v instanceof Double d) {
            o.put(k, d);
        } else if (v instanceof Integer i) {
            o.put(k, i);
        } else if (v instanceof Long l) {
            o.put(k, l);
        } else if (v instanceof Boolean b) {
            o.put(k, b);
        } else {
            o.put(k, v.toString());
        }
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
            default -> {
                try {
                    yield LayerRegistry.build(config(d));
                } catch (IllegalArgumentException e) {
                    throw e.getMessage() != null && e.getMessage().startsWith("network description") ? e
                            : new IllegalArgumentException("network description: " + e.getMessage(), e);
                }
            }
        };
    }

    /** A layer's config from its JSON object: every field but "type", as the JSON types it. */
    private static LayerConfig config(JsonNode d) {
        LayerConfig c = new LayerConfig(d.path("type").asText());
        d.fields().forEachRemaining(f -> {
            JsonNode v = f.getValue();
            if (f.getKey().equals("type")) {
                return;
            }
            if (v.isIntegralNumber() && v.canConvertToLong()) {
                c.put(f.getKey(), v.canConvertToInt() ? (Object) v.asInt() : (Object) v.asLong());
            } else if (v.isNumber()) {
                c.put(f.getKey(), v.asDouble());
            } else if (v.isBoolean()) {
                c.put(f.getKey(), v.asBoolean());
            } else if (v.isTextual()) {
                c.put(f.getKey(), v.asText());
            }
        });
        return c;
    }

    /**
     * The floats of weights and statistics each layer of {@code d} would allocate, by dotted layer path,
     * counted without building anything: a model file compares them with the data it holds before a
     * header of a few bytes can make it allocate gigabytes.
     */
    public static Map<String, Long> weightFloats(JsonNode d) {
        Map<String, Long> out = new LinkedHashMap<>();
        weightFloats(d, "", out);
        return out;
    }

    private static void weightFloats(JsonNode d, String path, Map<String, Long> out) {
        String type = text(d, "type", "layer");
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
            default -> {
                if (LayerRegistry.knows(type)) {
                    try {
                        out.put(path.isEmpty() ? "the network" : path, LayerRegistry.weightFloats(config(d)));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("network description: " + e.getMessage(), e);
                    }
                }
            }
        }
    }

    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
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
            Module module = switch (n.path("op").asText("layer")) { // "op": files from before every node was a module
                case "layer" -> build(n.path("layer"));
                case "add" -> new Add();
                case "concat" -> new Concat();
                default -> throw new IllegalArgumentException("network description: node '" + name + "' has unknown op '" + n.path("op").asText() + "'");
            };
            try {
                g.node(name, module, in);
            } catch (RuntimeException e) {
                module.close();
                throw e;
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

    private static JsonNode array(JsonNode d, String field, String where) {
        JsonNode v = d.path(field);
        if (!v.isArray()) {
            throw new IllegalArgumentException("network description: " + where + " has no list '" + field + "'");
        }
        return v;
    }
}
