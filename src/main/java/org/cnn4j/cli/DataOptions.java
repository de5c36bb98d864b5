package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cnn4j.audio.AudioFolder;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.data.ImageFolder;
import org.cnn4j.io.ModelFile;
import picocli.CommandLine.Option;

/**
 * The --data and --limit options shared by the commands that read a dataset: the embedded Fashion-MNIST
 * sample, a folder of Fashion-MNIST IDX files, or a folder with train/ and test/ splits of class folders
 * holding images or WAV sound clips.
 */
final class DataOptions {
    @Option(names = "--data", paramLabel = "DIR", arity = "0..1", fallbackValue = FashionMnist.DEBIAN_DIR,
            description = "Folder with the Fashion-MNIST IDX files (.gz or raw); --data alone means the full set of Debian's "
                    + "dataset-fashion-mnist package in ${FALLBACK-VALUE}. Or your own images: a folder with train/ and test/, "
                    + "each holding one sub-folder of PNG/JPEG files per class (e.g. train/cat/001.png), or of WAV files for "
                    + "a sound model (train/yes/001.wav). Default: the sample embedded in the jar (3400 training, 1000 test images).")
    Path dir;

    @Option(names = "--test-split", defaultValue = "test", paramLabel = "NAME",
            description = "For a folder given with --data: the sub-folder that is the test split (default: ${DEFAULT-VALUE}), "
                    + "e.g. test-other for the speech set's other synthesisers.")
    String testSplit;

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
        checkOptions();
        ImageDataset d;
        if (dir == null) {
            d = FashionMnist.sample(train);
        } else if (isFolder()) {
            if (isSoundFolder()) {
                throw new IllegalArgumentException("--data: " + dir + " holds WAV files, which a sound model reads; this model takes "
                        + channels + "x" + height + "x" + width + " images");
            }
            ImageFolder.checkSameClasses(dir.resolve("train"), split(false));
            d = ImageFolder.load(split(train), channels, height, width);
        } else {
            d = FashionMnist.fromDirectory(dir, train);
        }
        return selected(d, train);
    }

    /** A split of a sound folder (train/ and test/ of class folders of WAV files) as clips of {@code samples} at {@code sampleRate} Hz. */
    ImageDataset loadSound(boolean train, int sampleRate, int samples) throws IOException {
        checkOptions();
        if (!isSoundFolder()) {
            throw new IllegalArgumentException("--data: a sound model needs a folder with train/ and " + testSplit + "/ of class folders "
                    + "of WAV files, got " + (dir == null ? "none (the embedded Fashion-MNIST images)" : dir.toString()));
        }
        ImageFolder.checkSameClasses(dir.resolve("train"), split(false));
        return selected(AudioFolder.load(split(train), sampleRate, samples), train);
    }

    /** A split as {@code model}'s input: waveforms at its sample rate for a sound model, else images of its shape. */
    ImageDataset load(boolean train, ModelFile.Saved model) throws IOException {
        return model.isSound() ? loadSound(train, model.sampleRate(), model.width()) : load(train, model.channels(), model.height(), model.width());
    }

    private void checkOptions() throws IOException {
        Options.atLeast("--limit", limit, 0);
        Options.atLeast("--train-limit", trainLimit, 0);
        if (testSplit.isBlank() || testSplit.contains("/") || testSplit.contains("\\") || testSplit.startsWith(".")) {
            throw new IllegalArgumentException("--test-split: expected the name of a folder under --data, got '" + testSplit + "'");
        }
        if (dir != null && Files.isDirectory(dir.resolve("train")) && !Files.isDirectory(dir.resolve(testSplit))) {
            throw new IOException(dir + ": a data folder needs a " + testSplit + "/ folder next to train/ (both of class sub-folders)");
        }
    }

    private Path split(boolean train) {
        return dir.resolve(train ? "train" : testSplit);
    }

    private ImageDataset selected(ImageDataset d, boolean train) {
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

    /** Whether --data names a folder of splits (train/ and the test split, of class folders) rather than Fashion-MNIST. */
    boolean isFolder() {
        return dir != null && Files.isDirectory(dir.resolve("train")) && Files.isDirectory(dir.resolve(testSplit));
    }

    /** Whether --data names a folder of splits whose class folders hold WAV files. */
    boolean isSoundFolder() throws IOException {
        return isFolder() && AudioFolder.isAudio(dir.resolve("train"));
    }

    String describe() {
        String what = dir == null ? "embedded Fashion-MNIST sample" : testSplit.equals("test") ? dir.toString() : dir + " (test split " + testSplit + ")";
        return classes == null ? what : what + " (classes " + String.join(",", classes) + ")";
    }
}
