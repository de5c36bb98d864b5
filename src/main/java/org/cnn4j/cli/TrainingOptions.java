package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.data.augment.AugmentationPipeline;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.LrSchedule;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.Sgd;
import org.cnn4j.train.EarlyStopping;
import org.cnn4j.train.EpochResult;
import org.cnn4j.train.Trainer;
import picocli.CommandLine.Option;

/** The options of a training run, shared by {@code train} and {@code finetune}, and the run itself. */
final class TrainingOptions {
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

    @Option(names = "--no-progress", description = "No progress bar (for logs).")
    boolean noProgress;

    @Option(names = "--augment", arity = "0..1", fallbackValue = "standard", paramLabel = "SPEC",
            description = "Augment the training images on the fly: --augment alone is the standard pipeline (shift, flip, "
                    + "rotate/zoom, jitter, erasing); or a list such as crop=2,flip,rotate=10,scale=0.1,shift=0.1,jitter=0.2,"
                    + "noise=0.02,erase=0.25. For sound, --augment alone is the standard sound pipeline; see docs/audio.md "
                    + "for its steps.")
    String augment;

    @Option(names = "--float16", description = "Write the model file with float16 weights: half the size, but without the "
            + "optimizer state, so --resume restarts the optimizer.")
    boolean float16;

    /** Fails fast on bad values, before any data is read. */
    void validate() {
        Options.atLeast("--epochs", epochs, 1);
        Options.atLeast("--batch", batch, 1);
        Options.positive("--lr", lr);
        Options.fraction("--momentum", momentum);
        if (weightDecay != null) {
            Options.nonNegative("--weight-decay", weightDecay);
        }
        Options.nonNegative("--warmup", warmup);
        if (clipNorm != null) {
            Options.positive("--clip-norm", clipNorm);
        }
        Options.atLeast("--early-stopping", patience, 0);
        optimizerKind();
        schedule();
        pipeline(false);
    }

    /** The --augment pipeline for images or sound ({@code --augment} alone: the standard one of each), or null. */
    AugmentationPipeline pipeline(boolean sound) {
        if (augment == null) {
            return null;
        }
        return augment.equals("standard") ? (sound ? AugmentationPipeline.standardAudio() : AugmentationPipeline.standard())
                : AugmentationPipeline.parse(augment);
    }

    Optimizer optimizer(Module net) {
        return switch (optimizerKind()) {
            case "adam" -> new Adam(net.parameters(), lr, 0.9f, 0.999f, 1e-8f, weightDecay == null ? 0f : weightDecay, false);
            case "adamw" -> new Adam(net.parameters(), lr, 0.9f, 0.999f, 1e-8f, weightDecay == null ? 0.01f : weightDecay, true);
            default -> new Sgd(net.parameters(), lr, momentum, 0, weightDecay == null ? 0f : weightDecay, nesterov);
        };
    }

    private String optimizerKind() {
        String kind = optimizer.toLowerCase(Locale.ROOT);
        if (!List.of("adam", "adamw", "sgd").contains(kind)) {
            throw new IllegalArgumentException("--optimizer must be adam, adamw or sgd, got " + optimizer);
        }
        return kind;
    }

    LrSchedule schedule() {
        LrSchedule s = switch (schedule.toLowerCase(Locale.ROOT)) {
            case "constant" -> LrSchedule.constant(lr);
            case "step" -> LrSchedule.step(lr, 10, 0.1f);
            case "cosine" -> LrSchedule.cosine(lr, 0f, epochs);
            default -> throw new IllegalArgumentException("--schedule must be constant, step or cosine, got " + schedule);
        };
        return warmup > 0 ? s.withWarmup(warmup) : s;
    }

    /**
     * Trains {@code net} with {@code opt} on {@code trainSet}, evaluating on {@code testSet} and writing the
     * model file {@code out} (a checkpoint with the optimizer's state) after every epoch; {@code earlier}
     * is the history of the epochs a resumed run has already done. Prints the final test metrics.
     */
    void fit(Module net, Optimizer opt, String arch, ImageDataset trainSet, ImageDataset testSet, float[] norm, int sampleRate, Path out,
             List<EpochResult> earlier) throws IOException {
        AugmentationPipeline pipeline = pipeline(sampleRate > 0);
        try (Trainer trainer = new Trainer(net, opt, schedule());
             DataLoader train = new DataLoader(trainSet, batch, true, seed, norm[0], norm[1]).augment(pipeline);
             DataLoader test = new DataLoader(testSet, batch, false, seed, norm[0], norm[1])) {
            trainer.console(System.out, !noProgress);
            if (augment != null) {
                System.out.println("augmenting training " + (sampleRate > 0 ? "clips: " : "images: ") + pipeline);
            }
            trainer.resumeFrom(earlier);
            if (clipNorm != null) {
                trainer.clipGradNorm(clipNorm);
            }
            if (patience > 0) {
                trainer.addCallback(new EarlyStopping(patience, 1e-4).replay(trainer.history()));
            }
            trainer.addCallback(r -> {
                ModelFile.Saved saved = new ModelFile.Saved(arch, trainSet.channels(), trainSet.height(), trainSet.width(),
                        trainSet.classNames(), net, trainer.history(), norm[0], norm[1], sampleRate);
                if (float16) {
                    ModelFile.writeFloat16(out, saved);
                } else {
                    ModelFile.write(out, saved, opt);
                }
                return true;
            });
            trainer.fit(train, test, epochs);
            System.out.println("final test metrics: " + trainer.evaluate(test).report(trainSet.classNames()).lines().findFirst().orElse(""));
            System.out.println("model saved to " + out);
        }
    }
}
