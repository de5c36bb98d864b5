package org.cnn4j.zoo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.cnn4j.explain.Explanations;
import org.cnn4j.explain.ReceptiveField;
import org.cnn4j.nn.Conv1d;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Predictor;
import org.cnn4j.nn.Sequential;
import org.cnn4j.nn.fuse.InferenceFusion;
import org.cnn4j.quant.CalibrationMethod;
import org.cnn4j.quant.Quantization;
import org.cnn4j.quant.QuantizedNetwork;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The 1-D networks go through the machinery the 2-D ones do, because their layers are the 2-D layers over
 * H = 1: inference fusion folds each Conv1d + BatchNorm1d (+ ReLU) into one fused convolution, a
 * {@link Predictor} replica computes what the model does, int8 and bf16 quantisation keep the logits
 * close, and the interpretation tools see signals as images one pixel high.
 *
 * <p>Tolerances: fusion reorders a float32 sum (the BN scale is applied to the weights, not the outputs)
 * over up to 1600 products per layer through seven layers, 1e-4 of the logits' scale; a replica runs the
 * same kernels on the same weights, so it is exact; int8 within 15% and bf16 within 3% of the logits' spread,
 * as QuantizationTest allows (8 bits per value, or 8 bits of mantissa per operand).
 */
class M5PipelinesTest {
    private static final int L = 1088; // the shortest signal M5 takes: a faster test, every layer still at work

    private static Tensor signals(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * L];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(0.05 * (i % L) * (1 + i / L)) + 0.1f * (float) (r.nextDouble() - 0.5);
        }
        return Tensor.of(v, n, 1, 1, L);
    }

    /** Batch norms away from the identity, so that folding them is really tested. */
    private static Module built(String name) {
        Init.manualSeed(4);
        Module m = Zoo.build(name, 1, 1, L, 5);
        SplittableRandom r = new SplittableRandom(8);
        m.namedBuffers().forEach((key, t) -> {
            float[] v = t.toArray();
            for (int i = 0; i < v.length; i++) {
                v[i] = key.endsWith("running_var") ? 0.5f + (float) r.nextDouble() : 0.2f * (float) (r.nextDouble() - 0.5);
            }
            t.copyFrom(v);
        });
        m.eval();
        return m;
    }

    private static double spreadError(float[] actual, float[] expected) {
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE, worst = 0;
        for (int i = 0; i < expected.length; i++) {
            min = Math.min(min, expected[i]);
            max = Math.max(max, expected[i]);
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        return worst / (max - min);
    }

    @ParameterizedTest
    @ValueSource(strings = {"m5", "m5-res"})
    void fusionFoldsEveryBatchNormAndAReplicaComputesTheSame(String name) {
        try (Module m = built(name); Tensor x = signals(3, 1)) {
            float[] expected = m.forward(x).toArray();
            try (Module fused = InferenceFusion.fuse(m)) {
                assertThat(fused.describe()).as(name).contains("Conv2d(1->32, 1x80, stride 1x16, pad 0/0/0/0) + BatchNorm1d(32) (folded) + ReLU")
                        .doesNotContain("bn1");
                assertThat(spreadError(fused.forward(x).toArray(), expected)).as(name + " fused").isLessThan(1e-4);
            }
            Predictor p = Predictor.of(m);
            assertThat(p.forward(x).toArray()).as(name + " predictor").containsExactly(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"m5", "m5-res"})
    void int8AndBf16KeepTheLogitsClose(String name) {
        try (Module m = built(name); Tensor x = signals(4, 2); Tensor calibration = signals(8, 3)) {
            float[] expected = m.forward(x).toArray();
            try (QuantizedNetwork q = Quantization.int8(m, List.of(calibration), CalibrationMethod.MINMAX)) {
                assertThat(spreadError(q.forward(x).toArray(), expected)).as(name + " int8").isLessThan(0.15);
            }
            try (Graph bf16 = Quantization.bf16(m)) {
                assertThat(spreadError(bf16.forward(x).toArray(), expected)).as(name + " bf16").isLessThan(0.03);
            }
        }
    }

    @Test
    void interpretationSeesASignalAsAnImageOnePixelHigh() {
        try (Module m = built("m5"); Tensor x = signals(1, 4)) {
            int cls = Explanations.predictedClass(m, x);
            assertThat(Explanations.saliency(m, x, cls)).hasSize(L);
            assertThat(Explanations.gradCam(m, "conv2", x, cls)).hasSize(L);
        }
        // k 3, then k 3 dilated by 2: each output sees 1 + 2 + 4 = 7 samples
        try (Sequential s = new Sequential().add("a", new Conv1d(1, 2, 3, 1, 1, 1, 1, true)).add("b", new Conv1d(2, 2, 3, 1, 2, 2, 1, true))) {
            ReceptiveField f = ReceptiveField.measure(s, "b", 1, 1, 20);
            assertThat(f.width()).isEqualTo(7);
            assertThat(f.height()).isEqualTo(1);
        }
    }
}
