package org.cnn4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.Trainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * In training mode Sequential and Graph run a batch norm and the ReLU after it as one op, and a residual
 * block's batch norm, shortcut sum and ReLU as one. Fused, the ReLU's mask is recomputed from the same float
 * operations that produced the output (the sum included), and the masked gradient enters the same sums in
 * the same order, so training must end bit for bit where the separate ops end. The reference backend
 * computes the fused block's sum in double before rounding once, where the separate ops round the batch
 * norm's output first: there the block ends within 1e-6 (last bits of the float results, through three Adam steps). The unfused twin wraps each batch norm in its own Sequential, which hides the pair from the
 * container.
 */
class BatchNormReluFusionTest {
    private Backend before;

    @BeforeEach
    void remember() {
        before = Backends.current();
    }

    @AfterEach
    void restore() {
        Backends.use(before);
    }

    private static Module bn(int channels, boolean fused) {
        BatchNorm2d bn = new BatchNorm2d(channels);
        return fused ? bn : new Sequential().add("bn", bn);
    }

    private static Sequential sequential(boolean fused) {
        Init.manualSeed(5);
        return new Sequential().add("conv1", new Conv2d(3, 8, 3, 1, 1, 1, 1, false)).add("bn1", bn(8, fused))
                .add("relu1", ActivationLayer.relu()).add("conv2", new Conv2d(8, 19, 3, 2, 1, 1, 1, false)).add("bn2", bn(19, fused))
                .add("relu2", ActivationLayer.relu()).add("flatten", new Flatten()).add("fc", new Linear(19 * 5 * 5, 10));
    }

    /** A basic residual block: conv, BN, ReLU, conv, BN, add the input, ReLU: one BN + ReLU and one BN + add + ReLU to fuse. */
    private static Graph graph(boolean fused) {
        Init.manualSeed(6);
        return new Graph("x").layer("stem", new Conv2d(3, 16, 3, 1, 1, 1, 1, false), "x").layer("bn0", bn(16, fused), "stem")
                .layer("relu0", ActivationLayer.relu(), "bn0")
                .layer("conv1", new Conv2d(16, 16, 3, 1, 1, 1, 1, false), "relu0").layer("bn1", bn(16, fused), "conv1")
                .layer("relu1", ActivationLayer.relu(), "bn1").layer("conv2", new Conv2d(16, 16, 3, 1, 1, 1, 1, false), "relu1")
                .layer("bn2", bn(16, fused), "conv2").add("sum", "bn2", "relu0").layer("relu2", ActivationLayer.relu(), "sum")
                .layer("pool", new GlobalAvgPool2d(), "relu2").layer("flatten", new Flatten(), "pool").layer("fc", new Linear(16, 10), "flatten");
    }

    /** Trains a fresh copy for three Adam steps on seeded data and returns every parameter and buffer. */
    private static List<float[]> trained(Module net, Layout layout) {
        List<float[]> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(11);
        try (net; Adam adam = Adam.of(net.parameters(), 1e-2f); Trainer t = new Trainer(net, adam, null);
             Tensor x = Tensor.zeros(Shape.of(6, 3, 9, 9), layout); Tensor y = Tensor.zeros(6)) {
            for (int step = 0; step < 3; step++) {
                float[] v = new float[x.numel()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) r.nextGaussian();
                }
                x.copyFrom(v);
                y.copyFrom(new float[] {0, 3, 9, 3, 1, (float) step});
                t.step(x, y);
            }
            net.parameters().forEach(p -> out.add(p.value().toArray()));
            net.namedBuffers().values().forEach(b -> out.add(b.toArray()));
        }
        return out;
    }

    private static void assertSameTraining(Function<Boolean, Module> build, Layout layout, boolean bitForBit) {
        List<float[]> fused = trained(build.apply(true), layout), separate = trained(build.apply(false), layout);
        assertThat(fused).hasSameSizeAs(separate);
        for (int i = 0; i < fused.size(); i++) {
            if (bitForBit) {
                assertThat(fused.get(i)).as("parameter or buffer %d", i).isEqualTo(separate.get(i)); // Arrays.equals: bit for bit
            } else {
                assertThat(fused.get(i)).as("parameter or buffer %d", i).containsExactly(separate.get(i),
                        org.assertj.core.api.Assertions.within(1e-6f));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "reference"})
    void fusedTrainingEndsBitForBitWhereSeparateOpsEnd(String backend) {
        Backends.use(Backends.byName(backend));
        for (Layout layout : List.of(Layout.NCHW, Layout.NHWC)) {
            assertSameTraining(BatchNormReluFusionTest::sequential, layout, true);
            assertSameTraining(BatchNormReluFusionTest::graph, layout, backend.equals("native"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "reference"})
    void aFusedBatchNormKeepsNoValueOfItsOwnAndSaysSo(String backend) {
        Backends.use(Backends.byName(backend));
        try (Graph g = graph(true); Tensor x = Tensor.zeros(2, 3, 9, 9).fill(0.5f)) {
            g.forward(x);
            assertThatThrownBy(() -> g.valueOf("bn1")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'bn1'").hasMessageContaining("'relu1'");
            assertThat(g.valueOf("relu1").dims()).containsExactly(2, 16, 9, 9);
            for (String inside : new String[] {"bn2", "sum"}) {
                assertThatThrownBy(() -> g.valueOf(inside)).as(inside).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("'" + inside + "'").hasMessageContaining("'relu2'").hasMessageContaining("shortcut sum");
            }
            assertThat(g.valueOf("relu2").dims()).containsExactly(2, 16, 9, 9);
            assertThat(g.lastPlan().module("relu2").describe()).isEqualTo("BatchNorm2d(16) + shortcut + ReLU");
            g.eval();
            g.forward(x);
            assertThat(g.valueOf("bn1").dims()).as("eval mode runs the ops apart").containsExactly(2, 16, 9, 9);
            assertThat(g.valueOf("sum").dims()).containsExactly(2, 16, 9, 9);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aSequentialRunsItsBatchNormInsideTheReluOnlyInTraining(boolean training) {
        try (Sequential s = sequential(true); Tensor x = Tensor.zeros(2, 3, 9, 9).fill(0.5f)) {
            if (!training) {
                s.eval();
            }
            Profiler.enable(true);
            s.forward(x);
            Profiler.enable(false);
            // in training the batch norm runs inside the ReLU's node, which keeps the ReLU's name
            assertThat(Profiler.figures().keySet().contains("bn1")).isEqualTo(!training);
            assertThat(Profiler.figures()).containsKeys("conv1", "relu1", "conv2", "fc");
        }
    }
}
