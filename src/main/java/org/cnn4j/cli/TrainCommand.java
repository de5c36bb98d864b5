package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.cnn4j.audio.LogMelSpectrogram;
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

/** {@code cnn4j train}: trains a zoo model on Fashion-MNIST, an image folder or a folder of sound clips, and saves it. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains a model from the zoo on Fashion-MNIST (or your own image folder, or a folder of WAV clips: see "
                + "--data) with softmax cross-entropy, showing a progress bar per "
                + "epoch, evaluating on the test split after each epoch and saving the model file after each epoch (a "
                + "checkpoint: --resume continues from it). A folder of WAV files selects the sound pipeline: clips are "
                + "read as mono, resampled to --sample-rate and fitted to --clip-seconds, and the model takes the waveform.",
                "Example: cnn4j train --model fmnist-cnn --epochs 2 --out fmnist-cnn.cnn4j",
                "Example: cnn4j train --data speech --model m5 --augment --epochs 10 --out m5.cnn4j"})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--model", completionCandidates = ZooNames.class,
            description = "Zoo model: ${COMPLETION-CANDIDATES} (default: fmnist-cnn for images, spectro-cnn for sound, "
                    + "the one that recognises unseen voices best: docs/audio.md).")
    String model;

    @Option(names = "--sample-rate", defaultValue = "8000", paramLabel = "HZ",
            description = "For sound (--data of WAV files): the rate clips are resampled to (default: ${DEFAULT-VALUE}).")
    int sampleRate;

    @Option(names = "--clip-seconds", defaultValue = "1.0", paramLabel = "S",
            description = "For sound: the clip length the model takes; longer clips are centre-cropped, shorter ones padded "
                    + "with silence (default: ${DEFAULT-VALUE}).")
    double clipSeconds;

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
        boolean sound = saved != null ? saved.isSound() : data.isSoundFolder();
        if (sound && saved == null) {
            Options.between("--sample-rate", sampleRate, ModelFile.MIN_SAMPLE_RATE, ModelFile.MAX_SAMPLE_RATE);
            // a minute of 192 kHz is 11.5 M samples, under the model file's input limit; longer clips are not a classification input
            if (!(clipSeconds >= 0.01 && clipSeconds <= 60)) {
                throw new IllegalArgumentException("--clip-seconds must be from 0.01 to 60, got " + clipSeconds);
            }
        }
        int rate = saved != null ? saved.sampleRate() : sound ? sampleRate : 0;
        int channels = saved != null ? saved.channels() : sound ? 1 : rgb ? 3 : 1;
        int height = saved != null ? saved.height() : sound ? 1 : imageSize;
        int width = saved != null ? saved.width() : sound ? (int) Math.round(sampleRate * clipSeconds) : imageSize;
        ImageDataset trainSet, testSet;
        try {
            trainSet = sound ? data.loadSound(true, rate, width) : data.load(true, channels, height, width);
            testSet = sound ? data.loadSound(false, rate, width) : data.load(false, channels, height, width);
        } catch (IOException | RuntimeException e) {
            if (saved != null) {
                saved.model().close();
            }
            throw e;
        }
        Init.manualSeed(training.seed);
        // Fashion-MNIST has published statistics; an image folder is normalised with its training set's own; a waveform
        // is taken as it is (samples in [-1, 1] around 0, whose level is part of what augmentation varies)
        float[] norm = saved != null ? new float[] {saved.mean(), saved.std()} : sound ? new float[] {0f, 1f}
                : data.isFolder() ? trainSet.meanAndStd() : new float[] {FashionMnist.MEAN, FashionMnist.STD};
        if (saved != null && !saved.classNames().equals(trainSet.classNames())) {
            saved.model().close();
            throw new IllegalArgumentException("--resume: " + out + " classifies " + saved.classNames() + ", the data has " + trainSet.classNames());
        }
        String zooName = model != null ? model : sound ? "spectro-cnn" : "fmnist-cnn";
        Module net = saved != null ? saved.model()
                : Zoo.build(zooName, trainSet.channels(), trainSet.height(), trainSet.width(), trainSet.numClasses());
        String arch = saved != null ? saved.architecture() : zooName;
        if (sound) {
            try {
                LogMelSpectrogram.requireSampleRate(net, rate);
            } catch (IllegalArgumentException e) {
                net.close();
                throw e;
            }
        }
        System.out.printf("training %s (%,d parameters) on %s (%d training, %d test %s), backend %s, %d epochs, batch %d, %s lr %s%n",
                arch, net.parameterCount(), data.describe(), trainSet.size(), testSet.size(), sound ? "clips at " + rate + " Hz" : "images", Backends.current().name(), training.epochs,
                training.batch, training.optimizer, training.lr);
        try (Optimizer opt = training.optimizer(net)) {
            if (saved != null) {
                boolean restored = ModelFile.restoreOptimizer(out, opt);
                System.out.printf("resuming after epoch %d from %s%s%n", saved.history().size(), out,
                        restored ? "" : " (it holds no optimizer state: the optimizer starts afresh)");
            }
            training.fit(net, opt, arch, trainSet, testSet, norm, rate, out, saved != null ? saved.history() : List.of());
        } finally {
            net.close();
        }
        return 0;
    }
}
