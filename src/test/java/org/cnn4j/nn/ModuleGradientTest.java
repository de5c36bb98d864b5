package org.cnn4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.cpu.NativeBackend;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Layer and network backward passes against central finite differences of L = sum(output * gy), on
 * the reference backend (float32 tensors, double arithmetic inside ops). With h = 1e-2 and smooth
 * activations (tanh, sigmoid), the difference quotient is accurate to about 1e-4 relative; float32
 * rounding of L (~1e-7 * |L| / h) adds about 1e-4 more, so 2e-3 relative plus 2e-3 absolute is safe.
 */
class ModuleGradientTest {
    private final SplittableRandom rnd = new SplittableRandom(5);

    @BeforeEach
    void reference() {
        Backends.use(ReferenceBackend.INSTANCE);
        Init.manualSeed(3);
    }

    @AfterEach
    void restore() {
        Backends.use(NativeBackend.isAvailable() ? NativeBackend.instance() : ReferenceBackend.INSTANCE);
    }

    private Tensor random(int... dims) {
        Tensor t = Tensor.zeros(dims);
        float[] v = new float[t.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return t.copyFrom(v);
    }

    private static double loss(Module m, Tensor x, float[] gy) {
        float[] y = m.forward(x).toArray();
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += (double) y[i] * gy[i];
        }
        return s;
    }

    /** Checks d L / d x for every input element and d L / d p for a few elements of every parameter. */
    private void check(Module m, Tensor x) {
        m.setNeedsInputGrad(true);
        Tensor y = m.forward(x);
        float[] gy = random(y.dims()).toArray();
        try (Tensor g = Tensor.of(gy, y.dims())) {
            float[] gx = m.backward(g).toArray();
            float[] xv = x.toArray();
            for (int i = 0; i < xv.length; i += Math.max(1, xv.length / 40)) {
                assertThat((double) gx[i]).as("d/dx[%d]", i).isCloseTo(numeric(m, x, xv, i, gy), within(2e-3 + 2e-3 * Math.abs(gx[i])));
            }
            for (var e : m.namedParameters().entrySet()) {
                if (e.getValue().isFrozen()) {
                    continue; // no gradient is computed for it
                }
                Tensor p = e.getValue().value();
                float[] pv = p.toArray(), grad = e.getValue().grad().toArray();
                for (int i = 0; i < pv.length; i += Math.max(1, pv.length / 5)) {
                    assertThat((double) grad[i]).as("d/d%s[%d]", e.getKey(), i)
                            .isCloseTo(numeric(m, x, p, pv, i, gy), within(2e-3 + 2e-3 * Math.abs(grad[i])));
                }
            }
        }
    }

    private static double numeric(Module m, Tensor x, float[] xv, int i, float[] gy) {
        return numeric(m, x, x, xv, i, gy);
    }

    private static double numeric(Module m, Tensor x, Tensor target, float[] values, int i, float[] gy) {
        float h = 1e-2f, keep = values[i];
        values[i] = keep + h;
        target.copyFrom(values);
        double up = loss(m, x, gy);
        values[i] = keep - h;
        target.copyFrom(values);
        double down = loss(m, x, gy);
        values[i] = keep;
        target.copyFrom(values);
        return (up - down) / (2 * h);
    }

    @Test
    void sequentialOfEveryLayerKind() {
        Sequential net = new Sequential();
        net.add("conv", new Conv2d(2, 3, 3, 2, 1, 1, 1, true)).add("bn", new BatchNorm2d(3)).add("act", ActivationLayer.tanh())
                .add("pool", Pool2d.avg(2, 2)).add("flat", new Flatten()).add("fc", new Linear(3 * 2 * 2, 4))
                .add("out", ActivationLayer.sigmoid());
        net.eval(); // fixed statistics: L is then a smooth function of each input on its own
        try (net; Tensor x = random(2, 2, 8, 8)) {
            check(net, x);
        }
    }

