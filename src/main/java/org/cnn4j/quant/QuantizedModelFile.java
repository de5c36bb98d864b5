package org.cnn4j.quant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import org.cnn4j.io.AtomicFiles;
import org.cnn4j.io.ModelFile;
import org.cnn4j.io.NetworkDescription;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Int8Weights;
import org.cnn4j.tensor.Tensor;

/**
 * The quantised model file ({@code cnn4j quantize}'s output). Layout (integers big-endian, data little-endian):
 * <pre>
 *   8 bytes   magic "CNN4JQNT"
 *   4 bytes   format version (1)
 *   4 bytes   length L of the header
 *   L bytes   header, UTF-8 JSON: architecture, network (the f32 architecture, NetworkDescription), input,
 *             classes, normalization (as in {@link ModelFile}); calibration (the method); ranges {value: [range,
 *             never negative]}; int8 [{name, shape}]; float [{name, shape}]
 *   ...       per int8 tensor its per-output-channel scales (float32) then its s8 values; then the float32 tensors
 *   8 bytes   CRC-32 of everything before it
 * </pre>
 * Reading rebuilds and fuses the architecture, plans it as {@link Quantization#int8} did and takes the stored
 * weights; it checks the magic, version, checksum, that the listed tensors exactly fill the data before
 * allocating, and that they are exactly those the plan needs, naming the file and what is wrong.
 */
public final class QuantizedModelFile {
    private static final byte[] MAGIC = "CNN4JQNT".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private QuantizedModelFile() {
    }

    /** Whether {@code file} starts as a quantised model file does (so a reader can tell it from a {@link ModelFile}). */
    public static boolean isQuantized(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (var in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
        }
    }

