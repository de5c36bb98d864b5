package org.cnn4j.selftest;

import static org.cnn4j.selftest.FuzzCase.count;
import static org.cnn4j.selftest.FuzzCase.maxAbs;
import static org.cnn4j.selftest.FuzzCase.output;
import static org.cnn4j.selftest.FuzzCase.tensor;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cnn4j.backend.Activation;
import org.cnn4j.backend.AdamSpec;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.backend.SgdSpec;
import org.cnn4j.backend.cpu.NativeConvolution;
import org.cnn4j.backend.cpu.NativeLibrary;
import org.cnn4j.kernels.Pooling;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;

/**
 * The op families of the differential fuzz: each draws a random geometry from the case's generator,
 * computes the reference results once (the reference reads any layout in logical order) and compares
 * the native backend's on NCHW and NHWC tensors, with the tolerances of {@link Tolerance}. Inputs are
 * finite. Outputs start as NaN, so an element a kernel does not write is a mismatch.
 */
final class FuzzedOps {
    private static final List<Layout> LAYOUTS = List.of(Layout.NCHW, Layout.NHWC);
    /** The native convolution algorithms; AUTO and AUTOTUNE only choose among them. */
    static final List<ConvAlgorithm> CONV_ALGORITHMS = List.of(ConvAlgorithm.ONEDNN, ConvAlgorithm.IM2COL_GEMM,
            ConvAlgorithm.WINOGRAD_2X2_3X3, ConvAlgorithm.WINOGRAD_4X4_3X3, ConvAlgorithm.WINOGRAD_1D_F4_3,
            ConvAlgorithm.WINOGRAD_1D_F6_3);
    private static final int[] KERNELS = {1, 1, 1, 2, 3, 3, 3, 4, 5, 7};
    /** The largest convolution drawn, in multiply-adds: the reference's double loops bound a case's time. */
    private static final long MAX_MACS = 1_500_000;

    private final Backend nat, ref;

    FuzzedOps(Backend nat, Backend ref) {
        this.nat = nat;
        this.ref = ref;
    }

    // --- convolution -------------------------------------------------------------------------------

    /**
     * A random geometry: groups (one, a few, depthwise), 1x1 and non-square kernels, strides and dilations
     * per dimension, per-side padding (now and then wider than the kernel), tiny and odd sizes; three in
     * ten are 3x3 stride-1 layers, which Winograd can compute, and one in seven a 1-D signal layer.
     */
    static Conv2dSpec drawConvolution(FuzzCase c) {
        if (c.chance(0.15)) {
            return drawSignalConvolution(c);
        }
        while (true) {
            boolean winogradShape = c.chance(0.3);
            int groups = 1, ch, k, shape = c.random.nextInt(10);
            if (!winogradShape && shape < 2) { // depthwise, with a channel multiplier of 1 or 2
                ch = c.between(1, 24);
                groups = ch;
                k = ch * c.between(1, 2);
            } else if (!winogradShape && shape < 4) {
                groups = c.between(2, 4);
                ch = groups * c.between(1, 8);
                k = groups * c.between(1, 8);
            } else {
                ch = c.between(1, c.random.nextBoolean() ? 8 : 40);
                k = c.between(1, c.random.nextBoolean() ? 8 : 40);
            }
            int kh = 3, kw = 3, sh = 1, sw = 1, dh = 1, dw = 1;
            if (!winogradShape) {
                kh = KERNELS[c.random.nextInt(KERNELS.length)];
                kw = c.chance(0.3) ? KERNELS[c.random.nextInt(KERNELS.length)] : kh;
                sh = stride(c);
                sw = c.chance(0.25) ? stride(c) : sh;
                dh = dilation(c);
                dw = c.chance(0.25) ? dilation(c) : dh;
            }
            int h = size(c), w = size(c);
            int effH = (kh - 1) * dh + 1, effW = (kw - 1) * dw + 1;
            int pt = pad(c, effH), pb = pad(c, effH), pl = pad(c, effW), pr = pad(c, effW);
            int n = c.chance(0.1) ? c.between(4, 6) : c.between(1, 3);
            if (h + pt + pb < effH || w + pl + pr < effW) {
                continue;
            }
            Conv2dSpec s = new Conv2dSpec(n, ch, h, w, k, kh, kw, sh, sw, pt, pb, pl, pr, dh, dw, groups);
            if ((long) n * k * s.outH() * s.outW() * (ch / groups) * kh * kw <= MAX_MACS) {
                return s;
            }
        }
    }

    /**
     * A 1-D signal layer [n, ch, 1, L]: a 1x3 stride-1 kernel two times in three (which the 1-D Winograd
     * algorithms compute), else any 1xk kernel and stride; left and right padding only, as a Conv1d's.
     */
    private static Conv2dSpec drawSignalConvolution(FuzzCase c) {
        while (true) {
            int ch = c.between(1, c.random.nextBoolean() ? 8 : 40), k = c.between(1, c.random.nextBoolean() ? 8 : 40);
            boolean winogradShape = c.chance(0.67);
            int kw = winogradShape ? 3 : KERNELS[c.random.nextInt(KERNELS.length)];
            int sw = winogradShape ? 1 : stride(c);
            int length = c.chance(0.3) ? c.between(1, 4) : c.between(1, 64);
            int pl = pad(c, kw), pr = pad(c, kw), n = c.between(1, 3);
            if (length + pl + pr < kw) {
                continue;
            }
            Conv2dSpec s = new Conv2dSpec(n, ch, 1, length, k, 1, kw, 1, sw, 0, 0, pl, pr, 1, 1, 1);
            if ((long) n * k * s.outW() * ch * kw <= MAX_MACS) {
                return s;
            }
        }
    }

