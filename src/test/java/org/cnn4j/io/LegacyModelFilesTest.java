package org.cnn4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Model files written by the code of commit 7cd1f4e, before the network representation became one graph
 * (a Sequential, a Graph with residual additions, a Graph with concatenations; three SGD steps each so
 * weights and batch-norm statistics are not their initial values), must still load and predict what
 * that code predicted. {@code legacy-models/WriteLegacyModels.java.txt} is the program that wrote them
 * and the reference backend's logits, as float bits, in {@code expected-logits.txt}.
 */
class LegacyModelFilesTest {
    private final Backend before = Backends.current();

    @AfterEach
    void restoreBackend() {
        Backends.use(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fmnist-cnn-small", "fmnist-resnet", "inception-small"})
    void predictsBitForBitWhatTheOldCodePredictedOnTheReferenceBackend(String name, @TempDir Path dir) throws IOException {
        Backends.use(ReferenceBackend.INSTANCE);
        assertThat(logits(name, dir)).containsExactly(expected(name));
    }

    /**
     * The native backend sums in other orders (oneDNN, Winograd, OpenBLAS), so its logits match to
     * float32 rounding scaled by the network's depth: within 1e-5 of the largest logit, 30x the 3e-7
     * seen between the two backends on these nets (Xeon, AVX-512), far below what a changed weight moves.
     */
    @ParameterizedTest
    @ValueSource(strings = {"fmnist-cnn-small", "fmnist-resnet", "inception-small"})
    void predictsTheSameClassesWithTheCurrentBackend(String name, @TempDir Path dir) throws IOException {
        float[] got = logits(name, dir), want = expected(name);
        double scale = 0;
        for (float v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < want.length; i++) {
            assertThat((double) got[i]).as("logit %d of %s", i, name).isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-5 * scale));
        }
        assertThat(argmax(got, 0)).isEqualTo(argmax(want, 0));
        assertThat(argmax(got, 10)).isEqualTo(argmax(want, 10));
    }

    private static float[] logits(String name, Path dir) throws IOException {
        Path file = dir.resolve(name + ".cnn4j");
        try (InputStream in = LegacyModelFilesTest.class.getResourceAsStream("/legacy-models/" + name + ".cnn4j")) {
            Files.copy(in, file);
        }
        ModelFile.Saved saved = ModelFile.read(file);
        org.cnn4j.nn.Module model = saved.model();
        try (model; Tensor x = input()) {
            model.eval();
            return model.forward(x).toArray();
        }
    }

    private static float[] expected(String name) throws IOException {
        try (InputStream in = LegacyModelFilesTest.class.getResourceAsStream("/legacy-models/expected-logits.txt")) {
            String line = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().filter(l -> l.startsWith(name + " "))
                    .findFirst().orElseThrow();
            String[] bits = line.substring(name.length() + 1).split(" ");
            float[] v = new float[bits.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = Float.intBitsToFloat(Integer.parseInt(bits[i]));
            }
            return v;
        }
    }

    /** The inputs WriteLegacyModels used: a ramp and a checkerboard. */
    private static Tensor input() {
        float[] x = new float[2 * 28 * 28];
        for (int i = 0; i < 28 * 28; i++) {
            x[i] = (i % 28 + i / 28) / 54f - 0.5f;
            x[28 * 28 + i] = ((i % 28 / 4 + i / 28 / 4) % 2) * 2 - 1;
        }
        return Tensor.of(x, 2, 1, 28, 28);
    }

    private static int argmax(float[] v, int from) {
        int best = from;
        for (int i = from; i < from + 10; i++) {
            best = v[i] > v[best] ? i : best;
        }
        return best - from;
    }
}
