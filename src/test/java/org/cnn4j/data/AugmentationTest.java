package org.cnn4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.cnn4j.data.augment.AugmentationPipeline;
import org.cnn4j.data.augment.ColorJitter;
import org.cnn4j.data.augment.GaussianNoise;
import org.cnn4j.data.augment.HorizontalFlip;
import org.cnn4j.data.augment.RandomAffine;
import org.cnn4j.data.augment.RandomCrop;
import org.cnn4j.data.augment.RandomErasing;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Each augmentation does what it says on hand-made images; the loader applies them reproducibly per epoch. */
class AugmentationTest {

    /** A 1x4x5 image whose pixel (y, x) is (10y + x) / 100. */
    private static float[] ramp() {
        float[] v = new float[20];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                v[y * 5 + x] = (10 * y + x) / 100f;
            }
        }
        return v;
    }

    @Test
    void flipMirrorsEveryRow() {
        float[] v = ramp();
        new HorizontalFlip(1).apply(v, new float[20], 1, 4, 5, new SplittableRandom(1));
        assertThat(v[0]).isEqualTo(0.04f);
        assertThat(v[14]).isEqualTo(0.20f);
        float[] w = ramp();
        new HorizontalFlip(0).apply(w, new float[20], 1, 4, 5, new SplittableRandom(1));
        assertThat(w).containsExactly(ramp());
    }

    @Test
    void cropShiftsTheContentByTheDrawnOffsetAndFillsWithZeros() {
        for (long seed = 0; seed < 20; seed++) {
            float[] v = ramp();
            SplittableRandom probe = new SplittableRandom(seed);
            int dy = probe.nextInt(5) - 2, dx = probe.nextInt(5) - 2;
            new RandomCrop(2).apply(v, new float[20], 1, 4, 5, new SplittableRandom(seed));
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 5; x++) {
                    int sy = y + dy, sx = x + dx;
                    float want = sy >= 0 && sy < 4 && sx >= 0 && sx < 5 ? (10 * sy + sx) / 100f : 0f;
                    assertThat(v[y * 5 + x]).as("seed %d at (%d, %d)", seed, y, x).isEqualTo(want);
                }
            }
        }
    }

    @Test
    void anIdentityAffineLeavesTheImageAndAHalfTurnRotatesIt() {
        float[] v = ramp();
        new RandomAffine(0, 0, 0).apply(v, new float[20], 1, 4, 5, new SplittableRandom(3));
        assertThat(v).containsExactly(ramp());
        float[] square = new float[9];
        square[0] = 1; // top-left corner of a 3x3 image
        // rotate up to 180 degrees: find a seed that draws (close to) +-180 and check the corner moved opposite
        RandomAffine halfTurn = new RandomAffine(180, 0, 0);
        for (long seed = 0; seed < 10_000; seed++) {
            if (Math.abs(Math.abs(2 * new SplittableRandom(seed).nextDouble() - 1) - 1) < 1e-4) {
                float[] img = square.clone();
                halfTurn.apply(img, new float[9], 1, 3, 3, new SplittableRandom(seed));
                assertThat(img[8]).isCloseTo(1f, within(0.01f));
                assertThat(img[0]).isCloseTo(0f, within(0.01f));
                return;
            }
        }
        throw new AssertionError("no seed drew a half turn");
    }

    @Test
    void jitterStaysInRangeAndNoiseHasTheRequestedSpread() {
        float[] v = ramp();
        new ColorJitter(0.5, 0.5).apply(v, new float[20], 1, 4, 5, new SplittableRandom(7));
        for (float f : v) {
            assertThat(f).isBetween(0f, 1f);
        }
        float[] flat = new float[100_000];
        java.util.Arrays.fill(flat, 0.5f);
        new GaussianNoise(0.05).apply(flat, null, 1, 1, 100_000, new SplittableRandom(8));
        double sum = 0, sq = 0;
        for (float f : flat) {
            sum += f - 0.5;
            sq += (f - 0.5) * (f - 0.5);
        }
        assertThat(sum / flat.length).isCloseTo(0, within(0.001));
        assertThat(Math.sqrt(sq / flat.length)).isCloseTo(0.05, within(0.001));
    }

    @Test
    void erasingBlanksOneRectangle() {
        float[] v = new float[28 * 28];
        java.util.Arrays.fill(v, 1f);
        new RandomErasing(1, 0.1, 0.1, 0f).apply(v, null, 1, 28, 28, new SplittableRandom(4));
        int zeros = 0, top = 28, bottom = -1, left = 28, right = -1;
        for (int i = 0; i < v.length; i++) {
            if (v[i] == 0f) {
                zeros++;
                top = Math.min(top, i / 28);
                bottom = Math.max(bottom, i / 28);
                left = Math.min(left, i % 28);
                right = Math.max(right, i % 28);
            }
        }
        assertThat(zeros).isEqualTo((bottom - top + 1) * (right - left + 1)).isBetween(50, 110); // ~10% of 784, rounded sides
    }

    @Test
    void specsParseAndUnknownNamesAreListed() {
        assertThat(AugmentationPipeline.parse("crop=4, flip, rotate=10, scale=0.1, noise=0.02, erase").steps())
                .containsExactly(new RandomCrop(4), new HorizontalFlip(0.5), new RandomAffine(10, 0.1, 0), new GaussianNoise(0.02),
                        new RandomErasing(0.5));
        assertThat(AugmentationPipeline.parse("standard").steps()).isEqualTo(AugmentationPipeline.standard().steps());
        assertThatThrownBy(() -> AugmentationPipeline.parse("crop=2,mixup")).hasMessageContaining("mixup").hasMessageContaining("erase");
        assertThatThrownBy(() -> AugmentationPipeline.parse("crop")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> AugmentationPipeline.parse("flip=2")).hasMessageContaining("[0, 1]");
    }

    @Test
    void theLoaderAugmentsReproduciblyPerEpochAndKeepsTheLabels() {
        ImageDataset d = Simulator.generate(Simulator.Kind.SHAPES, 64, 28, 3);
        try (DataLoader plain = new DataLoader(d, 32, true, 5, 0.2f, 0.3f).layout(Layout.NCHW);
             DataLoader a = new DataLoader(d, 32, true, 5, 0.2f, 0.3f).layout(Layout.NCHW).augment(AugmentationPipeline.standard());
             DataLoader b = new DataLoader(d, 32, true, 5, 0.2f, 0.3f).layout(Layout.NCHW).augment(AugmentationPipeline.standard())) {
            float[] x0 = plain.batch(1)[0].toArray(), y0 = plain.batch(1)[1].toArray();
            Tensor[] first = a.batch(1);
            float[] xa = first[0].toArray();
            assertThat(first[1].toArray()).containsExactly(y0);
            assertThat(xa).isNotEqualTo(x0);
            assertThat(b.batch(1)[0].toArray()).containsExactly(xa);
            a.startEpoch(1);
            b.startEpoch(1);
            float[] next = a.batch(1)[0].toArray();
            assertThat(next).containsExactly(b.batch(1)[0].toArray());
            assertThat(next).as("a new epoch draws new variants").isNotEqualTo(xa);
        }
    }

    @Test
    void aBatchAugmentedByParallelWorkersEqualsItsImagesAugmentedOneByOne() {
        ImageDataset d = Simulator.generate(Simulator.Kind.SHAPES, 64, 28, 3);
        try (DataLoader batched = new DataLoader(d, 32, true, 5, 0.2f, 0.3f).layout(Layout.NCHW).augment(AugmentationPipeline.standard());
             DataLoader single = new DataLoader(d, 1, true, 5, 0.2f, 0.3f).layout(Layout.NCHW).augment(AugmentationPipeline.standard())) {
            float[] batch = batched.batch(1)[0].toArray();
            int per = d.imageSize();
            for (int i = 0; i < 32; i++) {
                float[] alone = single.batch(32 + i)[0].toArray();
                assertThat(java.util.Arrays.copyOfRange(batch, i * per, (i + 1) * per)).as("image %d of the batch", i).containsExactly(alone);
            }
        }
    }
}
