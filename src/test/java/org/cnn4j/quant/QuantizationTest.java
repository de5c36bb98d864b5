package org.cnn4j.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.Trainer;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Post-training quantisation of networks trained for a few steps on the embedded Fashion-MNIST sample: the int8
 * and bf16 networks must classify as the f32 one does on most held-out images (int8: 90%, bf16: 97%; a wrong
 * scale, a mis-ordered flatten or a lost residual drops agreement to chance), and their logits stay close (int8
 * within 15% of the logits' spread, bf16 within 3%: 8 bits of mantissa per operand). A quantised model file reads
 * back to the same logits, and a corrupt one is refused.
 */
class QuantizationTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    @Test
    void int8AndBf16PlainCnnsClassifyAsTheF32One() throws IOException {
        check("fmnist-cnn-small");
    }

    @Test
    void int8AndBf16ResidualNetworksClassifyAsTheF32One() throws IOException {
        check("fmnist-resnet");
    }

    @Test
    void calibrationRefusesNoBatchesAndNonGraphs() {
        Init.manualSeed(3);
        try (Module net = Zoo.build("fmnist-cnn-small", 1, 28, 28, 10)) {
            assertThatThrownBy(() -> Quantization.int8(net, List.of(), CalibrationMethod.MINMAX)).hasMessageContaining("at least one batch");
        }
        try (Module linear = new org.cnn4j.nn.Linear(4, 2); Tensor x = Tensor.zeros(1, 4)) {
            assertThatThrownBy(() -> Quantization.int8(linear, List.of(x), CalibrationMethod.MINMAX)).hasMessageContaining("Graph or Sequential");
        }
    }

    private void check(String model) throws IOException {
        Init.manualSeed(11);
        ImageDataset train = FashionMnist.sample(true).limit(320), test = FashionMnist.sample(false).limit(160);
        try (Module net = Zoo.build(model, 1, 28, 28, 10); Adam adam = Adam.of(net.parameters(), 3e-3f);
             Trainer t = new Trainer(net, adam, null);
             DataLoader loader = new DataLoader(train, 32, true, 5, FashionMnist.MEAN, FashionMnist.STD);
             DataLoader held = new DataLoader(test, 160, false, 0, FashionMnist.MEAN, FashionMnist.STD)) {
            t.console(QUIET, false);
            t.fit(loader, null, 1);
            List<Tensor> calibration = new ArrayList<>();
            for (int b = 0; b < 3; b++) {
                calibration.add(loader.batch(b)[0].copy());
            }
            Tensor x = held.batch(0)[0].copy();
            net.eval();
            float[] fp32 = net.forward(x).toArray();
            for (CalibrationMethod method : CalibrationMethod.values()) {
                try (QuantizedNetwork q = Quantization.int8(net, calibration, method)) {
                    float[] int8 = q.forward(x).toArray();
                    assertClose(model + " int8 " + method, int8, fp32, 0.90, 0.15);
                    Path file = dir.resolve(model + "-" + method + ".cnn4j");
                    QuantizedModelFile.write(file, new ModelFile.Saved(model, 1, 28, 28, FashionMnist.CLASSES, net, List.of()), q, method);
                    ModelFile.Saved back = QuantizedModelFile.read(file);
                    try (Module read = back.model()) {
                        assertThat(read.forward(x).toArray()).as(model + " int8 read back").containsExactly(int8);
                    }
                    byte[] bytes = Files.readAllBytes(file);
                    bytes[bytes.length / 2] ^= 1;
                    Files.write(file, bytes);
                    assertThatThrownBy(() -> QuantizedModelFile.read(file)).hasMessageContaining(file.toString()).hasMessageContaining("checksum");
                }
            }
            try (Graph bf16 = Quantization.bf16(net)) {
                assertClose(model + " bf16", bf16.forward(x).toArray(), fp32, 0.97, 0.03);
            }
            calibration.forEach(Tensor::close);
            x.close();
        }
    }

    private static void assertClose(String what, float[] actual, float[] expected, double agreement, double spread) {
        int n = expected.length / 10, same = 0;
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE, worst = 0;
        for (int i = 0; i < expected.length; i++) {
            min = Math.min(min, expected[i]);
            max = Math.max(max, expected[i]);
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        for (int i = 0; i < n; i++) {
            same += argmax(actual, i) == argmax(expected, i) ? 1 : 0;
        }
        assertThat((double) same / n).as(what + ": argmax agreement with f32").isGreaterThanOrEqualTo(agreement);
        assertThat(worst).as(what + ": largest logit difference (logits span " + (max - min) + ")").isLessThanOrEqualTo(spread * (max - min));
    }

    private static int argmax(float[] logits, int row) {
        int best = 0;
        for (int k = 1; k < 10; k++) {
            if (logits[row * 10 + k] > logits[row * 10 + best]) {
                best = k;
            }
        }
        return best;
    }
}
