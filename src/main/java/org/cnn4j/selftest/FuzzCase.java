package org.cnn4j.selftest;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * One case of the differential fuzz: its random generator (seeded by the run's seed and the case's
 * index alone, so the case can be re-run by itself), the setting it runs in, the geometry being checked,
 * and the mismatches and skipped checks found so far. Tensors it makes belong to the caller's
 * {@link org.cnn4j.tensor.TensorScope}.
 */
final class FuzzCase {
    final SplittableRandom random;
    final String id;
    final String setting;
    private String geometry = "";
    private final List<String> failures = new ArrayList<>();
    private final List<String> skips = new ArrayList<>();

    private final PrintStream verbose;

    /** {@code verbose}, when not null, is told each geometry before it runs. */
    FuzzCase(SplittableRandom random, String id, String setting, PrintStream verbose) {
        this.random = random;
        this.id = id;
        this.setting = setting;
        this.verbose = verbose;
    }

    /** The generator of case {@code index} of run {@code seed}: independent of every other case. */
    static SplittableRandom generator(long seed, int index) {
        return new SplittableRandom(new SplittableRandom(seed ^ (index * 0xD1B54A32D192ED03L)).nextLong());
    }

    /** What the following checks run on, printed with each mismatch (a spec's record text: the whole geometry). */
    void geometry(Object what) {
        geometry = String.valueOf(what);
        if (verbose != null) {
            verbose.println("  " + geometry);
        }
    }

    List<String> failures() {
        return failures;
    }

    List<String> skips() {
        return skips;
    }

    /** Compares a native result with the reference's at the scale max |expected|. */
    void check(String what, float[] actual, float[] expected, Tolerance tolerance) {
        report(what, tolerance.compare(actual, expected));
    }

    /** Compares at a given scale (see {@link Tolerance#compare(float[], float[], double)}). */
    void check(String what, float[] actual, float[] expected, Tolerance tolerance, double scale) {
        report(what, tolerance.compare(actual, expected, scale));
    }

    /** A failed check that is not a numeric comparison. */
    void fail(String what, String why) {
        failures.add(line(what) + ": " + why);
    }

    /** A check not run, and why (counted in the run's summary). */
    void skip(String why) {
        skips.add(why);
    }

    private void report(String what, Tolerance.Comparison c) {
        if (!c.ok()) {
            fail(what, c.toString());
        }
    }

    private String line(String what) {
        return "FAIL " + id + ": " + what + " " + setting + " " + geometry;
    }

    // --- random data -------------------------------------------------------------------------------

    /** Values uniform in [lo, hi). */
    float[] uniform(int count, double lo, double hi) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) (lo + random.nextDouble() * (hi - lo));
        }
        return v;
    }

    /** Values uniform in [-1, 1). */
    float[] uniform(int count) {
        return uniform(count, -1, 1);
    }

    int between(int lo, int hi) {
        return lo + random.nextInt(hi - lo + 1);
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    static int count(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** A tensor holding {@code values} (logical order) in {@code layout}; tensors that are not 4-D are plain. */
    static Tensor tensor(int[] dims, Layout layout, float[] values) {
        Tensor t = dims.length == 4 ? Tensor.zeros(Shape.of(dims), layout) : Tensor.zeros(dims);
        return t.copyFrom(values);
    }

    /** An output filled with NaN, so that an element an op fails to write shows as a mismatch. */
    static Tensor output(int[] dims, Layout layout) {
        Tensor t = dims.length == 4 ? Tensor.zeros(Shape.of(dims), layout) : Tensor.zeros(dims);
        return t.fill(Float.NaN);
    }

    static double maxAbs(float[] values) {
        double m = 0;
        for (float v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
