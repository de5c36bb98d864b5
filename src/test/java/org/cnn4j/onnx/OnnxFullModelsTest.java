package org.cnn4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The full-size torchvision exports of {@code tools/export_onnx.py --full DIR}, on demand (too large for
 * CI): {@code mvn test -Dtest=OnnxFullModelsTest -Dcnn4j.onnx.full=DIR}. Each file either imports and
 * matches ONNX Runtime within 1e-3 of the output's scale (50+ layers of float32 in two engines), before and
 * after cnn4j exports it again, or fails with the importer's message naming the op it lacks; the run prints which.
 */
class OnnxFullModelsTest {
    @Test
    void fullSizeExportsMatchOnnxRuntimeOrNameWhatIsMissing() throws Exception {
        String dir = System.getProperty("cnn4j.onnx.full");
        assumeTrue(dir != null && !dir.isBlank(), "set -Dcnn4j.onnx.full=DIR (tools/export_onnx.py --full DIR)");
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(dir))) {
            files = s.filter(p -> p.toString().endsWith(".onnx")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        List<String> wrong = new java.util.ArrayList<>();
        for (Path file : files) {
            OnnxModel loaded;
            try {
                loaded = OnnxModel.load(file);
            } catch (UnsupportedOperationException e) {
                System.out.printf("%s: not imported: %s%n", file.getFileName(), e.getMessage());
                continue;
            }
            try (OnnxModel model = loaded) {
                float[] x = OnnxRuntimeOracle.uniform(2 * 3 * 224 * 224, 1);
                float[] expected = OnnxRuntimeOracle.run(Files.readAllBytes(file), x, 2, 3, 224, 224);
                double error = OnnxRuntimeOracle.relativeError(OnnxRuntimeOracle.cnn4j(model.graph(), x, 2, 3, 224, 224), expected);
                byte[] again = OnnxExport.toModel(model.graph(), model.inputShape()).toByteArray();
                double roundTrip = OnnxRuntimeOracle.relativeError(OnnxRuntimeOracle.run(again, x, 2, 3, 224, 224), expected);
                System.out.printf("%s: imported, %d layers, error %.2e of the output's scale; exported again, %.2e%n",
                        file.getFileName(), model.graph().nodes().size(), error, roundTrip);
                if (!(error < 1e-3) || !(roundTrip < 1e-3)) {
                    wrong.add(file.getFileName() + ": error " + error + ", exported again " + roundTrip);
                }
            } catch (RuntimeException e) {
                wrong.add(file.getFileName() + ": " + e);
            }
        }
        assertThat(wrong).as("models imported wrongly or failing other than by a missing op").isEmpty();
    }
}
