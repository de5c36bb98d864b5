package org.cnn4j.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cnn4j.data.ImageDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder of WAV classes in every encoding loads as a waveform dataset at the model's rate and length. */
class AudioFolderTest {

    @Test
    void loadsEveryEncodingResampledAndFitted(@TempDir Path root) throws IOException {
        int i = 0;
        for (WavBytes.Encoding e : WavBytes.Encoding.values()) {
            // "low" holds 300 Hz tones, "high" 2 kHz ones, at 16 kHz and of 1.5 s (cropped to 1 s at 8 kHz)
            WavBytes.write(root.resolve("low/" + i + ".wav"), WavBytes.wav(e, 16000, WavBytes.mono(WavBytes.sine(300, 16000, 24000, 0.5)), i % 2 == 0));
            WavBytes.write(root.resolve("high/" + i + ".WAV"), WavBytes.wav(e, 16000, WavBytes.mono(WavBytes.sine(2000, 16000, 24000, 0.5)), i % 2 == 1));
            i++;
        }
        Files.writeString(root.resolve("low/notes.txt"), "not a clip");
        ImageDataset d = AudioFolder.load(root, 8000, 8000);
        assertThat(d.classNames()).containsExactly("high", "low");
        assertThat(d.size()).isEqualTo(10);
        assertThat(new int[] {d.channels(), d.height(), d.width()}).containsExactly(1, 1, 8000);
        for (int k = 0; k < d.size(); k++) {
            float[] clip = java.util.Arrays.copyOfRange(d.pixels(), k * 8000, (k + 1) * 8000);
            double hz = d.labels()[k] == 0 ? 2000 : 300;
            assertThat(ResamplerTest.amplitude(clip, 100, 7900, hz, 8000)).as("clip %d", k).isCloseTo(0.5, within(0.01));
        }
        assertThat(AudioFolder.isAudio(root)).isTrue();
        float[] one = AudioFolder.readClip(root.resolve("low/0.wav"), 8000, 4000);
        assertThat(one).hasSize(4000);
    }

    @Test
    void shortClipsArePaddedAndFaultsNameTheFile(@TempDir Path root) throws IOException {
        WavBytes.write(root.resolve("a/x.wav"), WavBytes.wav(WavBytes.Encoding.S16, 8000, WavBytes.mono(new float[] {0.5f, 0.5f}), false));
        float[] clip = AudioFolder.readClip(root.resolve("a/x.wav"), 8000, 6);
        assertThat(clip).containsExactly(0, 0, 0.5f, 0.5f, 0, 0);
        Path broken = WavBytes.write(root.resolve("b/broken.wav"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> AudioFolder.load(root, 8000, 8000)).isInstanceOf(IOException.class).hasMessageContaining(broken.toString());
        Files.createDirectories(root.resolve("c"));
        Files.delete(broken);
        assertThatThrownBy(() -> AudioFolder.load(root, 8000, 8000)).hasMessageContaining("class folder b holds no .wav files");
        assertThat(AudioFolder.isAudio(root.resolve("c"))).isFalse();
        assertThat(AudioFolder.isAudio(root.resolve("nowhere"))).isFalse();
        assertThatThrownBy(() -> AudioFolder.load(root.resolve("nowhere"), 8000, 8000)).hasMessageContaining("no such directory");
        assertThatThrownBy(() -> AudioFolder.load(root, 0, 8000)).hasMessageContaining("0 Hz");
    }
}