    @Test
    void piecewiseLinearLayersAwayFromTheirKinks() {
        // max pool, ReLU and leaky ReLU have kinks; with this seed no sampled input lies within h of one
        Sequential net = new Sequential();
        net.add("conv", new Conv2d(1, 2, 3, 1, 1, 1, 1, true)).add("leaky", ActivationLayer.leakyRelu(0.2f))
                .add("pool", Pool2d.max(2, 2)).add("relu", ActivationLayer.relu()).add("flat", new Flatten())
                .add("fc", new Linear(2 * 3 * 3, 3));
        try (net; Tensor x = random(2, 1, 6, 6)) {
            check(net, x);
        }
    }

    @Test
    void squeezeExciteAndSiluThroughMultiply() {
        // squeeze-excite: x * sigmoid(fc(pool(x))) per channel, then SiLU: y * sigmoid(y)
        Graph g = new Graph("x");
        g.layer("conv", new Conv2d(2, 3, 3, 1, 1, 1, 1, true), "x").layer("pool", new GlobalAvgPool2d(), "conv")
                .layer("fc", new Conv2d(3, 3, 1, 1, 0, 1, 1, true), "pool").layer("gate", ActivationLayer.sigmoid(), "fc")
                .node("excite", new Multiply(), "gate", "conv").layer("sig", ActivationLayer.sigmoid(), "excite")
                .node("silu", new Multiply(), "excite", "sig").output("silu");
        try (g; Tensor x = random(2, 2, 4, 3)) {
            check(g, x);
        }
    }

    @Test
    void relu6AwayFromItsKinksAtZeroAndSix() {
        float[] v = {-3.1f, -0.4f, 0.3f, 1.7f, 2.9f, 4.2f, 5.6f, 6.4f, 7.3f, 11.0f, -8.5f, 3.3f};
        try (ActivationLayer relu6 = ActivationLayer.relu6(); Tensor x = Tensor.of(v, 1, 3, 2, 2)) {
            check(relu6, x);
        }
    }

    @Test
    void hardSigmoidAndHardSwishAwayFromTheirKinks() {
        float[] v = {-3.6f, -0.4f, 0.3f, 1.7f, 2.9f, 4.2f, -5.6f, 6.4f, -2.3f, 11.0f, -8.5f, 3.3f};
        for (ActivationLayer layer : new ActivationLayer[] {ActivationLayer.hardSigmoid(0.2f, 0.5f), ActivationLayer.hardSwish()}) {
            try (layer; Tensor x = Tensor.of(v, 1, 3, 2, 2)) {
                check(layer, x);
            }
        }
    }

    @Test
    void scaleShiftOnImagesAndFeatures() {
        try (ScaleShift images = new ScaleShift(new float[] {0.5f, -2f, 3f}, new float[] {1f, 0f, -0.25f});
             ScaleShift features = new ScaleShift(new float[] {1.5f, -0.5f}, new float[] {0.1f, 0.2f});
             Tensor x = random(2, 3, 3, 2); Tensor f = random(4, 2)) {
            check(images, x);
            check(features, f);
        }
    }

    @Test
    void channelShuffleBetweenGroupedConvolutions() {
        Sequential net = new Sequential();
        net.add("conv", new Conv2d(2, 6, 3, 1, 1, 1, 2, true)).add("shuffle", new ChannelShuffle(3))
                .add("mix", new Conv2d(6, 4, 1, 1, 0, 1, 2, true));
        try (net; Tensor x = random(2, 2, 4, 3)) {
            check(net, x);
        }
    }

    @Test
    void rectangularKernelsAndAsymmetricPadding() {
        Sequential net = new Sequential();
        net.add("tall", Conv2d.builder(2, 3, 3).kernel(3, 1).padding(1, 1, 0, 0).build())
                .add("wide", Conv2d.builder(3, 2, 1).kernel(1, 3).stride(2, 1).padding(0, 1, 2, 0).dilation(1, 2).build());
        try (net; Tensor x = random(2, 2, 5, 6)) {
            check(net, x);
        }
    }