    private static int stride(FuzzCase c) {
        double p = c.random.nextDouble();
        return p < 0.5 ? 1 : p < 0.85 ? 2 : p < 0.95 ? 3 : 4;
    }

    private static int dilation(FuzzCase c) {
        double p = c.random.nextDouble();
        return p < 0.75 ? 1 : p < 0.95 ? 2 : 3;
    }

    /** Mostly 1..16, three in ten tiny (1..4), one in ten up to 31. */
    private static int size(FuzzCase c) {
        double p = c.random.nextDouble();
        return p < 0.3 ? c.between(1, 4) : p < 0.9 ? c.between(1, 16) : c.between(1, 31);
    }

    /** Mostly 0..2 per side, one in ten up to the kernel's extent less one. */
    private static int pad(FuzzCase c, int extent) {
        return c.chance(0.1) ? c.between(0, Math.max(0, extent - 1)) : c.between(0, Math.min(2, extent));
    }

    void convolution(FuzzCase c) {
        Conv2dSpec s = drawConvolution(c);
        c.geometry(s);
        boolean bias = c.random.nextBoolean();
        float[] x = c.uniform(count(s.inputDims())), w = c.uniform(count(s.weightDims())), b = c.uniform(s.k());
        float[] dy = c.uniform(count(s.outputDims())), residual = c.uniform(count(s.outputDims()));
        Tensor weight = tensor(s.weightDims(), Layout.NCHW, w);
        Tensor biasT = bias ? tensor(new int[] {s.k()}, Layout.PLAIN, b) : null;
        Tensor xRef = tensor(s.inputDims(), Layout.NCHW, x), dyRef = tensor(s.outputDims(), Layout.NCHW, dy);
        Tensor resRef = tensor(s.outputDims(), Layout.NCHW, residual);
        Tensor y = output(s.outputDims(), Layout.NCHW), yRelu = output(s.outputDims(), Layout.NCHW);
        Tensor yAddRelu = output(s.outputDims(), Layout.NCHW), dx = output(s.inputDims(), Layout.NCHW);
        Tensor dw = output(s.weightDims(), Layout.NCHW), db = bias ? output(new int[] {s.k()}, Layout.PLAIN) : null;
        ref.conv2dForward(s, xRef, weight, biasT, y);
        ref.conv2dForwardAddRelu(s, xRef, weight, biasT, null, yRelu);
        ref.conv2dForwardAddRelu(s, xRef, weight, biasT, resRef, yAddRelu);
        ref.conv2dBackwardData(s, dyRef, weight, dx);
        ref.conv2dBackwardWeights(s, xRef, dyRef, dw, db);
        float[] yExpected = y.toArray();
        // a 2x2 stride-2 max pooling after conv + ReLU, which 2-D Winograd computes in its output transform
        Pool2dSpec pool = s.outH() >= 2 && s.outW() >= 2 ? Pool2dSpec.of(Pool2dSpec.Kind.MAX, s.n(), s.k(), s.outH(), s.outW(), 2, 2, 0) : null;
        Tensor yPooled = pool == null ? null : output(pool.outputDims(), Layout.NCHW);
        if (pool != null) {
            ref.pool2dForward(pool, yRelu, yPooled);
        }
        // the fused outputs carry the convolution's rounding: compare them at its scale
        double convScale = maxAbs(yExpected), addScale = convScale + maxAbs(residual);
        int taps = s.kh() * s.kw(), positions = s.n() * s.outH() * s.outW();
        for (ConvAlgorithm algo : CONV_ALGORITHMS) {
            if (!NativeConvolution.supports(algo, s)) {
                c.skip("conv2d " + algo + ": shape the dispatch does not support");
                continue;
            }
            ConvAlgorithm.use(algo);
            Tolerance forward = Tolerance.convolution(algo, (s.c() / s.groups()) * taps + 1);
            Tolerance data = Tolerance.convolution(algo, (s.k() / s.groups()) * taps);
            Tolerance weights = Tolerance.convolution(algo, positions);
            for (Layout layout : LAYOUTS) {
                String at = algo + " " + layout;
                Tensor in = tensor(s.inputDims(), layout, x), gradOut = tensor(s.outputDims(), layout, dy);
                Tensor res = tensor(s.outputDims(), layout, residual);
                Tensor out = output(s.outputDims(), layout);
                nat.conv2dForward(s, in, weight, biasT, out);
                c.check("conv2d forward " + at + (bias ? " +bias" : ""), out.toArray(), yExpected, forward);
                out.fill(Float.NaN);
                nat.conv2dForwardAddRelu(s, in, weight, biasT, null, out);
                c.check("conv2d forward+relu " + at, out.toArray(), yRelu.toArray(), forward, convScale);
                if (pool != null && nat.fusesMaxPool(s)) {
                    Tensor pooled = output(pool.outputDims(), layout);
                    nat.conv2dForwardMaxPool(s, in, weight, biasT, true, pooled);
                    c.check("conv2d forward+relu+maxpool " + at, pooled.toArray(), yPooled.toArray(), forward, convScale);
                }
                out.fill(Float.NaN);
                nat.conv2dForwardAddRelu(s, in, weight, biasT, res, out);
                c.check("conv2d forward+add+relu " + at, out.toArray(), yAddRelu.toArray(), forward, addScale);
                out.copyFrom(res);
                nat.conv2dForwardAddRelu(s, in, weight, biasT, out, out); // ResNet's in-place residual
                c.check("conv2d forward+add+relu in place " + at, out.toArray(), yAddRelu.toArray(), forward, addScale);
                Tensor gradIn = output(s.inputDims(), layout);
                nat.conv2dBackwardData(s, gradOut, weight, gradIn);
                c.check("conv2d backward_data " + at, gradIn.toArray(), dx.toArray(), data);
                Tensor gradW = output(s.weightDims(), Layout.NCHW), gradB = bias ? output(new int[] {s.k()}, Layout.PLAIN) : null;
                nat.conv2dBackwardWeights(s, in, gradOut, gradW, gradB);
                c.check("conv2d backward_weights " + at, gradW.toArray(), dw.toArray(), weights);
                if (bias) {
                    c.check("conv2d backward_bias " + at, gradB.toArray(), db.toArray(), Tolerance.sum(positions));
                }
            }
        }
    }

