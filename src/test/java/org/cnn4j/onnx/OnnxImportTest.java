package org.cnn4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.cnn4j.backend.ExecutionOptions;
import org.cnn4j.bench.OnnxBenchRun;
import org.cnn4j.kernels.Loss;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real PyTorch exports (tools/export_onnx.py, committed in src/test/resources/onnx) run in cnn4j as in
 * ONNX Runtime on the same file, and cnn4j → ONNX → ONNX Runtime equals the original. Tolerance as in
 * {@link OnnxExportTest}: two float32 engines with different summation orders and algorithms.
 */
class OnnxImportTest {
    private static final double TOLERANCE = 2e-4;
    /** Without Winograd's transforms, only summation order differs: the 1e-4 of the output's scale. */
    private static final double WITHOUT_WINOGRAD = 1e-4;
    private static final Path DIR = Path.of("src/test/resources/onnx");

    @ParameterizedTest
    @ValueSource(strings = {"fmnist-cnn", "fmnist-resnet", "squeezenet1_1", "op_pools", "op_reshape_shape_chain", "op_global_max_pool", "mobilenet_v2_025",
            "op_opset9", "op_opset17", "nhwc_keras_style", "op_activations", "op_broadcast", "op_gemm_matmul", "op_conv_asymmetric_pad", "op_conv_strided",
            "op_conv_variants", "op_convtranspose", "op_transpose_squeeze", "nhwc_keras_flatten",
            "op_shufflenet_blocks", "op_mobilenet_v3_blocks", "op_signal_1d"})
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
            float[] expected = model.channelsLastInput()
                    ? OnnxRuntimeOracle.run(bytes, OnnxBenchRun.toNhwc(x, dims), n, dims[2], dims[3], dims[1])
                    : OnnxRuntimeOracle.run(bytes, x, model.signalInput() ? new long[] {n, dims[1], dims[3]} : longDims);
            float[] ours = probabilities(model, OnnxRuntimeOracle.cnn4j(model.graph(), x, dims));
            assertThat(ours).hasSameSizeAs(expected);
            assertThat(OnnxRuntimeOracle.relativeError(ours, expected)).as(name).isLessThan(TOLERANCE);
            float[] exact = ExecutionOptions.current().withWinograd(false)
                    .call(() -> probabilities(model, OnnxRuntimeOracle.cnn4j(model.graph(), x, dims)));
            assertThat(OnnxRuntimeOracle.relativeError(exact, expected)).as(name + " without Winograd").isLessThan(WITHOUT_WINOGRAD);

            byte[] again = OnnxExport.toModel(model.graph(), shape).toByteArray();
            float[] exported = probabilities(model, OnnxRuntimeOracle.run(again, x, longDims));
            assertThat(OnnxRuntimeOracle.relativeError(exported, expected)).as(name + " exported again").isLessThan(TOLERANCE);
        }
    }

    @Test
    void kerasStyleExportsTakeNchwAndLeaveTheirSoftmaxToCnn4j() throws Exception {
        try (OnnxModel model = OnnxModel.load(DIR.resolve("nhwc_keras_style.onnx"))) {
            assertThat(model.channelsLastInput()).isTrue();
            assertThat(model.endsInSoftmax()).isTrue();
            assertThat(model.inputShape()).containsExactly(1, 28, 28);
        }
        try (OnnxModel model = OnnxModel.load(DIR.resolve("fmnist-cnn.onnx"))) {
            assertThat(model.channelsLastInput()).isFalse();
            assertThat(model.signalInput()).isFalse();
            assertThat(model.endsInSoftmax()).isFalse();
        }
    }

    /** PyTorch's Conv1d family ([N, C, L]) becomes cnn4j's 1-D layers' signals [N, C, 1, L], with 1 x k kernels. */
    @Test
    void aOneDimensionalExportTakesSignals() throws Exception {
        try (OnnxModel model = OnnxModel.load(DIR.resolve("op_signal_1d.onnx"))) {
            assertThat(model.signalInput()).isTrue();
            assertThat(model.inputShape()).containsExactly(1, 1, 400);
            assertThat(model.graph().outputShape(model.inputShape())).containsExactly(5);
            assertThat(model.graph().nodes()).anySatisfy(node -> assertThat(node.module().describe()).contains("1x20, stride 1x4"));
        }
    }

    /** The file's output: cnn4j's network computes logits where the file ends in a softmax. */
    private static float[] probabilities(OnnxModel model, float[] out) {
        if (!model.endsInSoftmax()) {
            return out;
        }
        try (Tensor logits = Tensor.of(out, 3, out.length / 3); Tensor p = Tensor.zeros(3, out.length / 3)) {
            Loss.softmax(logits, p);
            return p.toArray();
        }
    }
}
