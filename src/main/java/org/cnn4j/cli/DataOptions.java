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

    @Option(names = "--train-limit", defaultValue = "0", paramLabel = "N",
            description = "Use only the first N training images; the test split stays whole (default: all).")
    int trainLimit;

    @Option(names = "--classes", split = ",", paramLabel = "C",
            description = "Keep only these classes (indices or names, comma-separated), relabelled in this order, e.g. 5,6,7,8,9.")
    java.util.List<String> classes;

    /** A split of Fashion-MNIST (28x28 gray); an image folder is read as 1x28x28. */
    ImageDataset load(boolean train) throws IOException {
        return load(train, 1, 28, 28);
    }

    /** A split; images of an image folder are resized to height x width, gray (1 channel) or RGB (3). */
    ImageDataset load(boolean train, int channels, int height, int width) throws IOException {
        Options.atLeast("--limit", limit, 0);
        Options.atLeast("--train-limit", trainLimit, 0);
        ImageDataset d;
        if (dir == null) {
            d = FashionMnist.sample(train);
        } else if (Files.isDirectory(dir.resolve("train")) && !Files.isDirectory(dir.resolve("test"))) {
            throw new IOException(dir + ": an image folder needs a test/ folder next to train/ (both of class sub-folders)");
        } else if (isImageFolder()) {
            ImageFolder.checkSameClasses(dir.resolve("train"), dir.resolve("test"));
            d = ImageFolder.load(dir.resolve(train ? "train" : "test"), channels, height, width);
        } else {
            d = FashionMnist.fromDirectory(dir, train);
        }
        if (classes != null) {
            d = d.onlyClasses(classIndices(d));
        }
        return d.limit(train && trainLimit > 0 ? trainLimit : limit);
    }

    private int[] classIndices(ImageDataset d) {
        return classes.stream().mapToInt(c -> {
            int byName = d.classNames().indexOf(c);
            if (byName >= 0) {
                return byName;
            }
            try {
                return Integer.parseInt(c.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--classes: '" + c + "' is neither a class index nor one of " + d.classNames());
            }
        }).toArray();
    }

    /** Whether --data names an image folder (train/ and test/ of class folders) rather than Fashion-MNIST. */
    boolean isImageFolder() {
        return dir != null && Files.isDirectory(dir.resolve("train")) && Files.isDirectory(dir.resolve("test"));
    }

    String describe() {
        String what = dir == null ? "embedded Fashion-MNIST sample" : dir.toString();
        return classes == null ? what : what + " (classes " + String.join(",", classes) + ")";
    }
}
