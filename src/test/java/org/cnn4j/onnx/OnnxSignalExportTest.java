package org.cnn4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.BatchNorm1d;
import org.cnn4j.nn.Conv1d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.GlobalAvgPool1d;
import org.cnn4j.nn.GlobalMaxPool1d;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Pool1d;
import org.cnn4j.nn.Pool2d;
import org.cnn4j.nn.Sequential;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 1-D networks export as the 2-D ops they run as, over inputs [N, C, 1, L], and ONNX Runtime computes what
 * cnn4j does; importing the file back gives the same outputs. Tolerance as {@link OnnxExportTest}'s: 2e-4 of
 * the output's scale (float32 in both engines, different summation orders, compounded over the layers).
 */
class OnnxSignalExportTest {
    private static final double TOLERANCE = 2e-4;

    @ParameterizedTest
    @ValueSource(strings = {"m5", "m5-res"})
    void theAudioZooModelsRunTheSameInOnnxRuntime(String name) throws Exception {
        try (Module net = Zoo.build(name, 1, 1, 8000, 10)) {
            OnnxRuntimeOracle.randomizeBatchNorms(net, 7);
            net.eval();
            float[] x = OnnxRuntimeOracle.uniform(2 * 8000, 11);
            float[] ours = OnnxRuntimeOracle.cnn4j(net, x, 2, 1, 1, 8000);
            float[] theirs = OnnxRuntimeOracle.run(OnnxExport.toModel(net, new int[] {1, 1, 8000}).toByteArray(), x, 2, 1, 1, 8000);
            assertThat(OnnxRuntimeOracle.relativeError(ours, theirs)).as(name).isLessThan(TOLERANCE);
        }
    }

    @Test
    void everyOneDimensionalLayerKindAndRectangularPoolsRunInOnnxRuntime(@TempDir Path dir) throws Exception {
        try (Sequential net = new Sequential()
                .add("causal", new Conv1d.Builder(2, 6, 3).dilation(2).causal().build())
                .add("bn", new BatchNorm1d(6))
                .add("relu", ActivationLayer.relu())
                .add("grouped", new Conv1d.Builder(6, 9, 4).stride(2).padding(1, 2).groups(3).bias(false).build())
                .add("avg", new Pool1d(Pool2dSpec.Kind.AVG, 3, 2, 1, true, false))
                .add("max", Pool1d.max(2, 1))
                .add("wide", new Pool2d(Pool2dSpec.Kind.AVG, 1, 3, 1, 2, 0, 1, false, true))
                .add("gmp", new GlobalMaxPool1d())
                .add("flat", new Flatten())
                .add("fc", new Linear(9, 4))) {
            OnnxRuntimeOracle.randomizeBatchNorms(net, 5);
            net.eval();
            float[] x = OnnxRuntimeOracle.uniform(3 * 2 * 37, 9);
            float[] ours = OnnxRuntimeOracle.cnn4j(net, x, 3, 2, 1, 37);
            float[] theirs = OnnxRuntimeOracle.run(OnnxExport.toModel(net, new int[] {2, 1, 37}).toByteArray(), x, 3, 2, 1, 37);
            assertThat(OnnxRuntimeOracle.relativeError(ours, theirs)).isLessThan(TOLERANCE);
            Path file = dir.resolve("signal.onnx");
            OnnxExport.write(net, new int[] {2, 1, 37}, file);
            try (OnnxModel back = OnnxModel.load(file)) {
                assertThat(back.inputShape()).containsExactly(2, 1, 37);
                assertThat(OnnxRuntimeOracle.relativeError(OnnxRuntimeOracle.cnn4j(back.graph(), x, 3, 2, 1, 37), ours)).isLessThan(TOLERANCE);
            }
        }
        try (Sequential gap = new Sequential().add("conv", new Conv1d(1, 3, 5, 2, 0, 1, 1, true)).add("gap", new GlobalAvgPool1d())) {
            float[] x = OnnxRuntimeOracle.uniform(2 * 16, 3);
            float[] theirs = OnnxRuntimeOracle.run(OnnxExport.toModel(gap, new int[] {1, 1, 16}).toByteArray(), x, 2, 1, 1, 16);
            assertThat(OnnxRuntimeOracle.relativeError(OnnxRuntimeOracle.cnn4j(gap, x, 2, 1, 1, 16), theirs)).isLessThan(TOLERANCE);
        }
    }
}
