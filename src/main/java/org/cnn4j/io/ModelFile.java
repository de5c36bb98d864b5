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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.EpochResult;
import org.cnn4j.zoo.Zoo;

/**
 * The cnn4j model file. Layout (integers big-endian, tensor data little-endian float32):
 * <pre>
 *   8 bytes   magic "CNN4JMDL"
 *   4 bytes   format version (1)
 *   4 bytes   length L of the header
 *   L bytes   header, UTF-8 JSON:
 *               architecture  a label: the zoo name, or any name for a hand-built network
 *               network       the layers and how they connect ({@link NetworkDescription}); files without
 *                             it are rebuilt from the zoo by their label
 *               input         [channels, height, width];  classes: the class names
 *               normalization {mean, std} the model expects on pixels in [0, 1] (Fashion-MNIST's when absent)
 *               sample_rate   for a sound model: the rate in Hz of the waveform it takes as [1, 1, samples]
 *               history       one entry per trained epoch (losses, accuracies, learning rate, speed)
 *               tensors       [{name, shape}] of the parameters, then the buffers (batch norm statistics)
 *               optimizer     optional, in checkpoints: {kind, steps, tensors: [{name, shape}]}
 *               weights       "float16" when the model's tensors are stored in half precision (absent: float32)
 *   ...       the data of those tensors in that order: the model's, then the optimizer's (always float32)
 *   8 bytes   CRC-32 of everything before it
 * </pre>
 * Files are written with {@link AtomicFiles}, so a crash never leaves half a model. Reading checks the
 * magic, version, checksum and header, and before allocating anything that the listed tensors (each
 * name once, int dimensions) exactly fill the data in the declared precision, that the described
 * network's layers need no more weights than that, that the input shape is at most
 * {@link #MAX_INPUT_VALUES} values and that a network ending in a linear layer has one output per
 * class name; errors name the file and what is wrong.
 * A checkpoint ({@link #write(Path, Saved, Optimizer)}) also holds the optimiser's state (momentum,
 * Adam's moments and step counts), which {@link #restoreOptimizer} copies back so a resumed run
 * continues exactly where it stopped.
 */
public final class ModelFile {
    private static final byte[] MAGIC = "CNN4JMDL".getBytes(StandardCharsets.US_ASCII);
    /** The sample rates a sound model may name: telephone speech's 1 kHz (and below is no longer sound) to studio 192 kHz. */
    public static final int MIN_SAMPLE_RATE = 1000, MAX_SAMPLE_RATE = 192_000;
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A model with what is needed to rebuild and use it: its input shape, class names, training history and
     * the normalisation (x - mean) / std it expects on pixels in [0, 1]. A sound model has a {@code sampleRate}
     * (Hz) and takes a waveform of {@code width} samples as [1, 1, 1, width]; an image model has 0.
     */
    public record Saved(String architecture, int channels, int height, int width, List<String> classNames, Module model,
                        List<EpochResult> history, float mean, float std, int sampleRate) {

        /** Refuses what {@link #read} would refuse, so that no file is written that cannot be read back. */
        public Saved {
            if (classNames == null || classNames.isEmpty()) {
                throw new IllegalArgumentException("model file: a model needs its class names, one per output; got none");
            }
            if (sampleRate != 0 && (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE || channels != 1 || height != 1)) {
                throw new IllegalArgumentException("model file: a sound model takes [1, 1, samples] at " + MIN_SAMPLE_RATE + "-"
                        + MAX_SAMPLE_RATE + " Hz, got input [" + channels + ", " + height + ", " + width + "] at " + sampleRate + " Hz");
            }
        }

        /** An image model. */
        public Saved(String architecture, int channels, int height, int width, List<String> classNames, Module model,
                     List<EpochResult> history, float mean, float std) {
            this(architecture, channels, height, width, classNames, model, history, mean, std, 0);
        }

        /** Whether the model classifies sound: a waveform at {@link #sampleRate} Hz. */
        public boolean isSound() {
            return sampleRate > 0;
        }

        /** A model trained on Fashion-MNIST's normalisation. */
        public Saved(String architecture, int channels, int height, int width, List<String> classNames, Module model,
                     List<EpochResult> history) {
            this(architecture, channels, height, width, classNames, model, history, FashionMnist.MEAN, FashionMnist.STD);
        }
    }

    /**
     * The most values one input image may have (e.g. 3x4096x4096): 256 MB as floats, so that a header
     * cannot make a reader allocate an input buffer of gigabytes.
     */
    public static final long MAX_INPUT_VALUES = 1L << 26;

