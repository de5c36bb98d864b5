package org.cnn4j.backend.reference;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import org.cnn4j.backend.Activation;
import org.cnn4j.backend.AdamSpec;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.DropoutMask;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.backend.SgdSpec;
import org.cnn4j.tensor.Int8Tensor;
import org.cnn4j.tensor.Int8Weights;
import org.cnn4j.tensor.Tensor;

/**
 * The pure-Java backend: the oracle every native kernel is tested against, and the fallback where the
 * native library cannot load. Each op reads its tensors in logical (NCHW) order into double arrays,
 * computes with straight loops in double precision (the Reference* classes), and writes float32
 * results back in each output's own layout. Obviously right rather than fast.
 */
public final class ReferenceBackend implements Backend {
    public static final ReferenceBackend INSTANCE = new ReferenceBackend();

    private ReferenceBackend() {
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public void conv2dForward(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor output) {
        put(output, ReferenceConvolution.forward(spec, d(input), d(weight), bias == null ? null : d(bias)));
    }

    @Override
    public void conv2dForwardAddRelu(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor residual, Tensor output) {
        double[] y = ReferenceConvolution.forward(spec, d(input), d(weight), bias == null ? null : d(bias));
        double[] r = residual == null ? null : d(residual);
        for (int i = 0; i < y.length; i++) {
            y[i] = ReferenceActivations.relu(y[i] + (r == null ? 0 : r[i]));
        }
        put(output, y);
    }

    @Override
    public void conv2dBackwardData(Conv2dSpec spec, Tensor gradOutput, Tensor weight, Tensor gradInput) {
        put(gradInput, ReferenceConvolution.backwardData(spec, d(gradOutput), d(weight)));
    }

    @Override
    public void conv2dBackwardWeights(Conv2dSpec spec, Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias) {
        double[] gb = gradBias == null ? null : new double[spec.k()];
        put(gradWeight, ReferenceConvolution.backwardWeights(spec, d(input), d(gradOutput), gb));
        if (gradBias != null) {
            put(gradBias, gb);
        }
    }

    @Override
    public void pool2dForward(Pool2dSpec spec, Tensor input, Tensor output) {
        put(output, ReferencePooling.forward(spec, d(input)));
    }

    @Override
    public void pool2dBackward(Pool2dSpec spec, Tensor input, Tensor gradOutput, Tensor gradInput) {
        put(gradInput, ReferencePooling.backward(spec, d(input), d(gradOutput)));
    }

    @Override
    public void maxPool2dForward(Pool2dSpec spec, Tensor input, Tensor output, ByteBuffer argmax) {
        double[] x = d(input);
        put(output, ReferencePooling.forward(spec, x));
        int[] at = ReferencePooling.argmax(spec, x);
        for (int i = 0; i < at.length; i++) {
            argmax.put(output.memoryIndex(i), (byte) at[i]);
        }
    }

    @Override
    public void maxPool2dBackward(Pool2dSpec spec, ByteBuffer argmax, Tensor gradOutput, Tensor gradInput) {
        int[] at = new int[gradOutput.numel()];
        for (int i = 0; i < at.length; i++) {
            at[i] = argmax.get(gradOutput.memoryIndex(i)) & 0xFF;
        }
        put(gradInput, ReferencePooling.scatter(spec, at, d(gradOutput)));
    }

    @Override
    public void globalAvgPoolForward(Tensor input, Tensor output) {
        put(output, ReferencePooling.globalAvgForward(d(input), input.dim(0) * input.dim(1), input.dim(2) * input.dim(3)));
    }

    @Override
    public void globalAvgPoolBackward(Tensor gradOutput, Tensor gradInput) {
        put(gradInput, ReferencePooling.globalAvgBackward(d(gradOutput), gradInput.dim(0) * gradInput.dim(1),
                gradInput.dim(2) * gradInput.dim(3)));
    }

    @Override
    public void batchNormTrainingForward(float eps, float momentum, Tensor input, Tensor residual, Tensor gamma, Tensor beta,
                                         Tensor runningMean, Tensor runningVar, Tensor output, Tensor batchMean, Tensor batchVar,
                                         boolean relu) {
        int n = input.dim(0), c = input.dim(1), hw = input.dim(2) * input.dim(3);
        double[] x = d(input);
        double[][] stats = ReferenceBatchNorm.statistics(x, n, c, hw);
        double[] rm = d(runningMean), rv = d(runningVar);
        ReferenceBatchNorm.updateRunning(rm, rv, stats[0], stats[1], n * hw, momentum);
        put(runningMean, rm);
        put(runningVar, rv);
        put(batchMean, stats[0]);
        put(batchVar, stats[1]);
        // normalise with the statistics as stored, as the backward will see them (a fused ReLU's mask must agree)
        put(output, ReferenceBatchNorm.normalize(x, residual == null ? null : d(residual), n, c, hw, d(gamma), d(beta), d(batchMean),
                d(batchVar), eps, relu));
    }

    @Override
    public void batchNormInferenceForward(float eps, Tensor input, Tensor residual, Tensor gamma, Tensor beta, Tensor mean, Tensor var,
                                          Tensor output, boolean relu) {
        int n = input.dim(0), c = input.dim(1), hw = input.dim(2) * input.dim(3);
        put(output, ReferenceBatchNorm.normalize(d(input), residual == null ? null : d(residual), n, c, hw, d(gamma), d(beta), d(mean),
                d(var), eps, relu));
    }

    @Override
    public void batchNormBackward(float eps, boolean training, Tensor input, Tensor residual, Tensor gamma, Tensor beta, Tensor mean,
                                  Tensor var, Tensor gradOutput, Tensor gradInput, Tensor gradResidual, Tensor gradGamma, Tensor gradBeta,
                                  boolean relu) {
        int n = input.dim(0), c = input.dim(1), hw = input.dim(2) * input.dim(3);
        double[] gy = d(gradOutput);
        if (relu) {
            ReferenceBatchNorm.maskByRelu(gy, d(input), residual == null ? null : d(residual), n, c, hw, d(gamma), d(beta), d(mean),
                    d(var), eps);
        }
        if (gradResidual != null) {
            put(gradResidual, gy);
        }
        double[][] g = ReferenceBatchNorm.backward(d(input), n, c, hw, d(gamma), d(mean), d(var), gy, eps, training);
        if (gradInput != null) {
            put(gradInput, g[0]);
        }
        if (gradGamma != null) {
            put(gradGamma, g[1]);
        }
        if (gradBeta != null) {
            put(gradBeta, g[2]);
        }
    }

    @Override
    public void activationForward(Activation activation, Tensor input, Tensor output) {
        double[] x = d(input);
        for (int i = 0; i < x.length; i++) {
            x[i] = ReferenceActivations.apply(activation, x[i]);
        }
        put(output, x);
    }

    @Override
    public void activationBackward(Activation activation, Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) {
        double[] x = d(input), y = d(output), g = d(gradOutput);
        for (int i = 0; i < x.length; i++) {
            g[i] *= ReferenceActivations.derivative(activation, x[i], y[i]);
        }
        put(gradInput, g);
    }

    @Override
    public long countNonFinite(Tensor x) {
        FloatBuffer b = x.buffer();
        long count = 0;
        for (int i = 0; i < b.limit(); i++) {
            count += Float.isFinite(b.get(i)) ? 0 : 1;
        }
        return count;
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        double[] x = d(a), y = d(b);
        for (int i = 0; i < x.length; i++) {
            x[i] += y[i];
        }
        put(out, x);
    }

    @Override
    public void multiply(Tensor a, Tensor b, Tensor out) {
        double[] x = d(a), y = d(b);
        for (int i = 0; i < x.length; i++) {
            x[i] *= y[i];
        }
        put(out, x);
    }

    @Override
    public void channelScale(Tensor x, Tensor scale, Tensor out) {
        double[] v = d(x), s = d(scale);
        int hw = x.dim(2) * x.dim(3);
        for (int i = 0; i < v.length; i++) {
            v[i] *= s[i / hw];
        }
        put(out, v);
    }

    @Override
    public void channelAffine(Tensor x, Tensor scale, Tensor shift, Tensor out) {
        double[] v = d(x), a = d(scale), b = shift == null ? new double[a.length] : d(shift);
        int plane = x.rank() == 4 ? x.dim(2) * x.dim(3) : 1, c = x.dim(1);
        for (int i = 0; i < v.length; i++) {
            int ch = i / plane % c;
            v[i] = v[i] * a[ch] + b[ch];
        }
        put(out, v);
    }

    @Override
    public void channelShuffle(int groups, Tensor x, Tensor out) {
        double[] v = d(x), o = new double[v.length];
        int c = x.dim(1), plane = x.dim(2) * x.dim(3), per = c / groups;
        for (int n = 0; n < x.dim(0); n++) {
            for (int i = 0; i < groups; i++) {
                for (int j = 0; j < per; j++) {
                    System.arraycopy(v, (n * c + i * per + j) * plane, o, (n * c + j * groups + i) * plane, plane);
                }
            }
        }
        put(out, o);
    }

    @Override
    public void channelScaleGrad(Tensor x, Tensor gradOutput, Tensor gradScale) {
        double[] v = d(x), g = d(gradOutput), s = new double[x.dim(0) * x.dim(1)];
        int hw = x.dim(2) * x.dim(3);
        for (int i = 0; i < v.length; i++) {
            s[i / hw] += v[i] * g[i];
        }
        put(gradScale, s);
    }

    @Override
    public void dropoutForward(float p, long seed, Tensor input, Tensor mask, Tensor output) {
        double[] x = d(input), m = new double[x.length];
        double scale = p >= 1 ? 0 : 1.0 / (1.0 - p);
        for (int i = 0; i < x.length; i++) {
            m[i] = DropoutMask.keep(seed, i, p) ? scale : 0;
            x[i] *= m[i];
        }
        put(mask, m);
        put(output, x);
    }

    @Override
    public void concatChannels(List<Tensor> inputs, Tensor output) {
        int n = output.dim(0), c = output.dim(1), hw = output.dim(2) * output.dim(3);
        double[] y = new double[n * c * hw];
        int c0 = 0;
        for (Tensor t : inputs) {
            int ci = t.dim(1);
            double[] x = d(t);
            for (int i = 0; i < n; i++) {
                System.arraycopy(x, i * ci * hw, y, (i * c + c0) * hw, ci * hw);
            }
            c0 += ci;
        }
        put(output, y);
    }

    @Override
    public void splitChannels(Tensor gradOutput, List<Tensor> gradInputs) {
        int n = gradOutput.dim(0), c = gradOutput.dim(1), hw = gradOutput.dim(2) * gradOutput.dim(3);
        double[] g = d(gradOutput);
        int c0 = 0;
        for (Tensor t : gradInputs) {
            int ci = t.dim(1);
            double[] x = new double[n * ci * hw];
            for (int i = 0; i < n; i++) {
                System.arraycopy(g, (i * c + c0) * hw, x, i * ci * hw, ci * hw);
            }
            put(t, x);
            c0 += ci;
        }
    }

    @Override
    public void linearForward(Tensor input, Tensor weight, Tensor bias, Tensor output) {
        int n = input.dim(0), in = weight.dim(1), out = weight.dim(0);
        put(output, ReferenceLinear.forward(d(input), d(weight), bias == null ? null : d(bias), n, in, out));
    }

    @Override
    public void linearBackward(Tensor input, Tensor weight, Tensor gradOutput, Tensor gradInput, Tensor gradWeight, Tensor gradBias) {
        double[][] g = ReferenceLinear.backward(d(input), d(weight), d(gradOutput), input.dim(0), weight.dim(1), weight.dim(0));
        if (gradInput != null) {
            put(gradInput, g[0]);
        }
        if (gradWeight != null) {
            put(gradWeight, g[1]);
        }
        if (gradBias != null) {
            put(gradBias, g[2]);
        }
    }

    @Override
    public void softmax(Tensor logits, Tensor probs) {
        put(probs, ReferenceLoss.softmax(d(logits), logits.dim(0), logits.dim(1)));
    }

    @Override
    public double softmaxCrossEntropy(Tensor logits, Tensor targets, Tensor probs, Tensor gradLogits) {
        int n = logits.dim(0), k = logits.dim(1);
        double[] z = d(logits), t = d(targets);
        int[] cls = new int[n];
        for (int i = 0; i < n; i++) {
            cls[i] = (int) t[i];
        }
        put(probs, ReferenceLoss.softmax(z, n, k));
        if (gradLogits != null) {
            put(gradLogits, ReferenceLoss.crossEntropyGradient(z, cls, n, k));
        }
        return ReferenceLoss.crossEntropy(z, cls, n, k);
    }

    @Override
    public void sgdStep(SgdSpec spec, int step, Tensor param, Tensor grad, Tensor momentumBuffer) {
        double[] p = d(param), buf = momentumBuffer == null ? new double[p.length] : d(momentumBuffer);
        ReferenceOptimizers.sgd(spec, step, p, d(grad), buf);
        put(param, p);
        if (momentumBuffer != null) {
            put(momentumBuffer, buf);
        }
    }

    @Override
    public void adamStep(AdamSpec spec, int step, Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq) {
        double[] p = d(param), m = d(expAvg), v = d(expAvgSq);
        ReferenceOptimizers.adam(spec, step, p, d(grad), m, v);
        put(param, p);
        put(expAvg, m);
        put(expAvgSq, v);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        put(c, ReferenceLinear.gemm(transA, transB, m, n, k, alpha, d(a), d(b), beta, d(c)));
    }

    // --- quantised and bf16 inference ----------------------------------------------------------------------

    @Override
    public void quantize(Tensor input, Int8Tensor output) {
        ReferenceQuantized.quantize(input.toArray(), output);
    }

    @Override
    public void dequantize(Int8Tensor input, Tensor output) {
        put(output, ReferenceQuantized.real(input));
    }

    @Override
    public void conv2dInt8Forward(Conv2dSpec spec, Int8Tensor input, Int8Weights weight, Tensor bias, Int8Tensor residual, boolean relu,
                                  Int8Tensor output) {
        ReferenceQuantized.store(ReferenceQuantized.conv(spec, input, weight, bias == null ? null : d(bias), residual, relu), output);
    }

    @Override
    public void conv2dInt8ForwardToFloat(Conv2dSpec spec, Int8Tensor input, Int8Weights weight, Tensor bias, boolean relu,
                                         Tensor output) {
        put(output, ReferenceQuantized.conv(spec, input, weight, bias == null ? null : d(bias), null, relu));
    }

    @Override
    public void linearInt8Forward(Int8Tensor input, Int8Weights weight, Tensor bias, boolean relu, Int8Tensor output) {
        ReferenceQuantized.store(ReferenceQuantized.linear(input, weight, bias == null ? null : d(bias), relu), output);
    }

    @Override
    public void linearInt8ForwardToFloat(Int8Tensor input, Int8Weights weight, Tensor bias, boolean relu, Tensor output) {
        put(output, ReferenceQuantized.linear(input, weight, bias == null ? null : d(bias), relu));
    }

    @Override
    public void maxPool2dInt8Forward(Pool2dSpec spec, Int8Tensor input, Int8Tensor output) {
        ReferenceQuantized.store(ReferenceQuantized.maxPool(spec, input), output);
    }

    @Override
    public void conv2dBf16Forward(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor residual, boolean relu,
                                  Tensor output) {
        double[] y = ReferenceConvolution.forward(spec, ReferenceQuantized.bf16(d(input)), ReferenceQuantized.bf16(d(weight)),
                bias == null ? null : d(bias));
        put(output, residualRelu(y, residual == null ? null : d(residual), relu));
    }

    @Override
    public void linearBf16Forward(Tensor input, Tensor weight, Tensor bias, boolean relu, Tensor output) {
        int n = input.dim(0), in = weight.dim(1), out = weight.dim(0);
        double[] y = ReferenceLinear.forward(ReferenceQuantized.bf16(d(input)), ReferenceQuantized.bf16(d(weight)),
                bias == null ? null : d(bias), n, in, out);
        put(output, residualRelu(y, null, relu));
    }

    /** y + residual, then ReLU keeping NaN (as PyTorch's). */
    private static double[] residualRelu(double[] y, double[] residual, boolean relu) {
        for (int i = 0; i < y.length; i++) {
            double v = residual == null ? y[i] : y[i] + residual[i];
            y[i] = relu && v < 0 ? 0 : v;
        }
        return y;
    }


    /** The tensor's elements in logical order, widened to double. */
    static double[] d(Tensor t) {
        float[] f = t.toArray();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    /** Rounds {@code values} (logical order) to float32 into {@code t}, whatever its layout. */
    static void put(Tensor t, double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        t.copyFrom(f);
    }
}
