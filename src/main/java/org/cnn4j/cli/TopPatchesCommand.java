package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.explain.TopPatches;
import org.cnn4j.io.Images;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Module;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cnn4j top-patches}: for a few filters of a layer, the dataset patches that excite each most. */
@Command(name = "top-patches", mixinStandardHelpOptions = true,
        description = {"Shows what filters of a layer look for: for each of the first --filters channels, the --top patches of "
                + "the test images that excite it most (at most one per image, cut out as the region of the image that channel "
                + "position sees), one row per filter, strongest left. Early layers see a few pixels and respond to generic "
                + "edges and blobs; deeper layers see more and their patches share larger, more specific parts.",
                "Example: cnn4j top-patches --model-file demo-out/model.cnn4j --layer conv4 --filters 8 --out patches.png"})
final class TopPatchesCommand implements Callable<Integer> {
    @Option(names = "--model-file", required = true, description = "A file written by cnn4j train or demo.")
    Path modelFile;

    @Option(names = "--layer", description = "Layer name (default: the last convolution).")
    String layer;

    @Option(names = "--filters", defaultValue = "8", description = "How many filters, from channel 0 (default: ${DEFAULT-VALUE}).")
    int filters;

    @Option(names = "--top", defaultValue = "9", description = "Patches per filter (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--scale", description = "Screen pixels per image pixel (default: tiles about 56 pixels wide).")
    Integer scale;

    @Mixin
    DataOptions data;

    @Option(names = "--out", defaultValue = "patches.png", description = "Output PNG (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (filters <= 0 || (scale != null && scale <= 0)) {
            throw new IllegalArgumentException("--filters and --scale must be > 0, got " + filters + " and " + scale);
        }
        Options.atLeast("--top", top, 1);
        // the filter indices and a heap of --top patches per filter, before the layer's channel count is known
        HeapBudget.require((double) filters * (Integer.BYTES + 64.0 * top), "--filters " + filters + " with --top " + top);
        ModelFile.Saved saved = ModelFile.read(modelFile);
        ImageDataset test = data.load(false);
        try (Module net = saved.model()) {
            String name = layer != null ? layer : ExplainCommand.lastConvolution(net);
            TopPatches patches = TopPatches.find(net, name, test, FashionMnist.MEAN, FashionMnist.STD,
                    IntStream.range(0, filters).toArray(), top);
            int zoom = scale != null ? scale : Math.max(2, 56 / patches.receptiveField().width());
            // filters x top tiles of RGB ints, drawn once as tiles and again in the grid
            HeapBudget.require(2.0 * filters * top * patches.receptiveField().height() * zoom * patches.receptiveField().width() * zoom * 4,
                    "--scale " + zoom + " with --filters " + filters + " and --top " + top);
            Images.writePng(patches.picture(test, zoom), out);
            System.out.printf("top %d of %d images for filters 0..%d of %s (each sees %dx%d pixels) written to %s%n", top, test.size(),
                    filters - 1, name, patches.receptiveField().height(), patches.receptiveField().width(), out);
        }
        return 0;
    }
}
