package org.cnn4j.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.GlobalAvgPool2d;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Sequential;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.Metrics;
import org.cnn4j.train.Trainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proof that Grad-CAM and occlusion point at what decides the class: a small CNN learns
 * {@link PatchImages} (the pattern of one 5x5 patch at a random place decides the class), then for
 * at least 95% of unseen test images the maximum of each map lies on the patch. A map that ignored
 * the image, or merely followed the noise, would hit the 25 patch pixels of 400 far less often.
 * Grad-CAM reads the rectified output of the last convolution, as in the paper: the convolution's raw
 * output (negative values included) missed for 10-35% of images. The net keeps full resolution because
 * a 10x10 map, upsampled, peaked just beside the 5x5 patch for about 1 image in 20.
 */
class MapsFindTheDecisivePatchTest {
    private static final int TEST_IMAGES = 100;
    private static Sequential net;
    private static PatchImages test;

    @BeforeAll
    static void train() throws IOException {
        Init.manualSeed(17);
        net = new Sequential()
                .add("conv1", Conv2d.builder(1, 8, 3).padding(1).build()).add("relu1", ActivationLayer.relu())
                .add("conv2", Conv2d.builder(8, 8, 3).padding(1).build()).add("relu2", ActivationLayer.relu())
                .add("conv3", Conv2d.builder(8, 8, 3).padding(1).build()).add("relu3", ActivationLayer.relu())
                .add("gap", new GlobalAvgPool2d()).add("flatten", new Flatten()).add("fc", new Linear(8, 3));
        ImageDataset train = PatchImages.generate(1500, 1).data();
        test = PatchImages.generate(TEST_IMAGES, 2);
        try (Adam adam = Adam.of(net.parameters(), 3e-3f); Trainer trainer = new Trainer(net, adam, null);
             DataLoader trainLoader = new DataLoader(train, 32, true, 3, 0f, 1f);
             DataLoader testLoader = new DataLoader(test.data(), 100, false, 0, 0f, 1f)) {
            trainer.console(new PrintStream(new ByteArrayOutputStream()), false);
            trainer.fit(trainLoader, null, 8);
            Metrics m = trainer.evaluate(testLoader);
            assertThat(m.accuracy()).as("the net must first learn the task (chance: 33%)").isGreaterThan(0.95);
        }
    }

    @AfterAll
    static void release() {
        net.close();
    }

    /** The share of test images whose map (for the true class) has its maximum on the patch. */
    private static double hitRate(MapOfImage method) {
        int hits = 0, per = PatchImages.SIZE * PatchImages.SIZE;
        float[] pixels = test.data().pixels();
        for (int n = 0; n < TEST_IMAGES; n++) {
            try (Tensor x = Tensor.of(java.util.Arrays.copyOfRange(pixels, n * per, (n + 1) * per), 1, 1, PatchImages.SIZE, PatchImages.SIZE)) {
                float[] map = method.of(x, test.data().labels()[n]);
                int best = 0;
                for (int i = 1; i < map.length; i++) {
                    if (map[i] > map[best]) {
                        best = i;
                    }
                }
                if (test.onPatch(n, best / PatchImages.SIZE, best % PatchImages.SIZE)) {
                    hits++;
                }
            }
        }
        return (double) hits / TEST_IMAGES;
    }

    @FunctionalInterface
    private interface MapOfImage {
        float[] of(Tensor image, int cls);
    }

    @Test
    void gradCamPeaksOnThePatch() {
        double rate = hitRate((x, cls) -> Explanations.gradCam(net, "relu3", x, cls));
        System.out.printf("Grad-CAM (relu3) maximum on the patch: %.0f%% of %d test images%n", 100 * rate, TEST_IMAGES);
        assertThat(rate).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void occlusionPeaksOnThePatch() {
        double rate = hitRate((x, cls) -> Explanations.occlusion(net, x, cls, 3, 1, 0f));
        System.out.printf("occlusion (3x3 window, stride 1) maximum on the patch: %.0f%% of %d test images%n", 100 * rate, TEST_IMAGES);
        assertThat(rate).isGreaterThanOrEqualTo(0.95);
    }
}
