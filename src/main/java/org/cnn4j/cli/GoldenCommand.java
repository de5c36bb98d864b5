package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.golden.GoldenRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cnn4j golden DIR}: runs golden cases against a backend and algorithm. */
@Command(name = "golden", mixinStandardHelpOptions = true,
        description = {"Runs a folder of golden cases (index.json plus one folder per case, see fixtures/FORMAT.md) on the "
                + "chosen backend, prints PASS/FAIL per case and ends with 'N passed, M failed'; the exit code is 1 when any "
                + "case fails.",
                "Example: cnn4j golden ../shared/fixtures/sample --backend native --algo im2col_gemm"})
final class GoldenCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "Folder holding index.json and the case folders.")
    Path dir;

    @Option(names = "--algo", description = "Convolution algorithm: auto (default), onednn, im2col_gemm, winograd_2x2_3x3, "
            + "winograd_4x4_3x3, autotune, reference. Convolutions it cannot compute (Winograd is 3x3 stride 1 only) run with auto.")
    String algo;

    @Option(names = "--relative-tolerance", defaultValue = "2e-6",
            description = "Error allowed relative to the largest reference value, on top of 16x PyTorch's float32 error "
                    + "(default: ${DEFAULT-VALUE}).")
    double relative;

    @Override
    public Integer call() throws Exception {
        Options.nonNegative("--relative-tolerance", relative);
        if (algo != null) {
            ConvAlgorithm.use(algorithm(algo));
            ConvAlgorithm.fallBackToAuto(true); // e.g. Winograd on a strided case: that convolution runs with AUTO
        }
        System.out.printf("golden cases in %s on the %s backend, convolution algorithm %s%n", dir, Backends.current().name(),
                ConvAlgorithm.current().name().toLowerCase(java.util.Locale.ROOT));
        GoldenRunner.Summary s = new GoldenRunner(System.out, relative).run(dir);
        return s.failed() == 0 ? 0 : 1;
    }

    /** The --algo name as an algorithm, or an error naming the option. */
    static ConvAlgorithm algorithm(String name) {
        try {
            return ConvAlgorithm.parse(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--algo: " + e.getMessage(), e);
        }
    }
}
