package org.cnn4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Parameter;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model with a NaN or an infinity is not written unless asked, and the error names the tensor. */
class ModelFileNonFiniteTest {

    private static ModelFile.Saved model() {
        Init.manualSeed(1);
        return new ModelFile.Saved("fmnist-cnn-small", 1, 28, 28, FashionMnist.CLASSES, Zoo.build("fmnist-cnn-small", 1, 28, 28, 10),
                List.of());
    }

    @Test
    void nonFiniteWeightsAreRefusedWithTheTensorsName(@TempDir Path dir) throws IOException {
        ModelFile.Saved saved = model();
        try (Module net = saved.model()) {
            Map.Entry<String, Parameter> last = List.copyOf(net.namedParameters().entrySet()).get(net.namedParameters().size() - 1);
            last.getValue().value().buffer().put(3, Float.NaN);
            Path f = dir.resolve("nan.cnn4j");
            assertThatThrownBy(() -> ModelFile.write(f, saved)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not written: tensor '" + last.getKey() + "' holds NaN at element 3");
            assertThatThrownBy(() -> ModelFile.writeFloat16(f, saved)).hasMessageContaining(last.getKey());
            assertThat(Files.list(dir).toList()).as("nothing written").isEmpty();

            ModelFile.writeAllowingNonFinite(f, saved);
            ModelFile.Saved back = ModelFile.read(f);
            try (Module b = back.model()) {
                assertThat(b.namedParameters().get(last.getKey()).value().buffer().get(3)).isNaN();
            }
        }
    }

    @Test
    void float16RefusesValuesItWouldTurnIntoInfinities(@TempDir Path dir) {
        ModelFile.Saved saved = model();
        try (Module net = saved.model()) {
            String first = net.namedParameters().keySet().iterator().next();
            net.namedParameters().get(first).value().buffer().put(0, 70000f);
            assertThatThrownBy(() -> ModelFile.writeFloat16(dir.resolve("h.cnn4j"), saved))
                    .hasMessageContaining("tensor '" + first + "' holds 70000.0 at element 0, beyond float16's range");
        }
    }
}
