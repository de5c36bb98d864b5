package org.cnn4j.audio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.cnn4j.data.ImageDataset;

/**
 * A sound dataset stored as one sub-folder per class, like torchvision's ImageFolder:
 * {@code root/yes/0001.wav, root/no/abc.wav, ...}. Classes are the sub-folder names in sorted order; the
 * {@code .wav} files of each are read in sorted order ({@link WavReader}: any PCM or float encoding, mixed to
 * mono), resampled to the model's rate ({@link Resampler}) and fitted to its length ({@link ClipLength}: centre
 * crop or centred zero padding). The result is an {@link ImageDataset} of waveforms: 1 channel, height 1,
 * width = length, samples in [-1, 1], so the data loader, the trainer, evaluation and interpretation take it
 * as they take images.
 */
public final class AudioFolder {
    private AudioFolder() {
    }

    /** Every clip under {@code root}, at {@code sampleRate} Hz and {@code length} samples. */
    public static ImageDataset load(Path root, int sampleRate, int length) throws IOException {
        checkClipShape(sampleRate, length);
        Map<String, List<float[]>> byClass = new LinkedHashMap<>();
        for (Path dir : classFolders(root)) {
            List<Path> clips = wavFiles(dir);
            if (clips.isEmpty()) {
                throw new IOException("audio folder " + root + ": class folder " + dir.getFileName() + " holds no .wav files");
            }
            List<float[]> fitted = new ArrayList<>();
            for (Path f : clips) {
                fitted.add(fit(WavReader.read(f), sampleRate, length));
            }
            byClass.put(dir.getFileName().toString(), fitted);
        }
        return dataset("audio folder " + root, byClass, length);
    }

    /** Clips of {@code length} samples by class name, in label order, as one dataset. */
    static ImageDataset dataset(String source, Map<String, List<float[]>> byClass, int length) {
        long n = byClass.values().stream().mapToLong(List::size).sum();
        if (length * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(source + ": " + n + " clips of " + length + " samples are more values than one array holds");
        }
        float[] samples = new float[(int) n * length];
        int[] labels = new int[(int) n];
        int i = 0, label = 0;
        for (List<float[]> clips : byClass.values()) {
            for (float[] clip : clips) {
                System.arraycopy(clip, 0, samples, i * length, length);
                labels[i++] = label;
            }
            label++;
        }
        return new ImageDataset(samples, labels, 1, 1, length, List.copyOf(byClass.keySet()));
    }

    /** A recording as a model's clip: mono, resampled to {@code sampleRate} Hz and fitted to {@code length} samples. */
    static float[] fit(Waveform w, int sampleRate, int length) {
        return ClipLength.fit(Resampler.resample(w.samples(), w.sampleRate(), sampleRate), length);
    }

    /** Whether {@code dir} is laid out as {@link #load} reads it: a folder with a class sub-folder holding a .wav file. */
    public static boolean isAudio(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path sub : s.filter(Files::isDirectory).toList()) {
                if (!wavFiles(sub).isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** One WAV file as {@link #load} reads clips (for predicting): mono, at {@code sampleRate} Hz, {@code length} samples. */
    public static float[] readClip(Path wav, int sampleRate, int length) throws IOException {
        checkClipShape(sampleRate, length);
        return fit(WavReader.read(wav), sampleRate, length);
    }

    private static void checkClipShape(int sampleRate, int length) {
        if (sampleRate <= 0 || length <= 0) {
            throw new IllegalArgumentException("audio folder: sample rate and clip length must be > 0, got " + sampleRate + " Hz, "
                    + length + " samples");
        }
    }

    /** The class sub-folders of {@code root}, sorted: their names are the class names. */
    private static List<Path> classFolders(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("audio folder " + root + ": no such directory");
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory).sorted().toList();
        }
        if (classDirs.isEmpty()) {
            throw new IOException("audio folder " + root + ": no class sub-folders (expected root/CLASS/CLIP.wav)");
        }
        return classDirs;
    }

    private static List<Path> wavFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav"))
                    .sorted().toList();
        }
    }
}
