package org.cnn4j.audio;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.cnn4j.data.ImageDataset;

/**
 * The spoken-command sample embedded in the jar, so the sound demo runs on a fresh machine: a zip of WAV clips
 * made by tools/make_speech_commands.py --sample, {@code train/<word>/*.wav} spoken by espeak-ng voices and
 * {@code test/<word>/*.wav} by other synthesisers (flite, festival) that training never hears.
 */
public final class SpeechSample {
    static final String RESOURCE = "/org/cnn4j/audio/speech-sample.zip";

    private SpeechSample() {
    }

    /** The training (espeak-ng) or test (other synthesisers) split as clips of {@code length} samples at {@code sampleRate} Hz. */
    public static ImageDataset load(boolean train, int sampleRate, int length) throws IOException {
        String split = train ? "train/" : "test/";
        Map<String, List<float[]>> byWord = new TreeMap<>();
        try (InputStream raw = SpeechSample.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) {
                throw new IOException("the embedded speech sample is missing from the jar: " + RESOURCE);
            }
            try (ZipInputStream zip = new ZipInputStream(raw)) {
                for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                    String name = e.getName();
                    if (e.isDirectory() || !name.startsWith(split) || !name.endsWith(".wav")) {
                        continue;
                    }
                    String[] parts = name.split("/");
                    if (parts.length != 3) {
                        throw new IOException(RESOURCE + ": entry " + name + " is not " + split + "<word>/<clip>.wav");
                    }
                    byWord.computeIfAbsent(parts[1], k -> new ArrayList<>())
                            .add(AudioFolder.fit(WavReader.read(zip.readAllBytes(), RESOURCE + "!" + name), sampleRate, length));
                }
            }
        }
        if (byWord.isEmpty()) {
            throw new IOException(RESOURCE + ": holds no " + split + " clips");
        }
        return AudioFolder.dataset(RESOURCE, byWord, length);
    }
}
