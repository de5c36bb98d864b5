package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Native kernels called from several Java threads at once, as a server does: each thread has its own
 * activations and batch size (1-4) and all share the weights read-only, and every result must equal, bit
 * for bit, the same call made alone on one thread. Covers what the kernels keep between calls: oneDNN's
 * cached primitives (created by one thread, run by others) and reordered weights, the Winograd filter
 * cache, per-thread scratch buffers, and OpenMP regions started by several threads at once.
 */
@ExtendWith(RestoresNativeThreads.class)
class NativeConcurrencyTest {
    private static final int THREADS = 4, ROUNDS = 40;
    @BeforeEach
    void load() {
        NativeTestSupport.requireNative();
    }

    /** Batch sizes 1-4 (each thread its own oneDNN primitives, made by another thread), or one size (shared primitives). */
    @ParameterizedTest
    @ValueSource(strings = {"1,2,3,4", "2,2,2,2"})
    void concurrentCallsGiveTheSingleThreadResultsBitForBit(String sizes) throws Exception {
        int[] batch = Arrays.stream(sizes.split(",")).mapToInt(Integer::parseInt).toArray();
        NativeLibrary.useThreads(2);
        try (Weights weights = new Weights()) {
            List<Map<String, float[]>> alone = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                try (Workload w = new Workload(weights, batch[t])) {
                    alone.add(w.run());
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                CyclicBarrier start = new CyclicBarrier(THREADS);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        try (Workload w = new Workload(weights, batch[thread])) {
                            start.await();
                            for (int round = 0; round < ROUNDS; round++) {
                                Map<String, float[]> got = w.run();
                                String when = "thread " + thread + " batch " + batch[thread] + " round " + round + ": ";
                                alone.get(thread).forEach((op, want) -> NativeGoldenSupport.assertExact(when + op, got.get(op), want));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(5, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** omp_set_num_threads sets only the calling thread's team size: a thread that did not call it used every core. */
    @Test
    void theThreadCountHoldsOnEveryCallingThread() throws Exception {
        NativeLibrary.useThreads(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            assertThat(pool.submit(NativeLibrary::threads).get()).isEqualTo(1);
            NativeLibrary.useThreads(3);
            assertThat(pool.submit(NativeLibrary::threads).get()).isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The layers' weights, shared read-only by every thread (not frozen: the caches fingerprint them on each call). */
    private static final class Weights implements AutoCloseable {
        final Tensor conv3 = NativeGoldenSupport.random(new int[] {32, 16, 3, 3}, Layout.NCHW, 1);
        final Tensor bias3 = NativeGoldenSupport.random(new int[] {32}, Layout.PLAIN, 2);
        final Tensor strided = NativeGoldenSupport.random(new int[] {16, 8, 3, 3}, Layout.NCHW, 3);
        final Tensor gamma = NativeGoldenSupport.uniform(new int[] {32}, 0.5f, 1.5f, 4);
        final Tensor beta = NativeGoldenSupport.random(new int[] {32}, Layout.PLAIN, 5);

        @Override
        public void close() {
            for (Tensor t : List.of(conv3, bias3, strided, gamma, beta)) {
                t.close();
            }
        }
    }

    /**
     * One thread's calls at one batch size, on its own NHWC tensors: every convolution algorithm forward
     * (with bias, and with bias, residual and ReLU fused), backward-data and backward-weights, a strided
     * convolution, max and average pooling forward and backward, batch norm in training (forward, backward)
     * and inference.
     */
    private static final class Workload implements AutoCloseable {
        private static final int ONEDNN = 0, IM2COL = 1, WINOGRAD_2 = 2, WINOGRAD_4 = 4;
        private final Weights weights;
        private final Conv2dSpec conv3, strided;
        private final Pool2dSpec maxPool, avgPool;
        private final List<Tensor> tensors = new ArrayList<>();
        private final Tensor x, dy, xs, dys;
        private final float[] ones = new float[32];
        private final ByteBuffer argmax;
        private final Map<String, Tensor> outputs = new LinkedHashMap<>();

        Workload(Weights weights, int batch) {
            this.weights = weights;
            conv3 = Conv2dSpec.of(batch, 16, 12, 12, 32, 3, 1, 1);
            strided = Conv2dSpec.of(batch, 8, 13, 13, 16, 3, 2, 1);
            maxPool = Pool2dSpec.of(Pool2dSpec.Kind.MAX, batch, 32, 12, 12, 3, 2, 1);
            avgPool = new Pool2dSpec(Pool2dSpec.Kind.AVG, batch, 32, 12, 12, 3, 3, 2, 2, 1, 1, true, false);
            x = own(NativeGoldenSupport.random(conv3.inputDims(), Layout.NHWC, 10 + batch));
            dy = own(NativeGoldenSupport.random(conv3.outputDims(), Layout.NHWC, 20 + batch));
            xs = own(NativeGoldenSupport.random(strided.inputDims(), Layout.NHWC, 30 + batch));
            dys = own(NativeGoldenSupport.random(strided.outputDims(), Layout.NHWC, 40 + batch));
            Arrays.fill(ones, 1f);
            argmax = ByteBuffer.allocateDirect(maxPool.n() * maxPool.c() * maxPool.outH() * maxPool.outW());
        }

        /** Runs every call and returns each output by name. */
        Map<String, float[]> run() {
            for (int algo : new int[] {ONEDNN, IM2COL, WINOGRAD_2, WINOGRAD_4}) {
                convolution3x3(algo);
            }
            int[] g = NativeBackend.geometry(strided);
            check(NativeKernels.cnn4j_conv2d_onednn_forward(g, 1, xs.buffer(), weights.strided.buffer(), 0, null, 0, null, 1,
                    out("strided forward onednn", strided.outputDims()), 0));
            check(NativeKernels.cnn4j_conv2d_im2col_forward(g, xs.buffer(), weights.strided.buffer(), null, null,
                    out("strided forward im2col", strided.outputDims()), 0));
            check(NativeKernels.cnn4j_conv2d_onednn_backward_data(g, 1, dys.buffer(), weights.strided.buffer(), 0, 1,
                    out("strided backward data onednn", strided.inputDims())));
            check(NativeKernels.cnn4j_conv2d_onednn_backward_weights(g, 1, xs.buffer(), 1, dys.buffer(),
                    out("strided backward weights onednn", strided.weightDims()), null));
            pooling(dy);
            batchNorm(dy);
            Map<String, float[]> results = new LinkedHashMap<>();
            outputs.forEach((name, t) -> results.put(name, t.toArray()));
            return results;
        }

        private void convolution3x3(int algo) {
            int[] g = NativeBackend.geometry(conv3);
            FloatBuffer w = weights.conv3.buffer(), b = weights.bias3.buffer();
            String name = switch (algo) {
                case ONEDNN -> "onednn";
                case IM2COL -> "im2col";
                default -> "winograd F(" + algo + "x" + algo + ")";
            };
            FloatBuffer y = out("forward " + name, conv3.outputDims());
            FloatBuffer fused = out("forward + add + relu " + name, conv3.outputDims());
            FloatBuffer dx = out("backward data " + name, conv3.inputDims());
            FloatBuffer dw = out("backward weights " + name, conv3.weightDims());
            FloatBuffer db = out("backward bias " + name, new int[] {32});
            switch (algo) {
                case ONEDNN -> {
                    check(NativeKernels.cnn4j_conv2d_onednn_forward(g, 1, x.buffer(), w, 0, b, 0, null, 1, y, 0));
                    check(NativeKernels.cnn4j_conv2d_onednn_forward(g, 1, x.buffer(), w, 0, b, 1, dy.buffer(), 1, fused, 1));
                    check(NativeKernels.cnn4j_conv2d_onednn_backward_data(g, 1, dy.buffer(), w, 0, 1, dx));
                    check(NativeKernels.cnn4j_conv2d_onednn_backward_weights(g, 1, x.buffer(), 1, dy.buffer(), dw, db));
                }
                case IM2COL -> {
                    check(NativeKernels.cnn4j_conv2d_im2col_forward(g, x.buffer(), w, b, null, y, 0));
                    check(NativeKernels.cnn4j_conv2d_im2col_forward(g, x.buffer(), w, b, dy.buffer(), fused, 1));
                    check(NativeKernels.cnn4j_conv2d_im2col_backward_data(g, dy.buffer(), w, dx));
                    check(NativeKernels.cnn4j_conv2d_im2col_backward_weights(g, x.buffer(), dy.buffer(), dw, db));
                }
                default -> {
                    check(NativeKernels.cnn4j_conv2d_winograd_forward(algo, g, x.buffer(), w, 0, b, null, y, 0));
                    check(NativeKernels.cnn4j_conv2d_winograd_forward(algo, g, x.buffer(), w, 0, b, dy.buffer(), fused, 1));
                    check(NativeKernels.cnn4j_conv2d_winograd_backward_data(algo, g, dy.buffer(), w, 0, dx));
                    check(NativeKernels.cnn4j_conv2d_winograd_backward_weights(algo, g, x.buffer(), dy.buffer(), dw, db));
                }
            }
        }

        private void pooling(Tensor input) {
            int[] max = NativeBackend.pool(maxPool), avg = NativeBackend.pool(avgPool);
            FloatBuffer pooled = out("max pool forward", maxPool.outputDims());
            check(NativeKernels.cnn4j_pool2d_forward(max, 1, input.buffer(), pooled, argmax));
            check(NativeKernels.cnn4j_pool2d_backward(max, 1, null, argmax, pooled, out("max pool backward", maxPool.inputDims())));
            check(NativeKernels.cnn4j_pool2d_backward(max, 1, input.buffer(), null, pooled,
                    out("max pool backward from the input", maxPool.inputDims())));
            FloatBuffer averaged = out("avg pool forward", avgPool.outputDims());
            check(NativeKernels.cnn4j_pool2d_forward(avg, 1, input.buffer(), averaged, null));
            check(NativeKernels.cnn4j_pool2d_backward(avg, 1, input.buffer(), null, averaged, out("avg pool backward", avgPool.inputDims())));
        }

        private void batchNorm(Tensor input) {
            int n = input.dim(0), hw = input.dim(2) * input.dim(3);
            FloatBuffer mean = out("batch mean", new int[] {32}), var = out("batch var", new int[] {32});
            FloatBuffer runningMean = out("running mean", new int[] {32}), runningVar = out("running var", new int[] {32});
            runningMean.put(0, new float[32]); // the running statistics start over in every round
            runningVar.put(0, ones);
            check(NativeKernels.cnn4j_batch_norm_training_forward(n, 32, hw, 1, 1e-5f, 0.1f, input.buffer(), null, weights.gamma.buffer(),
                    weights.beta.buffer(), runningMean, runningVar, out("batch norm training forward", input.dims()), mean, var, 1));
            check(NativeKernels.cnn4j_batch_norm_backward(n, 32, hw, 1, 1e-5f, 1, input.buffer(), null, weights.gamma.buffer(),
                    weights.beta.buffer(), mean, var, dy.buffer(), out("batch norm backward", input.dims()), null,
                    out("batch norm grad gamma", new int[] {32}), out("batch norm grad beta", new int[] {32}), 1));
            check(NativeKernels.cnn4j_batch_norm_inference_forward(n, 32, hw, 1, 1e-5f, input.buffer(), null, weights.gamma.buffer(),
                    weights.beta.buffer(), runningMean, runningVar, out("batch norm inference", input.dims()), 0));
        }

        /** The output tensor of this name (made on first use), filled with NaN so that an element not written shows. */
        private FloatBuffer out(String name, int[] dims) {
            Tensor t = outputs.computeIfAbsent(name, k -> dims.length == 4 ? Tensor.zeros(Shape.of(dims), Layout.NHWC) : Tensor.zeros(dims));
            return t.fill(Float.NaN).buffer();
        }

        private Tensor own(Tensor t) {
            tensors.add(t);
            return t;
        }

        private static void check(int status) {
            NativeStatus.check(status, "native call");
        }

        @Override
        public void close() {
            tensors.forEach(Tensor::close);
            outputs.values().forEach(Tensor::close);
        }
    }
}
