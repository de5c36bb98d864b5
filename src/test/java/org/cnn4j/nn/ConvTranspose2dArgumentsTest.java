package org.cnn4j.nn;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnn4j.io.NetworkDescription;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Bad hyper-parameters, inputs and gradients are IllegalArgumentExceptions that name the layer, the argument and the values. */
class ConvTranspose2dArgumentsTest {

    @Test
    void badHyperParametersNameTheArgumentAndTheValues() {
        assertThatThrownBy(() -> ConvTranspose2d.builder(0, 4, 3).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ConvTranspose2d").hasMessageContaining("in_channels must be > 0, got 0");
        assertThatThrownBy(() -> ConvTranspose2d.builder(4, -1, 3).build()).hasMessageContaining("ConvTranspose2d: out_channels must be > 0, got -1");
        assertThatThrownBy(() -> ConvTranspose2d.builder(4, 4, 0).build()).hasMessageContaining("ConvTranspose2d: kernel must be > 0, got 0");
        assertThatThrownBy(() -> ConvTranspose2d.builder(4, 4, 3).stride(0).build()).hasMessageContaining("ConvTranspose2d: stride must be > 0, got 0");
        assertThatThrownBy(() -> ConvTranspose2d.builder(4, 4, 3).dilation(0).build())
                .hasMessageContaining("ConvTranspose2d: dilation must be > 0, got 0");
        assertThatThrownBy(() -> ConvTranspose2d.builder(4, 4, 3).groups(0).build()).hasMessageContaining("ConvTranspose2d: groups must be > 0, got 0");
        assertThatThrownBy(() -> ConvTranspose2d.builder(4, 4, 3).padding(-1).build())
                .hasMessageContaining("ConvTranspose2d: padding must be >= 0, got -1");
        assertThatThrownBy(() -> ConvTranspose2d.builder(4, 6, 3).groups(4).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ConvTranspose2d: groups=4 must divide both in_channels=4 and out_channels=6");
        assertThatThrownBy(() -> ConvTranspose2d.builder(6, 4, 3).groups(4).build()).hasMessageContaining("groups=4 must divide both in_channels=6");
        // PyTorch's rule: output padding smaller than the stride or the dilation
        assertThatThrownBy(() -> ConvTranspose2d.builder(4, 4, 3).stride(2).outputPadding(2).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ConvTranspose2d: output_padding must be >= 0 and smaller than stride or dilation, got output_padding=2 "
                        + "with stride=2 and dilation=1");
        assertThatThrownBy(() -> ConvTranspose2d.builder(4, 4, 3).stride(2).dilation(3).outputPadding(3).build())
                .hasMessageContaining("output_padding=3 with stride=2 and dilation=3");
        assertThatThrownBy(() -> ConvTranspose2d.builder(4, 4, 3).outputPadding(-1).build()).hasMessageContaining("got output_padding=-1");
        assertThatThrownBy(() -> ConvTranspose2d.builder(4, 4, 3).stride(0).build())
                .hasMessageContaining("(in=4 out=4 kernel=3 stride=0 padding=0 output_padding=0 dilation=1 groups=1)");
    }

    @Test
    void inputsThatDoNotFitAndOutputsThatWouldBeEmpty() {
        try (ConvTranspose2d t = ConvTranspose2d.builder(3, 2, 3).stride(2).padding(1).build(); Tensor wrong = Tensor.zeros(1, 2, 4, 4);
             Tensor flat = Tensor.zeros(2, 3); Tensor tiny = Tensor.zeros(1, 3, 1, 1); Tensor ok = Tensor.zeros(1, 3, 2, 2);
             Tensor badGradient = Tensor.zeros(1, 2, 4, 4)) {
            assertThatThrownBy(() -> t.forward(wrong)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ConvTranspose2d(3->2, 3x3, stride 2, pad 1): input must be [N, 3, H, W], got [1, 2, 4, 4]");
            assertThatThrownBy(() -> t.forward(flat)).hasMessageContaining("input must be [N, 3, H, W], got [2, 3]");
            assertThatThrownBy(() -> t.outputShape(new int[] {2, 4, 4})).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expects [C, H, W] with 3 channels, got [2, 4, 4]");
            assertThatThrownBy(() -> t.backward(badGradient)).isInstanceOf(IllegalStateException.class).hasMessageContaining("backward before forward");
            // (1-1)*2 - 2 + 2 + 1 = 1: a 1x1 output is fine; then the gradient must have the output's shape
            t.forward(tiny);
            t.forward(ok);
            assertThatThrownBy(() -> t.backward(badGradient)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gradient must be [1, 2, 3, 3] as the output, got [1, 2, 4, 4]");
        }
        try (ConvTranspose2d t = ConvTranspose2d.builder(1, 1, 1).padding(1).build(); Tensor x = Tensor.zeros(1, 1, 2, 5)) {
            // (2-1) - 2 + 0 + 1 = 0 rows
            assertThatThrownBy(() -> t.forward(x)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ConvTranspose2d(1->1, 1x1, stride 1, pad 1): an input of 2x5 gives an output of 0x3");
            assertThatThrownBy(() -> t.outputShape(new int[] {1, 2, 5})).hasMessageContaining("an input of 2x5 gives an output of 0x3");
        }
        try (ConvTranspose2d t = ConvTranspose2d.builder(1, 1, 1).padding(1).outputPadding(9).dilation(10).build()) {
            // 1 + 9 rows, the input pixel lands at row -1: nothing but the bias would reach the output
            assertThatThrownBy(() -> t.outputShape(new int[] {1, 1, 1})).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no pixel of an input of 1x1 reaches its output of 8x8");
        }
    }

    @Test
    void aDescriptionWithoutOutputPaddingSaysSo() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThatThrownBy(() -> NetworkDescription.build(json.readTree("{\"type\":\"ConvTranspose2d\",\"in\":2,\"out\":2,\"kernel\":3,"
                + "\"stride\":2,\"padding\":1,\"dilation\":1,\"groups\":1,\"bias\":true}")))
                .hasMessageContaining("ConvTranspose2d has no integer 'output_padding'");
        assertThatThrownBy(() -> NetworkDescription.build(json.readTree("{\"type\":\"ConvTranspose2d\",\"in\":2,\"out\":2,\"kernel\":3,"
                + "\"stride\":2,\"padding\":1,\"output_padding\":3,\"dilation\":1,\"groups\":1,\"bias\":true}")))
                .hasMessageContaining("output_padding=3 with stride=2 and dilation=1");
    }
}
