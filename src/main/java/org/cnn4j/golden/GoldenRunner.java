package org.cnn4j.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.tensor.TensorScope;

/**
 * Runs a folder of golden cases (fixtures/FORMAT.md) on the active backend and reports each case and a
 * final {@code N passed, M failed} line. A case that cannot be read or run fails alone; the others go on.
 *
 * <p>Tolerance per output: {@code |ours - ref| <= relative * max|ref| + 16 * torch_f32_err + 1e-6}.
 * The reference values are float64 results rounded to float32; a float32 implementation of the same op
 * differs from them by rounding of the order of the error PyTorch's own float32 kernels showed
 * ({@code torch_f32_max_abs_err}), scaled by how differently the sums are ordered (16x covers blocked
 * and vectorised orders). {@code relative} is 2e-6 for direct algorithms and larger for algorithms
 * whose arithmetic is different by design (set by the caller, e.g. for Winograd).
 */
public final class GoldenRunner {
    private final PrintStream out;
    private final double relative;

    public GoldenRunner(PrintStream out, double relative) {
        if (!(relative >= 0) || Double.isInfinite(relative)) { // NaN would pass every comparison: nothing could fail
            throw new IllegalArgumentException("golden: relative tolerance must be finite and >= 0, got " + relative);
        }
        this.out = out;
        this.relative = relative;
    }

    /** The outcome of a run. */
    public record Summary(int passed, int failed) {
    }

    public Summary run(Path dir) throws IOException {
        Path index = dir.resolve("index.json");
        if (!Files.isRegularFile(index)) {
            throw new IOException("golden: no index.json in " + dir);
        }
        JsonNode cases;
        try {
            cases = new ObjectMapper().readTree(index.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("golden: " + index + " is not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        int passed = 0, failed = 0;
        for (JsonNode entry : cases) {
            String name = entry.path("case").asText();
            String verdict;
            try (TensorScope scope = TensorScope.open()) {
                verdict = check(GoldenCase.read(name, dir.resolve(name)));
            } catch (Exception | AssertionError e) {
                verdict = "FAIL " + e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (verdict.startsWith("PASS")) {
                passed++;
            } else {
                failed++;
            }
            out.printf("%-48s %-22s %s%n", name, entry.path("op").asText(), verdict);
        }
        out.printf("%d passed, %d failed%n", passed, failed);
        return new Summary(passed, failed);
    }

    private String check(GoldenCase c) throws IOException {
        Map<String, Tensor> got = GoldenOps.run(c);
        double worst = 0;
        for (String name : c.outputNames()) {
            Tensor mine = got.get(name);
            if (mine == null) {
                if (name.equals("grad_bias") && !c.flag("bias", true)) {
                    continue;
                }
                return "FAIL output " + name + " was not computed";
            }
            float[] ref = c.tensor(name).toArray(), ours = mine.toArray();
            if (ref.length != ours.length) {
                return "FAIL output " + name + " has " + ours.length + " values, the case " + ref.length;
            }
            double[] stats = c.outputStats(name);
            double maxRef = stats[0];
            for (float r : ref) {
                maxRef = Math.max(maxRef, Math.abs(r));
            }
            double tol = relative * maxRef + 16 * stats[1] + 1e-6;
            for (int i = 0; i < ref.length; i++) {
                double err = Math.abs((double) ours[i] - ref[i]);
                if (!(err <= tol)) {
                    return String.format("FAIL %s[%d] = %.7g, reference %.7g (|err| %.3g > tolerance %.3g)", name, i, ours[i], ref[i], err, tol);
                }
                worst = Math.max(worst, err / tol);
            }
        }
        return String.format("PASS (worst error %.0f%% of tolerance)", 100 * worst);
    }
}
