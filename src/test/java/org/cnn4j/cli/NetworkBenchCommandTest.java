package org.cnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.cnn4j.backend.cpu.NativeBackend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench --network end to end on the small fmnist-resnet, and bench compare's regression exit code. */
class NetworkBenchCommandTest {

    /** int8 and bf16 as columns of the same rounds, with their logits' distance from fp32's; a bad precision is an option error. */
    @Test
    void lowPrecisionColumnsTimeTheQuantisedNetwork(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(NativeBackend.isAvailable(), "bench needs the native backend");
        Path json = dir.resolve("int8.json");
        assertThat(Main.run("bench", "--network", "fmnist-cnn", "--mb", "4", "--reps", "2", "--rounds", "1", "--fuse",
                "--precision", "int8,bf16", "--json", json.toString())).isZero();
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        for (String id : new String[] {"cnn4j_int8", "cnn4j_bf16"}) {
            assertThat(doc.path(id).path("latency_ms").asDouble()).as(id).isPositive();
            // random weights, so only a loose bound: int8 rounds each activation to 1/255 of its range
            assertThat(doc.path(id).path("max_difference").asDouble()).as(id).isLessThan(0.2);
        }
        assertThat(Main.run("bench", "--network", "fmnist-cnn", "--precision", "fp64")).isEqualTo(2);
        assertThat(Main.run("bench", "--suite", "fmnist", "--precision", "int8")).as("without --network").isEqualTo(2);
    }

    @Test
    void networkBenchReportsLayersAndComparesRuns(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(NativeBackend.isAvailable(), "bench needs the native backend");
        Path json = dir.resolve("net.json");
        assertThat(Main.run("bench", "--network", "fmnist-resnet", "--mode", "training", "--mb", "8", "--reps", "2", "--rounds", "1",
                "--json", json.toString(), "--csv", dir.resolve("net.csv").toString())).isZero();
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(doc.path("cnn4j").path("step_ms").asDouble()).isPositive();
        assertThat(doc.path("layers").size()).isGreaterThan(20);
        assertThat(doc.path("layers").toString()).contains("s1b1_out").contains("onednn");
        assertThat(doc.path("reorders_per_pass").asLong()).as("channels-last from input to loss").isZero();
        assertThat(doc.path("onednn").path("ratio_step_ms").asDouble()).as("every convolution on oneDNN, the same round").isPositive();
        assertThat(doc.path("pytorch").has("unavailable") || doc.path("pytorch").has("step_ms")).isTrue();
        assertThat(doc.path("onnxruntime").path("unavailable").asText()).as("the peers' columns say why they are empty").contains("does not train");

        assertThat(Main.run("bench", "compare", json.toString(), json.toString())).isZero();
        ObjectNode slower = (ObjectNode) doc;
        ((ObjectNode) slower.get("cnn4j")).put("step_ms", doc.path("cnn4j").path("step_ms").asDouble() * 2);
        Path worse = dir.resolve("worse.json");
        new ObjectMapper().writeValue(worse.toFile(), slower);
        assertThat(Main.run("bench", "compare", json.toString(), worse.toString())).isEqualTo(1);
    }
}
