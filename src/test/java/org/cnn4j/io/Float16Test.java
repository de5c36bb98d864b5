package org.cnn4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Half-precision conversions round to nearest even, and float16 model files are half the size and predict the same. */
class Float16Test {

    @Test
    void knownValuesConvertExactly() {
        assertThat(Float16.fromFloat(1f)).isEqualTo((short) 0x3c00);
        assertThat(Float16.fromFloat(-2f)).isEqualTo((short) 0xc000);
        assertThat(Float16.fromFloat(65504f)).isEqualTo((short) 0x7bff); // largest half
        assertThat(Float16.fromFloat(65520f)).isEqualTo((short) 0x7c00); // rounds up to infinity
        assertThat(Float16.fromFloat(0x1p-24f)).isEqualTo((short) 0x0001); // smallest subnormal
        assertThat(Float16.fromFloat(0x1p-25f)).isEqualTo((short) 0); // halfway to zero: ties to even
        assertThat(Float16.fromFloat(1f + 0x1p-11f)).isEqualTo((short) 0x3c00); // halfway: ties to even (down)
        assertThat(Float16.fromFloat(1f + 3 * 0x1p-11f)).isEqualTo((short) 0x3c02); // halfway: ties to even (up)
        assertThat(Float16.toFloat(Float16.fromFloat(Float.NaN))).isNaN();
        assertThat(Float16.toFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
    }

    @Test
    void everyHalfSurvivesARoundTripAndFloatsRoundToTheNearestHalf() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Float16.toFloat((short) h);
            if (!Float.isNaN(f)) {
                assertThat(Float16.fromFloat(f)).as("half 0x%04x", h).isEqualTo((short) h);
            }
        }
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 100_000; i++) {
            float f = (float) ((rnd.nextDouble() * 2 - 1) * Math.pow(2, rnd.nextInt(-20, 15)));
            float back = Float16.toFloat(Float16.fromFloat(f));
            float ulp = Math.max(Math.ulp(back) * 8192, 0x1p-24f); // a half's spacing at that magnitude
            assertThat(Math.abs(back - f)).as("%s", f).isLessThanOrEqualTo(ulp / 2);
        }
    }

    @Test
    void float16ModelFilesAreHalfTheSizeAndPredictTheSame(@TempDir Path dir) throws IOException {
        Init.manualSeed(2);
        Module m = Zoo.build("fmnist-cnn-small", 1, 28, 28, 10);
        ModelFile.Saved saved = new ModelFile.Saved("fmnist-cnn-small", 1, 28, 28, FashionMnist.CLASSES, m, List.of());
        Path full = dir.resolve("full.cnn4j"), half = dir.resolve("half.cnn4j");
        ModelFile.write(full, saved);
        ModelFile.writeFloat16(half, saved);
        assertThat((double) Files.size(half)).isLessThan(0.55 * Files.size(full));
        ModelFile.Saved back = ModelFile.read(half);
        try (m; Module b = back.model(); Tensor x = Tensor.zeros(4, 1, 28, 28)) {
            Init.uniform(x, 2);
            m.eval();
            b.eval();
            float[] want = m.forward(x).toArray(), got = b.forward(x).toArray();
            for (int i = 0; i < want.length; i++) {
                // weights rounded to 11 significant bits: logits move by a few 1e-3 relative at most
                assertThat(got[i]).isCloseTo(want[i], within(0.01f + 0.01f * Math.abs(want[i])));
            }
            try (org.cnn4j.optim.Adam adam = org.cnn4j.optim.Adam.of(b.parameters(), 1e-3f)) {
                assertThat(ModelFile.restoreOptimizer(half, adam)).as("float16 files hold no optimizer state").isFalse();
            }
        }
    }
}
