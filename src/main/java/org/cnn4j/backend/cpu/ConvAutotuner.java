package org.cnn4j.backend.cpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ConvDirection;
import org.cnn4j.backend.Settings;
import org.cnn4j.io.AtomicFiles;

/**
 * Remembers the fastest convolution algorithm per (direction, shape, thread count). The first call
 * for a key runs every candidate once on the real arguments (each overwrites the outputs, so any of
 * them leaves a correct result) and keeps the fastest. With the setting {@code cnn4j.autotune.file}
 * ({@link Settings#autotuneFile()}) the choices are read at start and written back (atomically) when a
 * new one is made, so a second run skips the timing. The file is read on first use, so a bad one fails the
 * convolution that needs it with an exception naming the file, not the backend's class initialisation.
 */
final class ConvAutotuner {
    private final Map<String, ConvAlgorithm> winners = new ConcurrentHashMap<>();
    private final Supplier<Path> fileSetting;
    private Path file;
    private volatile boolean fileRead;

    /** A tuner keeping its choices in the file {@link Settings#autotuneFile()} names, if any. */
    ConvAutotuner() {
        this(() -> Settings.current().autotuneFile());
    }

    /** A tuner keeping its choices in the file {@code fileSetting} gives when first needed (null: in memory only). */
    ConvAutotuner(Supplier<Path> fileSetting) {
        this.fileSetting = fileSetting;
    }

    /** Reads the choices of the autotune file once, when there is one. */
    private synchronized void readFile() {
        if (fileRead) {
            return;
        }
        file = fileSetting.get();
        if (file == null || !Files.isRegularFile(file)) {
            fileRead = true;
            return;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) { // IllegalArgumentException: a malformed unicode escape
            throw new IllegalStateException("autotune: cannot read cnn4j.autotune.file " + file + ": " + e.getMessage(), e);
        }
        for (String key : p.stringPropertyNames()) {
            try {
                winners.put(key, ConvAlgorithm.parse(p.getProperty(key)));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("autotune: cnn4j.autotune.file " + file + ", entry '" + key + "': " + e.getMessage(), e);
            }
        }
        fileRead = true;
    }

    /**
     * Runs {@code op} with the remembered winner for this key, or times every candidate (running
     * {@code op} with each) and remembers the fastest.
     */
    void run(ConvDirection direction, Conv2dSpec spec, List<ConvAlgorithm> candidates, Consumer<ConvAlgorithm> op) {
        readFile();
        String key = key(direction, spec);
        ConvAlgorithm known = winners.get(key);
        if (known != null && candidates.contains(known)) {
            op.accept(known);
            return;
        }
        ConvAlgorithm best = null;
        long bestTime = Long.MAX_VALUE;
        for (ConvAlgorithm c : candidates) {
            long t0 = System.nanoTime();
            op.accept(c);
            long t = System.nanoTime() - t0;
            if (t < bestTime) {
                bestTime = t;
                best = c;
            }
        }
        winners.put(key, best);
        save();
    }

    /** The remembered winner for this direction and shape, or null before the first call. */
    ConvAlgorithm winner(ConvDirection direction, Conv2dSpec spec) {
        readFile();
        return winners.get(key(direction, spec));
    }

    private static String key(ConvDirection direction, Conv2dSpec spec) {
        return direction.key() + ":" + NativeLibrary.threads() + ":" + spec;
    }

    /** The remembered choices, for tests and reports. */
    Map<String, ConvAlgorithm> winners() {
        readFile();
        return Map.copyOf(winners);
    }

    private synchronized void save() {
        if (file == null) {
            return;
        }
        Properties p = new Properties();
        winners.forEach((k, v) -> p.setProperty(k, v.name()));
        try {
            AtomicFiles.write(file, out -> p.store(out, "cnn4j convolution autotuning: direction:threads:shape = algorithm"));
        } catch (IOException e) {
            throw new UncheckedIOException("autotune: cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
