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
 * matches ONNX Runtime within 1e-3 of the output's scale (50+ layers of float32 in two engines), or fails
 * with the importer's message naming the op it lacks; the run prints which.
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
            try (OnnxModel model = OnnxModel.load(file)) {
                float[] x = OnnxRuntimeOracle.uniform(2 * 3 * 224 * 224, 1);
                float[] expected = OnnxRuntimeOracle.run(Files.readAllBytes(file), x, 2, 3, 224, 224);
                double error = OnnxRuntimeOracle.relativeError(OnnxRuntimeOracle.cnn4j(model.graph(), x, 2, 3, 224, 224), expected);
                System.out.printf("%s: imported, %d layers, error %.2e of the output's scale%n", file.getFileName(),
                        model.graph().nodes().size(), error);
                if (!(error < 1e-3)) {
                    wrong.add(file.getFileName() + ": error " + error);
                }
            } catch (UnsupportedOperationException e) {
                System.out.printf("%s: not imported: %s%n", file.getFileName(), e.getMessage());
            } catch (RuntimeException e) {
                wrong.add(file.getFileName() + ": " + e);
            }
        }
        assertThat(wrong).as("models imported wrongly or failing other than by a missing op").isEmpty();
    }
}
