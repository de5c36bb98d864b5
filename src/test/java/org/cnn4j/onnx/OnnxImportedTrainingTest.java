package org.cnn4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.CrossEntropyLoss;
import org.cnn4j.nn.Graph;
import org.cnn4j.optim.Sgd;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An imported network is an ordinary one: it saves to a model file and reads back predicting bit for bit,
 * and it trains (the layers the importer made for ShuffleNet, MobileNetV3, Keras and decoder exports pass
 * gradients: a few SGD steps on one batch lower the loss).
 */
class OnnxImportedTrainingTest {
    private static final Path DIR = Path.of("src/test/resources/onnx");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"op_shufflenet_blocks", "op_mobilenet_v3_blocks", "nhwc_keras_flatten", "op_broadcast", "op_conv_strided"})
    void savesReadsBackAndTrains(String name) throws Exception {
        try (OnnxModel model = OnnxModel.load(DIR.resolve(name + ".onnx"))) {
            Graph g = model.graph();
            int[] s = model.inputShape(), out = g.outputShape(s);
            int features = 1;
            for (int d : out) {
                features *= d;
            }
            float[] x = OnnxRuntimeOracle.uniform(4 * s[0] * s[1] * s[2], 5);
            float[] before = OnnxRuntimeOracle.cnn4j(g, x, 4, s[0], s[1], s[2]);
            Path file = tmp.resolve(name + ".cnn4j");
            List<String> classes = java.util.stream.IntStream.range(0, features).mapToObj(Integer::toString).toList();
            ModelFile.write(file, new ModelFile.Saved("onnx:" + name, s[0], s[1], s[2], classes, g, List.of(), 0, 1));
            assertThat(Files.size(file)).isPositive();
            try (var read = ModelFile.read(file).model().eval()) {
                assertThat(OnnxRuntimeOracle.cnn4j(read, x, 4, s[0], s[1], s[2])).as(name + " read back").containsExactly(before);
            }
            if (out.length == 1) {
                assertThat(lossAfterSteps(g, x, s, out[0], 0)).isGreaterThan(lossAfterSteps(g, x, s, out[0], 5));
            }
        }
    }

    /** The cross-entropy on one fixed batch (targets 0, 1, 2, 3 modulo the classes) after {@code steps} SGD steps. */
    private static double lossAfterSteps(Graph g, float[] x, int[] s, int classes, int steps) {
        g.train();
        float[] targets = {0, 1 % classes, 2 % classes, 3 % classes};
        try (Sgd sgd = new Sgd(g.parameters(), 0.05f, 0f); CrossEntropyLoss loss = new CrossEntropyLoss();
             Tensor input = Tensor.of(x, 4, s[0], s[1], s[2]); Tensor t = Tensor.of(targets, 4)) {
            for (int i = 0; i < steps; i++) {
                loss.forward(g.forward(input), t);
                g.backward(loss.gradient());
                sgd.step();
            }
            return loss.forward(g.forward(input), t);
        }
    }
}
