package org.cnn4j.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cnn4j.kernels.Loss;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.fuse.InferenceFusion;
import org.cnn4j.onnx.OnnxModel;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;

/**
 * {@code cnn4j bench --onnx FILE}: one ONNX file imported and run by cnn4j, and the same file run by ONNX
 * Runtime with its default optimisations, on the same input and threads. Each round times {@code reps}
 * calls of cnn4j and then of ONNX Runtime, each after {@link Timing}'s warm-up, and takes the ratio of the two
 * medians (cnn4j over ONNX Runtime: below 1 is faster); the report gives the medians over rounds and the
 * ratio's spread, and the largest difference between the two outputs relative to the output's scale. Blocks,
 * not call-by-call alternation: each engine's threads spin a while after a call, and on two cores that spin
 * would be timed as the other's.
 */
public final class OnnxBenchRun {
    private OnnxBenchRun() {
    }

    /** Runs the benchmark, prints the report and returns it as a JSON-ready map. */
    public static Map<String, Object> run(Path file, int mb, int reps, int rounds, int threads, boolean fuse, PrintStream out)
            throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        try (OnnxModel model = OnnxModel.load(file)) {
            int[] s = model.inputShape();
            int[] dims = new int[s.length + 1];
            dims[0] = mb;
            System.arraycopy(s, 0, dims, 1, s.length);
            float[] x = uniform(Arrays.stream(dims).reduce(1, (a, b) -> a * b));
            Module net = fuse ? InferenceFusion.fuse(model.graph()) : model.graph();
            net.eval();
            String missing = peerUnavailable();
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("kind", "onnx");
            doc.put("file", file.toString());
            doc.put("batch", mb);
            doc.put("threads", threads);
            doc.put("fused", fuse);
            out.printf("bench %s%s, batch %d, input %s, %d layers, %,d parameters, %d threads%n", file.getFileName(),
                    fuse ? " (conv+BN+ReLU fused)" : "", mb, Arrays.toString(s), model.graph().nodes().size(),
                    model.graph().parameterCount(), threads);
            try (Tensor in = Tensor.of(x, dims)) {
                Runnable ours = () -> net.forward(in);
                if (missing != null) {
                    List<Double> mine = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        mine.add(Timing.ms(reps, ours).median());
                    }
                    doc.put("cnn4j", side(mine, mb));
                    doc.put("onnxruntime", Map.of("unavailable", missing));
                } else {
                    long[] theirDims = model.channelsLastInput() ? new long[] {mb, s[1], s[2], s[0]} : Arrays.stream(dims).asLongStream().toArray();
                    float[] theirX = model.channelsLastInput() ? toNhwc(x, dims) : x;
                    try (OnnxRuntimePeer peer = new OnnxRuntimePeer(bytes, threads, theirX, theirDims)) {
                        float[] mine = net.forward(in).toArray(), theirs = peer.run();
                        if (model.endsInSoftmax()) {
                            mine = softmax(mine, mb);
                        }
                        doc.put("max_difference", maxDifference(mine, theirs));
                        List<Double> a = new ArrayList<>(), b = new ArrayList<>(), ratios = new ArrayList<>();
                        for (int r = 0; r < rounds; r++) {
                            a.add(Timing.ms(reps, ours).median());
                            b.add(Timing.ms(reps, peer::time).median());
                            ratios.add(a.get(r) / b.get(r));
                        }
                        doc.put("cnn4j", side(a, mb));
                        Map<String, Object> peerDoc = side(b, mb);
                        peerDoc.put("version", OnnxRuntimePeer.version());
                        peerDoc.put("ratio_ms", Timing.Samples.of(ratios).median());
                        peerDoc.put("round_ratios", ratios);
                        doc.put("onnxruntime", peerDoc);
                    }
                }
            } finally {
                if (net != model.graph()) {
                    net.close(); // the folded copy; the layers it shares with the graph are closed twice, harmlessly
                }
            }
            print(doc, out);
            return doc;
        }
    }

    /** Why ONNX Runtime cannot run here, or null; checks for its classes before loading {@link OnnxRuntimePeer}, which uses them. */
    private static String peerUnavailable() {
        try {
            Class.forName("ai.onnxruntime.OrtEnvironment", false, OnnxBenchRun.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return "not on the class path (com.microsoft.onnxruntime:onnxruntime)";
        }
        return OnnxRuntimePeer.loadError();
    }

    private static Map<String, Object> side(List<Double> ms, int mb) {
        Map<String, Object> m = new LinkedHashMap<>();
        double median = Timing.Samples.of(ms).median();
        m.put("ms", median);
        m.put("images_per_s", mb / median * 1000);
        m.put("round_ms", ms);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static void print(Map<String, Object> doc, PrintStream out) {
        Map<String, Object> mine = (Map<String, Object>) doc.get("cnn4j"), theirs = (Map<String, Object>) doc.get("onnxruntime");
        boolean peer = !theirs.containsKey("unavailable");
        out.printf("%n%-30s %10s %14s %8s%n", "", "cnn4j", peer ? "ONNX Runtime " + theirs.get("version") : "ONNX Runtime", "ratio");
        out.printf("%-30s %10.2f %14s %8s%n", "ms per batch of " + doc.get("batch") + " (median)", (Double) mine.get("ms"),
                peer ? String.format("%.2f", (Double) theirs.get("ms")) : "-", peer ? String.format("%.2fx", (Double) theirs.get("ratio_ms")) : "-");
        out.printf("%-30s %10.1f %14s%n", "images/s", (Double) mine.get("images_per_s"),
                peer ? String.format("%.1f", (Double) theirs.get("images_per_s")) : "-");
        if (peer) {
            List<Double> r = (List<Double>) theirs.get("round_ratios");
            out.printf("ratio round by round: %.2f-%.2fx over %d rounds (cnn4j's time over ONNX Runtime's; below 1 is faster)%n",
                    r.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), r.stream().mapToDouble(Double::doubleValue).max().orElseThrow(),
                    r.size());
            out.printf("largest output difference: %.2e of the output's scale%n", (Double) doc.get("max_difference"));
        } else {
            out.println("ONNX Runtime: " + theirs.get("unavailable"));
        }
    }

    /** Uniform in [-1, 1), seeded: the same input on every run. */
    private static float[] uniform(int count) {
        Random r = new Random(20);
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return v;
    }

    /** {@code x} of NCHW shape {@code d} in NHWC memory order, as an NHWC file's input takes it. */
    public static float[] toNhwc(float[] x, int[] d) {
        try (Tensor nchw = Tensor.of(x, d); Tensor nhwc = nchw.toLayout(Layout.NHWC)) {
            float[] y = new float[x.length];
            nhwc.buffer().get(y);
            return y;
        }
    }

    private static float[] softmax(float[] logits, int n) {
        try (Tensor z = Tensor.of(logits, n, logits.length / n); Tensor p = Tensor.zeros(n, logits.length / n)) {
            Loss.softmax(z, p);
            return p.toArray();
        }
    }

    /** max |a - b| over max |b|. */
    private static double maxDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalStateException("bench --onnx: cnn4j's output has " + a.length + " values, ONNX Runtime's " + b.length);
        }
        double diff = 0, scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff / Math.max(scale, Double.MIN_NORMAL);
    }
}
