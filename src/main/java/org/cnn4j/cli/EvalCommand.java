package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Parameter;
import org.cnn4j.optim.Sgd;
import org.cnn4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cnn4j eval}: a saved model's metrics on the test split. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluates a model file on the test split of Fashion-MNIST or of the image folder given with --data: "
                + "loss, accuracy, top-3 accuracy, per-class accuracy and the confusion matrix.", "Example: cnn4j eval --model-file fmnist-cnn.cnn4j"})
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model-file", required = true, description = "A file written by cnn4j train, demo or quantize.")
    Path modelFile;

    @Option(names = "--batch", defaultValue = "256", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        Options.atLeast("--batch", batch, 1);
        ModelFile.Saved saved = ModelInput.readModel(modelFile);
        try (var net = saved.model()) {
            ImageDataset test = data.load(false, saved);
            if (!test.classNames().equals(saved.classNames())) {
                throw new IllegalArgumentException(modelFile + " classifies " + saved.classNames() + ", " + data.describe() + " has "
                        + test.classNames());
            }
            evaluate(saved, test);
        }
        return 0;
    }

    private void evaluate(ModelFile.Saved saved, ImageDataset test) {
        Module net = saved.model();
        try (Sgd noUpdates = new Sgd(net.parameters(), 0f, 0f); Trainer trainer = new Trainer(net, noUpdates, null);
             DataLoader loader = new DataLoader(test, batch, false, 0, saved.mean(), saved.std())) {
            System.out.printf("%s (%s, %,d parameters) on %s, %d images%n", modelFile, saved.architecture(), net.parameterCount(),
                    data.describe(), test.size());
            warnOfNonFiniteWeights(net);
            System.out.print(trainer.evaluate(loader).report(saved.classNames()));
        }
    }

    /** A model saved after training diverged answers NaN for every image: say so before the NaN report. */
    private void warnOfNonFiniteWeights(Module net) {
        for (Map.Entry<String, Parameter> p : net.namedParameters().entrySet()) {
            for (float v : p.getValue().value().toArray()) {
                if (!Float.isFinite(v)) {
                    System.err.printf("warning: %s: parameter %s holds %s: its predictions are NaN%n", modelFile, p.getKey(), v);
                    return;
                }
            }
        }
    }
}