    @Test
    void signalLayersCausalDilatedGroupedConvolutionsAndAveragePooling() {
        Sequential net = new Sequential();
        net.add("causal", new Conv1d.Builder(2, 4, 3).dilation(2).causal().build()).add("bn", new BatchNorm1d(4))
                .add("act", ActivationLayer.tanh()).add("grouped", new Conv1d(4, 6, 2, 2, 1, 1, 2, true))
                .add("pool", new Pool1d(org.cnn4j.backend.Pool2dSpec.Kind.AVG, 3, 2, 1, true, false)).add("gap", new GlobalAvgPool1d())
                .add("flat", new Flatten()).add("fc", new Linear(6, 3)).add("out", ActivationLayer.sigmoid());
        net.eval(); // fixed statistics: L is then a smooth function of each input on its own
        try (net; Tensor x = random(2, 2, 1, 11)) {
            check(net, x);
        }
    }

    @Test
    void signalLayersInTrainingBatchNormMaxPoolingAndGlobalMax() {
        // batch statistics couple the samples, which central differences see as well; max pools away from their kinks with this seed
        Sequential net = new Sequential();
        net.add("conv", new Conv1d(1, 3, 5, 1, 2, 1, 1, false)).add("bn", new BatchNorm1d(3)).add("act", ActivationLayer.tanh())
                .add("pool", Pool1d.max(2, 2)).add("depthwise", new Conv1d(3, 3, 3, 1, 1, 1, 3, true)).add("gmp", new GlobalMaxPool1d())
                .add("flat", new Flatten());
        try (net; Tensor x = random(3, 1, 1, 9)) {
            check(net, x);
        }
    }

    @Test
    void globalMaxPoolPassesTheGradientToEachChannelsMaximum() {
        Sequential net = new Sequential();
        net.add("conv", new Conv2d(2, 3, 3, 1, 1, 1, 1, true)).add("pool", new GlobalMaxPool2d()).add("flat", new Flatten())
                .add("fc", new Linear(3, 2));
        try (net; Tensor x = random(2, 2, 5, 4)) {
            check(net, x);
        }
    }

    @Test
    void dropoutScalesKeptUnitsAndRoutesTheGradientThroughTheSameMask() {
        try (Dropout drop = new Dropout(0.25f, 17); Tensor x = random(4, 8, 8, 8); Tensor g = random(4, 8, 8, 8)) {
            float[] xv = x.toArray(), y = drop.forward(x).toArray(), gx = drop.backward(g).toArray(), gv = g.toArray();
            int dropped = 0;
            for (int i = 0; i < xv.length; i++) {
                boolean kept = y[i] != 0;
                dropped += kept ? 0 : 1;
                assertThat(y[i]).isCloseTo(kept ? xv[i] / 0.75f : 0f, within(1e-6f));
                assertThat(gx[i]).isCloseTo(kept ? gv[i] / 0.75f : 0f, within(1e-6f));
            }
            // 2048 units, p = 0.25: 512 expected, standard deviation ~20
            assertThat(dropped).isBetween(412, 612);
            float[] second = drop.forward(x).toArray();
            assertThat(second).as("a new mask each step").isNotEqualTo(y);
            drop.eval();
            assertThat(drop.forward(x).toArray()).containsExactly(xv);
        }
        try (Dropout a = new Dropout(0.5f, 3); Dropout b = new Dropout(0.5f, 3); Tensor x = random(2, 16)) {
            assertThat(b.forward(x).toArray()).as("same seed, same masks").containsExactly(a.forward(x).toArray());
        }
    }

    @Test
    void batchNormInTrainingModeThroughTheBatchStatistics() {
        Sequential net = new Sequential(new Conv2d(1, 2, 3, 1, 1, 1, 1, false), new BatchNorm2d(2), ActivationLayer.tanh());
        try (net; Tensor x = random(3, 1, 4, 4)) {
            check(net, x);
        }
    }

