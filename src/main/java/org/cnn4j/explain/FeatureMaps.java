package org.cnn4j.explain;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;

/**
 * The feature maps a layer computes for one image: {@code channels} maps of {@code height x width},
 * channel after channel in {@code values}. {@link #picture} draws them in a grid after the input
 * image, each scaled from its own minimum (black) to its maximum (white), captioned with that maximum,
 * so a map that never fires (all zero after a ReLU) shows black with "max 0".
 */
public record FeatureMaps(String layer, int channels, int height, int width, float[] values) {

    /** The maps of {@code layer} for {@code image} [1, C, H, W]. */
    public static FeatureMaps of(Module model, String layer, Tensor image) {
        if (image.rank() != 4 || image.dim(0) != 1) {
            throw new IllegalArgumentException("feature maps: image must be one image [1, C, H, W], got " + image.shape());
        }
        Tensor out = LayerOutput.featureMaps(model, layer, image);
        return new FeatureMaps(layer, out.dim(1), out.dim(2), out.dim(3), out.toArray());
    }

    public float[] map(int channel) {
        if (channel < 0 || channel >= channels) {
            throw new IllegalArgumentException("feature maps: channel " + channel + " is not in 0.." + (channels - 1));
        }
        return Arrays.copyOfRange(values, channel * height * width, (channel + 1) * height * width);
    }

    /**
     * The input image (its first channel) then the first {@code maxMaps} maps, enlarged to about the
     * image's size on screen ({@code imageScale} times the input's pixels).
     */
    public BufferedImage picture(float[] input, int inputHeight, int inputWidth, int imageScale, int maxMaps) {
        if (maxMaps <= 0) {
            throw new IllegalArgumentException("feature maps: maxMaps must be > 0, got " + maxMaps);
        }
        int mapScale = Math.max(1, imageScale * inputHeight / height);
        List<BufferedImage> tiles = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        tiles.add(Pictures.gray(Arrays.copyOf(input, inputHeight * inputWidth), inputHeight, inputWidth, imageScale));
        captions.add("input");
        for (int c = 0; c < Math.min(channels, maxMaps); c++) {
            float[] m = map(c);
            float max = Float.NEGATIVE_INFINITY;
            for (float v : m) {
                max = Math.max(max, v);
            }
            tiles.add(Pictures.gray(m, height, width, mapScale));
            captions.add(String.format(Locale.ROOT, "%d: max %.2g", c, max));
        }
        return Pictures.grid(tiles, captions, (int) Math.ceil(Math.sqrt(tiles.size())));
    }
}
