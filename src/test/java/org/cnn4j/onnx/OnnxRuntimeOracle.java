package org.cnn4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;

/** ONNX Runtime (the real engine, one thread) computing the expected outputs of an ONNX model, and the inputs and weights the tests use. */
final class OnnxRuntimeOracle {
    private OnnxRuntimeOracle() {
    }

    /** ONNX Runtime's output for {@code model}'s bytes on input {@code x} of shape {@code dims} (batch first). */
    static float[] run(byte[] model, float[] x, long... dims) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            // the model as written, not ORT's rewrite of it: its Pad fusion folds torch's zero Pad into the following
            // AveragePool as count_include_pad=1 (microsoft/onnxruntime PR 23190), and MLAS then divides a ceil-mode
            // window hanging over the edge by the whole kernel (PR 29629, after 1.24.2): 0.23 off on op_pools.onnx,
            // where PyTorch and the unoptimised graph agree
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession session = env.createSession(model, options);
                 OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), dims);
                 OrtSession.Result result = session.run(Map.of(session.getInputNames().iterator().next(), input))) {
                FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
                float[] y = new float[out.remaining()];
                out.get(y);
                return y;
            }
        }
    }

    /** cnn4j's output for {@code net} (in its current mode) on {@code x}. */
    static float[] cnn4j(Module net, float[] x, int... dims) {
        try (Tensor in = Tensor.of(x, dims)) {
            return net.forward(in).toArray();
        }
    }

    static float[] uniform(int count, long seed) {
        Random r = new Random(seed);
        float[] v = new float[count];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return v;
    }

    /** Gives every batch norm of {@code net} seeded statistics and affine weights away from the identity, so they are really tested. */
    static void randomizeBatchNorms(Module net, long seed) {
        Random r = new Random(seed);
        net.namedParameters().forEach((name, p) -> {
            if (name.endsWith("gamma") || name.endsWith("beta")) {
                float[] v = p.value().toArray();
                for (int i = 0; i < v.length; i++) {
                    v[i] = (name.endsWith("gamma") ? 1 : 0) + 0.2f * (float) r.nextGaussian();
                }
                p.value().copyFrom(v);
            }
        });
        net.namedBuffers().forEach((name, t) -> {
            if (!name.endsWith("running_mean") && !name.endsWith("running_var")) {
                return;
            }
            float[] v = t.toArray();
            for (int i = 0; i < v.length; i++) {
                v[i] = name.endsWith("running_var") ? 0.5f + r.nextFloat() : 0.2f * (float) r.nextGaussian();
            }
            t.copyFrom(v);
        });
    }

    /** The largest |a - b| over the largest |b| (or 1 when the outputs are all small). */
    static double relativeError(float[] a, float[] b) {
        double diff = 0, scale = 1e-3;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff / scale;
    }
}
