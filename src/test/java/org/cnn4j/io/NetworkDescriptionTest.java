package org.cnn4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.GlobalAvgPool2d;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Pool2d;
import org.cnn4j.nn.Sequential;
import org.cnn4j.nn.fuse.FusedConv2d;
import org.cnn4j.nn.fuse.PostOps;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-built networks of every layer kind survive a model file and compute the same outputs afterwards. */
class NetworkDescriptionTest {

    /** An Inception-like block (two branches concatenated) with a residual add, in a Sequential with a head. */
    private static Module custom() {
        Init.manualSeed(8);
        Graph block = new Graph("in")
                .layer("b1", new Conv2d(2, 3, 1, 1, 0, 1, 1, true), "in")
                .layer("b2", new Conv2d(2, 3, 3, 1, 1, 1, 1, false), "in").layer("b2_bn", new BatchNorm2d(3, 1e-3f, 0.05f), "b2")
                .layer("b2_act", ActivationLayer.leakyRelu(0.1f), "b2_bn")
                .concat("cat", "b1", "b2_act")
                .layer("mix", new Conv2d(6, 2, 1, 1, 0, 1, 2, true), "cat")
                .add("res", "mix", "in").layer("out", ActivationLayer.sigmoid(), "res")
                .output("out");
        return new Sequential().add("block", block)
                .add("pool", new Pool2d(Pool2dSpec.Kind.AVG, 2, 2, 1, true, false)).add("max", Pool2d.max(2, 1))
                .add("tanh", ActivationLayer.tanh()).add("gap", new GlobalAvgPool2d()).add("flat", new Flatten())
                .add("drop", new Dropout(0.3f, 99)).add("fc", new Linear(2, 4, false)).add("relu", ActivationLayer.relu());
    }

    @Test
    void aCustomGraphRoundTripsThroughAModelFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("custom.cnn4j");
        try (Module original = custom(); Tensor x = Tensor.zeros(2, 2, 6, 6)) {
            float[] v = new float[x.numel()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) Math.cos(0.3 * i);
            }
            x.copyFrom(v);
            original.forward(x); // training mode: moves the batch norm running statistics away from 0 and 1
            original.eval();
            float[] expected = original.forward(x).toArray();
            ModelFile.write(f, new ModelFile.Saved("my-inception", 2, 6, 6, List.of("a", "b", "c", "d"), original, List.of()));
            ModelFile.Saved back = ModelFile.read(f);
            try (Module copy = back.model()) {
                assertThat(back.architecture()).isEqualTo("my-inception");
                assertThat(copy.describe()).isEqualTo(original.describe());
                copy.eval();
                assertThat(copy.forward(x).toArray()).containsExactly(expected);
            }
        }
    }

    @Test
    void dropoutDrawsTheMasksItWouldHaveDrawnAfterAModelFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("drop.cnn4j");
        try (Sequential original = new Sequential().add("drop", new Dropout(0.5f, 7)); Tensor x = Tensor.zeros(4, 64).fill(1f)) {
            original.forward(x);
            original.forward(x);
            ModelFile.write(f, new ModelFile.Saved("drop", 1, 1, 64, List.of("a"), original, List.of()));
            float[] third = original.forward(x).toArray();
            try (Module copy = ModelFile.read(f).model()) {
                assertThat(copy.forward(x).toArray()).containsExactly(third);
            }
        }
    }

    @Test
    void descriptionsAreJsonANewcomerCanRead() {
        try (Module m = custom()) {
            String json = NetworkDescription.describe(m).toString();
            assertThat(json).contains("\"type\":\"Graph\"", "\"type\":\"Concat\"", "\"type\":\"LeakyReLU\",\"negative_slope\":0.1",
                    "\"type\":\"AvgPool2d\"", "\"count_include_pad\":false", "\"type\":\"Dropout\",\"p\":0.3");
        }
    }

    @Test
    void malformedDescriptionsSayWhatIsMissing() throws IOException {
        ObjectMapper json = new ObjectMapper();
        assertThatThrownBy(() -> NetworkDescription.build(json.readTree("{\"type\":\"Conv3d\"}"))).hasMessageContaining("unknown layer type 'Conv3d'");
        assertThatThrownBy(() -> NetworkDescription.build(json.readTree("{\"type\":\"Linear\",\"in\":3,\"bias\":true}")))
                .hasMessageContaining("Linear has no integer 'out'");
        assertThatThrownBy(() -> NetworkDescription.build(json.readTree(
                "{\"type\":\"Graph\",\"input\":\"x\",\"nodes\":[{\"name\":\"s\",\"op\":\"add\",\"inputs\":[\"x\",\"y\"]}]}")))
                .hasMessageContaining("no node named 'y'");
        long held = Tensor.liveBytes();
        assertThatThrownBy(() -> NetworkDescription.build(json.readTree("{\"type\":\"Sequential\",\"layers\":["
                + "{\"name\":\"fc\",\"layer\":{\"type\":\"Linear\",\"in\":300,\"out\":300,\"bias\":true}},"
                + "{\"name\":\"pool\",\"layer\":{\"type\":\"MaxPool2d\",\"kernel\":2,\"stride\":0,\"padding\":0,"
                + "\"ceil_mode\":false,\"count_include_pad\":false}}]}"))).hasMessageContaining("stride > 0");
        assertThat(Tensor.liveBytes()).as("the layers built before the fault are freed").isEqualTo(held);
        try (Conv2d conv = Conv2d.builder(1, 1, 3).padding(1).build(); BatchNorm2d bn = new BatchNorm2d(1); FusedConv2d fused = FusedConv2d.fold(conv, bn, PostOps.RELU)) {
            assertThatThrownBy(() -> NetworkDescription.describe(fused)).hasMessageContaining("inference copy");
        }
    }
}
