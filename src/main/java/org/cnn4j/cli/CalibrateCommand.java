package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ConvDirection;
import org.cnn4j.backend.cpu.ConvCalibration;
import org.cnn4j.backend.cpu.CpuInfo;
import org.cnn4j.backend.cpu.NativeBackend;
import org.cnn4j.backend.cpu.NativeConvolution;
import org.cnn4j.backend.cpu.NativeLibrary;
import org.cnn4j.bench.ConvBenchmark;
import org.cnn4j.bench.ConvLayer;
import org.cnn4j.nn.Convolutional;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.zoo.Zoo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Times every native convolution algorithm on each convolution of zoo networks, on this CPU and thread "
                + "count, and keeps the fastest per shape and direction in the calibration file AUTO reads: a shape it lists "
                + "runs its measured winner, any other the built-in rule.",
                "The file is named by the CPU (~/.cache/cnn4j/conv-calibration/<cpu>.properties), or cnn4j.conv.calibration / "
                        + "CNN4J_CONV_CALIBRATION names it (none: no calibration). Run it again after a CPU change; entries of "
                        + "other shapes and thread counts are kept."})
final class CalibrateCommand implements Callable<Integer> {

    @Option(names = "--network", split = ",", defaultValue = "resnet50,resnet18,fmnist-cnn,fmnist-resnet", completionCandidates = ZooNames.class,
            description = "Zoo networks whose convolutions to time (default: ${DEFAULT-VALUE}).")
    List<String> networks;

    @Option(names = "--mb", split = ",", defaultValue = "1", description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--mode", defaultValue = "inference",
            description = "inference (the forward pass) or training (also backward-data and backward-weights) (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--min-time", defaultValue = "0.2", description = "Seconds of timed rounds per shape and direction (default: ${DEFAULT-VALUE}).")
    double minTime;

    @Option(names = "--file", description = "Write this calibration file instead of the one AUTO reads (cnn4j.conv.calibration names it to AUTO).")
    Path file;

    @Override
    public Integer call() throws Exception {
        if (!NativeBackend.isAvailable()) {
            throw new IllegalStateException("calibrate times the native backend, and its library cannot load here: " + NativeBackend.loadError());
        }
        if (!(Backends.current() instanceof NativeBackend backend)) {
            throw new IllegalStateException("calibrate times the native backend, but this run uses " + Backends.current().name()
                    + " (" + Backends.reason() + ")");
        }
        Options.positive("--min-time", minTime);
        for (int mb : batches) {
            Options.atLeast("--mb", mb, 1);
        }
        List<ConvDirection> directions = switch (mode.toLowerCase(Locale.ROOT)) {
            case "inference" -> List.of(ConvDirection.FORWARD);
            case "training" -> List.of(ConvDirection.values());
            default -> throw new IllegalArgumentException("--mode must be inference or training, got " + mode);
        };
        for (String n : networks) {
            Zoo.entry(n); // an unknown name fails before any timing
        }
        NativeConvolution conv = backend.convolutions();
        ConvCalibration target = file == null ? conv.calibration() : ConvCalibration.at(file);
        if (target.file() == null) {
            throw new IllegalArgumentException("calibrate: cnn4j.conv.calibration is none, so AUTO reads no file; give --file");
        }
        int threads = NativeLibrary.threads();
        System.out.printf("calibrating on %s, %d threads, into %s%n%n", CpuInfo.model(), threads, target.file());
        System.out.printf("%-18s %-52s %-17s %s%n", "  direction", "median ms per algorithm", "fastest", "its time over the rule's choice's");
        Map<String, ConvCalibration.Entry> measured = new LinkedHashMap<>();
        Set<Conv2dSpec> printed = new java.util.HashSet<>();
        double ruleMs = 0, bestMs = 0;
        for (String network : networks) {
            for (int mb : batches) {
                for (Conv2dSpec spec : convolutions(network, mb)) {
                    for (ConvDirection d : directions) {
                        List<ConvAlgorithm> candidates = conv.candidates(d, spec);
                        String key = ConvCalibration.key(d, threads, spec);
                        if (candidates.size() < 2 || measured.containsKey(key)) {
                            continue;
                        }
                        Map<ConvAlgorithm, Double> ms = new EnumMap<>(ConvAlgorithm.class);
                        for (ConvBenchmark.Result r : ConvBenchmark.run(backend, new ConvLayer(network, 1, spec), d, candidates, minTime)) {
                            ms.put(r.algorithm(), r.medianMs());
                        }
                        ConvAlgorithm best = ms.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
                        ConvAlgorithm rule = conv.ruleChoice(d, spec);
                        measured.put(key, new ConvCalibration.Entry(best, ms));
                        ruleMs += ms.get(rule);
                        bestMs += ms.get(best);
                        StringBuilder times = new StringBuilder();
                        ms.forEach((a, t) -> times.append(times.length() == 0 ? "" : " ").append(shortName(a)).append(String.format(Locale.ROOT, " %.3f", t)));
                        if (printed.add(spec)) {
                            System.out.println(spec);
                        }
                        System.out.printf("  %-16s %-52s %-17s %.2fx%n", d.key(), times, shortName(best), ms.get(best) / ms.get(rule));
                    }
                }
            }
        }
        target.record(measured);
        System.out.printf("%n%d shapes and directions timed: the fastest take %.1f%% of the rule's time in all (%.2f ms against %.2f ms "
                + "per pass of each once); written to %s%n", measured.size(), 100 * bestMs / Math.max(ruleMs, 1e-9), bestMs, ruleMs, target.file());
        if (file != null) {
            System.out.println("AUTO reads it with -Dcnn4j.conv.calibration=" + file + " (or CNN4J_CONV_CALIBRATION)");
        }
        return 0;
    }

    /** The distinct convolutions a forward pass of {@code network} at batch {@code mb} runs, in order. */
    private static Set<Conv2dSpec> convolutions(String network, int mb) {
        Zoo.Entry design = Zoo.entry(network);
        Set<Conv2dSpec> specs = new LinkedHashSet<>();
        try (Module model = design.build();
             Tensor x = Tensor.zeros(Shape.of(mb, design.channels(), design.height(), design.width()), Backends.current().activationLayout())) {
            Init.normal(x, 1);
            model.eval();
            model.forward(x);
            collect(model, specs);
        }
        return specs;
    }

    private static void collect(Module m, Set<Conv2dSpec> specs) {
        if (m instanceof Convolutional c && c.lastSpec() != null) {
            specs.add(c.lastSpec());
        }
        for (Module child : new ArrayList<>(m.children().values())) {
            collect(child, specs);
        }
    }

    private static String shortName(ConvAlgorithm a) {
        return a.name().toLowerCase(Locale.ROOT).replace("_3x3", "").replace("inograd_", "ino");
    }
}
