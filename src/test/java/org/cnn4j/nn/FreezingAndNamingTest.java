package org.cnn4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.cnn4j.optim.Sgd;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Parameter names, freezing of single parameters, layers and sub-graphs, and what a Graph refuses. */
class FreezingAndNamingTest {

    private static Tensor ramp(int... dims) {
        Tensor t = Tensor.zeros(dims);
        float[] v = new float[t.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(0.7 * i);
        }
        return t.copyFrom(v);
    }

    /** backbone: conv+relu -> (branch a: conv, branch b: identity) -> add; head: gap, flatten, linear. */
    private static Graph net() {
        Init.manualSeed(4);
        return new Graph("x")
                .layer("stem", new Conv2d(1, 2, 3, 1, 1, 1, 1, true), "x").layer("relu", ActivationLayer.relu(), "stem")
                .layer("a", new Conv2d(2, 2, 3, 1, 1, 1, 1, true), "relu")
                .add("sum", "a", "relu")
                .layer("gap", new GlobalAvgPool2d(), "sum").layer("flat", new Flatten(), "gap")
                .layer("fc", new Linear(2, 3), "flat");
    }

    @Test
    void parametersAreNamedByTheirPathInNestedContainers() {
        try (Sequential model = new Sequential().add("features", net()).add("out", ActivationLayer.tanh())) {
            assertThat(model.namedParameters().keySet()).containsExactly("features.stem.weight", "features.stem.bias",
                    "features.a.weight", "features.a.bias", "features.fc.weight", "features.fc.bias");
            assertThat(model.parameterCount()).isEqualTo(2 * 9 + 2 + 2 * 2 * 9 + 2 + 3 * 2 + 3);
        }
        try (BatchNorm2d bn = new BatchNorm2d(4)) {
            Map<String, Tensor> buffers = new Sequential().add("bn", bn).namedBuffers();
            assertThat(buffers).containsOnlyKeys("bn.running_mean", "bn.running_var");
        }
    }

    @Test
    void aFrozenSubGraphGetsNoGradientAndNoUpdate() {
        try (Graph g = net(); Tensor x = ramp(2, 1, 5, 5); Tensor gy = ramp(2, 3)) {
            g.freezeThrough("sum");
            assertThat(((Conv2d) g.module("stem")).weight().isFrozen()).isTrue();
            assertThat(((Conv2d) g.module("a")).weight().isFrozen()).isTrue();
            assertThat(((Linear) g.module("fc")).weight().isFrozen()).isFalse();
            float[] stemBefore = ((Conv2d) g.module("stem")).weight().value().toArray();
            try (Sgd sgd = new Sgd(g.parameters(), 0.5f, 0f)) {
                g.setNeedsInputGrad(false);
                g.forward(x);
                assertThat(g.backward(gy)).isNull();
                assertThat(((Conv2d) g.module("a")).weight().grad().toArray()).containsOnly(0f);
                assertThat(((Linear) g.module("fc")).weight().grad().toArray()).isNotEqualTo(new float[6]);
                assertThatThrownBy(() -> g.gradientOf("a")).as("backward stops at the frozen part").hasMessageContaining("no gradient");
                sgd.step();
            }
            assertThat(((Conv2d) g.module("stem")).weight().value().toArray()).containsExactly(stemBefore);
            g.unfreeze();
            assertThat(g.isFrozen()).isFalse();
        }
    }

    @Test
    void aTrainableBiasBehindAFrozenWeightStillGetsItsGradient() {
        for (Layout layout : new Layout[] {Layout.NCHW, Layout.NHWC}) {
            Init.manualSeed(5);
            try (Conv2d free = new Conv2d(2, 3, 3, 1, 1, 1, 1, true); Tensor x = Tensor.zeros(Shape.of(2, 2, 4, 4), layout);
                 Tensor gy = Tensor.zeros(Shape.of(2, 3, 4, 4), layout)) {
                x.copyFrom(ramp(2, 2, 4, 4).toArray());
                gy.copyFrom(ramp(2, 3, 4, 4).toArray());
                free.setNeedsInputGrad(false);
                free.forward(x);
                free.backward(gy);
                float[] expected = free.bias().grad().toArray();
                free.bias().grad().zero();
                free.weight().grad().zero();
                free.weight().setFrozen(true);
                free.forward(x);
                free.backward(gy);
                float[] got = free.bias().grad().toArray();
                for (int k = 0; k < 3; k++) {
                    assertThat(got[k]).as("%s bias grad %d", layout, k).isCloseTo(expected[k], within(1e-4f));
                }
                assertThat(free.weight().grad().toArray()).containsOnly(0f);
            }
        }
        Init.manualSeed(6);
        try (Linear fc = new Linear(3, 2); Tensor x = ramp(4, 3); Tensor gy = ramp(4, 2)) {
            fc.weight().setFrozen(true);
            fc.setNeedsInputGrad(false);
            fc.forward(x);
            fc.backward(gy);
            float[] g = gy.toArray();
            assertThat(fc.bias().grad().toArray()[1]).isCloseTo(g[1] + g[3] + g[5] + g[7], within(1e-5f));
            assertThat(fc.weight().grad().toArray()).containsOnly(0f);
        }
    }

    @Test
    void aGraphRefusesReusedLayersUnknownInputsAndTakenNames() {
        Conv2d shared = Conv2d.builder(1, 1, 3).padding(1).build();
        Graph g = new Graph("x").layer("c1", shared, "x");
        assertThatThrownBy(() -> g.layer("c2", shared, "c1")).hasMessageContaining("reuses a layer");
        assertThatThrownBy(() -> g.layer("c3", new Flatten(), "nowhere")).hasMessageContaining("no node named 'nowhere'");
        assertThatThrownBy(() -> g.add("c1", "x", "c1")).hasMessageContaining("taken");
        assertThatThrownBy(() -> g.concat("cat", "x")).hasMessageContaining("two or more");
        assertThat(g.outputName()).isEqualTo("c1");
        assertThat(g.nodes()).extracting(Graph.Node::name).containsExactly("c1");
        g.close();
    }

    @Test
    void shapeErrorsNameTheLayerOrNode() {
        try (Graph g = new Graph("x").layer("a", Conv2d.builder(1, 2, 3).padding(1).build(), "x").layer("b", Conv2d.builder(1, 3, 3).padding(1).build(), "x").add("sum", "a", "b");
             Sequential s = new Sequential().add("features", Conv2d.builder(1, 2, 3).padding(1).build()).add("head", new Linear(5, 2));
             Tensor x = ramp(1, 1, 4, 4)) {
            assertThatThrownBy(() -> g.forward(x)).hasMessageStartingWith("Graph node 'sum' <- a, b: ");
            assertThatThrownBy(() -> s.forward(x)).hasMessageStartingWith("Sequential layer 'head': Linear(5->2)");
        }
    }

    @Test
    void trainAndEvalReachEveryLayer() {
        try (Sequential s = new Sequential(net(), new Dropout(0.5f, 1))) {
            s.eval();
            assertThat(List.of(s.get("0"), ((Graph) s.get("0")).module("fc"), s.get("1"))).noneMatch(Module::isTraining);
            s.train();
            assertThat(((Graph) s.get("0")).module("fc").isTraining()).isTrue();
        }
    }
}
