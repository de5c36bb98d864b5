package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cnn4j.backend.Backends;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.LrSchedule;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.Sgd;
import org.cnn4j.train.EarlyStopping;
import org.cnn4j.train.Trainer;
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

    @Option(names = "--epochs", defaultValue = "2", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam, adamw or sgd (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.001", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    float momentum;

    @Option(names = "--nesterov", description = "Nesterov momentum for SGD.")
    boolean nesterov;

    @Option(names = "--weight-decay", description = "Weight decay: L2 added to the gradient for adam and sgd, decoupled for "
            + "adamw (default: 0.01 for adamw, as PyTorch's AdamW, else 0).")
    Float weightDecay;

    @Option(names = "--schedule", defaultValue = "constant", description = "constant, step (x0.1 every 10 epochs) or cosine (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--warmup", defaultValue = "0", description = "Epochs of linear learning-rate warm-up (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--clip-norm", description = "Clip the global gradient norm to this value.")
    Double clipNorm;

    @Option(names = "--early-stopping", defaultValue = "0", description = "Stop after N epochs without validation improvement (0: off).")
    int patience;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of initialisation and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "model.cnn4j",
            description = "Model file, rewritten after every epoch as a checkpoint with the optimizer's state (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--resume", description = "Continue training from the checkpoint given by --out: its weights, optimizer "
            + "state and history; --epochs counts the epochs already done.")
    boolean resume;

    @Option(names = "--no-progress", description = "No progress bar (for logs).")
    boolean noProgress;

    @Option(names = "--image-size", defaultValue = "28", paramLabel = "N",
            description = "For an image folder (--data): resize images to N x N (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--rgb", description = "For an image folder (--data): keep colour (3 channels) instead of grayscale.")
    boolean rgb;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        if (epochs <= 0 || batch <= 0) {
            throw new IllegalArgumentException("--epochs and --batch must be > 0");
        }
        if (!List.of("adam", "adamw", "sgd").contains(optimizer.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("--optimizer must be adam, adamw or sgd, got " + optimizer);
        }
        schedule(); // fails fast on a bad --schedule, before any data is read
        if (imageSize < 4) {
            throw new IllegalArgumentException("--image-size must be >= 4, got " + imageSize);
        }
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
        Init.manualSeed(seed);
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
                arch, net.parameterCount(), data.describe(), trainSet.size(), testSet.size(), Backends.current().name(), epochs, batch,
                optimizer, lr);
        try (Optimizer opt = optimizer(net); Trainer trainer = new Trainer(net, opt, schedule());
             DataLoader train = new DataLoader(trainSet, batch, true, seed, norm[0], norm[1]);
             DataLoader test = new DataLoader(testSet, batch, false, seed, norm[0], norm[1])) {
            trainer.console(System.out, !noProgress);
            if (saved != null) {
                trainer.resumeFrom(saved.history());
                boolean restored = ModelFile.restoreOptimizer(out, opt);
                System.out.printf("resuming after epoch %d from %s%s%n", saved.history().size(), out,
                        restored ? "" : " (it holds no optimizer state: the optimizer starts afresh)");
            }
            if (clipNorm != null) {
                trainer.clipGradNorm(clipNorm);
            }
            if (patience > 0) {
                trainer.addCallback(new EarlyStopping(patience, 1e-4).replay(trainer.history()));
            }
            trainer.addCallback(r -> {
                ModelFile.write(out, new ModelFile.Saved(arch, trainSet.channels(), trainSet.height(), trainSet.width(),
                        trainSet.classNames(), net, trainer.history(), norm[0], norm[1]), opt);
                return true;
            });
            trainer.fit(train, test, epochs);
            System.out.println("final test metrics: " + trainer.evaluate(test).report(trainSet.classNames()).lines().findFirst().orElse(""));
            System.out.println("model saved to " + out);
        } finally {
            net.close();
        }
        return 0;
    }

    private Optimizer optimizer(Module net) {
        return switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "adam" -> new Adam(net.parameters(), lr, 0.9f, 0.999f, 1e-8f, weightDecay == null ? 0f : weightDecay, false);
            case "adamw" -> new Adam(net.parameters(), lr, 0.9f, 0.999f, 1e-8f, weightDecay == null ? 0.01f : weightDecay, true);
            case "sgd" -> new Sgd(net.parameters(), lr, momentum, 0, weightDecay == null ? 0f : weightDecay, nesterov);
            default -> throw new IllegalArgumentException("--optimizer must be adam, adamw or sgd, got " + optimizer);
        };
    }

    private LrSchedule schedule() {
        LrSchedule s = switch (schedule.toLowerCase(Locale.ROOT)) {
            case "constant" -> LrSchedule.constant(lr);
            case "step" -> LrSchedule.step(lr, 10, 0.1f);
            case "cosine" -> LrSchedule.cosine(lr, 0f, epochs);
            default -> throw new IllegalArgumentException("--schedule must be constant, step or cosine, got " + schedule);
        };
        return warmup > 0 ? s.withWarmup(warmup) : s;
    }
}
