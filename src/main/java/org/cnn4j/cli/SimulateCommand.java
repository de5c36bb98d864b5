package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.data.ImageFolder;
import org.cnn4j.data.Simulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cnn4j simulate}: writes a procedural, labelled image dataset to pretrain on. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Draws a labelled dataset of simulated images (shapes: ten geometric shapes; glyphs: the digits "
                + "0-9 in several fonts), each with a random pose, fill or stroke, gradient, blur and noise, and writes it as an "
                + "image folder (DIR/train/<class>/*.png, DIR/test/<class>/*.png) that train --data reads.",
                "Example: cnn4j simulate --kind shapes --count 5000 --out /tmp/shapes"})
final class SimulateCommand implements Callable<Integer> {
    /** Images no larger than {@link org.cnn4j.io.Images#MAX_PIXELS}, so that train --data reads them back. */
    private static final int MAX_SIZE = (int) Math.sqrt(org.cnn4j.io.Images.MAX_PIXELS);

    @Option(names = "--kind", defaultValue = "shapes", description = "shapes or glyphs (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--count", defaultValue = "10000", paramLabel = "N", description = "Training images (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--test-count", paramLabel = "M", description = "Test images (default: a fifth of --count).")
    Integer testCount;

    @Option(names = "--size", defaultValue = "28", paramLabel = "PIXELS", description = "Image width and height (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}); the test split uses another stream.")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to create (must not exist, or be empty).")
    Path out;

    @Override
    public Integer call() throws IOException {
        Simulator.Kind k = Simulator.Kind.parse(kind);
        int tests = testCount != null ? testCount : Math.max(1, count / 5);
        if (count <= 0 || tests <= 0 || size < 8) {
            throw new IllegalArgumentException("--count and --test-count must be > 0 and --size >= 8, got " + count + ", " + tests + ", " + size);
        }
        if (size > MAX_SIZE) {
            throw new IllegalArgumentException("--size " + size + " is more than the " + MAX_SIZE + " pixels a side cnn4j decodes");
        }
        // the pixels of both splits as floats, and the same again while they are saved as PNGs
        HeapBudget.require(2.0 * ((double) count + tests) * size * size * Float.BYTES,
                "--count " + count + " and --test-count " + tests + " of --size " + size);
        if (Files.exists(out) && !(Files.isDirectory(out) && isEmpty(out))) {
            throw new IllegalArgumentException(out + " already exists and is not an empty folder: choose a new --out");
        }
        long t0 = System.nanoTime();
        ImageDataset train = Simulator.generate(k, count, size, seed), test = Simulator.generate(k, tests, size, ~seed);
        Path target = out.toAbsolutePath();
        Files.createDirectories(target.getParent());
        // built next to the target and renamed into place: a crash never leaves half a dataset
        Path tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + "-");
        try {
            ImageFolder.save(train, tmp.resolve("train"));
            ImageFolder.save(test, tmp.resolve("test"));
            Files.deleteIfExists(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
        System.out.printf("%d training and %d test images of %s (%s) written to %s in %.1f s%n", count, tests, kind,
                String.join(", ", train.classNames()), out, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
