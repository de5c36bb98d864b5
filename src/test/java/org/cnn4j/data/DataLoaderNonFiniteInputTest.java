package org.cnn4j.data;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A NaN or infinite pixel is stopped where it enters training, with the image and the pixel named. */
class DataLoaderNonFiniteInputTest {

    @Test
    void aNanPixelIsNamedWithItsImageAndPosition() {
        float[] pixels = new float[6 * 2 * 3 * 4];
        pixels[5 * 24 + 12 + 4 + 3] = Float.NaN; // image 5, channel 1, row 1, column 3
        ImageDataset data = new ImageDataset(pixels, new int[6], 2, 3, 4, List.of("only"));
        try (DataLoader loader = new DataLoader(data, 4, false, 0, 0.5f, 0.25f)) {
            loader.batch(0);
            assertThatThrownBy(() -> loader.batch(1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("data loader: image 5 of the dataset holds NaN at channel 1, row 1, column 3");
        }
    }

    @Test
    void aNormalisationThatOverflowsIsNamedToo() {
        float[] pixels = {0f, 1f, 3e38f, 0f};
        ImageDataset data = new ImageDataset(pixels, new int[4], 1, 1, 1, List.of("only"));
        try (DataLoader loader = new DataLoader(data, 4, false, 0, -3e38f, 1f)) {
            assertThatThrownBy(() -> loader.batch(0))
                    .hasMessageContaining("image 2 of the dataset holds 3.0E38, Infinity once normalised with mean -3.0E38 and std 1.0");
        }
    }
}
