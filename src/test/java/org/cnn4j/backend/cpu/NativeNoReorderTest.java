package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cnn4j.backend.Activation;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The native ops a channels-last network runs between its layers read and write NHWC tensors as they
 * are: {@link Tensor#reorders()} does not move while they run.
 */
class NativeNoReorderTest {

    @BeforeEach
    void load() {
        NativeTestSupport.requireNative();
    }

    @Test
    void channelsLastOpsDoNoHiddenReorders() {
        Backend nat = NativeBackend.instance();
        int[] d = {2, 24, 6, 6}, half = {2, 12, 6, 6}, pooled = {2, 24, 3, 3}, gap = {2, 24, 1, 1};
        Pool2dSpec pool = Pool2dSpec.of(Pool2dSpec.Kind.MAX, 2, 24, 6, 6, 2, 2, 0);
        Conv2dSpec conv = Conv2dSpec.of(2, 24, 6, 6, 24, 3, 1, 1);
        try (Tensor x = NativeGoldenSupport.random(d, Layout.NHWC, 1); Tensor y = nhwc(d); Tensor dy = NativeGoldenSupport.random(d, Layout.NHWC, 2);
             Tensor dx = nhwc(d); Tensor mask = nhwc(d); Tensor a = nhwc(half); Tensor b = nhwc(half);
             Tensor p = nhwc(pooled); Tensor g = nhwc(gap); Tensor w = NativeGoldenSupport.random(conv.weightDims(), Layout.NCHW, 3);
             Tensor gamma = Tensor.zeros(24).fill(1f); Tensor beta = Tensor.zeros(24); Tensor rm = Tensor.zeros(24);
             Tensor rv = Tensor.zeros(24).fill(1f); Tensor mean = Tensor.zeros(24); Tensor var = Tensor.zeros(24);
             Tensor dg = Tensor.zeros(24); Tensor db = Tensor.zeros(24)) {
            long before = Tensor.reorders();
            nat.conv2dForward(conv, x, w, null, y);
            nat.batchNormTrainingForward(1e-5f, 0.1f, y, null, gamma, beta, rm, rv, y, mean, var, false);
            nat.batchNormInferenceForward(1e-5f, x, null, gamma, beta, rm, rv, y, false);
            nat.batchNormBackward(1e-5f, true, x, null, gamma, null, mean, var, dy, dx, null, dg, db, false);
            nat.activationForward(Activation.RELU, y, y);
            nat.activationBackward(Activation.RELU, x, y, dy, dx);
            nat.add(x, y, y);
            nat.multiply(x, dy, dx);
            nat.dropoutForward(0.2f, 7, x, mask, y);
            nat.splitChannels(x, List.of(a, b));
            nat.concatChannels(List.of(a, b), y);
            nat.pool2dForward(pool, x, p);
            nat.pool2dBackward(pool, x, p, dx);
            nat.globalAvgPoolForward(x, g);
            nat.globalAvgPoolBackward(g, dx);
            assertThat(Tensor.reorders() - before).as("reorders during NHWC ops").isZero();
            try (Tensor plain = x.toLayout(Layout.NCHW)) {
                assertThat(Tensor.reorders() - before).as("an explicit reorder counts").isEqualTo(1);
            }
        }
    }

    /**
     * A network handed an NCHW batch (how images usually arrive) runs channels-last from its first
     * convolution on, which reads the NCHW input as it is: no reorder, and the same logits as from an
     * NHWC copy of the batch.
     */
    @Test
    void anNchwBatchRunsChannelsLastFromTheFirstConvolution() {
        org.cnn4j.backend.Backend before = org.cnn4j.backend.Backends.current();
        org.cnn4j.backend.Backends.use(NativeBackend.instance());
        org.cnn4j.nn.Init.manualSeed(4);
        try (org.cnn4j.nn.Module net = org.cnn4j.zoo.Zoo.build("fmnist-resnet", 3, 12, 12, 10);
             Tensor nchw = NativeGoldenSupport.random(new int[] {2, 3, 12, 12}, Layout.NCHW, 5);
             Tensor nhwc = nchw.toLayout(Layout.NHWC)) {
            net.eval();
            float[] expected = net.forward(nhwc).toArray();
            long reorders = Tensor.reorders();
            float[] got = net.forward(nchw).toArray();
            assertThat(Tensor.reorders() - reorders).as("reorders of a forward pass from NCHW").isZero();
            assertThat(((org.cnn4j.nn.Graph) net).children().get("stem_conv").forward(nchw).layout()).isEqualTo(Layout.NHWC);
            // the first convolution may run a different oneDNN kernel for an NCHW source, summing in another
            // order: float rounding of 27-term sums, far below 1e-4 on logits of order 1
            for (int i = 0; i < got.length; i++) {
                assertThat(got[i]).as("logit %d", i).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-4f));
            }
        } finally {
            org.cnn4j.backend.Backends.use(before);
        }
    }

    /**
     * oneDNN's convolutions take channels-last activations in place in all three directions (a blocked
     * layout would cost a copy of each activation in and out of every call), and an NCHW one is copied.
     */
    @Test
    void oneDnnConvolutionsCopyNoChannelsLastActivation() {
        Backend nat = NativeBackend.instance();
        Conv2dSpec conv = Conv2dSpec.of(2, 32, 6, 6, 48, 1, 1, 0); // 1x1: oneDNN in every direction
        int[] in = {2, 32, 6, 6}, out = {2, 48, 6, 6};
        try (Tensor x = NativeGoldenSupport.random(in, Layout.NHWC, 1); Tensor y = nhwc(out); Tensor dy = NativeGoldenSupport.random(out, Layout.NHWC, 2);
             Tensor dx = nhwc(in); Tensor w = NativeGoldenSupport.random(conv.weightDims(), Layout.NCHW, 3); Tensor dw = Tensor.zeros(conv.weightDims());
             Tensor plainX = x.toLayout(Layout.NCHW)) {
            long before = NativeKernels.cnn4j_onednn_activation_copies();
            nat.conv2dForward(conv, x, w, null, y);
            nat.conv2dBackwardData(conv, dy, w, dx);
            nat.conv2dBackwardWeights(conv, x, dy, dw, null);
            assertThat(NativeKernels.cnn4j_onednn_activation_copies() - before).as("copies of NHWC activations").isZero();
            nat.conv2dForward(conv, plainX, w, null, y);
            assertThat(NativeKernels.cnn4j_onednn_activation_copies() - before).as("an NCHW source goes to oneDNN's own layout")
                    .isEqualTo(1);
        }
    }

    private static Tensor nhwc(int[] d) {
        return NativeGoldenSupport.zeros(d, Layout.NHWC);
    }
}
