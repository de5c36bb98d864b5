package org.cnn4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import org.cnn4j.onnx.OnnxExport;

/**
 * ONNX Runtime (its Java API) as a bench peer, run as a user of it would: default graph optimisations, {@code threads}
 * intra-op threads, one inter-op thread. It runs the ONNX file of {@code bench --onnx} as it is, and for {@code bench
 * --network} the network exported with its weights ({@link OnnxExport}, in memory). ONNX Runtime is an optional
 * dependency of the core jar: {@link #unavailable} looks for its classes before anything here touches them, and only
 * {@link Session} refers to them. It does not train.
 */
public final class OnnxRuntimePeer implements Peer {
    @Override
    public String name() {
        return "ONNX Runtime";
    }

    @Override
    public String id() {
        return "onnxruntime";
    }

    @Override
    public String unavailable(PeerTask task) {
        if (task.training()) {
            return "ONNX Runtime does not train (its Java API runs inference only)";
        }
        try {
            Class.forName("ai.onnxruntime.OrtEnvironment", false, OnnxRuntimePeer.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return "ONNX Runtime is not on the class path (com.microsoft.onnxruntime:onnxruntime)";
        }
        return Session.loadError();
    }

    @Override
    public String version() {
        return Session.version();
    }

    @Override
    public PeerSession open(PeerTask task) throws OrtException {
        PeerTask.OnnxFile file = task.onnxFile();
        byte[] model = file != null ? file.bytes() : OnnxExport.toModel(task.network(), task.sampleShape()).toByteArray();
        int[] d = task.dims();
        boolean nhwc = file != null && file.channelsLastInput();
        long[] dims = nhwc ? new long[] {d[0], d[2], d[3], d[1]}
                : file != null && file.signalInput() ? new long[] {d[0], d[1], d[3]} : Arrays.stream(d).asLongStream().toArray();
        return new Session(model, task.threads(), nhwc ? OnnxBenchRun.toNhwc(task.input(), d) : task.input(), dims);
    }

    /** A session on one model, fed the same input on every run. */
    private static final class Session implements PeerSession {
        private final OrtSession session;
        private final OnnxTensor input;
        private final String inputName;

        Session(byte[] model, int threads, float[] x, long[] dims) throws OrtException {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(threads);
                options.setInterOpNumThreads(1);
                session = env.createSession(model, options);
            }
            input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), dims);
            inputName = session.getInputNames().iterator().next();
        }

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

        @Override
        public float[] run() {
            try (OrtSession.Result result = session.run(Map.of(inputName, input))) {
                FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
                float[] y = new float[out.remaining()];
                out.get(y);
                return y;
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            input.close();
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
            }
        }
    }
}
