package org.cnn4j.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.CrossEntropyLoss;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** spectro-cnn builds from the zoo, learns two tones apart in a few steps and survives a model file. */
class SpectroCnnTest {
    private static final int L = 4000; // half a second keeps the test quick; the pooling is global

    /** Four clips: tones of 400 Hz (class 0) and 1500 Hz (class 1) at two levels and phases. */
    private static float[] tones() {
        float[] x = new float[4 * L];
        for (int n = 0; n < 4; n++) {
            double hz = n % 2 == 0 ? 400 : 1500, amp = n < 2 ? 0.3 : 0.6;
            for (int i = 0; i < L; i++) {
                x[n * L + i] = (float) (amp * Math.sin(2 * Math.PI * hz * i / 8000 + n));
            }
        }
        return x;
    }

    @Test
    void buildsTrainsAndRoundTrips(@TempDir Path dir) throws IOException {
        Init.manualSeed(1);
        Zoo.Entry e = Zoo.entry("spectro-cnn");
        assertThat(new int[] {e.channels(), e.height(), e.width(), e.classes()}).containsExactly(1, 1, 8000, 20);
        try (Module net = Zoo.build("spectro-cnn", 1, 1, L, 2); Tensor x = Tensor.of(tones(), 4, 1, 1, L);
             Tensor y = Tensor.of(new float[] {0, 1, 0, 1}, 4); CrossEntropyLoss loss = new CrossEntropyLoss()) {
            assertThat(net.outputShape(new int[] {1, 1, 8000})).containsExactly(2);
            assertThat(net.parameterCount()).isBetween(240_000L, 245_000L);
            Adam opt = new Adam(net.parameters(), 3e-3f, 0.9f, 0.999f, 1e-8f, 0f, false);
            float first = 0, last = 0;
            for (int step = 0; step < 8; step++) {
                Tensor out = net.forward(x);
                float l = (float) loss.forward(out, y);
                net.backward(loss.gradient());
                opt.step();
                first = step == 0 ? l : first;
                last = l;
            }
            assertThat(last).as("loss after 8 steps").isLessThan(first * 0.7f);
            net.eval();
            float[] expected = net.forward(x).toArray();
            Path f = dir.resolve("spectro.cnn4j");
            ModelFile.write(f, new ModelFile.Saved("spectro-cnn", 1, 1, L, List.of("low", "high"), net, List.of(), 0f, 1f));
            ModelFile.Saved back = ModelFile.read(f);
            try (Module copy = back.model()) {
                assertThat(copy.describe()).isEqualTo(net.describe()).contains("LogMelSpectrogram(8000 Hz, n_fft 256, hop 80, 20 mels");
                copy.eval();
                assertThat(copy.forward(x).toArray()).containsExactly(expected);
            }
        }
        assertThatThrownBy(() -> Zoo.build("spectro-cnn", 3, 32, 32, 10)).hasMessageContaining("spectro-cnn").hasMessageContaining("3x32x32");
    }
}