    /** A tensor as the header lists it, with a shape checked to fit int dimensions and a long element count. */
    private record Listed(String name, int[] dims, long numel) {
    }

    /**
     * A checked file: its parsed header, the tensors it lists (each name once, their data exactly filling
     * the file) and its tensor data (model tensors first, then any optimizer state).
     */
    private record Contents(Path file, JsonNode header, List<Listed> tensors, List<Listed> optimizerTensors, ByteBuffer data) {
        boolean halfWeights() {
            return halfWeights(header);
        }

        static boolean halfWeights(JsonNode header) {
            return header.path("weights").asText("float32").equals("float16");
        }

        IOException error(String what) {
            return error(file, what);
        }

        static IOException error(Path file, String what) {
            return new IOException("model file " + file + ": " + what);
        }
    }

    private ModelFile() {
    }

    /** Writes a model without optimizer state. */
    public static void write(Path file, Saved m) throws IOException {
        write(file, m, null);
    }

    /**
     * Writes a model and, when {@code optimizer} is not null, its state: a checkpoint to resume from.
     * A tensor holding a NaN or an infinity is refused with an {@link IllegalArgumentException} naming it,
     * and nothing is written: such a model only answers NaN (see {@link #writeAllowingNonFinite}).
     */
    public static void write(Path file, Saved m, Optimizer optimizer) throws IOException {
        writeFile(file, m, optimizer, false, false);
    }

    /** {@link #write(Path, Saved)} even when a tensor holds a NaN or an infinity (to keep a diverged run for study). */
    public static void writeAllowingNonFinite(Path file, Saved m) throws IOException {
        writeFile(file, m, null, false, true);
    }

    /**
     * Writes a model with its weights and statistics in float16: half the size, for shipping a trained
     * model (predictions barely change: relative rounding error 2^-11 per weight). No optimizer state.
     * Refuses non-finite tensors as {@link #write(Path, Saved, Optimizer)} does, and values beyond
     * float16's range (65504), which would become infinities.
     */
    public static void writeFloat16(Path file, Saved m) throws IOException {
        writeFile(file, m, null, true, false);
    }

    /**
     * The header fields every cnn4j model file has (architecture, network, input, normalization, classes), for this
     * file format and others that hold the same model in another form (a quantised model file).
     */
    public static ObjectNode headerOf(Saved m) {
        ObjectNode header = JSON.createObjectNode();
        header.put("architecture", m.architecture());
        header.set("network", NetworkDescription.describe(m.model()));
        header.putArray("input").add(m.channels()).add(m.height()).add(m.width());
        header.putObject("normalization").put("mean", m.mean()).put("std", m.std());
        if (m.isSound()) {
            header.put("sample_rate", m.sampleRate());
        }
        ArrayNode names = header.putArray("classes");
        m.classNames().forEach(names::add);
        return header;
    }

