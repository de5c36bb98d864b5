package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.explain.Explanations;
import org.cnn4j.explain.Pictures;
import org.cnn4j.io.Images;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cnn4j explain}: a heat map of why a model predicts a class for an image. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Draws which pixels of IMAGE drive the model's score for a class (the predicted one unless --class): "
                + "saliency (input gradient), smoothgrad (saliency averaged over noisy copies), gradcam (a conv layer's "
                + "gradient-weighted feature maps; default layer: the last convolution) or occlusion (probability drop when "
                + "a window is blanked). The map is overlaid on the image and written as PNG.",
                "Example: cnn4j explain --model-file demo-out/model.cnn4j examples/disc.png --method gradcam --out map.png"})
final class ExplainCommand implements Callable<Integer> {
    @Option(names = "--model-file", required = true, description = "A file written by cnn4j train or demo.")
    Path modelFile;

    @Parameters(paramLabel = "IMAGE", description = "PNG, JPEG, BMP or GIF; read as grayscale and resized to the model's input.")
    Path image;

    @Option(names = "--method", defaultValue = "gradcam", description = "saliency, smoothgrad, gradcam or occlusion (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--layer", description = "Layer for gradcam (default: the last convolution).")
    String layer;

    @Option(names = "--class", description = "Class index to explain (default: the predicted class).")
    Integer cls;

    @Option(names = "--window", defaultValue = "6", description = "Occlusion window (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--stride", defaultValue = "2", description = "Occlusion stride (default: ${DEFAULT-VALUE}).")
    int stride;

    @Option(names = "--invert", description = "Invert the gray levels first (dark objects on a light background).")
    boolean invert;

    @Option(names = "--out", defaultValue = "explanation.png", description = "Output PNG (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Options.atLeast("--window", window, 1);
        Options.atLeast("--stride", stride, 1);
        ModelFile.Saved saved = ModelFile.read(modelFile);
        if (cls != null) {
            Options.between("--class", cls, 0, saved.classNames().size() - 1);
        }
        try (Module net = saved.model(); Tensor x = ModelInput.read(image, saved.height(), saved.width(), invert)) {
            int predicted = Explanations.predictedClass(net, x);
            int target = cls == null ? predicted : cls;
            float[] map = switch (method.toLowerCase(Locale.ROOT)) {
                case "saliency" -> Explanations.saliency(net, x, target);
                case "smoothgrad" -> Explanations.smoothGrad(net, x, target, 16, 0.15f, 1);
                case "gradcam" -> Explanations.gradCam(net, layer == null ? lastConvolution(net) : layer, x, target);
                case "occlusion" -> Explanations.occlusion(net, x, target, window, stride, -FashionMnist.MEAN / FashionMnist.STD);
                default -> throw new IllegalArgumentException("--method must be saliency, smoothgrad, gradcam or occlusion, got " + method);
            };
            float[] pixels = x.toArray();
            Images.writePng(Pictures.heatOverlay(pixels, map, saved.height(), saved.width(), 8), out);
            System.out.printf("%s: predicted %s (%.1f%%); %s map for class %s written to %s%n", image,
                    saved.classNames().get(predicted), 100 * Explanations.probabilities(net, x)[predicted], method,
                    saved.classNames().get(target), out);
        }
        return 0;
    }

    /** The name of the last Conv2d of a Sequential or Graph model. */
    static String lastConvolution(Module net) {
        String last = null;
        for (var e : net.children().entrySet()) {
            if (e.getValue() instanceof org.cnn4j.nn.Conv2d) {
                last = e.getKey();
            }
        }
        if (last == null) {
            throw new IllegalArgumentException("explain: the model has no convolution layer at its top level; give --layer");
        }
        return last;
    }
}
