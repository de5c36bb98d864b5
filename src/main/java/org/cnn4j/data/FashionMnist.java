package org.cnn4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Zalando, MIT licence): 28x28 grayscale images of 10 kinds of clothing. The jar embeds
 * a class-balanced sample (3400 training, 1000 test images); the full set is read from a directory
 * holding the four IDX files (.gz or raw), by default Debian's {@code /usr/share/datasets/fashion-mnist}.
 */
public final class FashionMnist {
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** Mean and standard deviation of the training pixels in [0, 1], as NETS.md normalises. */
    public static final float MEAN = 0.2860f, STD = 0.3530f;
    /** Where Debian's dataset-fashion-mnist package installs the full set. */
    public static final String DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";

    private FashionMnist() {
    }

    /** The embedded sample: {@code train} true for its training half, false for its test half. */
    public static ImageDataset sample(boolean train) throws IOException {
        String prefix = "fashion-mnist/" + (train ? "train" : "t10k");
        try (InputStream images = resource(prefix + "-images-idx3-ubyte.gz");
             InputStream labels = resource(prefix + "-labels-idx1-ubyte.gz")) {
            return build(images, labels, "embedded sample " + prefix + "-images", "embedded sample " + prefix + "-labels");
        }
    }

    /** The training or test set from {@code dir} (files named as distributed, with or without .gz). */
    public static ImageDataset fromDirectory(Path dir, boolean train) throws IOException {
        String prefix = train ? "train" : "t10k";
        Path images = find(dir, prefix + "-images-idx3-ubyte"), labels = find(dir, prefix + "-labels-idx1-ubyte");
        try (InputStream i = Files.newInputStream(images); InputStream l = Files.newInputStream(labels)) {
            return build(i, l, images.toString(), labels.toString());
        }
    }

    private static ImageDataset build(InputStream imageStream, InputStream labelStream, String source, String labelSource) throws IOException {
        int[] dims = new int[3];
        byte[] raw = IdxReader.readImages(imageStream, source, dims);
        int[] labels = IdxReader.readLabels(labelStream, labelSource);
        if (labels.length != dims[0]) {
            throw new IOException(source + ": " + dims[0] + " images but " + labels.length + " labels in " + labelSource);
        }
        float[] pixels = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            pixels[i] = (raw[i] & 0xff) / 255f;
        }
        return new ImageDataset(pixels, labels, 1, dims[1], dims[2], CLASSES);
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = FashionMnist.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("the embedded Fashion-MNIST sample is missing from the jar: " + name);
        }
        return in;
    }

    private static Path find(Path dir, String base) throws IOException {
        for (String name : new String[] {base + ".gz", base}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException("Fashion-MNIST: neither " + base + ".gz nor " + base + " in " + dir
                + " (install Debian's dataset-fashion-mnist or pass --data DIR)");
    }
}
