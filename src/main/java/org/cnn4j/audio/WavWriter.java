package org.cnn4j.audio;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.cnn4j.io.AtomicFiles;

/**
 * Writes a {@link Waveform} as a 16-bit PCM mono WAV file (for tests, tools and saved examples):
 * samples are clipped to [-1, 1] and rounded to the nearest of the 65536 levels (x * 32767).
 */
public final class WavWriter {
    private WavWriter() {
    }

    public static void write(Path file, Waveform w) throws IOException {
        float[] s = w.samples();
        byte[] pcm = new byte[2 * s.length];
        for (int i = 0; i < s.length; i++) {
            if (Float.isNaN(s[i])) {
                throw new IllegalArgumentException("WAV writer: sample " + i + " of " + file + " is NaN");
            }
            int v = Math.round(Math.max(-1f, Math.min(1f, s[i])) * 32767);
            pcm[2 * i] = (byte) v;
            pcm[2 * i + 1] = (byte) (v >> 8);
        }
        AudioFormat f = new AudioFormat(w.sampleRate(), 16, 1, true, false);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), f, s.length)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, bytes);
        }
        AtomicFiles.write(file, bytes.toByteArray());
    }
}
