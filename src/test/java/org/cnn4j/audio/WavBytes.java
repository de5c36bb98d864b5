package org.cnn4j.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * WAV files made byte by byte for tests, in every encoding the reader supports: RIFF/WAVE with a "fmt "
 * chunk (WAVE_FORMAT_PCM 1, WAVE_FORMAT_IEEE_FLOAT 3, or WAVE_FORMAT_EXTENSIBLE 0xFFFE with the PCM or
 * float sub-format GUID) and a "data" chunk of interleaved little-endian samples. Integers are v x 2^(bits-1),
 * rounded (8-bit ones offset by 128), the scale the reader divides by.
 */
final class WavBytes {
    enum Encoding { U8, S16, S24, S32, F32 }

    private WavBytes() {
    }

    /** {@code frames[i][c]} in [-1, 1] as a WAV file of the encoding, optionally WAVE_FORMAT_EXTENSIBLE. */
    static byte[] wav(Encoding e, int sampleRate, float[][] frames, boolean extensible) {
        int channels = frames.length == 0 ? 1 : frames[0].length;
        int bits = switch (e) {
            case U8 -> 8;
            case S16 -> 16;
            case S24 -> 24;
            case S32, F32 -> 32;
        };
        int blockAlign = channels * bits / 8;
        ByteBuffer data = ByteBuffer.allocate(frames.length * blockAlign).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] frame : frames) {
            for (float v : frame) {
                switch (e) {
                    case U8 -> data.put((byte) Math.min(255, Math.round(v * 128) + 128));
                    case S16 -> data.putShort((short) Math.min(32767, Math.round(v * 32768)));
                    case S24 -> {
                        int s = (int) Math.min(8388607, Math.round(v * 8388608.0));
                        data.put((byte) s).put((byte) (s >> 8)).put((byte) (s >> 16));
                    }
                    case S32 -> data.putInt((int) Math.min(Integer.MAX_VALUE, Math.round(v * 2147483648.0)));
                    case F32 -> data.putFloat(v);
                }
            }
        }
        int tag = e == Encoding.F32 ? 3 : 1;
        ByteBuffer fmt = ByteBuffer.allocate(extensible ? 40 : 16).order(ByteOrder.LITTLE_ENDIAN);
        fmt.putShort((short) (extensible ? 0xFFFE : tag)).putShort((short) channels).putInt(sampleRate).putInt(sampleRate * blockAlign)
                .putShort((short) blockAlign).putShort((short) bits);
        if (extensible) {
            fmt.putShort((short) 22).putShort((short) bits).putInt(channels == 2 ? 3 : 4).putShort((short) tag)
                    .put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
        }
        return riff(fmt.array(), data.array());
    }

    static byte[] riff(byte[] fmt, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        head.put("RIFF".getBytes()).putInt(4 + 8 + fmt.length + 8 + data.length).put("WAVE".getBytes());
        out.writeBytes(head.array());
        out.writeBytes(chunk("fmt ", fmt));
        out.writeBytes(chunk("data", data));
        return out.toByteArray();
    }

    private static byte[] chunk(String id, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(8 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(id.getBytes()).putInt(body.length).put(body);
        return b.array();
    }

    static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    /** A mono clip: frames of one sample. */
    static float[][] mono(float[] samples) {
        float[][] f = new float[samples.length][];
        for (int i = 0; i < samples.length; i++) {
            f[i] = new float[] {samples[i]};
        }
        return f;
    }

    /** A sine of {@code hz} at {@code rate}, amplitude {@code amp}. */
    static float[] sine(double hz, int rate, int length, double amp) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (amp * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return x;
    }
}
