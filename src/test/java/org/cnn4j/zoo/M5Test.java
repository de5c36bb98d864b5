package org.cnn4j.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.CrossEntropyLoss;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.ModelSummary;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The raw-waveform zoo models over 1 s of 8 kHz audio [1, 1, 8000]: shapes, MACs, a few training steps, a model file. */
class M5Test {
    private static final int L = 8000;

    @Test
    void m5ShrinksTheSignalAsThePaperAndCountsItsMacs() {
        try (Graph m = M5.m5(1, 1, L, 10)) {
            int[][] expected = {{32, 1, 496}, {32, 1, 124}, {32, 1, 124}, {32, 1, 31}, {64, 1, 31}, {64, 1, 7}, {64, 1, 7}, {64, 1, 1}};
            String[] nodes = {"conv1", "pool1", "conv2", "pool2", "conv3", "pool3", "conv4", "avgpool"};
            for (int i = 0; i < nodes.length; i++) {
                assertThat(shape(m, nodes[i])).as(nodes[i]).containsExactly(expected[i]);
            }
            // conv1 32*496*80, conv2 32*124*32*3, conv3 64*31*32*3, conv4 64*7*64*3, fc 64*10
            assertThat(ModelSummary.of(m, 1, 1, L).macs()).isEqualTo(1_269_760 + 380_928 + 190_464 + 86_016 + 640);
            // conv 32*80+32, 32*32*3+32, 32*64*3+64, 64*64*3+64, BN 2*(32+32+64+64), fc 64*10+10
            assertThat(m.parameterCount()).isEqualTo(2592 + 3104 + 6208 + 12352 + 384 + 650);
        }
    }

    @Test
    void m5ResHasItsResidualBlocksShapesAndMacs() {
        try (Graph m = M5.m5Res(1, 1, L, 10)) {
            assertThat(shape(m, "pool1")).containsExactly(32, 1, 124);
            assertThat(shape(m, "block1_out")).containsExactly(32, 1, 124);
            assertThat(shape(m, "block2_out")).containsExactly(64, 1, 62);
            assertThat(shape(m, "block3_out")).containsExactly(128, 1, 31);
            assertThat(m.describe()).contains("block1_sum <- block1_bn2, pool1: Add").contains("block2_sum <- block2_bn2, block2_proj_bn: Add");
            // stem 32*496*80; block1 2*32*124*32*3; block2 64*62*32*3 + 64*62*64*3 + proj 64*62*32; block3 128*31*64*3 + 128*31*128*3
            // + proj 128*31*64; fc 128*10
            long macs = 1_269_760 + 761_856 + 380_928 + 761_856 + 126_976 + 761_856 + 1_523_712 + 253_952 + 1280;
            assertThat(ModelSummary.of(m, 1, 1, L).macs()).isEqualTo(macs);
        }
    }

    @Test
    void theZooBuildsThemForOneSecondOf8kHzAudio() {
        for (String name : List.of("m5", "m5-res")) {
            Zoo.Entry e = Zoo.entry(name);
            assertThat(new int[] {e.channels(), e.height(), e.width()}).as(name).containsExactly(1, 1, L);
            try (Module m = e.build(); Tensor x = Tensor.zeros(2, 1, 1, L)) {
                assertThat(m.forward(x).dims()).as(name).containsExactly(2, e.classes());
            }
        }
        assertThatThrownBy(() -> Zoo.build("m5", 1, 28, 28, 10)).hasMessageContaining("m5").hasMessageContaining("[C, 1, L]")
                .hasMessageContaining("height 28");
        assertThatThrownBy(() -> Zoo.build("m5", 1, 1, 500, 10)).hasMessageContaining("L >= 1088").hasMessageContaining("length 500");
    }

    /** The per-sample output shape of node {@code name} of {@code m} for one second of audio. */
    private static int[] shape(Module m, String name) {
        return ModelSummary.of(m, 1, 1, L).rows().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow().output();
    }

    /** Sine waves (class 0) and square waves (class 1) of random frequency and phase, 1 s at 8 kHz. */
    private static Tensor[] sinesAndSquares(int n, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] x = new float[n * L], t = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = i % 2;
            double f = 100 + r.nextDouble() * 400, phase = r.nextDouble() * 2 * Math.PI;
            for (int s = 0; s < L; s++) {
                double v = Math.sin(2 * Math.PI * f * s / L + phase);
                x[i * L + s] = (float) (0.5 * (t[i] == 0 ? v : Math.signum(v)));
            }
        }
        return new Tensor[] {Tensor.of(x, n, 1, 1, L), Tensor.of(t, n)};
    }

    @ParameterizedTest
    @ValueSource(strings = {"m5", "m5-res"})
    void aFewAdamStepsLowerTheLossOnSinesVersusSquares(String name) {
        Init.manualSeed(1);
        Tensor[] data = sinesAndSquares(8, 2);
        try (Module m = Zoo.build(name, 1, 1, L, 2); Adam adam = Adam.of(m.parameters(), 1e-3f); CrossEntropyLoss loss = new CrossEntropyLoss();
             Tensor x = data[0]; Tensor t = data[1]) {
            m.train();
            double first = loss.forward(m.forward(x), t);
            for (int step = 0; step < 10; step++) {
                loss.forward(m.forward(x), t);
                m.backward(loss.gradient());
                adam.step();
            }
            double last = loss.forward(m.forward(x), t);
            assertThat(last).as(name + ": loss after 10 steps, from " + first).isLessThan(0.7 * first);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"m5", "m5-res"})
    void aModelFileRoundTripGivesTheSameNetwork(String name, @TempDir Path dir) throws Exception {
        Path f = dir.resolve(name + ".cnn4j");
        Tensor[] data = sinesAndSquares(2, 3);
        try (Module original = Zoo.build(name, 1, 1, L, 2); Tensor x = data[0]; Tensor t = data[1]) {
            original.eval();
            float[] expected = original.forward(x).toArray();
            ModelFile.write(f, new ModelFile.Saved(name, 1, 1, L, List.of("sine", "square"), original, List.of()));
            try (Module copy = ModelFile.read(f).model()) {
                assertThat(copy.describe()).isEqualTo(original.describe());
                copy.eval();
                assertThat(copy.forward(x).toArray()).containsExactly(expected);
            }
        }
    }
}
