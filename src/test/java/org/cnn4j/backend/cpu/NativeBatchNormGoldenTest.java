package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batch norm training forward (output, batch statistics, running-statistics update), inference
 * forward and backward in both modes, on NCHW and NHWC tensors and every ISA path, against the
 * reference backend over a seeded grid with C not a multiple of 16, 1x1 spatial sizes, N = 1 and
 * odd H*W. Inputs sit around 5 with spread 1, so a one-pass variance would lose digits. Every case also
 * runs with the ReLU fused (forward clamps, backward recomputes the mask), and with a residual block's
 * shortcut added before that ReLU (backward also gives the shortcut's gradient); the two backends agree on
 * that mask except where y is within rounding of 0, which this seeded grid does not hit.
 *
 * <p>Tolerances: the native passes sum in float (flushed into double every 64 rows; the reference
 * sums in double) over the m = N*H*W values of a channel. Forward outputs and statistics are
 * normalised or averaged values whose error stays at a few ulps of their scale: 2.4e-7 * 16 relative
 * (floored at 1e-5). Gradients divide sums of m terms by m or not at all, so we allow
 * 2.4e-7 * m (about 4 ulps per term), floored at 1e-5, relative to the largest value.
 */
class NativeBatchNormGoldenTest {
    private static final float EPS = 1e-5f, MOMENTUM = 0.1f;

    @BeforeEach
    void load() {
        NativeTestSupport.requireNative();
    }

    @AfterEach
    void restoreIsa() {
        NativeLibrary.useIsa(Isa.AVX512);
    }

    static List<int[]> shapes() {
        List<int[]> shapes = new ArrayList<>(List.of(new int[] {2, 1, 1, 1}, new int[] {8, 3, 1, 1}, new int[] {1, 17, 1, 2},
                new int[] {1, 16, 4, 4}, new int[] {2, 33, 5, 3}, new int[] {3, 5, 7, 9}, new int[] {1, 70, 2, 2},
                new int[] {2, 4, 19, 19}, new int[] {8, 3, 20, 20}, new int[] {4, 40, 12, 11}));
        SplittableRandom r = new SplittableRandom(3);
        while (shapes.size() < 32) {
            int[] d = {1 + r.nextInt(4), 1 + r.nextInt(r.nextBoolean() ? 8 : 48), 1 + r.nextInt(9), 1 + r.nextInt(9)};
            if (d[0] * d[2] * d[3] >= 2) {
                shapes.add(d);
            }
        }
        return shapes;
    }

    @Test
    void batchNormMatchesTheReferenceOnEveryIsaAndLayout() {
        int checked = 0;
        for (Isa isa : NativeTestSupport.runnableIsas()) {
            NativeLibrary.useIsa(isa);
            SplittableRandom seeds = new SplittableRandom(9);
            for (int[] d : shapes()) {
                for (Layout layout : List.of(Layout.NCHW, Layout.NHWC)) {
                    long seed = seeds.nextLong();
                    for (boolean relu : new boolean[] {false, true}) {
                        check(d, layout, relu, false, seed, isa + " " + layout + " " + Arrays.toString(d) + (relu ? " +relu" : ""));
                        checked++;
                    }
                    check(d, layout, true, true, seed, isa + " " + layout + " " + Arrays.toString(d) + " +residual +relu");
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(180);
    }

    private static void check(int[] d, Layout layout, boolean relu, boolean withResidual, long seed, String what) {
        int c = d[1], m = d[0] * d[2] * d[3];
        int[] ch = {c};
        Backend nat = NativeBackend.instance(), ref = ReferenceBackend.INSTANCE;
        try (Tensor plain = NativeGoldenSupport.uniform(d, 4f, 6f, seed);
             Tensor x = plain.toLayout(layout);
             Tensor dy = NativeGoldenSupport.random(d, layout, seed + 1);
             Tensor gamma = NativeGoldenSupport.uniform(ch, 0.5f, 1.5f, seed + 2);
             Tensor beta = NativeGoldenSupport.random(ch, layout, seed + 3); // about half the ReLU outputs are then 0
             Tensor rm = NativeGoldenSupport.random(ch, layout, seed + 4);
             Tensor rv = NativeGoldenSupport.uniform(ch, 0.5f, 2f, seed + 5);
             Tensor rmRef = rm.copy(); Tensor rvRef = rv.copy();
             Tensor y = NativeGoldenSupport.zeros(d, layout); Tensor yRef = Tensor.zeros(d);
             Tensor mean = Tensor.zeros(c); Tensor meanRef = Tensor.zeros(c);
             Tensor var = Tensor.zeros(c); Tensor varRef = Tensor.zeros(c);
             Tensor dx = NativeGoldenSupport.zeros(d, layout); Tensor dxRef = Tensor.zeros(d);
             Tensor dg = Tensor.zeros(c); Tensor dgRef = Tensor.zeros(c);
             Tensor db = Tensor.zeros(c); Tensor dbRef = Tensor.zeros(c);
             Tensor shortcut = NativeGoldenSupport.random(d, layout, seed + 6);
             Tensor dr = NativeGoldenSupport.zeros(d, layout); Tensor drRef = Tensor.zeros(d)) {
            Tensor r = withResidual ? shortcut : null, gr = withResidual ? dr : null, grRef = withResidual ? drRef : null;
            nat.batchNormTrainingForward(EPS, MOMENTUM, x, r, gamma, beta, rm, rv, y, mean, var, relu);
            ref.batchNormTrainingForward(EPS, MOMENTUM, x, r, gamma, beta, rmRef, rvRef, yRef, meanRef, varRef, relu);
            NativeConvolutionGoldenTest.assertClose(what + " training output", y.toArray(), yRef.toArray(), 16);
            NativeConvolutionGoldenTest.assertClose(what + " batch mean", mean.toArray(), meanRef.toArray(), 16);
            NativeConvolutionGoldenTest.assertClose(what + " batch var", var.toArray(), varRef.toArray(), 16);
            NativeConvolutionGoldenTest.assertClose(what + " running mean", rm.toArray(), rmRef.toArray(), 16);
            NativeConvolutionGoldenTest.assertClose(what + " running var", rv.toArray(), rvRef.toArray(), 16);

            nat.batchNormBackward(EPS, true, x, r, gamma, beta, meanRef, varRef, dy, dx, gr, dg, db, relu);
            ref.batchNormBackward(EPS, true, x, r, gamma, beta, meanRef, varRef, dy, dxRef, grRef, dgRef, dbRef, relu);
            NativeConvolutionGoldenTest.assertClose(what + " training grad input", dx.toArray(), dxRef.toArray(), m);
            NativeConvolutionGoldenTest.assertClose(what + " training grad gamma", dg.toArray(), dgRef.toArray(), m);
            NativeConvolutionGoldenTest.assertClose(what + " training grad beta", db.toArray(), dbRef.toArray(), m);
            if (withResidual) { // the gradient after the mask, unchanged: equal where the masks agree
                NativeConvolutionGoldenTest.assertClose(what + " training grad residual", dr.toArray(), drRef.toArray(), 1);
            }

            nat.batchNormInferenceForward(EPS, x, r, gamma, beta, rmRef, rvRef, y, relu);
            ref.batchNormInferenceForward(EPS, x, r, gamma, beta, rmRef, rvRef, yRef, relu);
            NativeConvolutionGoldenTest.assertClose(what + " inference output", y.toArray(), yRef.toArray(), 16);

            // inference-mode backward, with the optional parameter gradients left out
            nat.batchNormBackward(EPS, false, x, r, gamma, beta, rmRef, rvRef, dy, dx, gr, null, null, relu);
            ref.batchNormBackward(EPS, false, x, r, gamma, beta, rmRef, rvRef, dy, dxRef, grRef, null, null, relu);
            NativeConvolutionGoldenTest.assertClose(what + " inference grad input", dx.toArray(), dxRef.toArray(), 4);
            if (withResidual) {
                NativeConvolutionGoldenTest.assertClose(what + " inference grad residual", dr.toArray(), drRef.toArray(), 1);
            }
        }
    }
}
