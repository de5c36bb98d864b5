package org.cnn4j.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Top patches of hand-made filters on images whose answer is known: image i is dark except one pixel
 * of brightness i/N at a place of its own. Filter 0 copies the centre pixel, so its top k are the k
 * brightest images, each at its bright pixel; filter 1 copies the pixel to the right of the centre,
 * so it peaks one column left of the bright pixel. (A filter with a single non-zero weight would see
 * a single pixel: the receptive field is measured, so it is the one the weights give.)
 */
class TopPatchesTest {
    private static final int N = 30, SIZE = 12;

    @Test
    void handMadeFiltersFindTheBrightestPixels() {
        float[] pixels = new float[N * SIZE * SIZE];
        int[] ys = new int[N], xs = new int[N];
        for (int i = 0; i < N; i++) {
            ys[i] = 2 + (i * 5) % 8;
            xs[i] = 2 + (i * 3) % 8;
            pixels[i * SIZE * SIZE + ys[i] * SIZE + xs[i]] = (i + 1f) / N;
        }
        ImageDataset data = new ImageDataset(pixels, new int[N], 1, SIZE, SIZE, List.of("one"));
        try (Sequential net = new Sequential().add("conv", Conv2d.builder(1, 2, 3).padding(1).build())) {
            Conv2d conv = (Conv2d) net.get("conv");
            // faint weights everywhere else, so the measured receptive field is the whole 3x3 window
            float[] w = new float[2 * 9];
            Arrays.fill(w, 1e-3f);
            w[4] = 1;
            w[9 + 5] = 1;
            conv.weight().value().copyFrom(w);
            conv.bias().value().zero();
            TopPatches top = TopPatches.find(net, "conv", data, 0f, 1f, new int[] {0, 1}, 4);
            assertThat(top.receptiveField().height()).isEqualTo(3);
            for (int f = 0; f < 2; f++) {
                List<TopPatches.Patch> best = top.of(f);
                assertThat(best).hasSize(4);
                for (int j = 0; j < 4; j++) {
                    TopPatches.Patch p = best.get(j);
                    int image = N - 1 - j;
                    assertThat(p.image()).isEqualTo(image);
                    assertThat(p.activation()).isEqualTo((image + 1f) / N, org.assertj.core.api.Assertions.within(1e-6f));
                    assertThat(p.y()).isEqualTo(ys[image]);
                    assertThat(p.x()).isEqualTo(xs[image] - f);
                    float[] patch = top.pixels(p, data, -1f);
                    assertThat(patch[4 + f]).as("the bright pixel in the patch").isEqualTo((image + 1f) / N);
                }
            }
            BufferedImage picture = top.picture(data, 10);
            assertThat(picture.getWidth()).isGreaterThanOrEqualTo(4 * 30);
            assertThatThrownBy(() -> TopPatches.find(net, "conv", data, 0f, 1f, new int[] {2}, 4))
                    .hasMessageContaining("filter 2 is not in 0..1");
        }
    }

    @Test
    void featureMapsAreTheLayerOutputForOneImage() {
        try (Sequential net = new Sequential().add("conv", Conv2d.builder(1, 2, 3).padding(1).build());
             Tensor image = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3)) {
            Conv2d conv = (Conv2d) net.get("conv");
            float[] w = new float[18];
            w[4] = 1;
            w[9 + 4] = -2;
            conv.weight().value().copyFrom(w);
            conv.bias().value().copyFrom(new float[] {0, 1});
            FeatureMaps maps = FeatureMaps.of(net, "conv", image);
            assertThat(maps.channels()).isEqualTo(2);
            assertThat(maps.map(0)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertThat(maps.map(1)).containsExactly(-1, -3, -5, -7, -9, -11, -13, -15, -17);
            assertThat(maps.picture(image.toArray(), 3, 3, 4, 1).getWidth()).isGreaterThan(0);
            assertThatThrownBy(() -> maps.map(2)).hasMessageContaining("channel 2 is not in 0..1");
        }
    }
}
