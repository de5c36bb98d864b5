package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.cnn4j.io.ModelFile;
import org.cnn4j.kernels.Loss;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cnn4j predict}: the top classes of images (or, for a sound model, WAV clips) under a saved model. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Classifies images with a model file and prints the top-3 classes with their probabilities. Images "
                + "are read as grayscale (or RGB for a colour model), resized to the model's input and normalised as in "
                + "training; Fashion-MNIST shows light clothes on a black "
                + "background, so use --invert for dark objects on a light background. A sound model takes WAV files "
                + "(PCM or float, mono or stereo, any rate: resampled to the model's and fitted to its clip length).",
                "Example: cnn4j predict --model-file fmnist-cnn.cnn4j shirt.png"})
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model-file", required = true, description = "A file written by cnn4j train, demo or quantize.")
    Path modelFile;

    @Option(names = "--invert", description = "Invert the gray levels first.")
    boolean invert;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "PNG, JPEG, BMP or GIF files; WAV files for a sound model.")
    List<Path> images;

    @Override
    public Integer call() throws Exception {
        ModelFile.Saved saved = ModelInput.readModel(modelFile);
        try (Module net = saved.model()) {
            net.eval();
            for (Path image : images) {
                try (Tensor x = ModelInput.read(image, saved, invert); Tensor probs = Tensor.zeros(1, saved.classNames().size())) {
                    Loss.softmax(net.forward(x), probs);
                    float[] p = probs.toArray();
                    Integer[] order = java.util.stream.IntStream.range(0, p.length).boxed()
                            .sorted((a, b) -> Float.compare(p[b], p[a])).toArray(Integer[]::new);
                    StringBuilder line = new StringBuilder(image.toString()).append(':');
                    for (int k = 0; k < Math.min(3, p.length); k++) {
                        line.append(String.format("  %s %.1f%%", saved.classNames().get(order[k]), 100 * p[order[k]]));
                    }
                    System.out.println(line);
                }
            }
        }
        return 0;
    }
}
