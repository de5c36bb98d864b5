package org.cnn4j.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cnn4j.nn.Graph;
import org.cnn4j.onnx.proto.Onnx.ModelProto;
import org.cnn4j.onnx.proto.Onnx.OperatorSetIdProto;
import org.cnn4j.onnx.proto.Onnx.TensorShapeProto;
import org.cnn4j.onnx.proto.Onnx.TypeProto;
import org.cnn4j.onnx.proto.Onnx.ValueInfoProto;

/**
 * An ONNX model imported as an ordinary cnn4j network: {@link #graph()} runs, trains, fine-tunes, is
 * explained and saved like any other (it is in eval mode; call {@code train()} to fine-tune, and its
 * batch norm trains as cnn4j's does). Opsets 9 to 21 of the default domain; the op types the importer
 * knows are {@link #supportedOps()}, and any other fails the import naming the op, the node and the opset.
 *
 * @param graph             the network, owning its weights (close it when done)
 * @param inputShape        the network's per-sample input shape [C, H, W] (or [features])
 * @param opset             the file's opset of the default domain
 * @param producer          the program that wrote the file, e.g. "pytorch 1.13.0"
 * @param channelsLastInput the file's input is NHWC and its graph begins by transposing it to NCHW (Keras'
 *                          exports): the network leaves those transposes out and takes NCHW, as every cnn4j network
 * @param signalInput       the file's input is [N, C, L], a 1-D model's (PyTorch's Conv1d and its kin): the network takes
 *                          it as signals [N, C, 1, L], the same memory, as cnn4j's 1-D layers do
 * @param endsInSoftmax     the file's output is a softmax of the network's output: the final Softmax became the
 *                          softmax cnn4j applies to a classifier's logits (predict, eval, explain), so that
 *                          fine-tuning trains the logits with cross-entropy
 */
public record OnnxModel(Graph graph, int[] inputShape, int opset, String producer, boolean channelsLastInput, boolean signalInput,
                        boolean endsInSoftmax)
        implements AutoCloseable {
    public static final int MIN_OPSET = 9, MAX_OPSET = 21;

    /** Imports {@code file}, whose input shape (past the batch) the file must give. */
    public static OnnxModel load(Path file) throws IOException {
        return load(file, null);
    }

    /**
     * Imports {@code file} with per-sample input shape {@code inputShape} as the file orders it (for files whose input
     * sizes are symbolic).
     */
    public static OnnxModel load(Path file, int[] inputShape) throws IOException {
        ModelProto model = parse(file);
        int opset = opset(model, file);
        ValueInfoProto input = firstInput(model);
        int[] shape = inputShape != null ? inputShape.clone() : declaredShape(input, file);
        int rank = input.getType().getTensorType().getShape().getDimCount();
        if (inputShape != null && rank > 0 && rank != inputShape.length + 1) {
            throw new IllegalArgumentException("ONNX " + file + ": input '" + input.getName() + "' has " + rank + " dimensions, the batch and "
                    + (rank - 1) + " more; the input shape given has " + inputShape.length + ": " + Arrays.toString(inputShape));
        }
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("ONNX " + file + ": input shape " + Arrays.toString(shape) + " must be positive");
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        OnnxImporter importer = new OnnxImporter(dir, opset);
        Graph g = importer.build(model.getGraph(), shape);
        String producer = (model.getProducerName() + " " + model.getProducerVersion()).trim();
        return new OnnxModel(g, importer.inputShape(), opset, producer, importer.channelsLastInput(), importer.signalInput(),
                importer.endsInSoftmax());
    }

    /** Frees the network's weights. */
    @Override
    public void close() {
        graph.close();
    }

    /** The ONNX op types the importer turns into cnn4j layers or folds. */
    public static List<String> supportedOps() {
        return OnnxOperators.supported();
    }

    private static ModelProto parse(Path file) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such ONNX file");
        }
        if (size >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ONNX " + file + ": " + size + " bytes; a protobuf file holds at most 2 GB "
                    + "(larger models keep their weights as external data beside it)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE);
            ModelProto m = ModelProto.parseFrom(coded);
            if (!m.hasGraph() || m.getGraph().getNodeCount() == 0) {
                throw new IllegalArgumentException("ONNX " + file + ": no graph (not an ONNX model?)");
            }
            return m;
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("ONNX " + file + ": not an ONNX model (" + e.getMessage() + ")", e);
        }
    }

    private static int opset(ModelProto m, Path file) {
        for (OperatorSetIdProto o : m.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                long v = o.getVersion();
                if (v < MIN_OPSET || v > MAX_OPSET) {
                    throw new UnsupportedOperationException("ONNX " + file + ": opset " + v + " (the importer reads opsets "
                            + MIN_OPSET + " to " + MAX_OPSET + ")");
                }
                return (int) v;
            }
        }
        throw new IllegalArgumentException("ONNX " + file + ": no opset of the default domain in opset_import");
    }

    private static ValueInfoProto firstInput(ModelProto m) {
        Set<String> initializers = new HashSet<>();
        m.getGraph().getInitializerList().forEach(t -> initializers.add(t.getName()));
        return m.getGraph().getInputList().stream().filter(v -> !initializers.contains(v.getName())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("ONNX graph: no input besides the initializers"));
    }

    private static int[] declaredShape(ValueInfoProto input, Path file) {
        TypeProto t = input.getType();
        if (!t.hasTensorType() || t.getTensorType().getElemType() != 1) {
            throw new UnsupportedOperationException("ONNX " + file + ": input '" + input.getName() + "' is not a float tensor");
        }
        List<TensorShapeProto.Dimension> dims = t.getTensorType().getShape().getDimList();
        if (dims.size() < 2) {
            throw new UnsupportedOperationException("ONNX " + file + ": input '" + input.getName() + "' has " + dims.size()
                    + " dimensions; a batch and at least one more are needed");
        }
        int[] shape = new int[dims.size() - 1];
        for (int i = 1; i < dims.size(); i++) {
            TensorShapeProto.Dimension d = dims.get(i);
            if (!d.hasDimValue() || d.getDimValue() <= 0 || d.getDimValue() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("ONNX " + file + ": input '" + input.getName() + "' dimension " + i + " is "
                        + (d.hasDimParam() ? "'" + d.getDimParam() + "'" : d.hasDimValue() ? d.getDimValue() : "unknown")
                        + "; give the input shape (OnnxModel.load(file, shape), cnn4j import --input-shape)");
            }
            shape[i - 1] = (int) d.getDimValue();
        }
        return shape;
    }
}