    /** Writes {@code q}, quantised from {@code source}'s model by {@code method}, atomically. */
    public static void write(Path file, ModelFile.Saved source, QuantizedNetwork q, CalibrationMethod method) throws IOException {
        ObjectNode header = ModelFile.headerOf(source);
        header.put("calibration", method.name().toLowerCase(Locale.ROOT));
        ObjectNode ranges = header.putObject("ranges");
        q.ranges().forEach((k, r) -> ranges.putArray(k).add(r.range()).add(r.neverNegative()));
        Map<String, Int8Weights> int8 = q.int8Tensors();
        Map<String, Tensor> floats = q.floatTensors();
        ArrayNode i8 = header.putArray("int8"), f32 = header.putArray("float");
        int8.forEach((k, w) -> shape(i8.addObject().put("name", k), w.dims()));
        floats.forEach((k, t) -> shape(f32.addObject().put("name", k), t.dims()));
        byte[] head = JSON.writeValueAsBytes(header);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(head.length);
        out.write(head);
        for (Int8Weights w : int8.values()) {
            ByteBuffer b = ByteBuffer.allocate(4 * w.dim(0) + w.numel()).order(ByteOrder.LITTLE_ENDIAN);
            for (int o = 0; o < w.dim(0); o++) {
                b.putFloat(w.scale(o));
            }
            b.put(w.values());
            out.write(b.array());
        }
        for (Map.Entry<String, Tensor> e : floats.entrySet()) {
            float[] v = e.getValue().toArray();
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : v) {
                if (!Float.isFinite(f)) {
                    throw new IllegalArgumentException("quantized model file " + file + ": not written: tensor '" + e.getKey() + "' holds " + f);
                }
                b.putFloat(f);
            }
            out.write(b.array());
        }
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();
        AtomicFiles.write(file, bytes.toByteArray());
    }

    private static void shape(ObjectNode n, int[] dims) {
        ArrayNode a = n.putArray("shape");
        Arrays.stream(dims).forEach(a::add);
    }

    private record Listed(String name, int[] dims, long numel) {
    }

    /** Reads a quantised model; the caller closes {@code model()} (a {@link QuantizedNetwork}). */
    public static ModelFile.Saved read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw error(file, "no such file");
        }
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 8) {
            throw error(file, size + " bytes is more than the 2 GB a model file may have");
        }
        byte[] all = Files.readAllBytes(file);
        if (all.length < MAGIC.length + 16 || !Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw error(file, all.length < MAGIC.length + 16 ? "truncated (only " + all.length + " bytes)" : "not a quantised cnn4j model (bad magic)");
        }
        ByteBuffer in = ByteBuffer.wrap(all);
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        if (crc.getValue() != in.getLong(all.length - 8)) {
            throw error(file, "checksum mismatch (the file is truncated or corrupt)");
        }
        in.position(MAGIC.length);
        int version = in.getInt(), headLength = in.getInt();
        if (version != VERSION) {
            throw error(file, "format version " + version + ", this cnn4j reads version " + VERSION);
        }
        if (headLength <= 0 || headLength > in.remaining() - 8) {
            throw error(file, "header length " + headLength + " does not fit the file");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(all, in.position(), headLength, StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("quantized model file " + file + ": the header is not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (header == null || !header.isObject() || !header.has("network")) {
            throw error(file, "the header is not a JSON object with a network");
        }
        in.position(in.position() + headLength);
        ByteBuffer body = in.slice().order(ByteOrder.LITTLE_ENDIAN);
        body.limit(body.limit() - 8);
        List<Listed> int8 = listed(file, header.path("int8")), floats = listed(file, header.path("float"));
        long need = 0;
        for (Listed l : int8) {
            need += 4L * l.dims[0] + l.numel;
        }
        for (Listed l : floats) {
            need += 4 * l.numel;
        }
        if (need != body.remaining()) {
            throw error(file, "the listed tensors need " + need + " bytes of data, the file has " + body.remaining());
        }
        Map<String, ValueRange> ranges = new LinkedHashMap<>();
        var fields = header.path("ranges").fields();
        while (fields.hasNext()) {
            var e = fields.next();
            JsonNode r = e.getValue();
            try {
                ranges.put(e.getKey(), new ValueRange(r.path(0).asDouble(Double.NaN), r.path(1).asBoolean()));
            } catch (IllegalArgumentException ex) {
                throw error(file, "range of " + e.getKey() + ": " + ex.getMessage());
            }
        }
        Map<String, Int8Weights> weights = new HashMap<>();
        for (Listed l : int8) {
            float[] scales = new float[l.dims[0]];
            for (int o = 0; o < scales.length; o++) {
                scales[o] = body.getFloat();
            }
            byte[] q = new byte[(int) l.numel];
            body.get(q);
            try {
                weights.put(l.name, new Int8Weights(q, scales, l.dims));
            } catch (IllegalArgumentException e) {
                throw error(file, "int8 tensor '" + l.name + "': " + e.getMessage());
            }
        }
        Map<String, float[]> stored = new HashMap<>();
        for (Listed l : floats) {
            float[] v = new float[(int) l.numel];
            body.asFloatBuffer().get(v);
            body.position(body.position() + 4 * v.length);
            stored.put(l.name, v);
        }
        return rebuild(file, header, ranges, weights, stored, floats);
    }

    private static ModelFile.Saved rebuild(Path file, JsonNode header, Map<String, ValueRange> ranges, Map<String, Int8Weights> weights,
                                           Map<String, float[]> stored, List<Listed> floats) throws IOException {
        ModelFile.HeaderFields f = ModelFile.headerFields(header, false, what -> error(file, what));
        QuantizedNetwork q;
        try {
            Module architecture = Init.withoutRandomValues(() -> NetworkDescription.build(header.get("network")));
            q = Quantization.int8(architecture, ranges, new Int8Planner.Weights() {
                @Override
                public Int8Weights weight(String step, Tensor fp32) {
                    Int8Weights s = weights.get(step + ".weight");
                    if (s == null || !Arrays.equals(s.dims(), fp32.dims())) {
                        throw new IllegalArgumentException("int8 weights of " + step + " " + fp32.shape() + " are "
                                + (s == null ? "missing" : "stored as " + Arrays.toString(s.dims())));
                    }
                    return s;
                }

                @Override
                public Tensor bias(String step, Tensor fp32) {
                    if (fp32 == null) {
                        return null;
                    }
                    float[] v = stored.get(step + ".bias");
                    if (v == null || v.length != fp32.numel()) {
                        throw new IllegalArgumentException("bias of " + step + " " + fp32.shape() + " is " + (v == null ? "missing" : "of " + v.length));
                    }
                    return Tensor.of(v, fp32.dims()).freeze();
                }
            });
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw error(file, e.getMessage());
        }
        Map<String, Tensor> needed = q.floatTensors();
        Set<String> listed = new HashSet<>();
        floats.forEach(l -> listed.add(l.name));
        if (!needed.keySet().equals(listed) || !q.int8Tensors().keySet().equals(weights.keySet())) {
            q.close();
            throw error(file, "the stored tensors " + listed + " + " + weights.keySet() + " are not those its architecture needs "
                    + needed.keySet() + " + " + q.int8Tensors().keySet());
        }
        for (Listed l : floats) {
            Tensor t = needed.get(l.name);
            if (!Arrays.equals(t.dims(), l.dims)) {
                q.close();
                throw error(file, "tensor '" + l.name + "' is stored as " + Arrays.toString(l.dims) + ", the architecture has " + t.shape());
            }
            if (!t.isFrozen()) {
                t.copyFrom(stored.get(l.name));
            } else if (!Arrays.equals(t.toArray(), stored.get(l.name))) {
                // a fused layer's own frozen copy of weights the file cannot restore: refuse rather than run it wrong
                q.close();
                throw error(file, "tensor '" + l.name + "' belongs to a fused f32 layer whose weights cannot be restored");
            }
        }
        try {
            return new ModelFile.Saved(f.architecture() + " (int8)", f.channels(), f.height(), f.width(), f.classes(), q, List.of(),
                    f.mean(), f.std(), f.sampleRate());
        } catch (IllegalArgumentException e) {
            q.close();
            throw error(file, e.getMessage());
        }
    }

    private static List<Listed> listed(Path file, JsonNode list) throws IOException {
        if (!list.isArray()) {
            throw error(file, "the header lacks its tensor lists");
        }
        List<Listed> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode n : list) {
            String name = n.path("name").asText("");
            JsonNode shape = n.path("shape");
            if (name.isEmpty() || !seen.add(name) || !shape.isArray() || shape.isEmpty()) {
                throw error(file, "bad tensor entry " + n);
            }
            int[] dims = new int[shape.size()];
            long numel = 1;
            for (int i = 0; i < dims.length; i++) {
                long d = shape.get(i).asLong(-1);
                if (d <= 0 || d > Integer.MAX_VALUE) {
                    throw error(file, "tensor '" + name + "' has dimension " + shape.get(i));
                }
                dims[i] = (int) d;
                numel *= d;
                if (numel > Integer.MAX_VALUE) {
                    throw error(file, "tensor '" + name + "' " + shape + " is over 2^31 values");
                }
            }
            out.add(new Listed(name, dims, numel));
        }
        return out;
    }

    private static IOException error(Path file, String what) {
        return new IOException("quantized model file " + file + ": " + what);
    }
}
