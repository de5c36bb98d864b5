package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Sgd;
import org.cnn4j.quant.CalibrationMethod;
import org.cnn4j.quant.QuantizedModelFile;
import org.cnn4j.quant.QuantizedNetwork;
import org.cnn4j.quant.Quantization;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cnn4j quantize}: post-training int8 quantisation of a model file, and optionally its accuracy against f32 and bf16. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Quantises a trained model to int8: batch norms folded into the convolutions, activation ranges calibrated "
                + "on N batches of the training split (min/max, or the 99.99th percentile of magnitudes), weights quantised per "
                + "output channel. Writes a quantised model file that cnn4j eval and predict read. With --evaluate, also prints "
                + "the f32, int8 and bf16 accuracies on the test split (docs/quantization.md).",
                "Example: cnn4j quantize --model-file fmnist-cnn.cnn4j --data --calibrate 8 --out fmnist-cnn.int8.cnn4j --evaluate"})
final class QuantizeCommand implements Callable<Integer> {
    @Option(names = "--model-file", required = true, description = "A file written by cnn4j train, demo or import.")
    Path modelFile;

    @Option(names = "--calibrate", required = true, paramLabel = "N", description = "Calibration batches of the training split.")
    int calibrate;

    @Option(names = "--batch", defaultValue = "64", description = "Images per calibration and evaluation batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--method", defaultValue = "minmax", description = "Calibration: minmax or percentile (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--out", required = true, description = "The quantised model file to write.")
    Path out;

    @Option(names = "--evaluate", description = "Print the test accuracy of the f32, int8 and bf16 networks.")
    boolean evaluate;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the calibration batches' order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        Options.atLeast("--calibrate", calibrate, 1);
        Options.atLeast("--batch", batch, 1);
        CalibrationMethod m = method(method);
        ModelFile.Saved saved = ModelFile.read(modelFile);
        try (Module net = saved.model()) {
            ImageDataset train = data.load(true, saved);
            List<Tensor> batches = new ArrayList<>();
            try (DataLoader loader = new DataLoader(train, batch, true, seed, saved.mean(), saved.std())) {
                loader.startEpoch(0);
                if (calibrate > loader.numBatches()) {
                    throw new IllegalArgumentException("--calibrate must be <= " + loader.numBatches() + " (the batches of "
                            + data.describe() + "'s training split at --batch " + batch + "), got " + calibrate);
                }
                for (int b = 0; b < calibrate; b++) {
                    batches.add(loader.batch(b)[0].copy());
                }
            }
            try (QuantizedNetwork q = Quantization.int8(net, batches, m)) {
                QuantizedModelFile.write(out, saved, q, m);
                System.out.printf("%s: %s calibrated (%s) on %d batches of %d images; written to %s%n", modelFile, q.describe(),
                        m.name().toLowerCase(Locale.ROOT), calibrate, batch, out);
                q.stepDescriptions().forEach(s -> System.out.println("  " + s));
                if (evaluate) {
                    ImageDataset test = data.load(false, saved);
                    System.out.printf("test accuracy on %s, %d images:%n", data.describe(), test.size());
                    System.out.printf("  f32   %.2f%%%n", 100 * accuracy(net, test, saved));
                    System.out.printf("  int8  %.2f%%%n", 100 * accuracy(q, test, saved));
                    try (Graph bf16 = Quantization.bf16(net)) {
                        System.out.printf("  bf16  %.2f%%%n", 100 * accuracy(bf16, test, saved));
                    }
                }
            } finally {
                batches.forEach(Tensor::close);
            }
        }
        return 0;
    }

    static CalibrationMethod method(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "minmax" -> CalibrationMethod.MINMAX;
            case "percentile" -> CalibrationMethod.PERCENTILE;
            default -> throw new IllegalArgumentException("--method must be minmax or percentile, got '" + value + "'");
        };
    }

    private double accuracy(Module net, ImageDataset test, ModelFile.Saved saved) {
        net.eval();
        try (Sgd noUpdates = new Sgd(net.parameters(), 0f, 0f); Trainer trainer = new Trainer(net, noUpdates, null);
             DataLoader loader = new DataLoader(test, batch, false, 0, saved.mean(), saved.std())) {
            return trainer.evaluate(loader).accuracy();
        }
    }
}
