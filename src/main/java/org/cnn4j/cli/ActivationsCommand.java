package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cnn4j.explain.FeatureMaps;
import org.cnn4j.io.Images;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Convolutional;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cnn4j activations}: the feature maps one layer computes for one image. */
@Command(name = "activations", mixinStandardHelpOptions = true,
        description = {"Draws the feature maps a layer of a model computes for IMAGE, one small picture per channel after the "
                + "input, each scaled from its minimum (black) to its maximum (white) and captioned with that maximum; a "
                + "channel that never fires is black with max 0. Any layer with [N, C, H, W] output works: a convolution, its "
                + "batch norm or ReLU, a pool.",
                "Example: cnn4j activations --model-file demo-out/model.cnn4j examples/sneaker.png --layer relu1 --out act.png"})
final class ActivationsCommand implements Callable<Integer> {
    @Option(names = "--model-file", required = true, description = "A file written by cnn4j train or demo.")
    Path modelFile;

    @Parameters(paramLabel = "IMAGE", description = "PNG, JPEG, BMP or GIF; read as grayscale and resized to the model's input.")
    Path image;

    @Option(names = "--layer", description = "Layer name (default: the first convolution).")
    String layer;

    @Option(names = "--max-maps", defaultValue = "64", description = "Draw at most this many channels (default: ${DEFAULT-VALUE}).")
    int maxMaps;

    @Option(names = "--invert", description = "Invert the gray levels first (dark objects on a light background).")
    boolean invert;

    @Option(names = "--out", defaultValue = "activations.png", description = "Output PNG (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Options.atLeast("--max-maps", maxMaps, 1);
        ModelFile.Saved saved = ModelFile.read(modelFile);
        try (Module net = saved.model(); Tensor x = ModelInput.read(image, saved.height(), saved.width(), invert)) {
            String name = layer != null ? layer : net.children().entrySet().stream().filter(e -> e.getValue() instanceof Convolutional)
                    .map(Map.Entry::getKey).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("activations: the model has no convolution layer; give --layer"));
            FeatureMaps maps = FeatureMaps.of(net, name, x);
            Images.writePng(maps.picture(x.toArray(), saved.height(), saved.width(), 3, maxMaps), out);
            System.out.printf("%s: %d feature maps of %s (%dx%d) written to %s%n", image, Math.min(maps.channels(), maxMaps), name,
                    maps.height(), maps.width(), out);
        }
        return 0;
    }
}