    // --- pooling -----------------------------------------------------------------------------------

    /**
     * Max or average pooling, floor or ceil mode, with or without padded zeros counted, stride larger
     * than the kernel, windows over the padding; one in fifty windows too large to record an argmax; a
     * quarter of the inputs with ties (few distinct values, many zeros, as after a ReLU).
     */
    void pooling(FuzzCase c) {
        boolean huge = c.chance(0.02);
        int kh = huge ? c.between(16, 17) : c.between(1, c.chance(0.2) ? 7 : 4);
        int kw = huge ? c.between(16, 17) : c.chance(0.3) ? c.between(1, 4) : kh;
        int sh = c.between(1, 3), sw = c.chance(0.3) ? c.between(1, 3) : sh;
        int ph = c.between(0, kh / 2), pw = c.between(0, kw / 2);
        int h = Math.max(1, kh - 2 * ph) + c.between(0, 8), w = Math.max(1, kw - 2 * pw) + c.between(0, 8);
        int ch = c.random.nextBoolean() ? c.between(1, 5) : c.between(1, 40);
        Pool2dSpec s = new Pool2dSpec(c.random.nextBoolean() ? Pool2dSpec.Kind.MAX : Pool2dSpec.Kind.AVG, c.between(1, 3), ch, h, w,
                kh, kw, sh, sw, ph, pw, c.random.nextBoolean(), c.random.nextBoolean());
        c.geometry(s);
        float[] x = c.uniform(count(s.inputDims())), dy = c.uniform(count(s.outputDims()));
        if (c.chance(0.25)) {
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.max(0f, Math.round(x[i] * 2) / 2f);
            }
        }
        Tensor xRef = tensor(s.inputDims(), Layout.NCHW, x), dyRef = tensor(s.outputDims(), Layout.NCHW, dy);
        Tensor y = output(s.outputDims(), Layout.NCHW), dx = output(s.inputDims(), Layout.NCHW);
        ref.pool2dForward(s, xRef, y);
        ref.pool2dBackward(s, xRef, dyRef, dx);
        boolean max = s.kind() == Pool2dSpec.Kind.MAX;
        Tolerance forward = max ? Tolerance.exact() : Tolerance.sum(s.kh() * s.kw() + 1);
        int overlap = ceilDiv(s.kh(), s.strideH()) * ceilDiv(s.kw(), s.strideW());
        Tolerance backward = Tolerance.sum(overlap + 1);
        int outputs = count(s.outputDims());
        for (Layout layout : LAYOUTS) {
            Tensor in = tensor(s.inputDims(), layout, x), gradOut = tensor(s.outputDims(), layout, dy);
            Tensor out = output(s.outputDims(), layout), gradIn = output(s.inputDims(), layout);
            nat.pool2dForward(s, in, out);
            c.check("pool2d forward " + layout, out.toArray(), y.toArray(), forward);
            nat.pool2dBackward(s, in, gradOut, gradIn);
            c.check("pool2d backward " + layout, gradIn.toArray(), dx.toArray(), backward);
            if (!Pooling.recordsArgmax(s)) {
                c.skip("max pool2d with argmax: " + (max ? "window above 256 elements" : "average pooling"));
                continue;
            }
            ByteBuffer at = ByteBuffer.allocateDirect(outputs), atRef = ByteBuffer.allocateDirect(outputs);
            Tensor outRef = output(s.outputDims(), layout);
            out.fill(Float.NaN);
            nat.maxPool2dForward(s, in, out, at);
            ref.maxPool2dForward(s, in, outRef, atRef);
            c.check("max pool2d forward with argmax " + layout, out.toArray(), y.toArray(), Tolerance.exact());
            c.check("max pool2d argmax " + layout, bytes(at), bytes(atRef), Tolerance.exact());
            gradIn.fill(Float.NaN);
            nat.maxPool2dBackward(s, at, gradOut, gradIn);
            c.check("max pool2d backward from argmax " + layout, gradIn.toArray(), dx.toArray(), backward);
        }
    }

    private static float[] bytes(ByteBuffer b) {
        float[] v = new float[b.capacity()];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.get(i);
        }
        return v;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    void channelScale(FuzzCase c) {
        int[] d = {c.between(1, 3), c.between(1, 40), size(c), size(c)}, scaleDims = {d[0], d[1], 1, 1};
        c.geometry("channel scale input " + Arrays.toString(d));
        float[] x = c.uniform(count(d)), s = c.uniform(count(scaleDims)), dy = c.uniform(count(d));
        Tensor y = output(d, Layout.NCHW), ds = output(scaleDims, Layout.NCHW);
        ref.channelScale(tensor(d, Layout.NCHW, x), tensor(scaleDims, Layout.NCHW, s), y);
        ref.channelScaleGrad(tensor(d, Layout.NCHW, x), tensor(d, Layout.NCHW, dy), ds);
        for (Layout layout : LAYOUTS) {
            Tensor out = output(d, layout), gradScale = output(scaleDims, layout);
            nat.channelScale(tensor(d, layout, x), tensor(scaleDims, layout, s), out);
            c.check("channel scale " + layout, out.toArray(), y.toArray(), Tolerance.exact());
            nat.channelScaleGrad(tensor(d, layout, x), tensor(d, layout, dy), gradScale);
            c.check("channel scale gradient " + layout, gradScale.toArray(), ds.toArray(), Tolerance.sum(d[2] * d[3]));
        }
    }

    void channelAffine(FuzzCase c) {
        int[] d = c.random.nextBoolean() ? new int[] {c.between(1, 3), c.between(1, 40), size(c), size(c)}
                : new int[] {c.between(1, 9), c.between(1, 70)};
        int[] cd = {d[1]};
        c.geometry("channel affine input " + Arrays.toString(d));
        float[] x = c.uniform(count(d)), s = c.uniform(d[1]), b = c.uniform(d[1]);
        Layout plain = d.length == 4 ? Layout.NCHW : Layout.PLAIN;
        Tensor y = output(d, plain);
        ref.channelAffine(tensor(d, plain, x), tensor(cd, Layout.PLAIN, s), tensor(cd, Layout.PLAIN, b), y);
        for (Layout layout : layouts(d)) {
            Tensor out = output(d, layout);
            nat.channelAffine(tensor(d, layout, x), tensor(cd, Layout.PLAIN, s), tensor(cd, Layout.PLAIN, b), out);
            // one fused multiply-add in float against the reference's double: within an ulp of |x s| + |b| <= 2
            c.check("channel affine " + layout, out.toArray(), y.toArray(), Tolerance.absolute(4.8e-7));
        }
    }

    void channelShuffle(FuzzCase c) {
        int groups = c.between(1, 8);
        int[] d = {c.between(1, 3), groups * c.between(1, 12), size(c), size(c)};
        c.geometry("channel shuffle of " + Arrays.toString(d) + " in " + groups + " groups");
        float[] x = c.uniform(count(d));
        Tensor y = output(d, Layout.NCHW);
        ref.channelShuffle(groups, tensor(d, Layout.NCHW, x), y);
        for (Layout layout : LAYOUTS) {
            Tensor out = output(d, layout);
            nat.channelShuffle(groups, tensor(d, layout, x), out);
            c.check("channel shuffle " + layout, out.toArray(), y.toArray(), Tolerance.exact());
        }
    }

    void globalAvgPool(FuzzCase c) {
        int[] d = {c.between(1, 3), c.between(1, 40), size(c), size(c)}, pooled = {d[0], d[1], 1, 1};
        c.geometry("global avg pool input " + Arrays.toString(d));
        float[] x = c.uniform(count(d)), dy = c.uniform(count(pooled));
        Tensor y = output(pooled, Layout.NCHW), dx = output(d, Layout.NCHW);
        ref.globalAvgPoolForward(tensor(d, Layout.NCHW, x), y);
        ref.globalAvgPoolBackward(tensor(pooled, Layout.NCHW, dy), dx);
        for (Layout layout : LAYOUTS) {
            Tensor out = output(pooled, layout), gradIn = output(d, layout);
            nat.globalAvgPoolForward(tensor(d, layout, x), out);
            c.check("global avg pool forward " + layout, out.toArray(), y.toArray(), Tolerance.sum(d[2] * d[3] + 1));
            nat.globalAvgPoolBackward(tensor(pooled, layout, dy), gradIn);
            c.check("global avg pool backward " + layout, gradIn.toArray(), dx.toArray(), Tolerance.sum(2));
        }
    }

    // --- batch norm --------------------------------------------------------------------------------

    /**
     * Training forward (output, batch statistics, running statistics), backward in training and inference
     * mode, inference forward, each with and without the fused ReLU (and with a residual block's shortcut added
     * before it, whose gradient is compared too); inputs around 0 or around 5 with
     * spread 1 (where a one-pass variance would lose digits).
     */
    void batchNorm(FuzzCase c) {
        int[] d;
        do {
            d = new int[] {c.between(1, 4), c.between(1, c.random.nextBoolean() ? 8 : 48), size(c), size(c)};
        } while (d[0] * d[2] * d[3] < 2);
        boolean relu = c.random.nextBoolean(), residual = relu && c.random.nextBoolean(); // a residual block's end
        float eps = c.random.nextBoolean() ? 1e-5f : 1e-3f, momentum = c.random.nextBoolean() ? 0.1f : (float) c.random.nextDouble();
        c.geometry("batch norm input " + Arrays.toString(d) + " eps=" + eps + " momentum=" + momentum + (residual ? " +residual" : "")
                + (relu ? " +relu" : ""));
        int ch = d[1], m = d[0] * d[2] * d[3];
        int[] per = {ch};
        double center = c.random.nextBoolean() ? 0 : 5;
        float[] x = c.uniform(count(d), center - 1, center + 1), dy = c.uniform(count(d)), shortcut = c.uniform(count(d));
        float[] gamma = c.uniform(ch, 0.5, 1.5), beta = c.uniform(ch), runMean = c.uniform(ch), runVar = c.uniform(ch, 0.5, 2);
        Tensor g = tensor(per, Layout.PLAIN, gamma), bt = tensor(per, Layout.PLAIN, beta);
        Tensor xRef = tensor(d, Layout.NCHW, x), dyRef = tensor(d, Layout.NCHW, dy);
        Tensor rmRef = tensor(per, Layout.PLAIN, runMean), rvRef = tensor(per, Layout.PLAIN, runVar);
        Tensor yRef = output(d, Layout.NCHW), meanRef = output(per, Layout.PLAIN), varRef = output(per, Layout.PLAIN);
        Tensor dxRef = output(d, Layout.NCHW), dgRef = output(per, Layout.PLAIN), dbRef = output(per, Layout.PLAIN);
        Tensor yInfRef = output(d, Layout.NCHW), dxInfRef = output(d, Layout.NCHW);
        Tensor rRef = residual ? tensor(d, Layout.NCHW, shortcut) : null, drRef = residual ? output(d, Layout.NCHW) : null;
        Tensor drInfRef = residual ? output(d, Layout.NCHW) : null;
        ref.batchNormTrainingForward(eps, momentum, xRef, rRef, g, bt, rmRef, rvRef, yRef, meanRef, varRef, relu);
        ref.batchNormBackward(eps, true, xRef, rRef, g, bt, meanRef, varRef, dyRef, dxRef, drRef, dgRef, dbRef, relu);
        ref.batchNormInferenceForward(eps, xRef, rRef, g, bt, rmRef, rvRef, yInfRef, relu);
        ref.batchNormBackward(eps, false, xRef, rRef, g, bt, rmRef, rvRef, dyRef, dxInfRef, drInfRef, null, null, relu);
        // a fused ReLU's backward masks where y > 0: where y is within the forward's rounding of 0 the two
        // backends may disagree on the mask, so such cases are not compared
        boolean trainingMaskClear = !relu || clearOfZero(eps, xRef, rRef, g, bt, meanRef, varRef, d);
        boolean inferenceMaskClear = !relu || clearOfZero(eps, xRef, rRef, g, bt, rmRef, rvRef, d);
        Tolerance stats = Tolerance.sum(16), grads = Tolerance.sum(m);
        for (Layout layout : LAYOUTS) {
            Tensor in = tensor(d, layout, x), gradOut = tensor(d, layout, dy), r = residual ? tensor(d, layout, shortcut) : null;
            Tensor dr = residual ? output(d, layout) : null;
            Tensor rm = tensor(per, Layout.PLAIN, runMean), rv = tensor(per, Layout.PLAIN, runVar);
            Tensor y = output(d, layout), mean = output(per, Layout.PLAIN), var = output(per, Layout.PLAIN);
            nat.batchNormTrainingForward(eps, momentum, in, r, g, bt, rm, rv, y, mean, var, relu);
            c.check("batch norm training forward output " + layout, y.toArray(), yRef.toArray(), stats);
            c.check("batch norm training forward batch mean " + layout, mean.toArray(), meanRef.toArray(), stats);
            c.check("batch norm training forward batch var " + layout, var.toArray(), varRef.toArray(), stats);
            c.check("batch norm training forward running mean " + layout, rm.toArray(), rmRef.toArray(), stats);
            c.check("batch norm training forward running var " + layout, rv.toArray(), rvRef.toArray(), stats);
            Tensor dx = output(d, layout), dg = output(per, Layout.PLAIN), db = output(per, Layout.PLAIN);
            if (trainingMaskClear) {
                nat.batchNormBackward(eps, true, in, r, g, bt, meanRef, varRef, gradOut, dx, dr, dg, db, relu);
                c.check("batch norm training backward grad input " + layout, dx.toArray(), dxRef.toArray(), grads);
                c.check("batch norm training backward grad gamma " + layout, dg.toArray(), dgRef.toArray(), grads);
                c.check("batch norm training backward grad beta " + layout, db.toArray(), dbRef.toArray(), grads);
                if (residual) { // the masked gradient itself
                    c.check("batch norm training backward grad residual " + layout, dr.toArray(), drRef.toArray(), Tolerance.sum(1));
                }
            } else {
                c.skip("batch norm+relu training backward: a pre-activation within rounding of 0");
            }
            y.fill(Float.NaN);
            nat.batchNormInferenceForward(eps, in, r, g, bt, rmRef, rvRef, y, relu);
            c.check("batch norm inference forward " + layout, y.toArray(), yInfRef.toArray(), stats);
            if (inferenceMaskClear) {
                dx.fill(Float.NaN);
                nat.batchNormBackward(eps, false, in, r, g, bt, rmRef, rvRef, gradOut, dx, dr, null, null, relu);
                c.check("batch norm inference backward grad input " + layout, dx.toArray(), dxInfRef.toArray(), Tolerance.sum(4));
                if (residual) {
                    c.check("batch norm inference backward grad residual " + layout, dr.toArray(), drInfRef.toArray(), Tolerance.sum(1));
                }
            } else {
                c.skip("batch norm+relu inference backward: a pre-activation within rounding of 0");
            }
        }
    }

    /** Whether no pre-activation y of batch norm with these statistics lies within the forward's tolerance of 0. */
    private boolean clearOfZero(float eps, Tensor x, Tensor residual, Tensor gamma, Tensor beta, Tensor mean, Tensor var, int[] d) {
        Tensor y = output(d, Layout.NCHW);
        ref.batchNormInferenceForward(eps, x, residual, gamma, beta, mean, var, y, false);
        float[] v = y.toArray();
        double scale = maxAbs(v);
        Tolerance forward = Tolerance.sum(16);
        for (float e : v) {
            if (Math.abs(e) <= forward.allowed(e, scale)) {
                return false;
            }
        }
        return true;
    }

    // --- element-wise ------------------------------------------------------------------------------

    /** 4-D in either layout, or 2-D. */
    private static int[] elementwiseDims(FuzzCase c) {
        return c.chance(0.7) ? new int[] {c.between(1, 3), c.between(1, 40), size(c), size(c)}
                : new int[] {c.between(1, 8), c.between(1, 300)};
    }

    private static List<Layout> layouts(int[] d) {
        return d.length == 4 ? LAYOUTS : List.of(Layout.PLAIN);
    }

    void activation(FuzzCase c) {
        int[] d = elementwiseDims(c);
        Activation a = switch (c.random.nextInt(7)) {
            case 0 -> Activation.RELU;
            case 1 -> Activation.leakyRelu((float) (c.random.nextDouble() - 0.5));
            case 2 -> Activation.SIGMOID;
            case 3 -> Activation.RELU6;
            case 4 -> Activation.hardSigmoid((float) c.random.nextDouble(), (float) c.random.nextDouble());
            case 5 -> Activation.HARD_SWISH;
            default -> Activation.TANH;
        };
        c.geometry(a + " on " + Arrays.toString(d));
        boolean piecewiseLinear = a.kind() == Activation.Kind.RELU || a.kind() == Activation.Kind.LEAKY_RELU || a.kind() == Activation.Kind.RELU6;
        // the hard ones round alpha x + beta once in float (fused or not) where the reference rounds only its result:
        // a few ulps of values below 5
        Tolerance tolerance = piecewiseLinear ? Tolerance.equal()
                : a.kind() == Activation.Kind.HARD_SWISH || a.kind() == Activation.Kind.HARD_SIGMOID ? Tolerance.absolute(2e-6)
                : Tolerance.absolute(1e-6);
        float limit = a.kind() == Activation.Kind.RELU6 ? 9 : a.kind() == Activation.Kind.HARD_SWISH ? 5 : 3; // past each clamp
        float[] x = c.uniform(count(d), -limit, limit), dy = c.uniform(count(d));
        for (Layout layout : layouts(d)) {
            Tensor in = tensor(d, layout, x), gradOut = tensor(d, layout, dy);
            Tensor yRef = output(d, layout), dxRef = output(d, layout), y = output(d, layout), dx = output(d, layout);
            ref.activationForward(a, in, yRef);
            nat.activationForward(a, in, y);
            c.check("activation forward " + layout, y.toArray(), yRef.toArray(), tolerance);
            ref.activationBackward(a, in, yRef, gradOut, dxRef);
            nat.activationBackward(a, in, yRef, gradOut, dx);
            c.check("activation backward " + layout, dx.toArray(), dxRef.toArray(), tolerance);
        }
    }

    void addAndMultiply(FuzzCase c) {
        int[] d = elementwiseDims(c);
        c.geometry(Arrays.toString(d));
        float[] a = c.uniform(count(d)), b = c.uniform(count(d));
        for (Layout layout : layouts(d)) {
            Tensor ta = tensor(d, layout, a), tb = tensor(d, layout, b);
            Tensor ref1 = output(d, layout), out = output(d, layout);
            ref.add(ta, tb, ref1);
            nat.add(ta, tb, out);
            c.check("add " + layout, out.toArray(), ref1.toArray(), Tolerance.ulps(1));
            nat.add(ta, tb, ta);
            c.check("add in place " + layout, ta.toArray(), ref1.toArray(), Tolerance.ulps(1));
            ta.copyFrom(a);
            ref.multiply(ta, tb, ref1);
            out.fill(Float.NaN);
            nat.multiply(ta, tb, out);
            c.check("multiply " + layout, out.toArray(), ref1.toArray(), Tolerance.exact());
        }
    }

    /**
     * Dropout's mask is a function of (seed, element) alone: equal to the reference's, the same on the
     * other thread count, and different for another seed (checked where a repeat is vanishingly unlikely).
     */
    void dropout(FuzzCase c) {
        int[] d = elementwiseDims(c);
        float p = c.chance(0.1) ? 0f : (float) (c.random.nextDouble() * 0.95);
        long seed = c.random.nextLong();
        c.geometry("p=" + p + " seed=" + seed + " on " + Arrays.toString(d));
        float[] x = c.uniform(count(d));
        for (Layout layout : layouts(d)) {
            Tensor in = tensor(d, layout, x);
            Tensor maskRef = output(d, layout), yRef = output(d, layout), mask = output(d, layout), y = output(d, layout);
            ref.dropoutForward(p, seed, in, maskRef, yRef);
            nat.dropoutForward(p, seed, in, mask, y);
            float[] expected = maskRef.toArray();
            c.check("dropout mask " + layout, mask.toArray(), expected, Tolerance.exact());
            c.check("dropout output " + layout, y.toArray(), yRef.toArray(), Tolerance.exact());
            int threads = NativeLibrary.threads();
            NativeLibrary.useThreads(threads == 1 ? 2 : 1);
            mask.fill(Float.NaN);
            nat.dropoutForward(p, seed, in, mask, y);
            NativeLibrary.useThreads(threads);
            c.check("dropout mask again on " + (threads == 1 ? 2 : 1) + " threads " + layout, mask.toArray(), expected, Tolerance.exact());
            if (count(d) >= 256 && p >= 0.1f && p <= 0.9f) {
                nat.dropoutForward(p, seed + 1, in, mask, y);
                if (Arrays.equals(mask.toArray(), expected)) {
                    c.fail("dropout mask of seed+1 " + layout, "the same mask as seed " + seed);
                }
            }
        }
    }

    void concatAndSplit(FuzzCase c) {
        int n = c.between(1, 3), h = size(c), w = size(c);
        int[] channels = new int[c.between(1, 4)];
        for (int i = 0; i < channels.length; i++) {
            channels[i] = c.chance(0.3) ? c.between(1, 3) : c.between(1, 33);
        }
        int[] whole = {n, Arrays.stream(channels).sum(), h, w};
        c.geometry("channels " + Arrays.toString(channels) + " of [" + n + ", *, " + h + ", " + w + "]");
        List<float[]> values = new ArrayList<>();
        for (int ch : channels) {
            values.add(c.uniform(n * ch * h * w));
        }
        for (Layout layout : LAYOUTS) {
            List<Tensor> parts = new ArrayList<>(), grads = new ArrayList<>(), gradsRef = new ArrayList<>();
            for (int i = 0; i < channels.length; i++) {
                int[] part = {n, channels[i], h, w};
                parts.add(tensor(part, layout, values.get(i)));
                grads.add(output(part, layout));
                gradsRef.add(output(part, layout));
            }
            Tensor out = output(whole, layout), outRef = output(whole, layout);
            ref.concatChannels(parts, outRef);
            nat.concatChannels(parts, out);
            c.check("concat channels " + layout, out.toArray(), outRef.toArray(), Tolerance.exact());
            ref.splitChannels(outRef, gradsRef);
            nat.splitChannels(outRef, grads);
            for (int i = 0; i < channels.length; i++) {
                c.check("split channels part " + i + " " + layout, grads.get(i).toArray(), gradsRef.get(i).toArray(), Tolerance.exact());
            }
        }
    }

    // --- classifier head ---------------------------------------------------------------------------

    void linear(FuzzCase c) {
        int n = c.between(1, 40), in = c.between(1, c.chance(0.2) ? 300 : 64), out = c.between(1, c.chance(0.2) ? 130 : 32);
        boolean bias = c.random.nextBoolean(), gradInput = c.chance(0.75);
        c.geometry("linear n=" + n + " in=" + in + " out=" + out + (bias ? " +bias" : "") + (gradInput ? "" : " no grad input"));
        Tensor x = tensor(new int[] {n, in}, Layout.PLAIN, c.uniform(n * in));
        Tensor w = tensor(new int[] {out, in}, Layout.PLAIN, c.uniform(out * in));
        Tensor b = bias ? tensor(new int[] {out}, Layout.PLAIN, c.uniform(out)) : null;
        Tensor dy = tensor(new int[] {n, out}, Layout.PLAIN, c.uniform(n * out));
        Tensor yRef = Tensor.zeros(n, out), dxRef = Tensor.zeros(n, in), dwRef = Tensor.zeros(out, in), dbRef = Tensor.zeros(out);
        Tensor y = output(new int[] {n, out}, Layout.PLAIN), dx = output(new int[] {n, in}, Layout.PLAIN);
        Tensor dw = output(new int[] {out, in}, Layout.PLAIN), db = output(new int[] {out}, Layout.PLAIN);
        ref.linearForward(x, w, b, yRef);
        nat.linearForward(x, w, b, y);
        c.check("linear forward", y.toArray(), yRef.toArray(), Tolerance.sum(in + 1));
        ref.linearBackward(x, w, dy, dxRef, dwRef, bias ? dbRef : null);
        nat.linearBackward(x, w, dy, gradInput ? dx : null, dw, bias ? db : null);
        if (gradInput) {
            c.check("linear backward grad input", dx.toArray(), dxRef.toArray(), Tolerance.sum(out));
        }
        c.check("linear backward grad weight", dw.toArray(), dwRef.toArray(), Tolerance.sum(n));
        if (bias) {
            c.check("linear backward grad bias", db.toArray(), dbRef.toArray(), Tolerance.sum(n));
        }
    }

    void softmaxCrossEntropy(FuzzCase c) {
        int n = c.between(1, 64), k = c.chance(0.2) ? c.between(1, 1000) : c.between(1, 20);
        c.geometry("logits [" + n + ", " + k + "]");
        float[] targets = new float[n];
        for (int i = 0; i < n; i++) {
            targets[i] = c.random.nextInt(k);
        }
        Tensor z = tensor(new int[] {n, k}, Layout.PLAIN, c.uniform(n * k, -10, 10)), t = Tensor.of(targets, n);
        Tensor pRef = Tensor.zeros(n, k), gRef = Tensor.zeros(n, k);
        Tensor p = output(new int[] {n, k}, Layout.PLAIN), g = output(new int[] {n, k}, Layout.PLAIN);
        ref.softmax(z, pRef);
        nat.softmax(z, p);
        c.check("softmax", p.toArray(), pRef.toArray(), Tolerance.absolute(1e-6));
        double lossRef = ref.softmaxCrossEntropy(z, t, pRef, gRef);
        p.fill(Float.NaN);
        double loss = nat.softmaxCrossEntropy(z, t, p, g);
        c.check("softmax cross-entropy loss", new float[] {(float) loss}, new float[] {(float) lossRef}, Tolerance.relative(1e-6));
        c.check("softmax cross-entropy probs", p.toArray(), pRef.toArray(), Tolerance.absolute(1e-6));
        c.check("softmax cross-entropy grad", g.toArray(), gRef.toArray(), Tolerance.absolute(1e-6));
        double lossAlone = nat.softmaxCrossEntropy(z, t, p, null);
        if (lossAlone != loss) {
            c.fail("softmax cross-entropy without gradient", "loss " + lossAlone + ", with gradient " + loss);
        }
    }

    // --- optimisers --------------------------------------------------------------------------------

    /** Parameter counts that leave vector tails and span thread blocks; one to five steps from the same state. */
    private static int parameterCount(FuzzCase c) {
        return c.chance(0.2) ? c.between(1, 20000) : c.between(1, 100);
    }

    void sgd(FuzzCase c) {
        int count = parameterCount(c), steps = c.between(1, 5);
        boolean nesterov = c.chance(0.25);
        float momentum = nesterov || c.random.nextBoolean() ? (float) c.random.nextDouble() * 0.95f + 0.01f : 0f;
        float dampening = nesterov || c.random.nextBoolean() ? 0f : (float) c.random.nextDouble() * 0.5f;
        SgdSpec spec = new SgdSpec((float) c.random.nextDouble() * 0.2f, momentum, dampening,
                c.random.nextBoolean() ? 0f : (float) c.random.nextDouble() * 0.01f, nesterov);
        c.geometry(spec + " count=" + count + " steps=" + steps);
        int[] d = {count};
        float[] start = c.uniform(count);
        Tensor p = tensor(d, Layout.PLAIN, start), pRef = tensor(d, Layout.PLAIN, start);
        Tensor buf = Tensor.zeros(count), bufRef = Tensor.zeros(count);
        for (int step = 1; step <= steps; step++) {
            Tensor grad = tensor(d, Layout.PLAIN, c.uniform(count));
            nat.sgdStep(spec, step, p, grad, momentum != 0 ? buf : null);
            ref.sgdStep(spec, step, pRef, grad, momentum != 0 ? bufRef : null);
            c.check("sgd step " + step + " param", p.toArray(), pRef.toArray(), Tolerance.absolute(1e-5));
            c.check("sgd step " + step + " momentum", buf.toArray(), bufRef.toArray(), Tolerance.absolute(1e-5));
        }
    }

    void adam(FuzzCase c) {
        int count = parameterCount(c), steps = c.between(1, 5);
        AdamSpec spec = new AdamSpec(c.random.nextBoolean() ? 1e-3f : 1e-2f, c.random.nextBoolean() ? 0.9f : 0.8f,
                c.random.nextBoolean() ? 0.999f : 0.99f, c.random.nextBoolean() ? 1e-8f : 1e-6f,
                c.random.nextBoolean() ? 0f : (float) c.random.nextDouble() * 0.05f, c.random.nextBoolean());
        c.geometry(spec + " count=" + count + " steps=" + steps);
        int[] d = {count};
        float[] start = c.uniform(count);
        Tensor p = tensor(d, Layout.PLAIN, start), pRef = tensor(d, Layout.PLAIN, start);
        Tensor m = Tensor.zeros(count), mRef = Tensor.zeros(count), v = Tensor.zeros(count), vRef = Tensor.zeros(count);
        for (int step = 1; step <= steps; step++) {
            Tensor grad = tensor(d, Layout.PLAIN, c.uniform(count));
            nat.adamStep(spec, step, p, grad, m, v);
            ref.adamStep(spec, step, pRef, grad, mRef, vRef);
            c.check("adam step " + step + " param", p.toArray(), pRef.toArray(), Tolerance.absolute(1e-5));
            c.check("adam step " + step + " exp_avg", m.toArray(), mRef.toArray(), Tolerance.absolute(1e-5));
            c.check("adam step " + step + " exp_avg_sq", v.toArray(), vRef.toArray(), Tolerance.absolute(1e-5));
        }
    }
}
