package org.cnn4j.spark;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.io.Images;

/** Fashion-MNIST images written as PNG files, the input Spark's binaryFile source reads. */
final class FashionMnistFiles {
    private FashionMnistFiles() {
    }

    /** Writes image i of {@code data} as {@code dir/img-00i.png} (exact: 8-bit gray, as the IDX file holds it). */
    static void write(ImageDataset data, Path dir) throws IOException {
        int h = data.height(), w = data.width();
        for (int i = 0; i < data.size(); i++) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    img.getRaster().setSample(x, y, 0, Math.round(255 * data.pixels()[i * h * w + y * w + x]));
                }
            }
            Images.writePng(img, dir.resolve(String.format("img-%05d.png", i)));
        }
    }
}
