package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cnn4j.explain.Pictures;
import org.cnn4j.io.Images;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Convolutional;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.Module;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cnn4j filters}: draws the learned filters of a convolution layer. */
@Command(name = "filters", mixinStandardHelpOptions = true,
        description = {"Draws every filter of a convolution layer of a model file as a grid of small pictures (each "
                + "filter averaged over its input channels; for the first layer of a grayscale net, the filter itself).",
                "Example: cnn4j filters --model-file demo-out/model.cnn4j --layer conv1 --out filters.png"})
final class FiltersCommand implements Callable<Integer> {
    @Option(names = "--model-file", required = true, description = "A file written by cnn4j train or demo.")
    Path modelFile;

    @Option(names = "--layer", description = "Convolution layer name (default: the first convolution).")
    String layer;

    @Option(names = "--out", defaultValue = "filters.png", description = "Output PNG (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        ModelFile.Saved saved = ModelFile.read(modelFile);
        try (Module net = saved.model()) {
            String name = layer;
            if (name == null) {
                name = net.children().entrySet().stream().filter(e -> e.getValue() instanceof Convolutional).map(java.util.Map.Entry::getKey)
                        .findFirst().orElseThrow(() -> new IllegalArgumentException("filters: the model has no convolution layer"));
            }
            Module m = net.children().get(name);
            Parameter weight = m instanceof Convolutional ? m.namedParameters().get("weight") : null;
            if (weight == null) {
                throw new IllegalArgumentException("filters: '" + name + "' is not a convolution layer of " + saved.architecture()
                        + " (layers: " + net.children().keySet() + ")");
            }
            Images.writePng(Pictures.filterGrid(weight.value(), 12), out);
            System.out.printf("%d filters of %s (%s) written to %s%n", weight.value().dim(0), name, m.describe(), out);
        }
        return 0;
    }
}
