package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.data.ImageFolder;
import picocli.CommandLine.Option;

/**
 * The --data and --limit options shared by the commands that read a dataset: the embedded Fashion-MNIST
 * sample, a folder of Fashion-MNIST IDX files, or an image folder with train/ and test/ splits.
 */
final class DataOptions {
    @Option(names = "--data", paramLabel = "DIR", arity = "0..1", fallbackValue = FashionMnist.DEBIAN_DIR,
            description = "Folder with the Fashion-MNIST IDX files (.gz or raw); --data alone means the full set of Debian's "
                    + "dataset-fashion-mnist package in ${FALLBACK-VALUE}. Or your own images: a folder with train/ and test/, "
                    + "each holding one sub-folder of PNG/JPEG files per class (e.g. train/cat/001.png). Default: the sample "
                    + "embedded in the jar (3400 training, 1000 test images).")
    Path dir;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Use only the first N images of each split (default: all).")
    int limit;

    /** A split of Fashion-MNIST (28x28 gray); an image folder is read as 1x28x28. */
    ImageDataset load(boolean train) throws IOException {
        return load(train, 1, 28, 28);
    }

    /** A split; images of an image folder are resized to height x width, gray (1 channel) or RGB (3). */
    ImageDataset load(boolean train, int channels, int height, int width) throws IOException {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0, got " + limit);
        }
        ImageDataset d;
        if (dir == null) {
            d = FashionMnist.sample(train);
        } else if (Files.isDirectory(dir.resolve("train")) && !Files.isDirectory(dir.resolve("test"))) {
            throw new IOException(dir + ": an image folder needs a test/ folder next to train/ (both of class sub-folders)");
        } else if (isImageFolder()) {
            d = ImageFolder.load(dir.resolve(train ? "train" : "test"), channels, height, width);
        } else {
            d = FashionMnist.fromDirectory(dir, train);
        }
        return d.limit(limit);
    }

    /** Whether --data names an image folder (train/ and test/ of class folders) rather than Fashion-MNIST. */
    boolean isImageFolder() {
        return dir != null && Files.isDirectory(dir.resolve("train")) && Files.isDirectory(dir.resolve("test"));
    }

    String describe() {
        return dir == null ? "embedded Fashion-MNIST sample" : dir.toString();
    }
}
