package org.cnn4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.GlobalMaxPool2d;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Pool2d;
import org.cnn4j.nn.Sequential;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.nn.fuse.InferenceFusion;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * cnn4j → ONNX → ONNX Runtime equals cnn4j, and cnn4j → ONNX → cnn4j is the same network. The
 * tolerance between the two engines is 2e-4 of the output's scale: both compute in float32 with
 * different summation orders and algorithms (AUTO may run Winograd F(4x4), whose error is up to
 * 4.5 sqrt(C*9) 2^-24 of a layer's scale, docs/winograd.md), compounded over up to 20 layers.
 */
class OnnxExportTest {
    private static final double TOLERANCE = 2e-4;

    @ParameterizedTest(name = "{0} {1}x{2}x{3}")
    @CsvSource({
            "fmnist-cnn, 1, 28, 28", "fmnist-resnet, 1, 28, 28", "lenet5, 1, 28, 28", "inception-small, 1, 28, 28",
            "resnet18, 3, 32, 32", "vgg11-bn, 3, 32, 32",
    })
    void zooModelsRunTheSameInOnnxRuntime(String name, int c, int h, int w) throws Exception {
        try (Module net = Zoo.build(name, c, h, w, 10)) {
            OnnxRuntimeOracle.randomizeBatchNorms(net, 7);
            net.eval();
            int n = 3;
            float[] x = OnnxRuntimeOracle.uniform(n * c * h * w, 11);
            float[] ours = OnnxRuntimeOracle.cnn4j(net, x, n, c, h, w);
            byte[] onnx = OnnxExport.toModel(net, new int[] {c, h, w}).toByteArray();
            float[] theirs = OnnxRuntimeOracle.run(onnx, x, n, c, h, w);
            assertThat(theirs).hasSameSizeAs(ours);
            assertThat(OnnxRuntimeOracle.relativeError(ours, theirs)).as(name).isLessThan(TOLERANCE);
        }
    }

    @Test
    void exportThenImportIsTheSameNetwork(@TempDir Path dir) throws Exception {
        try (Module net = Zoo.build("fmnist-resnet", 1, 28, 28, 10)) {
            OnnxRuntimeOracle.randomizeBatchNorms(net, 3);
            net.eval();
            Path file = dir.resolve("m.onnx");
            OnnxExport.write(net, new int[] {1, 28, 28}, file);
            float[] x = OnnxRuntimeOracle.uniform(2 * 28 * 28, 5);
            try (OnnxModel back = OnnxModel.load(file)) {
                assertThat(back.inputShape()).containsExactly(1, 28, 28);
                assertThat(back.graph().parameterCount()).isEqualTo(net.parameterCount());
                assertThat(OnnxRuntimeOracle.cnn4j(back.graph(), x, 2, 1, 28, 28))
                        .containsExactly(OnnxRuntimeOracle.cnn4j(net, x, 2, 1, 28, 28));
            }
        }
    }

    @Test
    void everyExportableLayerKindRunsInOnnxRuntime() throws Exception {
        try (Sequential net = new Sequential()
                .add("conv", Conv2d.builder(2, 6, 3).stride(2).padding(1).build())
                .add("leaky", ActivationLayer.leakyRelu(0.1f))
                .add("avg", new Pool2d(Pool2dSpec.Kind.AVG, 3, 1, 1, false, false))
                .add("dilated", Conv2d.builder(6, 6, 3).padding(2).dilation(2).groups(3).build())
                .add("sigmoid", ActivationLayer.sigmoid())
                .add("relu6", ActivationLayer.relu6())
                .add("max", new Pool2d(Pool2dSpec.Kind.MAX, 2, 2, 0, true, false))
                .add("flat", new Flatten())
                .add("drop", new Dropout(0.5f, 1))
                .add("fc", new Linear(6 * 3 * 3, 4))
                .add("tanh", ActivationLayer.tanh())) {
            net.eval();
            float[] x = OnnxRuntimeOracle.uniform(2 * 2 * 11 * 11, 9);
            float[] ours = OnnxRuntimeOracle.cnn4j(net, x, 2, 2, 11, 11);
            float[] theirs = OnnxRuntimeOracle.run(OnnxExport.toModel(net, new int[] {2, 11, 11}).toByteArray(), x, 2, 2, 11, 11);
            assertThat(OnnxRuntimeOracle.relativeError(ours, theirs)).isLessThan(TOLERANCE);
        }
    }

    @Test
    void globalMaxPoolingRunsInOnnxRuntimeAndImportsBack(@TempDir Path dir) throws Exception {
        try (Sequential net = new Sequential().add("conv", Conv2d.builder(3, 5, 3).padding(1).build())
                .add("pool", new GlobalMaxPool2d()).add("flat", new Flatten()).add("fc", new Linear(5, 2))) {
            net.eval();
            float[] x = OnnxRuntimeOracle.uniform(2 * 3 * 6 * 9, 4);
            float[] ours = OnnxRuntimeOracle.cnn4j(net, x, 2, 3, 6, 9);
            Path file = dir.resolve("gmp.onnx");
            OnnxExport.write(net, new int[] {3, 6, 9}, file);
            assertThat(OnnxRuntimeOracle.relativeError(ours, OnnxRuntimeOracle.run(Files.readAllBytes(file), x, 2, 3, 6, 9)))
                    .isLessThan(TOLERANCE);
            try (OnnxModel back = OnnxModel.load(file)) {
                assertThat(back.graph().module("pool").typeName()).isEqualTo("GlobalMaxPool2d");
                assertThat(OnnxRuntimeOracle.cnn4j(back.graph(), x, 2, 3, 6, 9)).containsExactly(ours);
            }
        }
    }

    @Test
    void aFusedNetworkIsRefusedNamingTheLayer(@TempDir Path dir) throws Exception {
        try (Module net = Zoo.build("fmnist-cnn", 1, 28, 28, 10)) {
            net.eval();
            Module fused = InferenceFusion.fuse(net);
            Path file = dir.resolve("fused.onnx");
            assertThatThrownBy(() -> OnnxExport.write(fused, new int[] {1, 28, 28}, file))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("InferenceFusion");
            assertThat(Files.exists(file)).as("no half-written file").isFalse();
        }
    }
}
