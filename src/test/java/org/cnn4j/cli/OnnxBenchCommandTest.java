package org.cnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.cnn4j.backend.cpu.NativeBackend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench --onnx end to end: cnn4j and ONNX Runtime on one file, their ratio per round and their outputs' difference. */
class OnnxBenchCommandTest {

    @Test
    void timesBothEnginesAndComparesTheirOutputs(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(NativeBackend.isAvailable(), "bench needs the native backend");
        Path json = dir.resolve("onnx.json");
        assertThat(Main.run("bench", "--onnx", "src/test/resources/onnx/nhwc_keras_flatten.onnx", "--mb", "4", "--reps", "2",
                "--rounds", "2", "--fuse", "--json", json.toString())).isZero();
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(doc.path("cnn4j").path("ms").asDouble()).isPositive();
        assertThat(doc.path("onnxruntime").path("version").asText()).isEqualTo("1.24.2");
        assertThat(doc.path("onnxruntime").path("round_ratios").size()).isEqualTo(2);
        // an NHWC file with a final Softmax: ONNX Runtime gets the input transposed and cnn4j's logits are softmaxed
        assertThat(doc.path("onnxruntime").path("max_difference").asDouble()).isLessThan(1e-5);
    }

    @Test
    void networkAndOnnxTogetherAreRefused() {
        assertThat(Main.run("bench", "--network", "fmnist-cnn", "--onnx", "x.onnx")).isNotZero();
    }
}
