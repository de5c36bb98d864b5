package org.cnn4j.bench;

import java.util.ArrayList;
import java.util.List;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ConvDirection;
import org.cnn4j.backend.ExecutionOptions;
import org.cnn4j.tensor.Tensor;

/**
 * Times convolution algorithms on one layer. Algorithms run interleaved (A, B, A, B, ...) after
 * {@link Timing}'s warm-up, so drift of the machine (clocks, the other core's load) hits every algorithm
 * alike, and the median of the rounds is reported. Activations are channels-last, the layout the
 * native backend keeps between layers.
 */
public final class ConvBenchmark {
    /** Bounds on the timed rounds per layer, whatever the minimum time asks. */
    private static final int MIN_ROUNDS = 5, MAX_ROUNDS = 200;

    /** Which pass of the convolution is timed. */
    /** The median time of one algorithm on one layer and direction, with its direct-convolution FLOP rate. */
    public record Result(ConvLayer layer, ConvDirection direction, ConvAlgorithm algorithm, double medianMs, double gflops) {
    }

    private ConvBenchmark() {
    }

    /** Times for at least {@code minSeconds} (and 5-200 rounds) and returns one result per algorithm. */
    public static List<Result> run(Backend backend, ConvLayer layer, ConvDirection direction, List<ConvAlgorithm> algorithms,
                                   double minSeconds) {
        Conv2dSpec s = layer.spec();
        try (Tensor x = RandomTensors.uniform(s.inputDims(), 1);
             Tensor w = RandomTensors.uniform(s.weightDims(), 2);
             Tensor b = RandomTensors.uniform(new int[] {s.k()}, 3);
             Tensor y = RandomTensors.uniform(s.outputDims(), 4)) {
            List<Runnable> runs = new ArrayList<>();
            for (ConvAlgorithm algo : algorithms) {
                ExecutionOptions options = ExecutionOptions.current().withAlgorithm(algo);
                runs.add(() -> options.run(() -> {
                    switch (direction) {
                        case FORWARD -> backend.conv2dForward(s, x, w, b, y);
                        case BACKWARD_DATA -> backend.conv2dBackwardData(s, y, w, x);
                        case BACKWARD_WEIGHTS -> backend.conv2dBackwardWeights(s, x, y, w, b);
                    }
                }));
            }
            List<Timing.Samples> times = Timing.interleavedMs(runs, MIN_ROUNDS, MAX_ROUNDS, minSeconds);
            List<Result> results = new ArrayList<>();
            for (int a = 0; a < runs.size(); a++) {
                double ms = times.get(a).median();
                results.add(new Result(layer, direction, algorithms.get(a), ms, s.flops() / (ms * 1e-3) * 1e-9));
            }
            return results;
        }
    }
}
