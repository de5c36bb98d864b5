package org.cnn4j.nn;

import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.nn.fuse.InferenceFusion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.Test;

/**
 * BN folding and conv+ReLU fusion give the network's outputs. Folding multiplies each weight by
 * gamma/sqrt(var+eps) before the float32 sums instead of after, a difference of a few ulps per term:
 * over fmnist-cnn's four convolutions and two linear layers that stays below 1e-4 relative to the
 * largest logit.
 */
class InferenceFusionTest {

    @Test
    void fusedFmnistCnnPredictsWhatTheOriginalPredicts() {
        Init.manualSeed(9);
        Sequential net = (Sequential) Zoo.build("fmnist-cnn", 1, 28, 28, 10);
        SplittableRandom r = new SplittableRandom(2);
        for (String bn : new String[] {"bn1", "bn2", "bn3", "bn4"}) { // non-trivial statistics and affine parameters
            BatchNorm2d b = (BatchNorm2d) net.get(bn);
            for (Tensor t : new Tensor[] {b.gamma().value(), b.beta().value(), b.runningMean(), b.runningVar()}) {
                java.nio.FloatBuffer v = t.buffer();
                for (int i = 0; i < v.limit(); i++) {
                    v.put(i, (float) (0.5 + r.nextDouble()));
                }
            }
        }
        net.eval();
        try (net; Tensor x = Tensor.zeros(Shape.of(4, 1, 28, 28), Layout.NHWC)) {
            java.nio.FloatBuffer v = x.buffer();
            for (int i = 0; i < v.limit(); i++) {
                v.put(i, (float) r.nextGaussian());
            }
            float[] expected = net.forward(x).toArray();
            Sequential fused = InferenceFusion.fuse(net);
            assertThat(fused.names()).containsExactly("conv1", "conv2", "conv3", "conv4", "fc1", "relu5", "fc2");
            assertThat(fused.get("conv1").describe()).isEqualTo("Conv2d(1->32, 3x3, stride 1, pad 1) + BatchNorm2d(32) (folded) + ReLU");
            assertThat(fused.get("conv2").describe()).endsWith("(folded) + ReLU + MaxPool2d(2x2, stride 2)");
            assertThat(fused.absorbed().get("pool1")).isEqualTo(new Graph.Absorbed("conv2", true, "max-pooled inside the convolution of this inference copy"));
            assertThat(fused.absorbed().get("relu2").valueKept()).as("the ReLU's value is pooled away").isFalse();
            assertThat(fused.get("fc1").describe()).isEqualTo("Flatten + Linear(3136->256)");
            long reorders = Tensor.reorders();
            Tensor logits = fused.forward(x);
            assertThat(Tensor.reorders() - reorders).as("the head reads the channels-last map as it is").isZero();
            float[] got = logits.toArray();
            float scale = 0;
            for (float e : expected) {
                scale = Math.max(scale, Math.abs(e));
            }
            for (int i = 0; i < got.length; i++) {
                assertThat(got[i]).as("logit %d", i).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-4f * scale));
            }
            assertThatThrownBy(() -> fused.get("conv1").backward(x)).isInstanceOf(UnsupportedOperationException.class);
            assertThat(fused.get("conv1").parameters()).as("folded weights and bias are frozen").hasSize(2)
                    .allSatisfy(p -> assertThat(p.value().isFrozen()).isTrue());
            for (String name : new String[] {"conv1", "conv2", "conv3", "conv4", "fc1"}) {
                fused.get(name).close();
            }
        }
    }

    /**
     * A 2x2 stride-2 max pooling goes into the convolution it alone reads, whatever algorithm then runs it (Winograd
     * pools in its output transform, the others run the two ops); other pools, and convolutions whose value something
     * else reads, stay as they are. A pool that is the graph's output hands that name to the fused node.
     */
    @Test
    void aMaxPoolAfterAConvolutionRunsInsideItOnEveryAlgorithm() {
        Init.manualSeed(6);
        Graph net = new Graph("x")
                .layer("c1", Conv2d.builder(3, 8, 3).padding(1).build(), "x").layer("b1", new BatchNorm2d(8), "c1").layer("r1", ActivationLayer.relu(), "b1")
                .layer("p1", Pool2d.max(2, 2), "r1")
                .layer("c2", Conv2d.builder(8, 8, 3).padding(1).build(), "p1").layer("p2", Pool2d.max(3, 2), "c2")
                .layer("c3", Conv2d.builder(8, 8, 3).padding(1).build(), "p2").layer("p3", Pool2d.max(2, 2), "c3")
                .layer("c3b", Conv2d.builder(8, 8, 3).stride(2).padding(1).build(), "p2").add("s", "p3", "c3b")
                .layer("c4", Conv2d.builder(8, 5, 3).padding(1).build(), "s").layer("p4", Pool2d.max(2, 2), "c4");
        net.eval();
        try (net; Tensor x = Tensor.zeros(Shape.of(3, 3, 21, 18), Backends.current().activationLayout())) {
            Init.normal(x, 1);
            Graph fused = InferenceFusion.fuse(net);
            assertThat(fused.nodeNames()).doesNotContain("p1", "p3", "p4").contains("p2", "c1", "c3", "c4");
            assertThat(fused.outputName()).isEqualTo("c4");
            assertThat(fused.module("c1").describe()).endsWith("+ ReLU + MaxPool2d(2x2, stride 2)");
            assertThat(fused.module("c2").describe()).as("a 3x3 pool is not taken").doesNotContain("MaxPool");
            for (ConvAlgorithm algo : new ConvAlgorithm[] {null, ConvAlgorithm.ONEDNN,
                    ConvAlgorithm.WINOGRAD_4X4_3X3, ConvAlgorithm.WINOGRAD_2X2_3X3}) {
                if (algo != null && !Backends.current().name().equals("native")) {
                    continue;
                }
                ConvAlgorithm.use(algo);
                ConvAlgorithm.fallBackToAuto(true); // Winograd cannot run c3b (stride 2): AUTO runs it
                try {
                    float[] expected = net.forward(x).toArray(), got = fused.forward(x).toArray();
                    double scale = 0;
                    for (float e : expected) {
                        scale = Math.max(scale, Math.abs(e));
                    }
                    for (int i = 0; i < got.length; i++) {
                        // folded batch norm: a few ulps per term, as above
                        assertThat(got[i]).as("%s output %d", algo, i).isCloseTo(expected[i], org.assertj.core.api.Assertions.within((float) (1e-4 * scale)));
                    }
                } finally {
                    ConvAlgorithm.use(null);
                    ConvAlgorithm.fallBackToAuto(false);
                }
            }
            fused.close();
        }
    }

    /** Both orders of the map: NCHW is flattened as a view, NHWC is read by the column-moved weights. */
    @Test
    void flattenAndLinearAsOneLayerComputeWhatTheTwoDo() {
        Init.manualSeed(5);
        Sequential net = new Sequential().add("flatten", new Flatten()).add("fc", new Linear(3 * 4 * 5, 7));
        net.eval();
        Sequential fused = InferenceFusion.fuse(net);
        assertThat(fused.names()).containsExactly("fc");
        for (Layout layout : new Layout[] {Layout.NCHW, Layout.NHWC}) {
            try (Tensor x = Tensor.zeros(Shape.of(2, 3, 4, 5), layout)) {
                Init.normal(x, 1);
                float[] expected = net.forward(x).toArray(), got = fused.forward(x).toArray();
                for (int i = 0; i < got.length; i++) {
                    // the same products summed in another order: a few ulps of the sum of |terms| (~8)
                    assertThat(got[i]).as("%s output %d", layout, i).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-5f));
                }
            }
        }
        try (Tensor wrong = Tensor.zeros(2, 3, 4, 4)) {
            assertThatThrownBy(() -> fused.forward(wrong)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Flatten + Linear(60->7)").hasMessageContaining("[2, 3, 4, 4]");
        }
        fused.get("fc").close();
        net.close();
    }

    @Test
    void fusedResnetGraphPredictsWhatTheOriginalPredicts() {
        Init.manualSeed(4);
        Graph net = (Graph) Zoo.build("resnet18", 3, 32, 32, 10);
        SplittableRandom r = new SplittableRandom(3);
        for (Module m : net.children().values()) {
            if (m instanceof BatchNorm2d b) {
                for (Tensor t : new Tensor[] {b.gamma().value(), b.beta().value(), b.runningMean(), b.runningVar()}) {
                    java.nio.FloatBuffer v = t.buffer();
                    for (int i = 0; i < v.limit(); i++) {
                        v.put(i, (float) (0.5 + r.nextDouble()));
                    }
                }
            }
        }
        net.eval();
        try (net; Tensor x = Tensor.zeros(Shape.of(2, 3, 32, 32), Layout.NHWC)) {
            Init.normal(x, 1);
            float[] expected = net.forward(x).toArray();
            Graph fused = InferenceFusion.fuse(net);
            assertThat(fused.nodeNames()).contains("conv1", "layer1_0_conv1", "layer1_0_conv2", "layer2_0_downsample", "fc")
                    .doesNotContain("conv1_bn", "conv1_relu", "layer1_0_conv2_bn", "layer1_0_sum", "layer1_0_out", "layer2_0_downsample_bn");
            assertThat(fused.module("layer1_0_conv1").describe()).endsWith("(folded) + ReLU");
            // a block's last convolution, its BN, the residual add and the ReLU are one op
            assertThat(fused.describe()).contains("layer1_0_conv2 <- layer1_0_conv1, maxpool: Conv2d(64->64, 3x3, stride 1, pad 1) "
                    + "+ BatchNorm2d(64) (folded) + residual + ReLU")
                    .contains("layer2_0_conv2 <- layer2_0_conv1, layer2_0_downsample: ");
            float[] got = fused.forward(x).toArray();
            float scale = 0;
            for (float e : expected) {
                scale = Math.max(scale, Math.abs(e));
            }
            // eighteen folded layers, each a few ulps per term apart: within 1e-3 of the largest logit
            for (int i = 0; i < got.length; i++) {
                assertThat(got[i]).as("logit %d", i).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-3f * scale));
            }
            assertThatThrownBy(() -> fused.backward(fused.forward(x))).isInstanceOf(UnsupportedOperationException.class);
            fused.close();
        }
    }

    @Test
    void fusedResidualWritesOverItsShortcutOnlyWhenNothingReadsItLater() {
        Init.manualSeed(5);
        // three blocks: the first's shortcut is the graph's input (which "tail" reads again), the second's
        // the first's output, which nothing reads after it, and the third's convolution reads its shortcut
        Graph net = new Graph("x")
                .layer("c1", Conv2d.builder(8, 8, 3).padding(1).build(), "x").layer("b1", new BatchNorm2d(8), "c1").layer("r1", ActivationLayer.relu(), "b1")
                .layer("c2", Conv2d.builder(8, 8, 3).padding(1).build(), "r1").layer("b2", new BatchNorm2d(8), "c2").add("s1", "b2", "x").layer("o1", ActivationLayer.relu(), "s1")
                .layer("c3", Conv2d.builder(8, 8, 3).padding(1).build(), "o1").layer("b3", new BatchNorm2d(8), "c3").layer("r3", ActivationLayer.relu(), "b3")
                .layer("c4", Conv2d.builder(8, 8, 3).padding(1).build(), "r3").layer("b4", new BatchNorm2d(8), "c4").add("s2", "b4", "o1").layer("o2", ActivationLayer.relu(), "s2")
                .layer("c5", Conv2d.builder(8, 8, 3).padding(1).build(), "o2").layer("b5", new BatchNorm2d(8), "c5").add("s3", "b5", "o2").layer("o3", ActivationLayer.relu(), "s3")
                .add("tail", "o3", "x");
        net.eval();
        try (net; Tensor x = Tensor.zeros(Shape.of(2, 8, 6, 6), Backends.current().activationLayout())) {
            Init.normal(x, 1);
            float[] input = x.toArray();
            float[] expected = net.forward(x).toArray();
            Graph fused = InferenceFusion.fuse(net);
            assertThat(fused.describe()).contains("c2 <- c1, x: ").contains("c4 <- c3, c2: ").contains("c5 <- c4, c4: ");
            float[] got = fused.forward(x).toArray();
            for (int i = 0; i < got.length; i++) {
                assertThat(got[i]).as("output %d", i).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-4f));
            }
            assertThat(x.toArray()).as("the caller's input is never written").containsExactly(input);
            assertThat(fused.valueOf("c2").sharesMemoryWith(x)).isFalse();
            assertThat(fused.valueOf("c4").sharesMemoryWith(fused.valueOf("c2"))).as("the second block wrote over its shortcut").isTrue();
            assertThat(fused.valueOf("c5").sharesMemoryWith(fused.valueOf("c4"))).as("the third block's convolution reads its shortcut").isFalse();
            fused.close();
        }
    }
}
