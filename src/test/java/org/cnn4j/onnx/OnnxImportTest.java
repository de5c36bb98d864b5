package org.cnn4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real PyTorch exports (tools/export_onnx.py, committed in src/test/resources/onnx) run in cnn4j as in
 * ONNX Runtime on the same file, and cnn4j → ONNX → ONNX Runtime equals the original. Tolerance as in
 * {@link OnnxExportTest}: two float32 engines with different summation orders and algorithms.
 */
class OnnxImportTest {
    private static final double TOLERANCE = 2e-4;
    private static final Path DIR = Path.of("src/test/resources/onnx");

    /** The exports whose ops the importer lacks fail naming the first such op, its node and the opset; none half-builds. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "nhwc_keras_style, Transpose", "op_activations, Mul", "op_broadcast, Add",
            "op_conv_asymmetric_pad, ConstantOfShape", "op_convtranspose, ConvTranspose", "op_transpose_squeeze, Transpose",
            "op_gemm_matmul, Softmax", "op_conv_strided, strides", "op_conv_variants, 'kernel [3, 1]'",
    })
    void anExportWithOpsNotYetImportedFailsNamingTheOp(String name, String op) {
        assertThatThrownBy(() -> OnnxModel.load(DIR.resolve(name + ".onnx"))).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining(op).hasMessageContaining("node '").hasMessageContaining("(opset ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fmnist-cnn", "fmnist-resnet", "squeezenet1_1", "op_pools", "op_reshape_shape_chain", "op_global_max_pool", "mobilenet_v2_025",
            "op_opset9", "op_opset17"})
    void aPyTorchExportRunsAsInOnnxRuntime(String name) throws Exception {
        Path file = DIR.resolve(name + ".onnx");
        byte[] bytes = Files.readAllBytes(file);
        try (OnnxModel model = OnnxModel.load(file)) {
            int[] shape = model.inputShape();
            int n = 3;
            int[] dims = new int[shape.length + 1];
            dims[0] = n;
            System.arraycopy(shape, 0, dims, 1, shape.length);
            long[] longDims = Arrays.stream(dims).asLongStream().toArray();
            float[] x = OnnxRuntimeOracle.uniform(Arrays.stream(dims).reduce(1, (a, b) -> a * b), 21);
            float[] expected = OnnxRuntimeOracle.run(bytes, x, longDims);
            float[] ours = OnnxRuntimeOracle.cnn4j(model.graph(), x, dims);
            assertThat(ours).hasSameSizeAs(expected);
            assertThat(OnnxRuntimeOracle.relativeError(ours, expected)).as(name).isLessThan(TOLERANCE);

            byte[] again = OnnxExport.toModel(model.graph(), shape).toByteArray();
            assertThat(OnnxRuntimeOracle.relativeError(OnnxRuntimeOracle.run(again, x, longDims), expected))
                    .as(name + " exported again").isLessThan(TOLERANCE);
        }
    }
}
