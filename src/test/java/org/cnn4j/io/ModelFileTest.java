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

    @Test
    void aSoundModelKeepsItsSampleRateAndABadOneIsRefused(@TempDir Path dir) throws IOException {
        Init.manualSeed(1);
        Path f = dir.resolve("m5.cnn4j");
        try (Module m = Zoo.build("m5", 1, 1, 8000, 3)) {
            ModelFile.write(f, new ModelFile.Saved("m5", 1, 1, 8000, List.of("a", "b", "c"), m, List.of(), 0f, 1f, 8000));
            assertThatThrownBy(() -> new ModelFile.Saved("m5", 1, 2, 8000, List.of("a", "b", "c"), m, List.of(), 0f, 1f, 8000))
                    .hasMessageContaining("a sound model takes [1, 1, samples]").hasMessageContaining("[1, 2, 8000] at 8000 Hz");
            assertThatThrownBy(() -> new ModelFile.Saved("m5", 1, 1, 8000, List.of("a", "b", "c"), m, List.of(), 0f, 1f, 10))
                    .hasMessageContaining("1000-192000 Hz");
        }
        ModelFile.Saved back = ModelFile.read(f);
        back.model().close();
        assertThat(back.sampleRate()).isEqualTo(8000);
        assertThat(back.isSound()).isTrue();
        ModelFile.Saved image = model();
        image.model().close();
        assertThat(image.isSound()).isFalse();

        byte[] good = Files.readAllBytes(f);
        rewriteHeader(f, h -> h.put("sample_rate", 1e12));
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining(f.toString())
                .hasMessageContaining("sample_rate 1.0E12 is not an integer from 1000 to 192000 Hz");
        Files.write(f, good);
        rewriteHeader(f, h -> h.putArray("input").add(1).add(80).add(100));
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining("is not a waveform");
    }

    /** Rewrites the JSON header of a model file with {@code edit}, keeping the data and fixing the checksum. */
    private static void rewriteHeader(Path f, Consumer<ObjectNode> edit) throws IOException {
        byte[] all = Files.readAllBytes(f);
        int headLength = ByteBuffer.wrap(all).getInt(12);
        ObjectNode header = (ObjectNode) JSON.readTree(Arrays.copyOfRange(all, 16, 16 + headLength));
        edit.accept(header);
        craft(f, header, Arrays.copyOfRange(all, 16 + headLength, all.length - 8));
    }

    /** Writes a model file of {@code header} and tensor {@code data} with a valid magic, version and checksum. */
    private static void craft(Path f, ObjectNode header, byte[] data) throws IOException {
        byte[] head = JSON.writeValueAsBytes(header);
        ByteBuffer out = ByteBuffer.allocate(16 + head.length + data.length + 8);
        out.put("CNN4JMDL".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(1).putInt(head.length).put(head).put(data);
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, out.position());
        out.putLong(crc.getValue());
        Files.write(f, out.array());
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A header of a Sequential of {@code layers} Linear layers of {@code size} x {@code size}, listing {@code listed} of their tensors. */
    private static ObjectNode linearLayers(int layers, int size, int listed) {
        ObjectNode h = JSON.createObjectNode().put("architecture", "huge");
        h.putArray("input").add(1).add(1).add(size);
        h.putArray("classes").add("a").add("b");
        h.putArray("history");
        com.fasterxml.jackson.databind.node.ArrayNode list = h.putObject("network").put("type", "Sequential").putArray("layers");
        com.fasterxml.jackson.databind.node.ArrayNode tensors = h.putArray("tensors");
        for (int i = 1; i <= layers; i++) {
            list.addObject().put("name", "fc" + i).putObject("layer").put("type", "Linear").put("in", size).put("out", i < layers ? size : 2)
                    .put("bias", false);
            if (i <= listed) {
                tensors.addObject().put("name", "fc" + i + ".weight").putArray("shape").add(size).add(size);
            }
        }
        return h;
    }

    @Test
    void aTinyHeaderDeclaringHugeLayersIsRefusedBeforeAnythingIsAllocated(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("huge.cnn4j");
        craft(f, linearLayers(4, 20000, 4), new byte[64]);
        assertThat(Files.size(f)).isLessThan(2048);
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining(f.toString())
                .hasMessageContaining("tensor 'fc1.weight' [20000, 20000] declares 400000000 float32 values but the file has 64 bytes left");
        craft(f, linearLayers(4, 20000, 0), new byte[0]);
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining(f.toString())
                .hasMessageContaining("layer 'fc1' of the network description needs 400000000 floats of weights but the file's tensors hold 0");

        ObjectNode conv = linearLayers(1, 4, 0);
        ((ObjectNode) conv.get("network").get("layers").get(0).get("layer")).removeAll().put("type", "Conv2d").put("in", Integer.MAX_VALUE)
                .put("out", Integer.MAX_VALUE).put("kernel", Integer.MAX_VALUE).put("stride", 1).put("padding", 0).put("dilation", 1)
                .put("groups", 1).put("bias", false);
        craft(f, conv, new byte[0]);
        assertThatThrownBy(() -> ModelFile.read(f)).as("(2^31-1)^4 floats, counted without wrapping").isInstanceOf(IOException.class)
                .hasMessageContaining("layer 'fc1' of the network description needs 4611686018427387904 floats");

        ObjectNode wide = linearLayers(1, 4, 1);
        wide.putArray("input").add(1).add(30000).add(30000);
        craft(f, wide, new byte[64]);
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining(f.toString())
                .hasMessageContaining("input shape [1,30000,30000] has 900000000 values per image, more than the 67108864");
    }

    @Test
    void aHeaderThatDoesNotDescribeItsDataIsRefused(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.cnn4j");
        ModelFile.Saved m = model();
        ModelFile.write(f, m);
        m.model().close();
        byte[] good = Files.readAllBytes(f);

        rewriteHeader(f, h -> ((ObjectNode) h.get("tensors").get(1)).put("name", h.get("tensors").get(2).get("name").asText()));
        assertThatThrownBy(() -> ModelFile.read(f)).as("bn1.gamma missing, bn1.beta (the same shape) twice").isInstanceOf(IOException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("tensor 'bn1.beta' is listed twice");

        Files.write(f, good);
        rewriteHeader(f, h -> h.put("weights", "float16"));
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining(f.toString())
                .hasMessageContaining("float32 data under a header that says float16");

        Files.write(f, good);
        // 2^32 + 8 wraps to 8, conv1's real output channels
        rewriteHeader(f, h -> ((ObjectNode) h.get("tensors").get(0)).putArray("shape").add(4294967304L).add(1).add(3).add(3));
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining(f.toString())
                .hasMessageContaining("dimension 4294967304 is not an integer in 0..2147483647");

        Files.write(f, good);
        rewriteHeader(f, h -> h.putArray("classes").add("cat").add("dog").add("bird"));
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining(f.toString())
                .hasMessageContaining("the network has 10 outputs but the header names 3 classes");

        Files.write(f, good);
        rewriteHeader(f, h -> ((com.fasterxml.jackson.databind.node.ArrayNode) h.get("tensors")).remove(h.get("tensors").size() - 1));
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining(f.toString())
                .hasMessageContaining("the header's tensors take");

        int headLength = ByteBuffer.wrap(good).getInt(12);
        ObjectNode header = (ObjectNode) JSON.readTree(Arrays.copyOfRange(good, 16, 16 + headLength));
        com.fasterxml.jackson.databind.node.ArrayNode tensors = (com.fasterxml.jackson.databind.node.ArrayNode) header.get("tensors");
        String last = tensors.get(tensors.size() - 1).get("name").asText();
        int lastBytes = 4 * tensors.get(tensors.size() - 1).get("shape").get(0).asInt();
        tensors.remove(tensors.size() - 1);
        byte[] shorter = Arrays.copyOfRange(good, 16 + headLength, good.length - 8 - lastBytes);
        craft(f, header, shorter);
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining(f.toString())
                .hasMessageContaining("the network description's layers need 55186 floats of weights but the file's tensors hold 55170");
        header.remove("network");
        craft(f, header, shorter);
        assertThatThrownBy(() -> ModelFile.read(f)).as("rebuilt from the zoo").isInstanceOf(IOException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("the file lacks [" + last + "]");
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
        rewriteHeader(f, h -> ((ObjectNode) h.get("tensors").get(0)).putArray("shape").add(1).add(2).add(36));
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining(f.toString())
                .hasMessageContaining("tensor conv1.weight [1,2,36] does not match");
        Files.write(f, good);
        rewriteHeader(f, h -> ((ObjectNode) h.get("tensors").get(0)).putArray("shape").add(1).add(2).add(3));
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining(f.toString())
                .hasMessageContaining("the header's tensors take");
        Files.write(f, good);
        rewriteHeader(f, h -> ((ObjectNode) h.get("network")).put("type", "Conv3d"));
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining(f.toString())
                .hasMessageContaining("unknown layer type 'Conv3d'");
        Files.write(f, good);
        rewriteHeader(f, h -> h.put("history", "yesterday"));
        assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining("history");
    }
}
