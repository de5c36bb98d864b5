package org.cnn4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * How every figure of {@code cnn4j bench} is timed: a warm-up, then timed calls whose median is reported
 * (the median, not the mean, so that one page fault or preempted thread does not move it). The warm-up is
 * the same everywhere: at least {@value #WARM_UP_CALLS} calls of each timed piece of code and at least
 * one second in all, whichever takes longer. Two calls were not enough for the JVM: the first round of
 * ResNet-50 ran 42-43 ms against 34-39 ms for the later ones, its code still interpreted and the JIT
 * compiler taking a core; PyTorch's bench script warms up the same way. The JMH benchmarks in
 * {@code benchmarks/} use JMH's own warm-up instead.
 */
public final class Timing {
    static final int WARM_UP_CALLS = 2;
    static final long WARM_UP_NANOS = 1_000_000_000L;

    /** Measured values (milliseconds, when timed here) in the order they were taken. */
    public record Samples(double[] values) {
        public Samples {
            if (values.length == 0) {
                throw new IllegalArgumentException("timing: no samples");
            }
            values = values.clone();
        }

        public static Samples of(Collection<Double> values) {
            return new Samples(values.stream().mapToDouble(Double::doubleValue).toArray());
        }

        @Override
        public double[] values() {
            return values.clone();
        }

        /** The middle value; of an even count, the upper of the two middle ones. */
        public double median() {
            double[] sorted = values();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }
    }

    private Timing() {
    }

    /** {@code reps} timed calls of {@code run} (at least one) after the warm-up. */
    public static Samples ms(int reps, Runnable run) {
        int calls = Math.max(1, reps);
        return interleavedMs(List.of(run), calls, calls, 0).get(0);
    }

    /**
     * Times several pieces of code in rounds (A, B, A, B, ...), so that drift of the machine (clocks, the
     * other cores' load) hits each alike: after the warm-up, at least {@code minRounds} and at most
     * {@code maxRounds} rounds, going on while fewer than {@code minSeconds} have passed. One sample list
     * per piece of code, in their order.
     */
    public static List<Samples> interleavedMs(List<Runnable> runs, int minRounds, int maxRounds, double minSeconds) {
        long start = System.nanoTime();
        for (int calls = 0; calls < WARM_UP_CALLS || System.nanoTime() - start < WARM_UP_NANOS; calls++) {
            runs.forEach(Runnable::run);
        }
        double[][] ms = new double[runs.size()][maxRounds];
        int rounds = 0;
        start = System.nanoTime();
        while (rounds < maxRounds && (rounds < minRounds || (System.nanoTime() - start) * 1e-9 < minSeconds)) {
            for (int r = 0; r < runs.size(); r++) {
                long t0 = System.nanoTime();
                runs.get(r).run();
                ms[r][rounds] = (System.nanoTime() - t0) * 1e-6;
            }
            rounds++;
        }
        List<Samples> samples = new ArrayList<>();
        for (double[] m : ms) {
            samples.add(new Samples(Arrays.copyOf(m, rounds)));
        }
        return samples;
    }
}
