package org.cnn4j.cli;

import java.util.concurrent.Callable;
import org.cnn4j.backend.cpu.NativeBackend;
import org.cnn4j.backend.cpu.NativeLibrary;
import org.cnn4j.selftest.DifferentialFuzz;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cnn4j selftest --fuzz N --seed S}: the differential fuzz of the native backend against the reference. */
@Command(name = "selftest", mixinStandardHelpOptions = true,
        description = {"Runs a seeded differential fuzz of the native backend against the pure-Java reference: each case "
                + "draws an op (convolution forward, fused, backward-data and backward-weights on every native algorithm "
                + "that can compute the shape; pooling; batch norm; element-wise ops; linear; loss; optimiser steps), a "
                + "random geometry and inputs, and runs on NCHW and NHWC tensors on 1 or 2 threads (fixed by --threads "
                + "or CNN4J_THREADS). Prints one FAIL line per mismatch, with the case to re-run alone, and ends with "
                + "'N passed, M failed'; the exit code is 1 when any case fails.",
                "Example: cnn4j selftest --fuzz 10000 --seed 42; then cnn4j selftest --seed 42 --case 1234"})
final class SelftestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--fuzz", paramLabel = "N", description = "Number of cases (default: 300, or 1 with --case).")
    Integer cases;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the run (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--case", paramLabel = "I", description = "First case to run (default: 0); alone, runs only case I.")
    Integer first;

    @Option(names = "--verbose", description = "Print each case and its geometry before it runs (names the case if one crashes the JVM).")
    boolean verbose;

    @Override
    public Integer call() {
        int count = cases != null ? cases : first != null ? 1 : 300;
        int from = first != null ? first : 0;
        if (count < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--fuzz must be >= 0, got " + count);
        }
        if (from < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--case must be >= 0, got " + from);
        }
        if (!NativeBackend.isAvailable()) {
            throw new IllegalStateException("the native library cannot load here: " + NativeBackend.loadError());
        }
        boolean fixedThreads = isSet(System.getProperty("cnn4j.threads")) || isSet(System.getenv("CNN4J_THREADS"));
        Integer threads = fixedThreads ? NativeLibrary.threads() : null;
        System.out.printf("differential fuzz of native against reference: %d cases from case %d of seed %d, %s, ISA paths up to %s%n",
                count, from, seed, threads == null ? "1 or 2 threads per case" : threads + " threads",
                NativeLibrary.activeIsa().label());
        DifferentialFuzz.Summary s = new DifferentialFuzz(System.out, threads, verbose).run(seed, from, count);
        return s.failed() == 0 ? 0 : 1;
    }

    private static boolean isSet(String v) {
        return v != null && !v.isBlank();
    }
}
