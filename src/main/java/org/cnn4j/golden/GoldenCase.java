package org.cnn4j.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.cnn4j.tensor.Tensor;

/**
 * One golden case: a folder with {@code case.json} (op, parameters, input and output shapes) and one
 * raw little-endian float32 file per tensor (see fixtures/FORMAT.md).
 */
public final class GoldenCase {
    private final String name;
    private final Path dir;
    private final JsonNode json;

    private GoldenCase(String name, Path dir, JsonNode json) {
        this.name = name;
        this.dir = dir;
        this.json = json;
    }

    /** Reads {@code dir/case.json}; a missing or unreadable file is an {@link IOException} naming it. */
    public static GoldenCase read(String name, Path dir) throws IOException {
        Path file = dir.resolve("case.json");
        if (!Files.isRegularFile(file)) {
            throw new IOException("golden case " + name + ": no such file " + file);
        }
        try {
            return new GoldenCase(name, dir, new ObjectMapper().readTree(file.toFile()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("golden case " + name + ": " + file + " is not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
    }

    public String name() {
        return name;
    }

    public String op() {
        return json.path("op").asText();
    }

    public JsonNode json() {
        return json;
    }

    public int integer(String key) {
        JsonNode v = json.get(key);
        if (v == null || !v.canConvertToInt()) {
            throw new IllegalArgumentException("case.json has no integer '" + key + "'");
        }
        return v.asInt();
    }

    public int[] pair(String key) {
        JsonNode v = json.get(key);
        if (v == null || !v.isArray() || v.size() != 2) {
            throw new IllegalArgumentException("case.json has no pair '" + key + "'");
        }
        return new int[] {v.get(0).asInt(), v.get(1).asInt()};
    }

    public double number(String key) {
        JsonNode v = json.get(key);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException("case.json has no number '" + key + "'");
        }
        return v.asDouble();
    }

    public boolean flag(String key, boolean fallback) {
        JsonNode v = json.get(key);
        return v == null ? fallback : v.asBoolean();
    }

    /** The names listed under "outputs". */
    public List<String> outputNames() {
        List<String> names = new ArrayList<>();
        Iterator<String> it = json.path("outputs").fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    public int[] shape(String tensor) {
        JsonNode s = json.path("inputs").get(tensor);
        if (s == null) {
            s = json.path("outputs").get(tensor);
        }
        if (s == null || !s.isArray()) {
            throw new IllegalArgumentException("case.json gives no shape for '" + tensor + "'");
        }
        int[] dims = new int[s.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = s.get(i).asInt();
        }
        return dims;
    }

    /** The largest reference magnitude and PyTorch's float32 error for an output (0 when not given). */
    public double[] outputStats(String output) {
        JsonNode st = json.path("output_stats").path(output);
        return new double[] {st.path("max_abs_ref").asDouble(0), st.path("torch_f32_max_abs_err").asDouble(0)};
    }

    /** Loads tensor {@code name} with its shape from case.json; a missing file or a size mismatch throws. */
    public Tensor tensor(String tensorName) throws IOException {
        int[] dims = shape(tensorName);
        Path file = dir.resolve(tensorName + ".f32");
        if (!Files.isRegularFile(file)) {
            throw new IOException("golden case " + name + ": no such file " + file);
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length != 4L * shapeSize(dims)) {
            throw new IOException("golden case " + name + ": " + file + " has " + bytes.length + " bytes but shape " + java.util.Arrays.toString(dims)
                    + " needs " + 4L * shapeSize(dims));
        }
        Tensor t = Tensor.zeros(dims);
        t.buffer().put(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
        return t;
    }

    private static long shapeSize(int[] dims) {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }
}
