package org.cnn4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.cnn4j.nn.Module;
import org.cnn4j.onnx.proto.Onnx.ModelProto;
import org.cnn4j.onnx.proto.Onnx.NodeProto;
import org.cnn4j.onnx.proto.Onnx.OperatorSetIdProto;
import org.cnn4j.onnx.proto.Onnx.StringStringEntryProto;
import org.cnn4j.onnx.proto.Onnx.TensorProto;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.Trainer;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad and unusual ONNX files: every failure names the file, the op, the node or the tensor; external data loads; an import trains. */
class OnnxImportErrorsTest {

    private static ModelProto fmnistCnn() {
        try (Module net = Zoo.build("fmnist-cnn-small", 1, 28, 28, 10)) {
            net.eval();
            return OnnxExport.toModel(net, new int[] {1, 28, 28});
        }
    }

    @Test
    void anUnknownOpNamesItsTypeNodeAndOpset(@TempDir Path dir) throws Exception {
        ModelProto m = fmnistCnn();
        NodeProto.Builder relu = m.getGraph().getNode(2).toBuilder().setOpType("Mish");
        Path file = dir.resolve("mish.onnx");
        Files.write(file, m.toBuilder().setGraph(m.getGraph().toBuilder().setNode(2, relu)).build().toByteArray());
        assertThatThrownBy(() -> OnnxModel.load(file)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("Mish").hasMessageContaining("node '" + relu.getName() + "'").hasMessageContaining("opset 13");
    }

    /** A 1-D model's op without a 2-D form over H = 1 here fails naming the op, the node and the signal's shape. */
    @Test
    void anOpOnASignalWithoutItsTwoDimensionalFormIsRefused(@TempDir Path dir) throws Exception {
        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(Path.of("src/test/resources/onnx/op_signal_1d.onnx")));
        int relu = 0;
        while (!m.getGraph().getNode(relu).getOpType().equals("Relu")) {
            relu++;
        }
        NodeProto.Builder lrn = m.getGraph().getNode(relu).toBuilder().setOpType("LRN");
        Path file = dir.resolve("lrn.onnx");
        Files.write(file, m.toBuilder().setGraph(m.getGraph().toBuilder().setNode(relu, lrn)).build().toByteArray());
        assertThatThrownBy(() -> OnnxModel.load(file)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("LRN on a 1-D signal [C, L]").hasMessageContaining("node '" + lrn.getName() + "'")
                .hasMessageContaining("Conv");
    }

    @Test
    void aGivenInputShapeMustHaveTheFilesRank() throws Exception {
        Path file = Path.of("src/test/resources/onnx/op_signal_1d.onnx");
        try (OnnxModel model = OnnxModel.load(file, new int[] {1, 800})) {
            assertThat(model.signalInput()).isTrue();
            assertThat(model.inputShape()).containsExactly(1, 1, 800);
        }
        assertThatThrownBy(() -> OnnxModel.load(file, new int[] {1, 20, 20})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 3 dimensions").hasMessageContaining("[1, 20, 20]");
    }

    @Test
    void corruptTruncatedAndEmptyFilesNameTheFile(@TempDir Path dir) throws Exception {
        byte[] good = fmnistCnn().toByteArray();
        Path truncated = dir.resolve("truncated.onnx"), garbage = dir.resolve("garbage.onnx"), empty = dir.resolve("empty.onnx");
        Files.write(truncated, Arrays.copyOf(good, good.length / 2));
        Files.writeString(garbage, "this is not a protobuf message at all, just text");
        Files.write(empty, new byte[0]);
        for (Path p : new Path[] {truncated, garbage, empty}) {
            assertThatThrownBy(() -> OnnxModel.load(p)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(p.toString());
        }
    }

    @Test
    void anOpsetOutsideNineToTwentyOneIsRefused(@TempDir Path dir) throws Exception {
        ModelProto m = fmnistCnn();
        for (long v : new long[] {7, 22}) {
            Path file = dir.resolve("opset" + v + ".onnx");
            Files.write(file, m.toBuilder().setOpsetImport(0, OperatorSetIdProto.newBuilder().setDomain("").setVersion(v)).build().toByteArray());
            assertThatThrownBy(() -> OnnxModel.load(file)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("opset " + v).hasMessageContaining("9 to 21");
        }
    }

    @Test
    void aWeightOfTheWrongSizeNamesTheTensor(@TempDir Path dir) throws Exception {
        ModelProto m = fmnistCnn();
        TensorProto w = m.getGraph().getInitializer(0);
        TensorProto shortened = w.toBuilder().setRawData(w.getRawData().substring(0, 8)).build();
        Path file = dir.resolve("short.onnx");
        Files.write(file, m.toBuilder().setGraph(m.getGraph().toBuilder().setInitializer(0, shortened)).build().toByteArray());
        assertThatThrownBy(() -> OnnxModel.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(w.getName()).hasMessageContaining("raw_data holds 8 bytes");
    }

    @Test
    void externalDataBesideTheFileLoads(@TempDir Path dir) throws Exception {
        ModelProto m = fmnistCnn();
        var graph = m.getGraph().toBuilder();
        ByteBuffer data = ByteBuffer.allocate(64 << 20).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            TensorProto t = graph.getInitializer(i);
            int offset = data.position();
            data.put(t.getRawData().asReadOnlyByteBuffer());
            graph.setInitializer(i, t.toBuilder().clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(entry("location", "weights.bin")).addExternalData(entry("offset", Integer.toString(offset)))
                    .addExternalData(entry("length", Integer.toString(t.getRawData().size()))));
        }
        Files.write(dir.resolve("weights.bin"), Arrays.copyOf(data.array(), data.position()));
        Path external = dir.resolve("external.onnx"), inline = dir.resolve("inline.onnx");
        Files.write(external, m.toBuilder().setGraph(graph).build().toByteArray());
        Files.write(inline, m.toByteArray());
        float[] x = OnnxRuntimeOracle.uniform(28 * 28, 1);
        try (OnnxModel a = OnnxModel.load(external); OnnxModel b = OnnxModel.load(inline)) {
            assertThat(OnnxRuntimeOracle.cnn4j(a.graph(), x, 1, 1, 28, 28)).containsExactly(OnnxRuntimeOracle.cnn4j(b.graph(), x, 1, 1, 28, 28));
        }

        Files.write(external, m.toBuilder().setGraph(graph.setInitializer(0, graph.getInitializer(0).toBuilder()
                .setExternalData(0, entry("location", "../outside.bin")))).build().toByteArray());
        assertThatThrownBy(() -> OnnxModel.load(external)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leaves the model's folder");
    }

    @Test
    void anImportedModelTrainsItsBatchNormsToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.onnx");
        Files.write(file, fmnistCnn().toByteArray());
        int n = 16;
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        try (OnnxModel m = OnnxModel.load(file); Tensor x = Tensor.of(OnnxRuntimeOracle.uniform(n * 28 * 28, 2), n, 1, 28, 28);
             Tensor y = Tensor.of(labels, n); Adam adam = Adam.of(m.graph().parameters(), 1e-3f)) {
            m.graph().train();
            Trainer trainer = new Trainer(m.graph(), adam, null).console(null, false);
            float[] runningMean = m.graph().namedBuffers().entrySet().stream().filter(e -> e.getKey().endsWith("running_mean"))
                    .findFirst().orElseThrow().getValue().toArray();
            double first = trainer.step(x, y), last = first;
            for (int i = 0; i < 30; i++) {
                last = trainer.step(x, y);
            }
            assertThat(last).as("the loss falls on a fixed batch").isLessThan(first * 0.5);
            float[] after = m.graph().namedBuffers().entrySet().stream().filter(e -> e.getKey().endsWith("running_mean"))
                    .findFirst().orElseThrow().getValue().toArray();
            assertThat(after).as("batch norm updates its running statistics in training").isNotEqualTo(runningMean);
        }
    }

    private static StringStringEntryProto entry(String k, String v) {
        return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }
}
