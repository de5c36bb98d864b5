package org.cnn4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cnn4j.onnx.OnnxFolding.Arithmetic;
import org.cnn4j.onnx.OnnxTensors.Constant;
import org.cnn4j.onnx.proto.Onnx.NodeProto;
import org.junit.jupiter.api.Test;

/** The shape arithmetic folded at import, against values worked out with NumPy's rules. */
class OnnxFoldingTest {
    private static final OnnxNode NODE = new OnnxNode(NodeProto.newBuilder().setOpType("Test").setName("t").build(), 13, 0);

    @Test
    void torchsPaddingChainGivesOnnxsPadOrder() {
        // F.pad(x, (0, 1, 0, 1)) as torch 1.13 exports it: [0, 1, 0, 1] + zeros(4), reshaped to [-1, 2],
        // reversed on axis 0, transposed and flattened: ONNX's [begins..., ends...] for N, C, H, W
        Constant joined = Constant.ofLongs(0, 1, 0, 1, 0, 0, 0, 0);
        Constant pairs = OnnxFolding.reshape(NODE, joined, new long[] {-1, 2}, true);
        assertThat(pairs.dims()).containsExactly(4, 2);
        Constant reversed = OnnxFolding.slice(NODE, pairs, new long[] {-1}, new long[] {-Long.MAX_VALUE}, new long[] {0}, new long[] {-1});
        assertThat(reversed.longs()).containsExactly(0, 0, 0, 0, 0, 1, 0, 1);
        Constant t = OnnxFolding.transpose(reversed, new long[] {1, 0});
        assertThat(t.dims()).containsExactly(2, 4);
        assertThat(OnnxFolding.reshape(NODE, t, new long[] {-1}, true).longs()).containsExactly(0, 0, 0, 0, 0, 0, 1, 1);
    }

    @Test
    void arithmeticBroadcastsAsNumPy() {
        Constant a = new Constant(new long[] {2, 1}, new float[] {1, 2}, null), b = new Constant(new long[] {3}, new float[] {10, 20, 30}, null);
        Constant sum = OnnxFolding.arithmetic(NODE, Arithmetic.ADD, a, b);
        assertThat(sum.dims()).containsExactly(2, 3);
        assertThat(sum.floats()).containsExactly(11, 21, 31, 12, 22, 32);
        assertThat(OnnxFolding.arithmetic(NODE, Arithmetic.DIV, Constant.ofLongs(116, -7), Constant.ofLongs(4)).longs()).containsExactly(29, -1);
        assertThat(OnnxFolding.arithmetic(NODE, Arithmetic.SUB, b, a).floats()).containsExactly(9, 19, 29, 8, 18, 28);
    }

    @Test
    void arithmeticOnTheBatchSizeAndMismatchedShapesAreRefused() {
        assertThatThrownBy(() -> OnnxFolding.arithmetic(NODE, Arithmetic.MUL, Constant.ofLongs(OnnxImporter.BATCH), Constant.ofLongs(2)))
                .hasMessageContaining("batch size");
        assertThatThrownBy(() -> OnnxFolding.arithmetic(NODE, Arithmetic.ADD, Constant.ofLongs(1, 2), Constant.ofLongs(1, 2, 3)))
                .hasMessageContaining("do not broadcast");
        assertThatThrownBy(() -> OnnxFolding.reshape(NODE, Constant.ofLongs(1, 2, 3), new long[] {2, -1}, true))
                .hasMessageContaining("sizes differ");
    }

    @Test
    void sliceClampsAndSteps() {
        Constant v = Constant.ofLongs(0, 1, 2, 3, 4, 5, 6);
        assertThat(OnnxFolding.slice(NODE, v, new long[] {1}, new long[] {Long.MAX_VALUE}, new long[] {0}, new long[] {2}).longs())
                .containsExactly(1, 3, 5);
        assertThat(OnnxFolding.slice(NODE, v, new long[] {-2}, new long[] {1}, new long[] {0}, new long[] {-2}).longs())
                .containsExactly(5, 3);
        assertThat(OnnxFolding.filled(NODE, new long[] {2, 2}, new Constant(new long[0], new float[] {7}, null)).floats())
                .containsExactly(7, 7, 7, 7);
    }
}
