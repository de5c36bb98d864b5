package org.cnn4j.cli;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ModelSummary;
import org.cnn4j.zoo.Zoo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cnn4j models}: the zoo, with each architecture's parameters and multiply-accumulates. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"Lists the model zoo: each architecture's input, parameter count and multiply-accumulates (MACs) "
                + "for one image, at the input it was designed for or at --input. With --layers, the layer-by-layer table.",
                "Example: cnn4j models resnet50 --layers"})
final class ModelsCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "MODEL", completionCandidates = ZooNames.class,
            description = "Zoo models to show (default: all): ${COMPLETION-CANDIDATES}.")
    List<String> names;

    @Option(names = "--input", paramLabel = "CxHxW", description = "Input shape instead of each model's own, e.g. 3x96x96.")
    String input;

    @Option(names = "--classes", paramLabel = "N", description = "Number of classes instead of each model's own.")
    Integer classes;

    @Option(names = "--layers", description = "Print every layer: output shape, parameters, MACs.")
    boolean layers;

    @Override
    public Integer call() {
        int[] shape = input == null ? null : parseShape(input);
        if (classes != null && classes <= 0) {
            throw new IllegalArgumentException("models: --classes must be > 0, got " + classes);
        }
        List<Zoo.Entry> entries = names == null ? List.copyOf(Zoo.models().values()) : names.stream().map(Zoo::entry).toList();
        System.out.printf("%-17s %-11s %7s %13s %11s  %s%n", "model", "input", "classes", "parameters", "MMACs", "architecture");
        for (Zoo.Entry e : entries) {
            int c = shape == null ? e.channels() : shape[0], h = shape == null ? e.height() : shape[1], w = shape == null ? e.width() : shape[2];
            int k = classes == null ? e.classes() : classes;
            try (Module m = Init.withoutRandomValues(() -> e.builder().build(c, h, w, k))) {
                ModelSummary s = ModelSummary.of(m, c, h, w);
                System.out.printf("%-17s %-11s %7d %,13d %,11.1f  %s%n", e.name(), c + "x" + h + "x" + w, k, s.parameters(), s.macs() / 1e6,
                        e.summary());
                if (layers) {
                    printLayers(s);
                }
            }
        }
        return 0;
    }

    private static void printLayers(ModelSummary s) {
        for (ModelSummary.Row r : s.rows()) {
            String out = Arrays.toString(r.output()).replace(", ", "x").replace("[", "").replace("]", "");
            System.out.printf("    %-28s %-14s %,12d %,15d  %s%n", r.name(), out, r.parameters(), r.macs(), r.description());
        }
        System.out.println();
    }

    private static int[] parseShape(String s) {
        String[] p = s.toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            int[] d = Arrays.stream(p).mapToInt(Integer::parseInt).toArray();
            // 4096 per side: larger sizes make the zoo's layer arithmetic overflow rather than describe a network
            if (d.length == 3 && Arrays.stream(d).allMatch(v -> v > 0 && v <= 4096)) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the expected form
        }
        throw new IllegalArgumentException("models: --input must be CxHxW with sizes 1 to 4096, e.g. 3x224x224; got '" + s + "'");
    }
}
