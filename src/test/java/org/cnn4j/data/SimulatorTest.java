package org.cnn4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cnn4j.cli.Main;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator is reproducible, balanced and draws classes that can be told apart; simulate writes a readable folder. */
class SimulatorTest {

    @ParameterizedTest
    @EnumSource(Simulator.Kind.class)
    void sameSeedSameImagesAndBalancedClasses(Simulator.Kind kind) {
        ImageDataset a = Simulator.generate(kind, 200, 28, 5), b = Simulator.generate(kind, 200, 28, 5), c = Simulator.generate(kind, 200, 28, 6);
        assertThat(a.pixels()).containsExactly(b.pixels());
        assertThat(a.pixels()).isNotEqualTo(c.pixels());
        assertThat(a.numClasses()).isEqualTo(10);
        int[] counts = new int[10];
        for (int label : a.labels()) {
            counts[label]++;
        }
        assertThat(counts).containsOnly(20);
        for (int i = 0; i < a.size(); i++) {
            float lo = 1, hi = 0;
            for (int p = 0; p < 28 * 28; p++) {
                float v = a.pixels()[i * 784 + p];
                assertThat(v).isBetween(0f, 1f);
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            assertThat(hi - lo).as("image %d has an object on its background", i).isGreaterThan(0.3f);
        }
    }

    @ParameterizedTest
    @EnumSource(Simulator.Kind.class)
    void classesAreDistinguishableByTheirMeanImage(Simulator.Kind kind) {
        ImageDataset train = Simulator.generate(kind, 2000, 28, 1), test = Simulator.generate(kind, 500, 28, 2);
        double[][] mean = new double[10][784];
        for (int i = 0; i < train.size(); i++) {
            for (int p = 0; p < 784; p++) {
                mean[train.labels()[i]][p] += train.pixels()[i * 784 + p] / 200.0;
            }
        }
        int right = 0;
        for (int i = 0; i < test.size(); i++) {
            int best = -1;
            double bestDistance = Double.MAX_VALUE;
            for (int k = 0; k < 10; k++) {
                double d = 0;
                for (int p = 0; p < 784; p++) {
                    double e = test.pixels()[i * 784 + p] - mean[k][p];
                    d += e * e;
                }
                if (d < bestDistance) {
                    bestDistance = d;
                    best = k;
                }
            }
            right += best == test.labels()[i] ? 1 : 0;
        }
        // random poses blur the class means, yet the nearest mean is right far more often than chance (10%)
        assertThat(right / 500.0).isGreaterThan(0.2);
    }

    @Test
    void simulateWritesAnImageFolderAndRefusesToOverwrite(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("shapes");
        assertThat(Main.run("simulate", "--kind", "shapes", "--count", "50", "--test-count", "20", "--out", out.toString())).isZero();
        ImageDataset train = ImageFolder.load(out.resolve("train"), 1, 28, 28), test = ImageFolder.load(out.resolve("test"), 1, 28, 28);
        assertThat(train.size()).isEqualTo(50);
        assertThat(test.size()).isEqualTo(20);
        assertThat(train.classNames()).contains("circle", "star", "ring").hasSize(10);
        assertThat(Files.list(dir).toList()).as("no temporary folder left").containsExactly(out);
        assertThat(Main.run("simulate", "--count", "5", "--out", out.toString())).isEqualTo(2);
        assertThat(Main.run("simulate", "--kind", "clouds", "--count", "5", "--out", dir.resolve("x").toString())).isEqualTo(2);
        assertThat(Main.run("simulate", "--count", "0", "--out", dir.resolve("y").toString())).isEqualTo(2);
        assertThatThrownBy(() -> Simulator.generate(Simulator.Kind.GLYPHS, 10, 4, 1)).hasMessageContaining("size >= 8");
    }
}
