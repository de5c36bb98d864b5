package org.cnn4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.train.EpochResult;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {

    private static ModelFile.Saved model() {
        Init.manualSeed(1);
        Module m = Zoo.build("fmnist-cnn-small", 1, 28, 28, 10);
        return new ModelFile.Saved("fmnist-cnn-small", 1, 28, 28, FashionMnist.CLASSES, m,
                List.of(new EpochResult(1, 0.9, 0.7, 0.8, 0.72, 1e-3, 2.5, 1200)));
    }

    @Test
    void roundTripKeepsEveryTensorAndTheHistory(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.cnn4j");
        ModelFile.Saved original = model();
        ModelFile.write(f, original);
        ModelFile.Saved back = ModelFile.read(f);
        try (Module a = original.model(); Module b = back.model()) {
            assertThat(back.architecture()).isEqualTo("fmnist-cnn-small");
            assertThat(back.classNames()).isEqualTo(FashionMnist.CLASSES);
            assertThat(back.history()).isEqualTo(original.history());
            a.namedParameters().forEach((name, p) ->
                    assertThat(b.namedParameters().get(name).value().toArray()).as(name).containsExactly(p.value().toArray()));
            a.namedBuffers().forEach((name, t) -> assertThat(b.namedBuffers().get(name).toArray()).as(name).containsExactly(t.toArray()));
        }
        assertThat(Files.list(dir).toList()).as("no temporary files left").containsExactly(f);
    }

    @Test
    void corruptTruncatedAndForeignFilesAreRejectedWithTheReason(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.cnn4j");
        ModelFile.Saved m = model();
        ModelFile.write(f, m);
        m.model().close();
        byte[] good = Files.readAllBytes(f);

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 1;
        Files.write(f, flipped);
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining("checksum").hasMessageContaining(f.toString());

        Files.write(f, java.util.Arrays.copyOf(good, good.length - 100));
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining("truncated or corrupt");

        Files.writeString(f, "not a model at all, just some text of a reasonable length");
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining("bad magic");

        assertThatThrownBy(() -> ModelFile.read(dir.resolve("missing.cnn4j"))).isInstanceOf(IOException.class).hasMessageContaining("no such file");
    }
}
