package org.cnn4j.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.ModelSummary;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The zoo's ImageNet architectures have exactly the published sizes. Reference figures: torchvision
 * 0.14's models at 3x224x224 and 1000 classes, parameters by {@code sum(p.numel())} and MACs by forward
 * hooks on Conv2d (output numel x in/groups x kh x kw) and Linear (in x out), the convention of the
 * papers' "4.1 G multiply-adds" for ResNet-50.
 */
class PublishedArchitecturesTest {

    @ParameterizedTest(name = "{0}: {1} parameters, {2} MACs")
    @CsvSource({
            "resnet18, 11689512, 1814073344",
            "resnet34, 21797672, 3663761408",
            "resnet50, 25557032, 4089184256",
            "vgg11, 132863336, 7609090048",
            "vgg11-bn, 132868840, 7609090048",
            "vgg16, 138357544, 15470264320",
            "vgg16-bn, 138365992, 15470264320"})
    void imagenetModelsMatchTorchvision(String name, long parameters, long macs) {
        try (Module m = Init.withoutRandomValues(() -> Zoo.build(name, 3, 224, 224, 1000))) { // counted, never run
            ModelSummary s = ModelSummary.of(m, 3, 224, 224);
            assertThat(m.parameterCount()).isEqualTo(parameters);
            assertThat(s.parameters()).isEqualTo(parameters);
            assertThat(s.macs()).isEqualTo(macs);
            assertThat(s.output()).containsExactly(1000);
        }
    }

    @Test
    void lenet5HasTheClassic61706Parameters() {
        // conv1 6*25+6, conv2 16*6*25+16, fc 400*120+120, 120*84+84, 84*10+10 = 61,706 (LeCun et al. 1998 at 32x32)
        try (Module m = Zoo.build("lenet5", 1, 28, 28, 10); Tensor x = Tensor.zeros(2, 1, 28, 28)) {
            assertThat(m.parameterCount()).isEqualTo(61_706);
            assertThat(ModelSummary.of(m, 1, 28, 28).macs()).isEqualTo(117_600 + 240_000 + 48_000 + 10_080 + 840);
            assertThat(m.forward(x).dims()).containsExactly(2, 10);
        }
    }

    @Test
    void inception3aMatchesTheGoogLeNetPaper() {
        // GoogLeNet table 1, inception (3a) at 28x28x192: "params 159K, ops 128M" (K = 1024 weights; MACs)
        Graph g = new Graph("x");
        Inception.block(g, "3a", "x", 192, new Inception.Widths(64, 96, 128, 16, 32, 32), false);
        try (g) {
            ModelSummary s = ModelSummary.of(g, 192, 28, 28);
            long weights = g.namedParameters().entrySet().stream().filter(e -> e.getKey().endsWith("weight"))
                    .mapToLong(e -> e.getValue().value().numel()).sum();
            assertThat(weights).isEqualTo(163_328).isBetween(159L * 1024, 160L * 1024);
            assertThat(s.macs()).isEqualTo(163_328L * 28 * 28);
            assertThat(s.output()).containsExactly(256, 28, 28);
            assertThat(g.describe()).contains("3a_out <- 3a_1x1_relu, 3a_3x3_relu, 3a_5x5_relu, 3a_pool_proj_relu: Concat");
        }
    }

    @ParameterizedTest(name = "{0} on {1}x{2}x{2} with {3} classes")
    @CsvSource({
            "lenet5, 1, 32, 7",
            "inception-small, 1, 28, 10",
            "inception-small, 3, 17, 4",
            "resnet18, 3, 32, 10",
            "resnet50, 1, 40, 5",
            "vgg11-bn, 3, 32, 3"})
    void modelsTakeOtherInputSizesAndClassCounts(String name, int channels, int size, int classes) {
        try (Module m = Zoo.build(name, channels, size, size, classes); Tensor x = Tensor.zeros(2, channels, size, size)) {
            Init.uniform(x, 1);
            assertThat(ModelSummary.of(m, channels, size, size).output()).containsExactly(classes);
            m.eval();
            assertThat(m.forward(x).dims()).containsExactly(2, classes);
        }
    }

    @Test
    void resnetSkipConnectionsAreAddNodesWithProjectionsWhereShapesChange() {
        try (Module m = Init.withoutRandomValues(() -> Zoo.build("resnet50", 3, 224, 224, 1000))) {
            assertThat(m.describe()).contains("layer1_0_sum <- layer1_0_conv3_bn, layer1_0_downsample_bn: Add")
                    .contains("layer1_1_sum <- layer1_1_conv3_bn, layer1_0_out: Add");
            assertThat(m.namedParameters()).containsKeys("conv1.weight", "layer4_2_conv3.weight", "fc.weight");
        }
    }

    @Test
    void tooSmallInputsAreRefusedWithTheSize() {
        assertThatThrownBy(() -> Zoo.build("vgg16", 3, 16, 16, 10)).hasMessageContaining("16x16");
        assertThatThrownBy(() -> Zoo.build("resnet18", 3, 31, 31, 10)).hasMessageContaining("31x31");
    }
}
