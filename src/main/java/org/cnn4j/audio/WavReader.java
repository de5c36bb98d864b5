package org.cnn4j.audio;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Reads WAV files through javax.sound.sampled (the JDK's own RIFF parsers) as mono {@link Waveform}s:
 * PCM 8-bit unsigned, 16-, 24- and 32-bit signed, and 32-bit float, in plain WAVE_FORMAT_PCM /
 * WAVE_FORMAT_IEEE_FLOAT files and in WAVE_FORMAT_EXTENSIBLE ones, any sample rate and channel count.
 * Integer samples are scaled to [-1, 1) by 2^(bits-1) (8-bit ones after removing their offset of 128),
 * as torchaudio.load does; float samples are kept as stored. Several channels are averaged to one.
 * A file that is not a WAV file, is truncated, or holds no samples or a non-finite one is an
 * {@link IOException} naming the file and what is wrong with it.
 */
public final class WavReader {
    private WavReader() {
    }

    public static Waveform read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("WAV file " + file + ": no such file");
        }
        return read(Files.readAllBytes(file), file.toString());
    }

    /** A WAV file's bytes, e.g. an entry of a zip; {@code name} says where they came from in errors. */
    public static Waveform read(byte[] wav, String name) throws IOException {
        AudioFileFormat type;
        try {
            type = AudioSystem.getAudioFileFormat(new ByteArrayInputStream(wav));
        } catch (UnsupportedAudioFileException e) {
            throw new IOException("WAV file " + name + ": not a WAV file the reader understands (" + e.getMessage() + ")", e);
        }
        if (type.getType() != AudioFileFormat.Type.WAVE) {
            throw new IOException("WAV file " + name + ": is a " + type.getType() + " file, not WAV");
        }
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            AudioFormat f = in.getFormat();
            int channels = f.getChannels(), bits = f.getSampleSizeInBits(), frameBytes = f.getFrameSize();
            checkEncoding(name, f);
            byte[] data = in.readAllBytes();
            long declared = in.getFrameLength();
            if (declared != AudioSystem.NOT_SPECIFIED && data.length < declared * frameBytes) {
                throw new IOException("WAV file " + name + ": truncated: its header declares " + declared + " frames of " + frameBytes
                        + " bytes but the file holds " + data.length + " bytes of samples");
            }
            int frames = data.length / frameBytes;
            if (frames == 0) {
                throw new IOException("WAV file " + name + ": holds no samples");
            }
            float[] mono = new float[frames];
            int bytes = bits / 8;
            for (int i = 0; i < frames; i++) {
                double sum = 0;
                for (int c = 0; c < channels; c++) {
                    sum += sample(data, i * frameBytes + c * bytes, f);
                }
                float v = (float) (sum / channels);
                if (!Float.isFinite(v)) {
                    throw new IOException("WAV file " + name + ": sample " + i + " is " + v);
                }
                mono[i] = v;
            }
            return new Waveform(mono, Math.round(f.getSampleRate()));
        } catch (UnsupportedAudioFileException e) {
            throw new IOException("WAV file " + name + ": unreadable (" + e.getMessage() + ")", e);
        }
    }

    private static void checkEncoding(String file, AudioFormat f) throws IOException {
        AudioFormat.Encoding e = f.getEncoding();
        int bits = f.getSampleSizeInBits();
        boolean ok = e == AudioFormat.Encoding.PCM_UNSIGNED && bits == 8
                || e == AudioFormat.Encoding.PCM_SIGNED && (bits == 16 || bits == 24 || bits == 32)
                || e == AudioFormat.Encoding.PCM_FLOAT && bits == 32;
        if (!ok || f.getChannels() < 1 || f.getFrameSize() != f.getChannels() * bits / 8 || !(f.getSampleRate() >= 1)) {
            throw new IOException("WAV file " + file + ": unsupported format " + f + " (supported: PCM 8-bit unsigned, 16/24/32-bit "
                    + "signed, 32-bit float; any channel count and sample rate)");
        }
    }

    /** The sample at {@code at} scaled to [-1, 1). */
    private static double sample(byte[] d, int at, AudioFormat f) {
        int bits = f.getSampleSizeInBits();
        if (bits == 8) {
            return ((d[at] & 0xFF) - 128) / 128.0;
        }
        int bytes = bits / 8;
        int v = 0;
        for (int b = 0; b < bytes; b++) { // assembled little-endian, then shifted so the sign bit is bit 31
            int from = f.isBigEndian() ? at + bytes - 1 - b : at + b;
            v |= (d[from] & 0xFF) << (8 * b);
        }
        if (f.getEncoding() == AudioFormat.Encoding.PCM_FLOAT) {
            return Float.intBitsToFloat(v);
        }
        v <<= 32 - bits;
        return v / 2147483648.0;
    }
}
