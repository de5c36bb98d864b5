package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.cnn4j.backend.Backends;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.zoo.Zoo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cnn4j train}: trains a zoo model on Fashion-MNIST and saves it. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains a model from the zoo on Fashion-MNIST (or your own image folder, see --data) with softmax "
                + "cross-entropy, showing a progress bar per "
                + "epoch, evaluating on the test split after each epoch and saving the model file after each epoch (a "
                + "checkpoint: --resume continues from it).",
                "Example: cnn4j train --model fmnist-cnn --epochs 2 --out fmnist-cnn.cnn4j"})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "fmnist-cnn", completionCandidates = ZooNames.class,
            description = "Zoo model: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--out", defaultValue = "model.cnn4j",
            description = "Model file, rewritten after every epoch as a checkpoint with the optimizer's state (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--resume", description = "Continue training from the checkpoint given by --out: its weights, optimizer "
            + "state and history; --epochs counts the epochs already done.")
    boolean resume;

    @Option(names = "--image-size", defaultValue = "28", paramLabel = "N",
            description = "For an image folder (--data): resize images to N x N, 4 to 1024 (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--rgb", description = "For an image folder (--data): keep colour (3 channels) instead of grayscale.")
    boolean rgb;

    @Mixin
    TrainingOptions training;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        training.validate();
        // 1024 x 1024 x 3 floats are 12 MB an image: larger ones would not fit a training set in memory
        Options.between("--image-size", imageSize, 4, 1024);
        if (resume && !Files.exists(out)) {
            throw new IllegalArgumentException("--resume: no checkpoint at " + out + " (train once without --resume, or point --out at it)");
        }
        ModelFile.Saved saved = resume ? ModelFile.read(out) : null;
        int channels = saved != null ? saved.channels() : rgb ? 3 : 1;
        int height = saved != null ? saved.height() : imageSize, width = saved != null ? saved.width() : imageSize;
        ImageDataset trainSet, testSet;
        try {
            trainSet = data.load(true, channels, height, width);
            testSet = data.load(false, channels, height, width);
        } catch (IOException | RuntimeException e) {
            if (saved != null) {
                saved.model().close();
            }
            throw e;
        }
        Init.manualSeed(training.seed);
        // Fashion-MNIST has published statistics; an image folder is normalised with its training set's own
        float[] norm = saved != null ? new float[] {saved.mean(), saved.std()}
                : data.isImageFolder() ? trainSet.meanAndStd() : new float[] {FashionMnist.MEAN, FashionMnist.STD};
        if (saved != null && !saved.classNames().equals(trainSet.classNames())) {
            saved.model().close();
            throw new IllegalArgumentException("--resume: " + out + " classifies " + saved.classNames() + ", the data has " + trainSet.classNames());
        }
        Module net = saved != null ? saved.model()
                : Zoo.build(model, trainSet.channels(), trainSet.height(), trainSet.width(), trainSet.numClasses());
        String arch = saved != null ? saved.architecture() : model;
        System.out.printf("training %s (%,d parameters) on %s (%d training, %d test images), backend %s, %d epochs, batch %d, %s lr %s%n",
                arch, net.parameterCount(), data.describe(), trainSet.size(), testSet.size(), Backends.current().name(), training.epochs,
                training.batch, training.optimizer, training.lr);
        try (Optimizer opt = training.optimizer(net)) {
            if (saved != null) {
                boolean restored = ModelFile.restoreOptimizer(out, opt);
                System.out.printf("resuming after epoch %d from %s%s%n", saved.history().size(), out,
                        restored ? "" : " (it holds no optimizer state: the optimizer starts afresh)");
            }
            training.fit(net, opt, arch, trainSet, testSet, norm, out, saved != null ? saved.history() : List.of());
        } finally {
            net.close();
        }
        return 0;
    }
}
