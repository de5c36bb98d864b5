package org.cnn4j.nn;

import org.cnn4j.nn.fuse.InferenceFusion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.cnn4j.backend.Backends;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.Test;

/**
 * One model from many threads: each call gives bit for bit what one thread gets, with batch sizes of 1
 * to 4 mixed across the threads (which before predictors gave wrong results, NullPointerExceptions and a
 * JVM abort in oneDNN when the threads shared the model's own activations), the predictors share the
 * model's weights instead of copying them, and a module called by two threads at once says so.
 */
class PredictorTest {
    private static final int THREADS = 4, PASSES = 6;

    @Test
    void fusedResnet18FromFourThreadsGivesTheSingleThreadResults() throws Exception {
        Init.manualSeed(11);
        Graph net = (Graph) Zoo.build("resnet18", 3, 32, 32, 10);
        randomBatchNormStatistics(net, 12);
        net.eval();
        Graph fused = InferenceFusion.fuse(net);
        try (net) {
            runFromThreads(fused, 3, 32, 32, (model, id) -> {
                Predictor p = Predictor.of(model);
                return new Caller(p::predict, p);
            });
        } finally {
            fused.children().values().stream().filter(m -> m instanceof Conv2d).forEach(Module::close); // the folded copies
        }
    }

    @Test
    void unfusedSequentialThroughAPoolFromFourThreadsGivesTheSingleThreadResults() throws Exception {
        Init.manualSeed(13);
        Sequential net = (Sequential) Zoo.build("fmnist-cnn", 1, 28, 28, 10);
        randomBatchNormStatistics(net, 14);
        net.eval();
        try (net; PredictorPool pool = new PredictorPool(net)) {
            runFromThreads(net, 1, 28, 28, (model, id) -> new Caller(pool::predict, () -> { }));
            assertThat(pool.size()).as("predictors made: at most one per thread at once").isBetween(1, THREADS);
        }
    }

    @Test
    void aPredictorSharesTheModelsWeightsAndLeavesThemOpenWhenClosed() {
        Init.manualSeed(15);
        Sequential net = (Sequential) Zoo.build("fmnist-cnn", 1, 28, 28, 10);
        net.eval();
        long weightBytes = net.parameterCount() * Float.BYTES;
        try (net; Tensor x = Tensor.zeros(Shape.of(2, 1, 28, 28), Backends.current().activationLayout())) {
            Init.normal(x, 1);
            float[] expected = net.forward(x).toArray();
            long before = Tensor.liveBytes();
            Predictor p = Predictor.of(net);
            assertThat(Tensor.liveBytes() - before).as("a new predictor holds no copy of the %d bytes of weights", weightBytes)
                    .isLessThan(weightBytes / 100);
            assertThat(p.predict(x)).containsExactly(expected);
            p.close();
            assertThat(net.parameters()).allSatisfy(w -> assertThat(w.value().isClosed()).isFalse());
            assertThat(net.forward(x).toArray()).containsExactly(expected);
        }
    }

    @Test
    void aModuleCalledFromTwoThreadsAtOnceFailsNamingIt() throws Exception {
        CountDownLatch inside = new CountDownLatch(1), release = new CountDownLatch(1);
        Sequential net = new Sequential(new Gate(inside, release), ActivationLayer.relu());
        ExecutorService first = Executors.newSingleThreadExecutor(r -> new Thread(r, "request-1"));
        try (net; Tensor x = Tensor.zeros(2, 3)) {
            Future<Tensor> running = first.submit(() -> net.forward(x));
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> net.forward(x)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Sequential of 2 layers forward").hasMessageContaining("'request-1'")
                    .hasMessageContaining("Predictor");
            release.countDown();
            running.get(10, TimeUnit.SECONDS);
            assertThat(net.forward(x)).as("free again once the first call is over").isNotNull();
            assertThatThrownBy(() -> Predictor.of(net)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining(Gate.class.getName()).hasMessageContaining("newReplica");
        } finally {
            release.countDown();
            first.shutdownNow();
        }
    }

    /** How one thread calls the model: a prediction and what to close afterwards. */
    private record Caller(java.util.function.Function<Tensor, float[]> predict, AutoCloseable resources) {
    }

    private interface CallerFactory {
        Caller make(Module model, int thread);
    }

    /**
     * Each of {@link #THREADS} threads runs {@link #PASSES} passes of its own inputs, with batch size
     * 1 + (thread + pass) % 4, all threads starting together; each output must equal, bit for bit, the
     * model's output for the same input computed first on this thread alone.
     */
    private static void runFromThreads(Module model, int c, int h, int w, CallerFactory callers) throws Exception {
        List<List<Tensor>> inputs = new ArrayList<>();
        List<List<float[]>> expected = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(21);
        for (int t = 0; t < THREADS; t++) {
            List<Tensor> in = new ArrayList<>();
            List<float[]> out = new ArrayList<>();
            for (int pass = 0; pass < PASSES; pass++) {
                Tensor x = Tensor.zeros(Shape.of(1 + (t + pass) % 4, c, h, w), Backends.current().activationLayout()).detach();
                java.nio.FloatBuffer b = x.buffer();
                for (int i = 0; i < b.limit(); i++) {
                    b.put(i, (float) r.nextGaussian());
                }
                in.add(x);
                out.add(model.forward(x).toArray());
            }
            inputs.add(in);
            expected.add(out);
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(THREADS);
        try {
            List<Future<List<float[]>>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    Caller caller = callers.make(model, id);
                    try (AutoCloseable done = caller.resources()) {
                        start.countDown();
                        start.await();
                        List<float[]> got = new ArrayList<>();
                        for (Tensor x : inputs.get(id)) {
                            got.add(caller.predict().apply(x));
                        }
                        return got;
                    }
                }));
            }
            for (int t = 0; t < THREADS; t++) {
                List<float[]> got = results.get(t).get(120, TimeUnit.SECONDS);
                for (int pass = 0; pass < PASSES; pass++) {
                    assertThat(got.get(pass)).as("thread %d pass %d (batch %d)", t, pass, inputs.get(t).get(pass).dim(0))
                            .containsExactly(expected.get(t).get(pass));
                }
            }
        } finally {
            pool.shutdownNow();
            inputs.forEach(list -> list.forEach(Tensor::close));
        }
    }

    private static void randomBatchNormStatistics(Module net, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (Module m : net.children().values()) {
            if (m instanceof BatchNorm2d b) {
                for (Tensor t : new Tensor[] {b.gamma().value(), b.beta().value(), b.runningMean(), b.runningVar()}) {
                    java.nio.FloatBuffer v = t.buffer();
                    for (int i = 0; i < v.limit(); i++) {
                        v.put(i, (float) (0.5 + r.nextDouble()));
                    }
                }
            }
        }
    }

    /** A layer that signals when a thread is inside its forward and holds it there until released. */
    private static final class Gate extends Module {
        private final CountDownLatch inside, release;

        Gate(CountDownLatch inside, CountDownLatch release) {
            this.inside = inside;
            this.release = release;
        }

        @Override
        public Tensor forward(Tensor input) {
            inside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return input;
        }

        @Override
        public Tensor backward(Tensor gradOutput) {
            return gradOutput;
        }

        @Override
        public String describe() {
            return "Gate";
        }
    }
}
