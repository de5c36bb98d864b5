package org.cnn4j.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every supported WAV encoding reads back as the samples written, stereo is averaged, and broken files are named. */
class WavReaderTest {
    private static final float[] CLIP = WavBytes.sine(440, 8000, 200, 0.7);

    /** Quantisation step of each encoding: what a sample may differ by after a round trip. */
    private static double step(WavBytes.Encoding e) {
        return switch (e) {
            case U8 -> 1 / 128.0;
            case S16 -> 1 / 32768.0;
            case S24 -> 1 / 8388608.0;
            case S32, F32 -> 1e-7;
        };
    }

    @Test
    void everyEncodingReadsBackItsSamples(@TempDir Path dir) throws IOException {
        for (WavBytes.Encoding e : WavBytes.Encoding.values()) {
            for (boolean extensible : new boolean[] {false, true}) {
                Path f = WavBytes.write(dir.resolve(e + "-" + extensible + ".wav"), WavBytes.wav(e, 22050, WavBytes.mono(CLIP), extensible));
                Waveform w = WavReader.read(f);
                assertThat(w.sampleRate()).isEqualTo(22050);
                assertThat(w.samples()).hasSize(CLIP.length);
                for (int i = 0; i < CLIP.length; i++) {
                    assertThat(w.samples()[i]).as("%s%s sample %d", e, extensible ? " extensible" : "", i)
                            .isCloseTo(CLIP[i], within((float) (1.01 * step(e))));
                }
            }
        }
    }

    @Test
    void stereoIsAveragedToMono(@TempDir Path dir) throws IOException {
        float[][] frames = new float[CLIP.length][];
        for (int i = 0; i < CLIP.length; i++) {
            frames[i] = new float[] {CLIP[i], 0.5f};
        }
        for (WavBytes.Encoding e : new WavBytes.Encoding[] {WavBytes.Encoding.S16, WavBytes.Encoding.S24, WavBytes.Encoding.F32}) {
            Waveform w = WavReader.read(WavBytes.write(dir.resolve(e + ".wav"), WavBytes.wav(e, 8000, frames, e == WavBytes.Encoding.F32)));
            for (int i = 0; i < CLIP.length; i++) {
                assertThat(w.samples()[i]).as("%s frame %d", e, i).isCloseTo((CLIP[i] + 0.5f) / 2, within((float) step(e)));
            }
        }
    }

    @Test
    void theWriterWritesSixteenBitMonoTheReaderReads(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("w.wav");
        float[] loud = CLIP.clone();
        loud[3] = 1.5f; // clipped to 1 on the way out
        WavWriter.write(f, new Waveform(loud, 16000));
        Waveform back = WavReader.read(f);
        assertThat(back.sampleRate()).isEqualTo(16000);
        assertThat(back.seconds()).isEqualTo(200 / 16000.0);
        assertThat(back.samples()[3]).isEqualTo(32767 / 32768f);
        assertThat(back.samples()[10]).isCloseTo(CLIP[10], within(1f / 32767));
        assertThat(Files.size(f)).isEqualTo(44 + 2 * 200);
        assertThatThrownBy(() -> WavWriter.write(f, new Waveform(new float[] {0, Float.NaN}, 8000)))
                .hasMessageContaining("sample 1").hasMessageContaining("NaN");
    }

    @Test
    void brokenFilesAreIoExceptionsNamingTheFileAndTheFault(@TempDir Path dir) throws IOException {
        byte[] good = WavBytes.wav(WavBytes.Encoding.S16, 8000, WavBytes.mono(CLIP), false);
        Path truncated = WavBytes.write(dir.resolve("truncated.wav"), Arrays.copyOf(good, good.length - 51));
        assertThatThrownBy(() -> WavReader.read(truncated)).isInstanceOf(IOException.class).hasMessageContaining(truncated.toString())
                .hasMessageContaining("truncated").hasMessageContaining("200 frames");
        Path header = WavBytes.write(dir.resolve("header.wav"), Arrays.copyOf(good, 30));
        assertThatThrownBy(() -> WavReader.read(header)).isInstanceOf(IOException.class).hasMessageContaining(header.toString())
                .hasMessageContaining("not a WAV file");
        Path text = WavBytes.write(dir.resolve("text.wav"), "this is not audio at all, just some words".repeat(20).getBytes());
        assertThatThrownBy(() -> WavReader.read(text)).isInstanceOf(IOException.class).hasMessageContaining(text.toString());
        Path empty = WavBytes.write(dir.resolve("empty.wav"), WavBytes.wav(WavBytes.Encoding.S16, 8000, new float[0][], false));
        assertThatThrownBy(() -> WavReader.read(empty)).isInstanceOf(IOException.class).hasMessageContaining("holds no samples");
        Path nan = WavBytes.write(dir.resolve("nan.wav"), WavBytes.wav(WavBytes.Encoding.F32, 8000, WavBytes.mono(new float[] {0, Float.NaN}), false));
        assertThatThrownBy(() -> WavReader.read(nan)).isInstanceOf(IOException.class).hasMessageContaining(nan.toString())
                .hasMessageContaining("sample 1 is NaN");
        assertThatThrownBy(() -> WavReader.read(dir.resolve("missing.wav"))).isInstanceOf(IOException.class).hasMessageContaining("no such file");
        Path aiff = dir.resolve("clip.aiff");
        try (var in = new javax.sound.sampled.AudioInputStream(new java.io.ByteArrayInputStream(new byte[400]),
                new javax.sound.sampled.AudioFormat(8000, 16, 1, true, true), 200)) {
            javax.sound.sampled.AudioSystem.write(in, javax.sound.sampled.AudioFileFormat.Type.AIFF, aiff.toFile());
        }
        assertThatThrownBy(() -> WavReader.read(aiff)).isInstanceOf(IOException.class).hasMessageContaining("AIFF").hasMessageContaining("not WAV");
    }
}
