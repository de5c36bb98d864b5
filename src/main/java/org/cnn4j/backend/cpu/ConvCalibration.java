package org.cnn4j.backend.cpu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ConvDirection;
import org.cnn4j.backend.Settings;
import org.cnn4j.io.AtomicFiles;

/**
 * AUTO's measurements on this CPU: for a direction, thread count and shape, the algorithm {@code cnn4j calibrate}
 * timed fastest, kept in a file named by the CPU. {@link WinogradAutoRule}'s thresholds were measured on two
 * CPUs and do not hold on every shape of either (on Zen 4, ResNet-50 at batch 1 ran 5% slower under AUTO than with
 * every convolution on oneDNN); a shape the file lists runs its measured winner, any other keeps the rule. The
 * file is read on first use, so a bad one fails the convolution that needs it with an exception naming the file
 * and the entry, not the backend's class initialisation.
 */
public final class ConvCalibration {
    /** One calibrated shape: the fastest algorithm and every candidate's median time. */
    public record Entry(ConvAlgorithm winner, Map<ConvAlgorithm, Double> medianMs) {
        public Entry {
            medianMs = Map.copyOf(medianMs);
        }
    }

    /** A convolution's question to the calibration, without formatting its key: AUTO asks on every call. */
    private record Lookup(ConvDirection direction, int threads, Conv2dSpec spec) {
    }

    private final Supplier<Path> fileSetting;
    private Path file;
    private volatile Map<String, Entry> entries; // null until the file is read
    private final Map<Lookup, Optional<ConvAlgorithm>> answers = new ConcurrentHashMap<>();

    /** The calibration in the file {@code fileSetting} gives when first needed (null: none). */
    ConvCalibration(Supplier<Path> fileSetting) {
        this.fileSetting = fileSetting;
    }

    /** The calibration the settings name ({@link Settings#convCalibration()}). */
    static ConvCalibration ofSettings() {
        return new ConvCalibration(() -> Settings.current().convCalibration());
    }

    /** The calibration in {@code file} (which need not exist yet): what {@code cnn4j calibrate --file} writes. */
    public static ConvCalibration at(Path file) {
        return new ConvCalibration(() -> file);
    }

    /** {@code ~/.cache/cnn4j/conv-calibration/<cpu model>.properties}: one file per kind of CPU. */
    public static Path defaultFile() {
        String cpu = CpuInfo.model().toLowerCase(Locale.ROOT).replaceAll("\\((r|tm)\\)", "").replaceAll("[^a-z0-9]+", "-")
                .replaceAll("(^-|-$)", "");
        return Path.of(System.getProperty("user.home"), ".cache", "cnn4j", "conv-calibration", cpu + ".properties");
    }

    /** The file, or null when calibration is switched off. */
    public synchronized Path file() {
        read();
        return file;
    }

    /** Every calibrated shape by its key ({@link #key}). */
    public synchronized Map<String, Entry> entries() {
        read();
        return Map.copyOf(entries);
    }

    /** The measured winner for this direction and shape at the current thread count, or null when not calibrated. */
    ConvAlgorithm winner(ConvDirection direction, Conv2dSpec spec) {
        Map<String, Entry> known = entries;
        if (known == null) {
            synchronized (this) {
                read();
                known = entries;
            }
        }
        if (known.isEmpty()) {
            return null;
        }
        Map<String, Entry> all = known;
        return answers.computeIfAbsent(new Lookup(direction, NativeLibrary.threads(), spec),
                q -> Optional.ofNullable(all.get(key(q.direction(), q.threads(), q.spec()))).map(Entry::winner)).orElse(null);
    }

    public static String key(ConvDirection direction, int threads, Conv2dSpec spec) {
        return direction.key() + ":" + threads + ":" + spec;
    }

    /** Adds (or replaces) {@code measured} and writes the whole file again, atomically. */
    public synchronized void record(Map<String, Entry> measured) throws IOException {
        read();
        if (file == null) {
            throw new IllegalStateException("calibrate: calibration is switched off (cnn4j.conv.calibration=none); name a file to write");
        }
        Map<String, Entry> updated = new LinkedHashMap<>(entries); // a new map: convolutions read the old one meanwhile
        updated.putAll(measured);
        Properties p = new Properties();
        updated.forEach((k, e) -> p.setProperty(k, format(e)));
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.write(file, out -> p.store(out, "cnn4j convolution calibration for " + CpuInfo.model()
                + ": direction:threads:shape = fastest algorithm, then every candidate's median ms"));
        entries = updated; // what is written is what AUTO reads from now on
        answers.clear();
    }

    private void read() {
        if (entries != null) {
            return;
        }
        file = fileSetting.get();
        Map<String, Entry> read = new LinkedHashMap<>();
        if (file != null && Files.isRegularFile(file)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException | IllegalArgumentException e) { // IllegalArgumentException: a malformed unicode escape
                throw new IllegalStateException("conv calibration: cannot read cnn4j.conv.calibration file " + file + ": " + e.getMessage(), e);
            }
            for (String key : new TreeMap<>(p).keySet().stream().map(Object::toString).toList()) {
                try {
                    read.put(key, parse(p.getProperty(key)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("conv calibration: file " + file + ", entry '" + key + "': " + e.getMessage()
                            + " (run cnn4j calibrate again, or delete the file)", e);
                }
            }
        }
        entries = read;
    }

    private static String format(Entry e) {
        StringBuilder sb = new StringBuilder(e.winner().name());
        e.medianMs().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(t -> sb.append(' ').append(t.getKey().name()).append('=').append(String.format(Locale.ROOT, "%.4f", t.getValue())));
        return sb.toString();
    }

    /** "WINNER ALGO=ms ALGO=ms ...". */
    private static Entry parse(String value) {
        String[] tokens = value.trim().split("\\s+");
        ConvAlgorithm winner = ConvAlgorithm.parse(tokens[0]);
        if (winner == ConvAlgorithm.AUTO || winner == ConvAlgorithm.AUTOTUNE || winner == ConvAlgorithm.REFERENCE) {
            throw new IllegalArgumentException(tokens[0] + " is not a native algorithm");
        }
        Map<ConvAlgorithm, Double> ms = new EnumMap<>(ConvAlgorithm.class);
        for (int i = 1; i < tokens.length; i++) {
            int eq = tokens[i].indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + tokens[i] + "' is not ALGORITHM=ms");
            }
            try {
                ms.put(ConvAlgorithm.parse(tokens[i].substring(0, eq)), Double.parseDouble(tokens[i].substring(eq + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + tokens[i] + "' has no number of ms");
            }
        }
        return new Entry(winner, ms);
    }
}
