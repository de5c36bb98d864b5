package org.cnn4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.cpu.NativeBackend;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ConvTranspose2d's input, weight and bias gradients against central finite differences of
 * L = sum(output * gy), on the reference backend, as {@link ModuleGradientTest} checks the other layers (the
 * native backend's gradients are compared with direct loops in {@link ConvTranspose2dTest}). With h = 1e-2 and
 * smooth activations (tanh, sigmoid) around the layer, the difference quotient is accurate to about 1e-4
 * relative; float32 rounding of L (~1e-7 * |L| / h) adds about 1e-4 more, so 2e-3 relative plus 2e-3 absolute
 * is safe.
 */
class ConvTranspose2dGradientTest {
    private final SplittableRandom rnd = new SplittableRandom(11);

    @BeforeEach
    void reference() {
        Backends.use(ReferenceBackend.INSTANCE);
        Init.manualSeed(6);
    }

    @AfterEach
    void restore() {
        Backends.use(NativeBackend.isAvailable() ? NativeBackend.instance() : ReferenceBackend.INSTANCE);
    }

    private Tensor random(int... dims) {
        Tensor t = Tensor.zeros(dims);
        float[] v = new float[t.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return t.copyFrom(v);
    }

    private static double loss(Module m, Tensor x, float[] gy) {
        float[] y = m.forward(x).toArray();
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += (double) y[i] * gy[i];
        }
        return s;
    }

    /** Checks d L / d x at every input element and d L / d p at every element of every trainable parameter. */
    private void check(Module m, Tensor x) {
        m.setNeedsInputGrad(true);
        Tensor y = m.forward(x);
        float[] gy = random(y.dims()).toArray();
        try (Tensor g = Tensor.of(gy, y.dims())) {
            float[] gx = m.backward(g).toArray();
            float[] xv = x.toArray();
            for (int i = 0; i < xv.length; i++) {
                assertThat((double) gx[i]).as("d/dx[%d]", i).isCloseTo(numeric(m, x, x, xv, i, gy), within(2e-3 + 2e-3 * Math.abs(gx[i])));
            }
            for (var e : m.namedParameters().entrySet()) {
                if (e.getValue().isFrozen()) {
                    continue;
                }
                Tensor p = e.getValue().value();
                float[] pv = p.toArray(), grad = e.getValue().grad().toArray();
                for (int i = 0; i < pv.length; i++) {
                    assertThat((double) grad[i]).as("d/d%s[%d]", e.getKey(), i)
                            .isCloseTo(numeric(m, x, p, pv, i, gy), within(2e-3 + 2e-3 * Math.abs(grad[i])));
                }
            }
        }
    }

    private static double numeric(Module m, Tensor x, Tensor target, float[] values, int i, float[] gy) {
        float h = 1e-2f, keep = values[i];
        values[i] = keep + h;
        target.copyFrom(values);
        double up = loss(m, x, gy);
        values[i] = keep - h;
        target.copyFrom(values);
        double down = loss(m, x, gy);
        values[i] = keep;
        target.copyFrom(values);
        return (up - down) / (2 * h);
    }

    @Test
    void anEncoderDecoderDownsamplesAndUpsamplesBack() {
        Sequential net = new Sequential().add("down", Conv2d.builder(2, 4, 3).stride(2).padding(1).build()).add("act", ActivationLayer.tanh())
                .add("up", ConvTranspose2d.builder(4, 2, 3).stride(2).padding(1).outputPadding(1).build())
                .add("out", ActivationLayer.sigmoid());
        try (net; Tensor x = random(2, 2, 6, 5)) {
            assertThat(net.forward(x).dims()).as("6x5 -> 3x3 -> 6x6").containsExactly(2, 2, 6, 6);
            check(net, x);
        }
    }

    @Test
    void groupsDilationAndOutputRowsNoInputReaches() {
        // stride 1, dilation 2, output padding 1: the last row and column hold the bias alone
        Sequential net = new Sequential().add("up", ConvTranspose2d.builder(4, 6, 3).dilation(2).outputPadding(1).groups(2).build())
                .add("act", ActivationLayer.tanh());
        try (net; Tensor x = random(2, 4, 3, 4)) {
            check(net, x);
        }
    }

    @Test
    void depthwiseWithAStrideLargerThanTheKernel() {
        Sequential net = new Sequential().add("up", ConvTranspose2d.builder(3, 3, 2).stride(3).padding(1).outputPadding(2).groups(3).build())
                .add("act", ActivationLayer.tanh());
        try (net; Tensor x = random(3, 3, 2, 3)) {
            check(net, x);
        }
    }

    @Test
    void aFrozenWeightWithATrainableBiasAndNoBias() {
        ConvTranspose2d frozen = ConvTranspose2d.builder(2, 3, 3).stride(2).padding(2).build();
        frozen.weight().setFrozen(true);
        Sequential net = new Sequential().add("up", frozen).add("act", ActivationLayer.tanh())
                .add("more", ConvTranspose2d.builder(3, 2, 2).stride(2).bias(false).build()).add("out", ActivationLayer.tanh());
        try (net; Tensor x = random(2, 2, 4, 3)) {
            check(net, x);
        }
    }
}
