package org.cnn4j.backend.cpu;

import java.util.List;
import org.cnn4j.backend.AdamSpec;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.SgdSpec;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SGD (plain, weight decay, momentum with dampening, Nesterov) and Adam/AdamW steps against the
 * reference backend, five steps in a row from the same state, on parameter counts that leave vector
 * tails and span several thread blocks, on every ISA path.
 *
 * <p>Tolerances: each step is a handful of float32 operations per element (the reference works in
 * double and rounds once per step), so each state value drifts by a few ulps per step; over five steps
 * on values of order 1 we allow 1e-5 absolute on parameters and buffers. Adam divides by
 * sqrt(v) + eps, which amplifies the relative error of m and v by at most lr / (sqrt(v) + eps); with
 * gradients of order 1, v stays far above eps^2 and the same bound holds.
 */
class NativeOptimizerGoldenTest {
    private static final int[] COUNTS = {1, 15, 17, 100, 8191, 20000};
    private static final int STEPS = 5;

    @BeforeEach
    void load() {
        NativeTestSupport.requireNative();
    }

    @AfterEach
    void restoreIsa() {
        NativeLibrary.useIsa(Isa.AVX512);
    }

    @Test
    void sgdMatchesTheReference() {
        List<SgdSpec> specs = List.of(new SgdSpec(0.1f, 0f, 0f, 0f, false), new SgdSpec(0.05f, 0f, 0f, 0.01f, false),
                new SgdSpec(0.1f, 0.9f, 0f, 0f, false), new SgdSpec(0.1f, 0.9f, 0.3f, 5e-4f, false),
                new SgdSpec(0.1f, 0.9f, 0f, 1e-3f, true));
        Backend nat = NativeBackend.instance(), ref = ReferenceBackend.INSTANCE;
        for (Isa isa : NativeTestSupport.runnableIsas()) {
            NativeLibrary.useIsa(isa);
            for (SgdSpec spec : specs) {
                for (int count : COUNTS) {
                    String what = isa + " " + spec + " count=" + count;
                    boolean momentum = spec.momentum() != 0;
                    try (Tensor p = random(count, 1); Tensor pRef = p.copy();
                         Tensor buf = Tensor.zeros(count); Tensor bufRef = Tensor.zeros(count)) {
                        for (int step = 1; step <= STEPS; step++) {
                            try (Tensor g = random(count, 100 + step)) {
                                nat.sgdStep(spec, step, p, g, momentum ? buf : null);
                                ref.sgdStep(spec, step, pRef, g, momentum ? bufRef : null);
                            }
                            NativeGoldenSupport.assertWithin(what + " step " + step + " param", p.toArray(), pRef.toArray(), 1e-5);
                            NativeGoldenSupport.assertWithin(what + " step " + step + " momentum", buf.toArray(), bufRef.toArray(), 1e-5);
                        }
                    }
                }
            }
        }
    }

    @Test
    void adamAndAdamWMatchTheReference() {
        List<AdamSpec> specs = List.of(new AdamSpec(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false),
                new AdamSpec(1e-2f, 0.8f, 0.99f, 1e-6f, 0.01f, false), new AdamSpec(1e-3f, 0.9f, 0.999f, 1e-8f, 0.05f, true));
        Backend nat = NativeBackend.instance(), ref = ReferenceBackend.INSTANCE;
        for (Isa isa : NativeTestSupport.runnableIsas()) {
            NativeLibrary.useIsa(isa);
            for (AdamSpec spec : specs) {
                for (int count : COUNTS) {
                    String what = isa + " " + spec + " count=" + count;
                    try (Tensor p = random(count, 2); Tensor pRef = p.copy();
                         Tensor m = Tensor.zeros(count); Tensor mRef = Tensor.zeros(count);
                         Tensor v = Tensor.zeros(count); Tensor vRef = Tensor.zeros(count)) {
                        for (int step = 1; step <= STEPS; step++) {
                            try (Tensor g = random(count, 200 + step)) {
                                nat.adamStep(spec, step, p, g, m, v);
                                ref.adamStep(spec, step, pRef, g, mRef, vRef);
                            }
                            NativeGoldenSupport.assertWithin(what + " step " + step + " param", p.toArray(), pRef.toArray(), 1e-5);
                            NativeGoldenSupport.assertWithin(what + " step " + step + " exp_avg", m.toArray(), mRef.toArray(), 1e-5);
                            NativeGoldenSupport.assertWithin(what + " step " + step + " exp_avg_sq", v.toArray(), vRef.toArray(), 1e-5);
                        }
                    }
                }
            }
        }
    }

    private static Tensor random(int count, long seed) {
        return NativeGoldenSupport.random(new int[] {count}, Layout.PLAIN, seed);
    }
}
