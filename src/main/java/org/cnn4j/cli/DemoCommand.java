package org.cnn4j.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.cpu.NativeBackend;
import org.cnn4j.backend.cpu.NativeLibrary;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.explain.Explanations;
import org.cnn4j.explain.Pictures;
import org.cnn4j.io.Images;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Sequential;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.Metrics;
import org.cnn4j.train.Trainer;
import org.cnn4j.zoo.Zoo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cnn4j demo}: the README's main job: train a CNN, then show what it learned and why it predicts; {@code --audio} does it for sound. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Trains a CNN on the Fashion-MNIST sample embedded in the jar (fmnist-cnn on the native backend, a "
                + "narrower version on the pure-Java one), reports its test accuracy and per-class accuracy, saves it, then "
                + "draws Grad-CAM heat maps of test images at its last convolution and the filters of its first, and says "
                + "where the files are. With --audio, the same for sound: trains the raw-waveform M5 on the spoken commands "
                + "embedded in the jar (espeak-ng voices) and tests it on voices of other synthesisers.",
                "Example: cnn4j demo --epochs 3 --out demo-out", "Example: cnn4j demo --audio"})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--epochs", description = "Training epochs (default: 3 for images, " + SoundDemo.EPOCHS + " for --audio).")
    Integer epochs;

    @Option(names = "--audio", description = "The sound demo: spoken commands instead of Fashion-MNIST.")
    boolean audio;

    @Option(names = "--out", defaultValue = "demo-out", description = "Folder for the model and pictures (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seed", defaultValue = "7", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        int epochs = this.epochs != null ? this.epochs : audio ? SoundDemo.EPOCHS : 3;
        Options.atLeast("--epochs", epochs, 1);
        boolean nativeBackend = Backends.current() instanceof NativeBackend;
        System.out.printf("cnn4j demo on the %s backend (%s)%s%n", Backends.current().name(), Backends.reason(),
                nativeBackend ? ", isa " + NativeLibrary.activeIsa().label() + ", " + NativeLibrary.threads() + " threads" : "");
        if (audio) {
            SoundDemo.run(out, epochs, seed);
            return 0;
        }
        ImageDataset train = FashionMnist.sample(true), test = FashionMnist.sample(false);
        String arch = nativeBackend ? "fmnist-cnn" : "fmnist-cnn-small";
        Init.manualSeed(seed);
        Sequential net = (Sequential) Zoo.build(arch, 1, 28, 28, 10);
        System.out.printf("1. training %s (%,d parameters) for %d epochs on %d Fashion-MNIST images, testing on %d%n", arch,
                net.parameterCount(), epochs, train.size(), test.size());
        try (net; Adam adam = Adam.of(net.parameters(), 1e-3f); Trainer trainer = new Trainer(net, adam, null);
             DataLoader trainLoader = new DataLoader(train, 128, true, seed, FashionMnist.MEAN, FashionMnist.STD);
             DataLoader testLoader = new DataLoader(test, 250, false, seed, FashionMnist.MEAN, FashionMnist.STD)) {
            trainer.fit(trainLoader, testLoader, epochs);
            Metrics m = trainer.evaluate(testLoader);
            System.out.printf("%n2. test set: %s", m.report(test.classNames()));
            Path modelFile = out.resolve("model.cnn4j");
            ModelFile.write(modelFile, new ModelFile.Saved(arch, 1, 28, 28, test.classNames(), net, trainer.history()));

            Path gradCam = out.resolve("gradcam.png");
            Images.writePng(gradCamGrid(net, test, 12), gradCam);
            Path filters = out.resolve("filters-conv1.png");
            Images.writePng(Pictures.filterGrid(((Conv2d) net.get("conv1")).weight().value(), 12), filters);
            System.out.printf("%n3. what it learned and why it predicts:%n   model              %s%n   Grad-CAM (conv4)   %s%n"
                    + "   first-layer filters %s%n", modelFile, gradCam, filters);
            System.out.printf("   next: cnn4j eval --model-file %s   |   cnn4j explain --model-file %s IMAGE --out map.png%n", modelFile, modelFile);
        }
        return 0;
    }

    /** Test images (the first of each class up to {@code count}) with their Grad-CAM at conv4, captioned true/predicted. */
    private static BufferedImage gradCamGrid(Sequential net, ImageDataset test, int count) {
        List<BufferedImage> tiles = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        int per = test.imageSize();
        for (int i = 0; i < count && i < test.size(); i++) {
            int idx = i * (test.size() / count);
            float[] pixels = java.util.Arrays.copyOfRange(test.pixels(), idx * per, (idx + 1) * per);
            float[] normalised = pixels.clone();
            for (int p = 0; p < per; p++) {
                normalised[p] = (pixels[p] - FashionMnist.MEAN) / FashionMnist.STD;
            }
            try (Tensor x = Tensor.of(normalised, 1, 1, 28, 28)) {
                int predicted = Explanations.predictedClass(net, x);
                float[] cam = Explanations.gradCam(net, "conv4", x, predicted);
                tiles.add(Pictures.gray(pixels, 28, 28, 3));
                captions.add(shortName(test.classNames().get(test.labels()[idx])));
                tiles.add(Pictures.heatOverlay(pixels, cam, 28, 28, 3));
                captions.add("-> " + shortName(test.classNames().get(predicted)));
            }
        }
        return Pictures.grid(tiles, captions, 8);
    }

    private static String shortName(String s) {
        return s.length() > 12 ? s.substring(0, 12) : s;
    }
}