    @Test
    void graphWithResidualAddAndConcat() {
        Graph g = new Graph("x")
                .layer("a", new Conv2d(2, 2, 3, 1, 1, 1, 1, true), "x")
                .layer("ta", ActivationLayer.tanh(), "a")
                .add("res", "ta", "x")
                .layer("b", new Conv2d(2, 3, 1, 1, 0, 1, 1, true), "res")
                .concat("cat", "b", "res", "x")
                .layer("gap", new GlobalAvgPool2d(), "cat")
                .layer("flat", new Flatten(), "gap")
                .layer("fc", new Linear(7, 3), "flat");
        try (g; Tensor x = random(2, 2, 5, 5)) {
            check(g, x);
        }
    }

    @Test
    void graphWhereOneNodeFeedsTheSameMergeTwice() {
        Graph g = new Graph("x")
                .layer("a", new Conv2d(2, 2, 3, 1, 1, 1, 1, true), "x")
                .layer("ta", ActivationLayer.tanh(), "a")
                .concat("twice", "ta", "ta", "x")
                .add("double", "ta", "ta")
                .layer("mix", new Conv2d(6, 2, 1, 1, 0, 1, 1, false), "twice")
                .add("sum", "mix", "double", "x");
        try (g; Tensor x = random(2, 2, 4, 4)) {
            check(g, x);
        }
    }

    @Test
    void frozenLayersGetNoGradientAndTheFirstLayerNoInputGradient() {
        Conv2d first = new Conv2d(1, 2, 3, 1, 1, 1, 1, true);
        Linear head = new Linear(2 * 4 * 4, 2);
        Sequential net = new Sequential(first, new Flatten(), head);
        first.freeze();
        try (net; Tensor x = random(2, 1, 4, 4); Tensor gy = random(2, 2)) {
            net.setNeedsInputGrad(false);
            net.forward(x);
            assertThat(net.backward(gy)).isNull();
            assertThat(first.weight().grad().toArray()).containsOnly(0f);
            assertThat(head.weight().grad().toArray()).isNotEqualTo(new float[32]);
            assertThat(first.isFrozen()).isTrue();
        }
    }

    @Test
    void anEncoderDecoderDownsamplesAndUpsamplesBack() {
        Sequential net = new Sequential().add("down", Conv2d.builder(2, 4, 3).stride(2).padding(1).build()).add("act", ActivationLayer.tanh())
                .add("up", ConvTranspose2d.builder(4, 2, 3).stride(2).padding(1).outputPadding(1).build())
                .add("out", ActivationLayer.sigmoid());
        try (net; Tensor x = random(2, 2, 6, 5)) {
            assertThat(net.forward(x).dims()).as("6x5 -> 3x3 -> 6x6").containsExactly(2, 2, 6, 6);
            check(net, x);
        }
    }

    @Test
    void groupsDilationAndOutputRowsNoInputReaches() {
        // stride 1, dilation 2, output padding 1: the last row and column hold the bias alone
        Sequential net = new Sequential().add("up", ConvTranspose2d.builder(4, 6, 3).dilation(2).outputPadding(1).groups(2).build())
                .add("act", ActivationLayer.tanh());
        try (net; Tensor x = random(2, 4, 3, 4)) {
            check(net, x);
        }
    }

    @Test
    void depthwiseWithAStrideLargerThanTheKernel() {
        Sequential net = new Sequential().add("up", ConvTranspose2d.builder(3, 3, 2).stride(3).padding(1).outputPadding(2).groups(3).build())
                .add("act", ActivationLayer.tanh());
        try (net; Tensor x = random(3, 3, 2, 3)) {
            check(net, x);
        }
    }

    @Test
    void aFrozenWeightWithATrainableBiasAndNoBias() {
        ConvTranspose2d frozen = ConvTranspose2d.builder(2, 3, 3).stride(2).padding(2).build();
        frozen.weight().setFrozen(true);
        Sequential net = new Sequential().add("up", frozen).add("act", ActivationLayer.tanh())
                .add("more", ConvTranspose2d.builder(3, 2, 2).stride(2).bias(false).build()).add("out", ActivationLayer.tanh());
        try (net; Tensor x = random(2, 2, 4, 3)) {
            check(net, x);
        }
    }
}
