package org.cnn4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * ONNX Runtime (its Java API) running one ONNX model with its default graph optimisations, as a user of it
 * would: the peer {@code bench --onnx} times. It is an optional dependency: {@link OnnxBenchRun} checks
 * that its classes are on the class path before this class is loaded.
 */
final class OnnxRuntimePeer implements AutoCloseable {
    private final OrtSession session;
    private final OnnxTensor input;
    private final String inputName;

    /** A session on {@code model} with {@code threads} intra-op threads, fed {@code x} of shape {@code dims} on every run. */
    OnnxRuntimePeer(byte[] model, int threads, float[] x, long[] dims) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            session = env.createSession(model, options);
        }
        input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), dims);
        inputName = session.getInputNames().iterator().next();
    }

    /** Why ONNX Runtime's native library cannot load here, or null when it can (call only with its classes present). */
    static String loadError() {
        try {
            OrtEnvironment.getEnvironment();
            return null;
        } catch (RuntimeException | LinkageError e) {
            return "ONNX Runtime cannot load: " + e.getMessage();
        }
    }

    static String version() {
        return OrtEnvironment.getEnvironment().getVersion();
    }

    /** One run; returns the output. */
    float[] run() {
        try (OrtSession.Result result = session.run(Map.of(inputName, input))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] y = new float[out.remaining()];
            out.get(y);
            return y;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
        }
    }

    /** One run whose output is dropped (what is timed). */
    void time() {
        try (OrtSession.Result result = session.run(Map.of(inputName, input))) {
            result.size();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws OrtException {
        input.close();
        session.close();
    }
}
