package org.cnn4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cnn4j.optim.Sgd;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.Test;

/** Cutting, freezing and re-heading trained networks, and the errors that name what exists. */
class TransferTest {

    private static Tensor input(int n) {
        Tensor x = Tensor.zeros(n, 1, 28, 28);
        Init.uniform(x, 1);
        return x;
    }

    @Test
    void aSequentialCutComputesTheOriginalsIntermediateOutput() {
        Init.manualSeed(3);
        try (Sequential net = (Sequential) Zoo.build("fmnist-cnn-small", 1, 28, 28, 10); Tensor x = input(2)) {
            net.eval();
            Module features = Transfer.cut(net, "fc1");
            float[] cut = features.forward(x).toArray();
            Sequential upToFc1 = new Sequential();
            for (String name : net.names().subList(0, net.names().indexOf("fc1") + 1)) {
                upToFc1.add(name, net.get(name));
            }
            assertThat(cut).hasSize(2 * 64).containsExactly(upToFc1.forward(x).toArray());
            assertThat(Transfer.layerNames(features)).endsWith("flatten", "fc1");
        }
    }

    @Test
    void aGraphCutKeepsOnlyTheNodesTheLayerNeeds() {
        try (Graph net = (Graph) Zoo.build("fmnist-resnet", 1, 28, 28, 10); Tensor x = input(2)) {
            Graph cut = (Graph) Transfer.cut(net, "s2b1_out");
            assertThat(cut.nodeNames()).contains("s2b1_proj_bn", "s1b2_out").doesNotContain("s2b2_conv1", "fc");
            assertThat(cut.forward(x).dims()).containsExactly(2, 32, 14, 14);
        }
    }

    @Test
    void freezingStopsAtTheNamedLayerAndFrozenBatchNormKeepsItsStatistics() {
        try (Sequential net = (Sequential) Zoo.build("fmnist-cnn-small", 1, 28, 28, 10); Tensor x = input(4)) {
            Transfer.freezeThrough(net, "pool1");
            assertThat(net.get("conv2").isFrozen()).isTrue();
            assertThat(net.get("conv3").isFrozen()).isFalse();
            BatchNorm2d bn1 = (BatchNorm2d) net.get("bn1"), bn3 = (BatchNorm2d) net.get("bn3");
            float[] frozenStats = bn1.runningMean().toArray();
            float[] liveStats = bn3.runningMean().toArray();
            net.train().forward(x);
            assertThat(bn1.runningMean().toArray()).containsExactly(frozenStats);
            assertThat(bn3.runningMean().toArray()).isNotEqualTo(liveStats);
        }
    }

    @Test
    void aKeptHeadIsReorderedToTheDatasClassOrder() {
        Init.manualSeed(5);
        try (Sequential net = (Sequential) Zoo.build("fmnist-cnn-small", 1, 28, 28, 3); Tensor x = input(2)) {
            net.eval();
            float[] before = net.forward(x).toArray();
            Transfer.reorderHead(net, java.util.List.of("cat", "dog", "owl"), java.util.List.of("owl", "cat", "dog"));
            float[] after = net.forward(x).toArray();
            for (int n = 0; n < 2; n++) { // output j is now class to[j]: owl (was 2), cat (0), dog (1)
                assertThat(new float[] {after[n * 3], after[n * 3 + 1], after[n * 3 + 2]})
                        .containsExactly(before[n * 3 + 2], before[n * 3], before[n * 3 + 1]);
            }
            assertThatThrownBy(() -> Transfer.reorderHead(net, java.util.List.of("cat", "dog", "owl"), java.util.List.of("cat", "dog", "emu")))
                    .hasMessageContaining("not the head's classes");
        }
    }

    @Test
    void freezeFirstAndAllButHead() {
        try (Sequential net = (Sequential) Zoo.build("fmnist-cnn-small", 1, 28, 28, 10)) {
            Transfer.freezeFirst(net, 2); // conv1, bn1
            assertThat(net.get("bn1").isFrozen()).isTrue();
            assertThat(net.get("conv2").isFrozen()).isFalse();
            Transfer.freezeAllButHead(net);
            assertThat(net.get("fc1").isFrozen()).isTrue();
            assertThat(net.get("fc2").isFrozen()).isFalse();
            assertThatThrownBy(() -> Transfer.freezeFirst(net, 99)).hasMessageContaining("99").hasMessageContaining("10 layers");
        }
    }

    @Test
    void aNewHeadHasTheNewClassCountAndOnlyItLearnsAtTheFullRate() {
        try (Graph net = (Graph) Zoo.build("fmnist-resnet", 1, 28, 28, 10); Tensor x = input(2)) {
            Linear head = Transfer.replaceHead(net, 3);
            assertThat(head.outFeatures()).isEqualTo(3);
            assertThat(net.forward(x).dims()).containsExactly(2, 3);
            assertThat(Transfer.bodyParameters(net)).hasSize(net.parameters().size() - 2);
            try (Sgd sgd = new Sgd(net.parameters(), 0.1f, 0)) {
                sgd.scaleLearningRate(Transfer.bodyParameters(net), 0f);
                Parameter conv = net.namedParameters().get("stem_conv.weight");
                float[] before = conv.value().toArray(), headBefore = head.weight().value().toArray();
                conv.grad().fill(1f);
                head.weight().grad().fill(1f);
                sgd.step();
                assertThat(conv.value().toArray()).containsExactly(before);
                assertThat(head.weight().value().toArray()[0]).isEqualTo(headBefore[0] - 0.1f);
            }
        }
    }

    @Test
    void aHeadOnFeaturesMustTakeTheirSize() {
        try (Sequential net = (Sequential) Zoo.build("fmnist-cnn-small", 1, 28, 28, 10); Tensor x = input(2)) {
            Module body = Transfer.cut(net, "pool2");
            assertThatThrownBy(() -> Transfer.withHead(body, 1, 28, 28, new Linear(100, 4)))
                    .hasMessageContaining("784 values per image").hasMessageContaining("takes 100");
            Sequential withHead = Transfer.withHead(body, 1, 28, 28, new Linear(16 * 7 * 7, 4));
            assertThat(withHead.forward(x).dims()).containsExactly(2, 4);
        }
    }

    @Test
    void unknownLayersAreErrorsListingTheLayers() {
        try (Module net = Zoo.build("fmnist-cnn-small", 1, 28, 28, 10)) {
            assertThatThrownBy(() -> Transfer.cut(net, "conv9")).hasMessageContaining("conv9").hasMessageContaining("conv1, bn1");
            assertThatThrownBy(() -> Transfer.freezeThrough(net, "nope")).hasMessageContaining("fc2");
        }
        try (Sequential noHead = new Sequential().add("conv", Conv2d.builder(1, 2, 3).padding(1).build())) {
            assertThatThrownBy(() -> Transfer.replaceHead(noHead, 3)).hasMessageContaining("not a Linear classifier head");
        }
    }
}
