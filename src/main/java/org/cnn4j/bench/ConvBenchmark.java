package org.cnn4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.tensor.Tensor;

/**
 * Times convolution algorithms on one layer. Algorithms run interleaved (A, B, A, B, ...) after a
 * warm-up call each, so drift of the machine (clocks, the other core's load) hits every algorithm
 * alike, and the median of the rounds is reported. Activations are channels-last, the layout the
 * native backend keeps between layers.
 */
public final class ConvBenchmark {

    /** Which pass of the convolution is timed. */
    public enum Direction { FORWARD, BACKWARD_DATA, BACKWARD_WEIGHTS }

    /** The median time of one algorithm on one layer and direction, with its direct-convolution FLOP rate. */
    public record Result(ConvLayer layer, Direction direction, ConvAlgorithm algorithm, double medianMs, double gflops) {
    }

    private ConvBenchmark() {
    }

    /** Runs for at least {@code minSeconds} (and at least 5 rounds) and returns one result per algorithm. */
    public static List<Result> run(Backend backend, ConvLayer layer, Direction direction, List<ConvAlgorithm> algorithms,
                                   double minSeconds) {
        Conv2dSpec s = layer.spec();
        ConvAlgorithm before = ConvAlgorithm.current();
        try (Tensor x = RandomTensors.uniform(s.inputDims(), 1);
             Tensor w = RandomTensors.uniform(s.weightDims(), 2);
             Tensor b = RandomTensors.uniform(new int[] {s.k()}, 3);
             Tensor y = RandomTensors.uniform(s.outputDims(), 4)) {
            Runnable[] runs = new Runnable[algorithms.size()];
            for (int a = 0; a < runs.length; a++) {
                ConvAlgorithm algo = algorithms.get(a);
                runs[a] = () -> {
                    ConvAlgorithm.use(algo);
                    switch (direction) {
                        case FORWARD -> backend.conv2dForward(s, x, w, b, y);
                        case BACKWARD_DATA -> backend.conv2dBackwardData(s, y, w, x);
                        case BACKWARD_WEIGHTS -> backend.conv2dBackwardWeights(s, x, y, w, b);
                    }
                };
                runs[a].run();
            }
            List<double[]> times = new ArrayList<>();
            for (int a = 0; a < runs.length; a++) {
                times.add(new double[200]);
            }
            long start = System.nanoTime();
            int rounds = 0;
            while (rounds < 200 && (rounds < 5 || (System.nanoTime() - start) * 1e-9 < minSeconds)) {
                for (int a = 0; a < runs.length; a++) {
                    long t0 = System.nanoTime();
                    runs[a].run();
                    times.get(a)[rounds] = (System.nanoTime() - t0) * 1e-6;
                }
                rounds++;
            }
            List<Result> results = new ArrayList<>();
            for (int a = 0; a < runs.length; a++) {
                double[] t = Arrays.copyOf(times.get(a), rounds);
                Arrays.sort(t);
                double ms = t[rounds / 2];
                results.add(new Result(layer, direction, algorithms.get(a), ms, s.flops() / (ms * 1e-3) * 1e-9));
            }
            return results;
        } finally {
            ConvAlgorithm.use(before);
        }
    }
}
