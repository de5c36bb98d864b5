package org.cnn4j.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.cpu.NativeBackend;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Pool2d;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Explanations#saliency} is max over channels of |d logit / d pixel|: checked pixel by pixel
 * against central finite differences of the logit on a small smooth net (conv, tanh, average pool,
 * linear; two input channels so the max over channels matters), on the reference backend. With
 * h = 1e-2 the quotient is accurate to about 1e-4 relative and float32 rounding of the logit adds
 * about 1e-5 / h = 1e-3 absolute, hence the tolerance 2e-3 absolute plus 1e-2 relative.
 */
class SaliencyIsTheInputGradientTest {
    private static final int C = 2, H = 6, W = 6, CLASSES = 4;
    private static final float STEP = 1e-2f;

    @BeforeEach
    void reference() {
        Backends.use(ReferenceBackend.INSTANCE);
    }

    @AfterEach
    void restore() {
        Backends.use(NativeBackend.isAvailable() ? NativeBackend.instance() : ReferenceBackend.INSTANCE);
    }

    @Test
    void saliencyEqualsFiniteDifferencesOfTheLogit() {
        Init.manualSeed(23);
        SplittableRandom rnd = new SplittableRandom(29);
        float[] x = new float[C * H * W];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        try (Sequential net = new Sequential()
                .add("conv", Conv2d.builder(C, 3, 3).padding(1).build()).add("tanh", ActivationLayer.tanh())
                .add("pool", Pool2d.avg(2, 2)).add("flatten", new Flatten()).add("fc", new Linear(3 * (H / 2) * (W / 2), CLASSES));
             Tensor image = Tensor.of(x, 1, C, H, W)) {
            // larger weights than the default initialisation, so gradients stand well above the tolerance
            Init.normal(((Conv2d) net.get("conv")).weight().value(), 0.5);
            Init.normal(((Linear) net.get("fc")).weight().value(), 1.0);
            for (int cls = 0; cls < CLASSES; cls++) {
                float[] saliency = Explanations.saliency(net, image, cls);
                float[] numeric = new float[H * W];
                for (int i = 0; i < x.length; i++) {
                    float[] plus = x.clone(), minus = x.clone();
                    plus[i] += STEP;
                    minus[i] -= STEP;
                    double d = (logit(net, plus, cls) - logit(net, minus, cls)) / (2 * STEP);
                    numeric[i % (H * W)] = (float) Math.max(numeric[i % (H * W)], Math.abs(d));
                }
                for (int p = 0; p < H * W; p++) {
                    assertThat((double) saliency[p]).as("class %d, pixel %d", cls, p)
                            .isCloseTo(numeric[p], org.assertj.core.api.Assertions.within(2e-3 + 1e-2 * numeric[p]));
                }
                assertThat(max(saliency)).as("a net of random weights has gradients far above the tolerance").isGreaterThan(0.5f);
            }
        }
    }

    private static double logit(Sequential net, float[] pixels, int cls) {
        try (Tensor t = Tensor.of(pixels, 1, C, H, W)) {
            return net.forward(t).toArray()[cls];
        }
    }

    private static float max(float[] v) {
        float m = 0;
        for (float f : v) {
            m = Math.max(m, f);
        }
        return m;
    }
}
