package org.cnn4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.EpochResult;
import org.cnn4j.zoo.Zoo;

/**
 * The cnn4j model file. Layout (integers big-endian, tensor data little-endian float32):
 * <pre>
 *   8 bytes   magic "CNN4JMDL"
 *   4 bytes   format version (1)
 *   4 bytes   length L of the header
 *   L bytes   header, UTF-8 JSON: architecture (a zoo name), input [channels, height, width], classes,
 *             class names, training history, and the list of tensors (name, shape) in file order
 *   ...       the tensors' data, in that order: parameters, then buffers (batch norm statistics)
 *   8 bytes   CRC-32 of everything before it
 * </pre>
 * Files are written to a temporary file and renamed, so a crash never leaves half a model; reading
 * checks the magic, version, sizes, shapes and checksum and names the file and what is wrong.
 */
public final class ModelFile {
    private static final byte[] MAGIC = "CNN4JMDL".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    /** A model with what is needed to rebuild and use it. */
    public record Saved(String architecture, int channels, int height, int width, List<String> classNames, Module model,
                        List<EpochResult> history) {
    }

    private ModelFile() {
    }

    public static void write(Path file, Saved m) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        header.put("architecture", m.architecture());
        header.putArray("input").add(m.channels()).add(m.height()).add(m.width());
        ArrayNode names = header.putArray("classes");
        m.classNames().forEach(names::add);
        header.set("history", json.valueToTree(m.history()));
        Map<String, Tensor> tensors = tensorsOf(m.model());
        ArrayNode list = header.putArray("tensors");
        tensors.forEach((name, t) -> {
            ObjectNode e = list.addObject().put("name", name);
            ArrayNode shape = e.putArray("shape");
            Arrays.stream(t.dims()).forEach(shape::add);
        });
        byte[] head = json.writeValueAsBytes(header);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(head.length);
        out.write(head);
        for (Tensor t : tensors.values()) {
            ByteBuffer b = ByteBuffer.allocate(4 * t.numel()).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(t.toArray());
            out.write(b.array());
        }
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();
        AtomicFiles.write(file, bytes.toByteArray());
    }

    public static Saved read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("model file " + file + ": no such file");
        }
        byte[] all = Files.readAllBytes(file);
        ByteBuffer in = ByteBuffer.wrap(all);
        if (all.length < MAGIC.length + 16 || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new IOException("model file " + file + ": not a cnn4j model (bad magic)");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        if (crc.getValue() != in.getLong(all.length - 8)) {
            throw new IOException("model file " + file + ": checksum mismatch (the file is truncated or corrupt)");
        }
        in.position(MAGIC.length);
        int version = in.getInt();
        if (version != VERSION) {
            throw new IOException("model file " + file + ": format version " + version + ", this cnn4j reads version " + VERSION);
        }
        int headLength = in.getInt();
        if (headLength <= 0 || headLength > in.remaining() - 8) {
            throw new IOException("model file " + file + ": header length " + headLength + " does not fit the file");
        }
        JsonNode header = new ObjectMapper().readTree(new String(all, in.position(), headLength, StandardCharsets.UTF_8));
        in.position(in.position() + headLength);
        String arch = header.path("architecture").asText();
        JsonNode input = header.path("input");
        int c = input.path(0).asInt(), h = input.path(1).asInt(), w = input.path(2).asInt();
        List<String> classes = new ArrayList<>();
        header.path("classes").forEach(n -> classes.add(n.asText()));
        Module model;
        try {
            model = Zoo.build(arch, c, h, w, classes.size());
        } catch (IllegalArgumentException e) {
            throw new IOException("model file " + file + ": " + e.getMessage(), e);
        }
        Map<String, Tensor> tensors = tensorsOf(model);
        JsonNode list = header.path("tensors");
        if (list.size() != tensors.size()) {
            model.close();
            throw new IOException("model file " + file + ": holds " + list.size() + " tensors, architecture " + arch + " has " + tensors.size());
        }
        FloatBuffer data = in.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (JsonNode e : list) {
            Tensor t = tensors.get(e.path("name").asText());
            int[] shape = new ObjectMapper().convertValue(e.path("shape"), int[].class);
            if (t == null || !Arrays.equals(t.dims(), shape)) {
                model.close();
                throw new IOException("model file " + file + ": tensor " + e.path("name").asText() + " " + Arrays.toString(shape)
                        + " does not match architecture " + arch);
            }
            float[] values = new float[t.numel()];
            if (data.remaining() < values.length + 2) {
                model.close();
                throw new IOException("model file " + file + ": data of " + e.path("name").asText() + " is cut short");
            }
            data.get(values);
            t.copyFrom(values);
        }
        List<EpochResult> history = new ArrayList<>(Arrays.asList(new ObjectMapper().convertValue(header.path("history"), EpochResult[].class)));
        return new Saved(arch, c, h, w, classes, model, history);
    }

    /** Parameters then buffers, by name, in a stable order. */
    private static Map<String, Tensor> tensorsOf(Module model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        model.namedParameters().forEach((n, p) -> out.put(n, p.value()));
        model.namedBuffers().forEach(out::put);
        return out;
    }
}
