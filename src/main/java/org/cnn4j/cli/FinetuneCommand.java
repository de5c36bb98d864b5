package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.cnn4j.backend.Backends;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Transfer;
import org.cnn4j.optim.Optimizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cnn4j finetune}: transfer learning from a saved model to new data. */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = {"Fine-tunes a saved model on new data: a new classifier head when the classes differ (or with "
                + "--new-head), the body frozen up to a layer, its first N layers or all of it, and the unfrozen body trained at "
                + "--body-lr-scale times the learning rate. The input shape and normalisation stay the source model's.",
                "Example: cnn4j finetune --from pretrained/fmnist-cnn.cnn4j --data /tmp/shapes --freeze-until pool1 --epochs 1 "
                        + "--out shapes-finetuned.cnn4j"})
final class FinetuneCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "MODEL", description = "The model file to start from.")
    Path from;

    @ArgGroup(exclusive = true)
    Freezing freezing = new Freezing();

    static final class Freezing {
        @Option(names = "--freeze-until", paramLabel = "LAYER", description = "Freeze this layer and every layer before it.")
        String until;

        @Option(names = "--freeze-first", paramLabel = "N", description = "Freeze the first N layers that have parameters.")
        Integer first;

        @Option(names = "--freeze-body", description = "Freeze everything but the classifier head (a frozen feature extractor).")
        boolean body;
    }

    @Option(names = "--new-classes", paramLabel = "N",
            description = "Number of classes of the new head; must match the data (default: the data's class count).")
    Integer newClasses;

    @Option(names = "--new-head", description = "Replace the head even when the data has the model's classes.")
    boolean newHead;

    @Option(names = "--body-lr-scale", defaultValue = "1", paramLabel = "S",
            description = "Learning-rate multiplier for the layers below the head that stay trainable (default: ${DEFAULT-VALUE}).")
    float bodyLrScale;

    @Option(names = "--out", defaultValue = "finetuned.cnn4j", description = "Model file written after every epoch (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    TrainingOptions training;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        training.validate();
        Options.nonNegative("--body-lr-scale", bodyLrScale);
        if (newClasses != null) {
            Options.atLeast("--new-classes", newClasses, 1);
        }
        if (freezing.first != null) {
            Options.atLeast("--freeze-first", freezing.first, 0);
        }
        ModelFile.Saved source = ModelFile.read(from);
        Module net = source.model();
        try {
            ImageDataset trainSet = data.load(true, source);
            ImageDataset testSet = data.load(false, source);
            if (newClasses != null && newClasses != trainSet.numClasses()) {
                throw new IllegalArgumentException("--new-classes " + newClasses + " does not match the data, which has "
                        + trainSet.numClasses() + " classes " + trainSet.classNames());
            }
            Init.manualSeed(training.seed);
            String head = Transfer.headName(net);
            boolean sameClasses = source.classNames().size() == trainSet.classNames().size()
                    && new HashSet<>(source.classNames()).equals(new HashSet<>(trainSet.classNames()));
            boolean replaceHead = newHead || !sameClasses;
            if (replaceHead) {
                Transfer.replaceHead(net, trainSet.numClasses());
            } else if (!source.classNames().equals(trainSet.classNames())) {
                Transfer.reorderHead(net, source.classNames(), trainSet.classNames());
            }
            freeze(net, head);
            long frozen = net.parameters().stream().filter(p -> p.isFrozen()).mapToLong(p -> p.value().numel()).sum();
            System.out.printf("fine-tuning %s from %s on %s (%d training, %d test images), backend %s: %s head %s, %,d of %,d "
                            + "parameters frozen%n", source.architecture(), from, data.describe(), trainSet.size(), testSet.size(),
                    Backends.current().name(), replaceHead ? "new" : "kept", head, frozen, net.parameterCount());
            try (Optimizer opt = training.optimizer(net)) {
                opt.scaleLearningRate(Transfer.bodyParameters(net), bodyLrScale);
                training.fit(net, opt, source.architecture(), trainSet, testSet, new float[] {source.mean(), source.std()},
                        source.sampleRate(), out, List.of());
            }
        } finally {
            net.close();
        }
        return 0;
    }

    private void freeze(Module net, String head) {
        if (freezing.until != null) {
            if (freezing.until.equals(head)) {
                throw new IllegalArgumentException("--freeze-until " + head + " would freeze the head too: nothing would learn");
            }
            Transfer.freezeThrough(net, freezing.until);
        } else if (freezing.first != null) {
            Transfer.freezeFirst(net, freezing.first);
        } else if (freezing.body) {
            Transfer.freezeAllButHead(net);
        }
    }
}
