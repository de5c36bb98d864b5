package org.cnn4j.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.cnn4j.io.Images;

/**
 * A dataset stored as one sub-folder per class, like torchvision's ImageFolder:
 * {@code root/cat/001.png, root/dog/xyz.jpg, ...}. Classes are the sub-folder names in sorted order
 * (so class indices do not depend on the file system); the PNG and JPEG files of each are read in
 * sorted order, resized to {@code height x width} (bilinear) and kept as grayscale (1 channel, ITU-R
 * 601 luma) or RGB (3 channels), with values in [0, 1].
 */
public final class ImageFolder {
    private ImageFolder() {
    }

    /**
     * Writes {@code data} under {@code root} as {@code root/<class>/00001.png, ...} (8-bit PNG, gray or
     * RGB), the layout {@link #load} reads back; class names must be usable as folder names.
     */
    public static void save(ImageDataset data, Path root) throws IOException {
        if (data.channels() != 1 && data.channels() != 3) {
            throw new IllegalArgumentException("image folder: can save 1 or 3 channels, not " + data.channels());
        }
        for (String name : data.classNames()) {
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                throw new IllegalArgumentException("image folder: class name '" + name + "' cannot be a folder name");
            }
            Files.createDirectories(root.resolve(name));
        }
        int h = data.height(), w = data.width(), plane = h * w;
        for (int i = 0; i < data.size(); i++) {
            BufferedImage img = new BufferedImage(w, h, data.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
            for (int c = 0; c < data.channels(); c++) {
                for (int p = 0; p < plane; p++) {
                    float v = data.pixels()[(i * data.channels() + c) * plane + p];
                    img.getRaster().setSample(p % w, p / w, c, Math.round(255 * Math.min(1, Math.max(0, v))));
                }
            }
            Path file = root.resolve(data.classNames().get(data.labels()[i])).resolve(String.format(Locale.ROOT, "%05d.png", i + 1));
            try {
                if (!ImageIO.write(img, "png", file.toFile())) {
                    throw new IOException("no PNG writer available");
                }
            } catch (IOException e) {
                throw new IOException("image folder: cannot write " + file + " (" + e.getMessage() + ")", e);
            }
        }
    }

    /** Loads every image under {@code root}; {@code channels} is 1 (grayscale) or 3 (RGB). */
    public static ImageDataset load(Path root, int channels, int height, int width) throws IOException {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("image folder: channels must be 1 or 3, got " + channels);
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image folder: image size must be > 0, got " + height + "x" + width);
        }
        List<Path> classDirs = classFolders(root);
        List<String> classNames = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path dir : classDirs) {
            List<Path> images;
            try (Stream<Path> s = Files.list(dir)) {
                images = s.filter(ImageFolder::isImage).sorted().toList();
            }
            if (images.isEmpty()) {
                throw new IOException("image folder " + root + ": class folder " + dir.getFileName() + " holds no .png, .jpg or .jpeg files");
            }
            for (Path f : images) {
                files.add(f);
                labels.add(classNames.size());
            }
            classNames.add(dir.getFileName().toString());
        }
        long per = (long) channels * height * width;
        if (per * files.size() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("image folder " + root + ": " + files.size() + " images of " + channels + "x" + height + "x"
                    + width + " are more values than one array holds");
        }
        float[] pixels = new float[(int) (files.size() * per)];
        for (int i = 0; i < files.size(); i++) {
            readInto(files.get(i), channels, height, width, pixels, (int) (i * per));
        }
        return new ImageDataset(pixels, labels.stream().mapToInt(Integer::intValue).toArray(), channels, height, width, classNames);
    }

    /** The class sub-folders of {@code root}, sorted: their names are the class names. */
    private static List<Path> classFolders(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("image folder " + root + ": no such directory");
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory).sorted().toList();
        }
        if (classDirs.isEmpty()) {
            throw new IOException("image folder " + root + ": no class sub-folders (expected root/CLASS/IMAGE.png)");
        }
        return classDirs;
    }

    /** Checks that a training and a test split have the same class folders, so a label means the same class in both. */
    public static void checkSameClasses(Path train, Path test) throws IOException {
        List<String> a = classFolders(train).stream().map(p -> p.getFileName().toString()).toList();
        List<String> b = classFolders(test).stream().map(p -> p.getFileName().toString()).toList();
        if (!a.equals(b)) {
            throw new IOException("image folder: " + train + " has classes " + a + " but " + test + " has " + b);
        }
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
    }

    /**
     * One PNG or JPEG file as this class reads images: resized to {@code height x width}, grayscale
     * ({@code channels} 1) or RGB (3), [channels, height, width] values in [0, 1].
     */
    public static float[] readImage(Path file, int channels, int height, int width) throws IOException {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("image: channels must be 1 or 3, got " + channels);
        }
        float[] out = new float[channels * height * width];
        readInto(file, channels, height, width, out, 0);
        return out;
    }

    /** Decodes, resizes and writes one image as [channels, height, width] floats at {@code offset}. */
    private static void readInto(Path file, int channels, int height, int width, float[] out, int offset) throws IOException {
        Images.pixelsInto(Images.decode(file), channels, height, width, out, offset);
    }
}
