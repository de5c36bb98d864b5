package org.cnn4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.Sgd;
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

        for (int length : new int[] {0, 5, 20}) {
            Files.write(f, java.util.Arrays.copyOf(good, length));
            assertThatThrownBy(() -> ModelFile.read(f)).as("%d bytes", length).isInstanceOf(IOException.class).hasMessageContaining("truncated");
        }

        Files.writeString(f, "not a model at all, just some text of a reasonable length");
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining("bad magic");

        assertThatThrownBy(() -> ModelFile.read(dir.resolve("missing.cnn4j"))).isInstanceOf(IOException.class).hasMessageContaining("no such file");
    }

    @Test
    void aCheckpointRestoresTheOptimizerState(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("ckpt.cnn4j");
        ModelFile.Saved m = model();
        try (Module net = m.model(); Adam adam = Adam.of(net.parameters(), 1e-3f)) {
            net.parameters().forEach(p -> p.grad().fill(0.5f));
            adam.step();
            adam.step();
            ModelFile.write(f, m, adam);
            ModelFile.Saved back = ModelFile.read(f);
            try (Module copy = back.model(); Adam fresh = Adam.of(copy.parameters(), 1e-3f); Sgd sgd = new Sgd(copy.parameters(), 0.1f, 0.9f)) {
                assertThat(ModelFile.restoreOptimizer(f, fresh)).isTrue();
                assertThat(fresh.stepCounts()).containsExactly(adam.stepCounts());
                adam.state().forEach((name, t) -> assertThat(fresh.state().get(name).toArray()).as(name).containsExactly(t.toArray()));
                assertThatThrownBy(() -> ModelFile.restoreOptimizer(f, sgd)).isInstanceOf(IOException.class)
                        .hasMessageContaining(f.toString()).hasMessageContaining("adam");
            }
            Path plain = dir.resolve("plain.cnn4j");
            ModelFile.write(plain, m);
            assertThat(ModelFile.restoreOptimizer(plain, adam)).as("a model without optimizer state").isFalse();
        }
    }

    /** Rewrites the JSON header of a model file with {@code edit}, keeping the data and fixing the checksum. */
    private static void rewriteHeader(Path f, Consumer<ObjectNode> edit) throws IOException {
        ObjectMapper json = new ObjectMapper();
        byte[] all = Files.readAllBytes(f);
        int headLength = ByteBuffer.wrap(all).getInt(12);
        ObjectNode header = (ObjectNode) json.readTree(Arrays.copyOfRange(all, 16, 16 + headLength));
        edit.accept(header);
        byte[] head = json.writeValueAsBytes(header);
        ByteBuffer out = ByteBuffer.allocate(all.length - headLength + head.length);
        out.put(all, 0, 12).putInt(head.length).put(head).put(all, 16 + headLength, all.length - 8 - 16 - headLength);
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, out.position());
        out.putLong(crc.getValue());
        Files.write(f, out.array());
    }

    @Test
    void filesWithoutANetworkDescriptionAreRebuiltFromTheZoo(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("old.cnn4j");
        ModelFile.Saved m = model();
        ModelFile.write(f, m);
        rewriteHeader(f, h -> h.remove("network"));
        ModelFile.Saved back = ModelFile.read(f);
        try (Module a = m.model(); Module b = back.model()) {
            assertThat(b.describe()).isEqualTo(a.describe());
            assertThat(b.namedParameters().get("fc2.weight").value().toArray()).containsExactly(a.namedParameters().get("fc2.weight").value().toArray());
        }
    }

    @Test
    void aHeaderThatContradictsItselfIsRejectedWithTheReason(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.cnn4j");
        ModelFile.Saved m = model();
        ModelFile.write(f, m);
        m.model().close();
        byte[] good = Files.readAllBytes(f);
        rewriteHeader(f, h -> ((ObjectNode) h.get("tensors").get(0)).putArray("shape").add(1).add(2).add(3));
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining(f.toString())
                .hasMessageContaining("tensor conv1.weight [1,2,3] does not match");
        Files.write(f, good);
        rewriteHeader(f, h -> ((ObjectNode) h.get("network")).put("type", "Conv3d"));
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining(f.toString())
                .hasMessageContaining("unknown layer type 'Conv3d'");
        Files.write(f, good);
        rewriteHeader(f, h -> h.put("history", "yesterday"));
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining("history");
    }
}
