package org.cnn4j.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cnn4j.audio.SpeechSample;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.data.augment.AugmentationPipeline;
import org.cnn4j.explain.Explanations;
import org.cnn4j.explain.SoundExplanations;
import org.cnn4j.explain.SoundPictures;
import org.cnn4j.io.Images;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.Metrics;
import org.cnn4j.train.Trainer;
import org.cnn4j.zoo.Zoo;

/**
 * {@code cnn4j demo --audio}: trains the raw-waveform M5 on the spoken commands embedded in the jar (espeak-ng
 * voices, augmented), tests it on voices of other synthesisers it never heard, and draws why it hears each word
 * (Grad-CAM over time on the waveform) and what its first-layer filters listen for (their frequency responses).
 */
final class SoundDemo {
    static final int SAMPLE_RATE = 8000, SAMPLES = 8000, EPOCHS = 20;
    private static final String ARCHITECTURE = "m5", LAST_CONVOLUTION = "conv4";

    private SoundDemo() {
    }

    static void run(Path out, int epochs, long seed) throws IOException {
        ImageDataset train = SpeechSample.load(true, SAMPLE_RATE, SAMPLES), test = SpeechSample.load(false, SAMPLE_RATE, SAMPLES);
        Init.manualSeed(seed);
        Module net = Zoo.build(ARCHITECTURE, 1, 1, SAMPLES, train.numClasses());
        System.out.printf("1. training %s (%,d parameters, raw waveform) for %d epochs on %d clips of %d words spoken by espeak-ng "
                + "voices, augmented (%s); testing on %d clips spoken by flite and festival voices%n", ARCHITECTURE,
                net.parameterCount(), epochs, train.size(), train.numClasses(), AugmentationPipeline.standardAudio(), test.size());
        try (net; Adam adam = Adam.of(net.parameters(), 3e-3f); Trainer trainer = new Trainer(net, adam, null);
             DataLoader trainLoader = new DataLoader(train, 32, true, seed, 0f, 1f).augment(AugmentationPipeline.standardAudio());
             DataLoader testLoader = new DataLoader(test, 100, false, seed, 0f, 1f)) {
            trainer.fit(trainLoader, testLoader, epochs);
            Metrics m = trainer.evaluate(testLoader);
            System.out.printf("%n2. other synthesisers' voices: %s", m.report(test.classNames()));
            Path modelFile = out.resolve("sound.cnn4j");
            ModelFile.write(modelFile, new ModelFile.Saved(ARCHITECTURE, 1, 1, SAMPLES, test.classNames(), net, trainer.history(), 0f, 1f,
                    SAMPLE_RATE));
            Path gradCam = out.resolve("gradcam-sound.png");
            Images.writePng(gradCamGrid(net, test, 8), gradCam);
            Path filters = out.resolve("filters-conv1-frequency.png");
            Images.writePng(SoundPictures.frequencyResponses(((Conv2d) net.children().get("conv1")).weight().value(), SAMPLE_RATE), filters);
            System.out.printf("%n3. why it hears what it hears:%n   model                        %s%n   Grad-CAM over time (%s) %s%n"
                    + "   first-layer filters' frequency responses %s%n", modelFile, LAST_CONVOLUTION, gradCam, filters);
            System.out.printf("   next: cnn4j predict --model-file %s CLIP.wav   |   cnn4j explain --model-file %s CLIP.wav --out why.png%n",
                    modelFile, modelFile);
        }
    }

    /** Test clips (spread over the classes) as waveforms over their Grad-CAM, captioned true -> predicted. */
    private static BufferedImage gradCamGrid(Module net, ImageDataset test, int count) {
        List<BufferedImage> tiles = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        int per = test.imageSize();
        for (int i = 0; i < count && i < test.size(); i++) {
            int idx = i * (test.size() / count);
            float[] clip = Arrays.copyOfRange(test.pixels(), idx * per, (idx + 1) * per);
            try (Tensor x = Tensor.of(clip, 1, 1, 1, per)) {
                int predicted = Explanations.predictedClass(net, x);
                float[] cam = SoundExplanations.gradCamOverTime(net, LAST_CONVOLUTION, x, predicted);
                tiles.add(SoundPictures.waveform(clip, cam, 320, 72));
                captions.add(test.classNames().get(test.labels()[idx]) + " -> " + test.classNames().get(predicted));
            }
        }
        return org.cnn4j.explain.Pictures.grid(tiles, captions, 2);
    }
}
