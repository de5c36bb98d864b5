package org.cnn4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.ConvTranspose2d;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A network with transposed convolutions survives a model file: the same layers, weights and outputs afterwards. */
class ConvTranspose2dModelFileTest {

    private static Sequential autoencoder() {
        Init.manualSeed(12);
        return new Sequential().add("down", Conv2d.builder(1, 4, 3).stride(2).padding(1).build()).add("act", ActivationLayer.relu())
                .add("up", ConvTranspose2d.builder(4, 4, 3).stride(2).padding(1).outputPadding(1).groups(2).build())
                .add("act2", ActivationLayer.tanh())
                .add("out", ConvTranspose2d.builder(4, 1, 3).padding(2).outputPadding(1).dilation(2).bias(false).build());
    }

    @Test
    void anAutoencoderRoundTripsThroughAModelFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("autoencoder.cnn4j");
        try (Sequential original = autoencoder(); Tensor x = Tensor.zeros(2, 1, 8, 6)) {
            float[] v = new float[x.numel()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) Math.sin(0.7 * i);
            }
            x.copyFrom(v);
            original.eval();
            float[] expected = original.forward(x).toArray();
            assertThat(original.forward(x).dims()).as("8x6 -> 4x3 -> 8x6 -> 9x7").containsExactly(2, 1, 9, 7);
            String json = NetworkDescription.describe(original).toString();
            assertThat(json).contains("\"type\":\"ConvTranspose2d\",\"in\":4,\"out\":4,\"kernel\":3,\"stride\":2,\"padding\":1,"
                    + "\"output_padding\":1,\"dilation\":1,\"groups\":2,\"bias\":true");
            assertThat(NetworkDescription.weightFloats(NetworkDescription.describe(original)).values().stream().mapToLong(Long::longValue).sum())
                    .as("the floats a reader checks before allocating").isEqualTo(original.parameterCount());
            ModelFile.write(f, new ModelFile.Saved("autoencoder", 1, 8, 6, List.of("a"), original, List.of()));
            ModelFile.Saved back = ModelFile.read(f);
            try (Module copy = back.model()) {
                assertThat(copy.describe()).isEqualTo(original.describe());
                assertThat(copy.describe()).contains("ConvTranspose2d(4->1, 3x3, stride 1, pad 2, output pad 1, dilation 2, no bias)");
                original.namedParameters().forEach((name, p) ->
                        assertThat(copy.namedParameters().get(name).value().toArray()).as(name).containsExactly(p.value().toArray()));
                assertThat(copy.namedParameters().get("up.weight").value().dims()).containsExactly(4, 2, 3, 3);
                copy.eval();
                assertThat(copy.forward(x).toArray()).containsExactly(expected);
            }
        }
    }
}