    private static void writeFile(Path file, Saved m, Optimizer optimizer, boolean half, boolean allowNonFinite) throws IOException {
        ObjectNode header = headerOf(m);
        header.set("history", JSON.valueToTree(m.history()));
        Map<String, Tensor> tensors = tensorsOf(m.model());
        header.set("tensors", list(tensors));
        if (half) {
            header.put("weights", "float16");
        }
        Map<String, Tensor> all = new LinkedHashMap<>(tensors);
        if (optimizer != null) {
            ObjectNode opt = header.putObject("optimizer").put("kind", optimizer.kind());
            ArrayNode steps = opt.putArray("steps");
            Arrays.stream(optimizer.stepCounts()).forEach(steps::add);
            opt.set("tensors", list(optimizer.state()));
            optimizer.state().forEach((name, t) -> all.put("optimizer/" + name, t));
        }
        byte[] head = JSON.writeValueAsBytes(header);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(head.length);
        out.write(head);
        for (Map.Entry<String, Tensor> e : all.entrySet()) {
            float[] v = e.getValue().toArray();
            ByteBuffer b = ByteBuffer.allocate((half ? 2 : 4) * v.length).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < v.length; i++) {
                float f = v[i];
                float stored = half ? Float16.toFloat(Float16.fromFloat(f)) : f;
                if (!allowNonFinite && !Float.isFinite(stored)) {
                    throw new IllegalArgumentException("model file " + file + ": not written: tensor '" + e.getKey() + "' holds " + f
                            + " at element " + i + (Float.isFinite(f) ? ", beyond float16's range" : "")
                            + " (a diverged model only answers NaN; ModelFile.writeAllowingNonFinite writes it anyway)");
                }
                if (half) {
                    b.putShort(Float16.fromFloat(f));
                } else {
                    b.putFloat(f);
                }
            }
            out.write(b.array());
        }
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();
        AtomicFiles.write(file, bytes.toByteArray());
    }

    /** Reads a model (in training mode, like a freshly built one); the caller closes {@code model()}. */
    public static Saved read(Path file) throws IOException {
        Contents c = load(file);
        JsonNode header = c.header();
        HeaderFields f = headerFields(header, true, c::error);
        String arch = f.architecture();
        Module model;
        try {
            if (header.has("network")) {
                checkNetwork(c, header.get("network"), f.classes().size());
            }
            // every weight is overwritten from the file below, so none is drawn first
            model = org.cnn4j.nn.Init.withoutRandomValues(() -> header.has("network") ? NetworkDescription.build(header.get("network"))
                    : Zoo.build(arch, f.channels(), f.height(), f.width(), f.classes().size()));
        } catch (IllegalArgumentException e) {
            throw c.error(e.getMessage());
        }
        try {
            c.data().position(0);
            copyInto(c, c.tensors(), tensorsOf(model), "architecture " + arch, c.halfWeights());
            List<EpochResult> history = Arrays.asList(JSON.convertValue(header.path("history"), EpochResult[].class));
            return new Saved(arch, f.channels(), f.height(), f.width(), f.classes(), model, new ArrayList<>(history), f.mean(), f.std(),
                    f.sampleRate());
        } catch (IOException | IllegalArgumentException e) {
            model.close();
            throw e instanceof IOException io ? io : c.error("unreadable training history (" + e.getMessage() + ")");
        }
    }

    /** {@link #headerOf}'s fields as read back and checked. */
    public record HeaderFields(String architecture, int channels, int height, int width, List<String> classes, float mean, float std,
                               int sampleRate) {
    }

    /**
     * Reads and checks the fields {@link #headerOf} writes, for this file format and the quantised one; each
     * problem becomes {@code error}'s exception (which names the file). Files written before the normalisation
     * was stored get Fashion-MNIST's when {@code formerNormalization}; otherwise its absence is an error.
     */
    public static HeaderFields headerFields(JsonNode header, boolean formerNormalization, java.util.function.Function<String, IOException> error)
            throws IOException {
        int[] input = inputShape(header, error);
        List<String> classes = new ArrayList<>();
        header.path("classes").forEach(n -> classes.add(n.asText()));
        if (classes.isEmpty()) {
            throw error.apply("header lacks the class names");
        }
        JsonNode norm = header.path("normalization");
        float mean = norm.has("mean") ? (float) norm.path("mean").asDouble() : formerNormalization ? FashionMnist.MEAN : Float.NaN;
        float std = norm.has("std") ? (float) norm.path("std").asDouble() : formerNormalization ? FashionMnist.STD : Float.NaN;
        if (!Float.isFinite(mean) || !(std > 0) || !Float.isFinite(std)) {
            throw error.apply("normalization mean " + mean + ", std " + std + " is not usable");
        }
        return new HeaderFields(header.path("architecture").asText(), input[0], input[1], input[2], List.copyOf(classes), mean, std,
                sampleRate(header, input, error));
    }

    /** The header's sample rate (0 when absent: an image model), in the range and input shape a sound model has. */
    private static int sampleRate(JsonNode header, int[] input, java.util.function.Function<String, IOException> error) throws IOException {
        JsonNode rate = header.path("sample_rate");
        if (rate.isMissingNode()) {
            return 0;
        }
        if (!rate.isIntegralNumber() || !rate.canConvertToInt() || rate.asInt() < MIN_SAMPLE_RATE || rate.asInt() > MAX_SAMPLE_RATE) {
            throw error.apply("header's sample_rate " + rate + " is not an integer from " + MIN_SAMPLE_RATE + " to " + MAX_SAMPLE_RATE + " Hz");
        }
        if (input[0] != 1 || input[1] != 1) {
            throw error.apply("header names sample_rate " + rate + " but its input " + Arrays.toString(input)
                    + " is not a waveform [1, 1, samples]");
        }
        return rate.asInt();
    }

    /** [channels, height, width] from the header: positive ints whose product is at most {@link #MAX_INPUT_VALUES}. */
    private static int[] inputShape(JsonNode header, java.util.function.Function<String, IOException> error) throws IOException {
        JsonNode input = header.path("input");
        int[] shape = new int[3];
        long values = 1;
        for (int i = 0; i < 3; i++) {
            JsonNode d = input.path(i);
            if (input.size() != 3 || !d.isIntegralNumber() || !d.canConvertToInt() || d.asInt() <= 0) {
                throw error.apply("header's input shape " + input + " is not [channels, height, width] of positive integers");
            }
            shape[i] = d.asInt();
            values *= shape[i];
        }
        if (values > MAX_INPUT_VALUES) {
            throw error.apply("header's input shape " + input + " has " + values + " values per image, more than the "
                    + MAX_INPUT_VALUES + " cnn4j accepts");
        }
        return shape;
    }

    /**
     * Checks, before anything is allocated, that the described network's weights fit in what the file
     * holds, and that a network ending in a linear layer has one output per class.
     */
    private static void checkNetwork(Contents c, JsonNode network, int classes) throws IOException {
        long listed = c.tensors().stream().mapToLong(Listed::numel).sum(), needed = 0;
        for (Map.Entry<String, Long> layer : NetworkDescription.weightFloats(network).entrySet()) {
            if (layer.getValue() > listed) {
                throw c.error("layer '" + layer.getKey() + "' of the network description needs " + layer.getValue()
                        + " floats of weights but the file's tensors hold " + listed + " in all");
            }
            needed += layer.getValue();
        }
        if (needed > listed) {
            throw c.error("the network description's layers need " + needed + " floats of weights but the file's tensors hold " + listed);
        }
        java.util.OptionalInt outputs = NetworkDescription.outputs(network);
        if (outputs.isPresent() && outputs.getAsInt() != classes) {
            throw c.error("the network has " + outputs.getAsInt() + " outputs but the header names " + classes + " classes");
        }
    }

    /**
     * Copies the optimizer state saved in a checkpoint into {@code optimizer}, which must be of the same
     * kind and built on the parameters of the model read from the same file. Returns false (leaving the
     * optimizer as it is) when the file holds no optimizer state, e.g. one written by {@code cnn4j demo}.
     */
    public static boolean restoreOptimizer(Path file, Optimizer optimizer) throws IOException {
        Contents c = load(file);
        JsonNode opt = c.header().path("optimizer");
        if (opt.isMissingNode()) {
            return false;
        }
        if (!opt.path("kind").asText().equals(optimizer.kind())) {
            throw c.error("its optimizer state is " + opt.path("kind").asText() + "'s, not " + optimizer.kind() + "'s");
        }
        long skip = c.tensors().stream().mapToLong(Listed::numel).sum() * (c.halfWeights() ? 2 : 4);
        c.data().position(Math.toIntExact(skip));
        copyInto(c, c.optimizerTensors(), optimizer.state(), optimizer.kind() + " optimizer", false);
        int[] steps = JSON.convertValue(opt.path("steps"), int[].class);
        try {
            optimizer.restoreStepCounts(steps == null ? new int[0] : steps);
        } catch (IllegalArgumentException e) {
            throw c.error(e.getMessage());
        }
        return true;
    }

    /** Reads and checks everything but the tensor values: size, magic, checksum, version, header, the tensor lists against the data. */
    private static Contents load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("model file " + file + ": no such file");
        }
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 8) {
            throw Contents.error(file, size + " bytes is more than the 2 GB a model file may have");
        }
        byte[] all = Files.readAllBytes(file);
        ByteBuffer in = ByteBuffer.wrap(all);
        int prefix = Math.min(all.length, MAGIC.length);
        if (!Arrays.equals(all, 0, prefix, MAGIC, 0, prefix)) {
            throw new IOException("model file " + file + ": not a cnn4j model (bad magic)");
        }
        if (all.length < MAGIC.length + 16) {
            throw new IOException("model file " + file + ": truncated (only " + all.length + " bytes)");
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
        JsonNode header;
        try {
            header = JSON.readTree(new String(all, in.position(), headLength, StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("model file " + file + ": the header is not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (header == null || !header.isObject()) {
            throw new IOException("model file " + file + ": the header is not a JSON object");
        }
        String weights = header.path("weights").asText("float32");
        if (!weights.equals("float32") && !weights.equals("float16")) {
            throw new IOException("model file " + file + ": weights stored as '" + weights + "', this cnn4j reads float32 and float16");
        }
        in.position(in.position() + headLength);
        ByteBuffer body = in.slice().order(ByteOrder.LITTLE_ENDIAN);
        body.limit(body.limit() - 8);
        JsonNode opt = header.path("optimizer");
        List<Listed> tensors = listed(file, header.path("tensors"), "tensors");
        List<Listed> optimizerTensors = opt.isMissingNode() ? List.of() : listed(file, opt.path("tensors"), "optimizer tensors");
        checkDataLength(file, tensors, optimizerTensors, Contents.halfWeights(header), body.remaining());
        return new Contents(file, header, tensors, optimizerTensors, body);
    }

    /** The tensors of a header list, each named once, with int dimensions (no wrap-around) and a long element count. */
    private static List<Listed> listed(Path file, JsonNode list, String what) throws IOException {
        if (!list.isArray()) {
            throw Contents.error(file, "the header has no list of " + what);
        }
        List<Listed> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (JsonNode e : list) {
            String name = e.path("name").asText();
            JsonNode shape = e.path("shape");
            if (name.isEmpty() || !shape.isArray()) {
                throw Contents.error(file, "an entry of the header's " + what + " lacks a name or a shape: " + e);
            }
            if (!names.add(name)) {
                throw Contents.error(file, "tensor '" + name + "' is listed twice in the header's " + what);
            }
            int[] dims = new int[shape.size()];
            long numel = 1;
            for (int i = 0; i < dims.length; i++) {
                JsonNode d = shape.get(i);
                if (!d.isIntegralNumber() || !d.canConvertToInt() || d.asInt() < 0) {
                    throw Contents.error(file, "tensor '" + name + "' has shape " + shape + ": dimension " + d
                            + " is not an integer in 0.." + Integer.MAX_VALUE);
                }
                dims[i] = d.asInt();
                numel = dims[i] == 0 || numel <= Long.MAX_VALUE / dims[i] ? numel * dims[i] : Long.MAX_VALUE;
            }
            out.add(new Listed(name, dims, numel));
        }
        return out;
    }

    /**
     * Checks that the listed tensors exactly fill the data (model tensors in float16 when {@code half}, optimizer
     * state in float32) before any of them is allocated.
     */
    private static void checkDataLength(Path file, List<Listed> tensors, List<Listed> optimizerTensors, boolean half, long data)
            throws IOException {
        long left = take(file, tensors, half ? 2 : 4, data);
        left = take(file, optimizerTensors, 4, left);
        if (left != 0) {
            long listed = data - left;
            String hint = half && data == 2 * listed ? " (float32 data under a header that says float16?)" : "";
            throw Contents.error(file, "the header's tensors take " + listed + " bytes but the file holds " + data
                    + " bytes of tensor data" + hint);
        }
    }

    /** The bytes left after the data of {@code list}, stored {@code width} bytes a value; fails naming the first that does not fit. */
    private static long take(Path file, List<Listed> list, int width, long left) throws IOException {
        for (Listed t : list) {
            if (t.numel() > left / width) {
                throw Contents.error(file, "tensor '" + t.name() + "' " + Arrays.toString(t.dims()) + " declares " + t.numel() + " "
                        + (width == 2 ? "float16" : "float32") + " values but the file has " + left + " bytes left");
            }
            left -= t.numel() * width;
        }
        return left;
    }

    /**
     * Copies the tensors listed in {@code list} (float16 when {@code half}) from the data's current position into
     * {@code targets}, checking that each target is there once with its shape.
     */
    private static void copyInto(Contents c, List<Listed> list, Map<String, Tensor> targets, String owner, boolean half) throws IOException {
        java.util.Set<String> missing = new java.util.LinkedHashSet<>(targets.keySet());
        for (Listed e : list) {
            Tensor t = targets.get(e.name());
            if (t == null || !Arrays.equals(t.dims(), e.dims())) {
                throw c.error("tensor " + e.name() + " " + Arrays.toString(e.dims()).replace(" ", "") + " does not match the " + owner
                        + (t == null ? " (no such tensor)" : " (expects " + Arrays.toString(t.dims()) + ")"));
            }
            missing.remove(e.name());
        }
        if (!missing.isEmpty()) {
            throw c.error("the " + owner + " has " + targets.size() + " tensors, the file lacks " + missing);
        }
        for (Listed e : list) {
            Tensor t = targets.get(e.name());
            float[] values = new float[t.numel()];
            for (int i = 0; i < values.length; i++) {
                values[i] = half ? Float16.toFloat(c.data().getShort()) : c.data().getFloat();
            }
            t.copyFrom(values);
        }
    }

    private static ArrayNode list(Map<String, Tensor> tensors) {
        ArrayNode list = JSON.createArrayNode();
        tensors.forEach((name, t) -> {
            ObjectNode e = list.addObject().put("name", name);
            ArrayNode shape = e.putArray("shape");
            Arrays.stream(t.dims()).forEach(shape::add);
        });
        return list;
    }

    /** Parameters then buffers, by name, in a stable order. */
    private static Map<String, Tensor> tensorsOf(Module model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        model.namedParameters().forEach((n, p) -> out.put(n, p.value()));
        model.namedBuffers().forEach(out::put);
        return out;
    }
}
