package org.cnn4j.selftest;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.cpu.Isa;
import org.cnn4j.backend.cpu.NativeBackend;
import org.cnn4j.backend.cpu.NativeLibrary;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.tensor.TensorScope;

/**
 * A seeded differential fuzz of the native backend against the reference backend. Case i of seed S
 * draws, from a generator seeded by (S, i) alone, an op family (convolution in every direction and
 * fused form on every native algorithm the dispatch says can compute the shape; max and average
 * pooling; global average pooling; batch norm; activations; add and multiply; dropout; concat and
 * split; linear; softmax and cross-entropy; SGD and Adam steps), a random geometry, random finite
 * inputs and the setting it runs in (1 or 2 threads, an ISA path, our GEMM or OpenBLAS's), and compares
 * every result on NCHW and NHWC tensors with the reference's within its {@link Tolerance}. Each mismatch
 * prints one line naming the case ({@code --seed S --case i} re-runs it alone), the op, direction,
 * algorithm, layout, setting, the whole geometry and the worst error against its tolerance; a run ends
 * with {@code N passed, M failed}.
 */
public final class DifferentialFuzz {
    /** The op families and their shares of the cases (percent): convolutions, the most varied, get the most. */
    private enum Family {
        CONV2D("conv2d", 34, FuzzedOps::convolution),
        POOL2D("pool2d", 12, FuzzedOps::pooling),
        GLOBAL_AVG_POOL("global avg pool", 4, FuzzedOps::globalAvgPool),
        CHANNEL_SCALE("channel scale", 3, FuzzedOps::channelScale),
        CHANNEL_AFFINE("channel affine", 2, FuzzedOps::channelAffine),
        CHANNEL_SHUFFLE("channel shuffle", 2, FuzzedOps::channelShuffle),
        BATCH_NORM("batch norm", 10, FuzzedOps::batchNorm),
        ACTIVATION("activation", 8, FuzzedOps::activation),
        ADD_MULTIPLY("add/multiply", 5, FuzzedOps::addAndMultiply),
        DROPOUT("dropout", 4, FuzzedOps::dropout),
        CONCAT_SPLIT("concat/split", 4, FuzzedOps::concatAndSplit),
        LINEAR("linear", 5, FuzzedOps::linear),
        SOFTMAX_CROSS_ENTROPY("softmax cross-entropy", 3, FuzzedOps::softmaxCrossEntropy),
        SGD("sgd", 2, FuzzedOps::sgd),
        ADAM("adam", 2, FuzzedOps::adam);

        final String label;
        final int percent;
        final BiConsumer<FuzzedOps, FuzzCase> run;

        Family(String label, int percent, BiConsumer<FuzzedOps, FuzzCase> run) {
            this.label = label;
            this.percent = percent;
            this.run = run;
        }

        static {
            int sum = 0;
            for (Family f : values()) {
                sum += f.percent;
            }
            if (sum != 100) { // else the last families would be drawn less than their share, or never
                throw new IllegalStateException("selftest: family shares sum to " + sum + ", not 100");
            }
        }

        static Family draw(int percent) {
            int sum = 0;
            for (Family f : values()) {
                sum += f.percent;
                if (percent < sum) {
                    return f;
                }
            }
            throw new IllegalStateException("selftest: no family for " + percent + " percent");
        }
    }

    private final PrintStream out;
    private final FuzzedOps ops = new FuzzedOps(NativeBackend.instance(), ReferenceBackend.INSTANCE);
    private final Integer threads;
    private final boolean verbose;

    /** The verdict of a run: cases passed and failed, and checks skipped by reason. */
    public record Summary(int passed, int failed, Map<String, Integer> skipped) {
        @Override
        public String toString() {
            return passed + " passed, " + failed + " failed";
        }
    }

    /**
     * A fuzz printing to {@code out}; {@code threads} fixes every case's thread count, null lets each case
     * draw 1 or 2; {@code verbose} prints each case before it runs (to name the one that crashes the JVM).
     * Throws {@link IllegalStateException} when the native library does not load.
     */
    public DifferentialFuzz(PrintStream out, Integer threads, boolean verbose) {
        if (threads != null && threads <= 0) {
            throw new IllegalArgumentException("selftest: threads must be > 0, got " + threads);
        }
        this.out = out;
        this.threads = threads;
        this.verbose = verbose;
    }

    /** Runs cases {@code first} .. {@code first + count - 1} of {@code seed}, printing each mismatch and the closing line. */
    public Summary run(long seed, int first, int count) {
        if (count < 0 || first < 0 || (long) first + count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("selftest: cases must be >= 0 and the case index >= 0, got " + count
                    + " cases from case " + first);
        }
        int savedThreads = NativeLibrary.threads();
        Isa savedIsa = NativeLibrary.activeIsa();
        boolean savedGemm = NativeLibrary.gemm().equals("own");
        ConvAlgorithm savedAlgorithm = ConvAlgorithm.chosen();
        boolean savedFallBack = ConvAlgorithm.fallsBackToAuto();
        int passed = 0, failed = 0;
        Map<String, Integer> skipped = new TreeMap<>();
        try {
            ConvAlgorithm.fallBackToAuto(false);
            for (int i = first; i < first + count; i++) {
                FuzzCase c = runCase(seed, i, savedIsa);
                c.failures().forEach(out::println);
                c.skips().forEach(s -> skipped.merge(s, 1, Integer::sum));
                if (c.failures().isEmpty()) {
                    passed++;
                } else {
                    failed++;
                }
            }
        } finally {
            NativeLibrary.useThreads(savedThreads);
            NativeLibrary.useIsa(savedIsa);
            NativeLibrary.useOwnGemm(savedGemm);
            ConvAlgorithm.use(savedAlgorithm);
            ConvAlgorithm.fallBackToAuto(savedFallBack);
        }
        skipped.forEach((why, n) -> out.println("skipped " + n + "x: " + why));
        Summary summary = new Summary(passed, failed, skipped);
        out.println(summary);
        return summary;
    }

    /** Case {@code index}: the family, the setting (up to the ISA {@code topIsa}), then the family's own draws. */
    private FuzzCase runCase(long seed, int index, Isa topIsa) {
        SplittableRandom random = FuzzCase.generator(seed, index);
        Family family = Family.draw(random.nextInt(100));
        int drawnThreads = 1 + random.nextInt(2);
        Isa isa = Isa.values()[random.nextInt(topIsa.ordinal() + 1)];
        boolean ownGemm = random.nextBoolean();
        int t = threads != null ? threads : drawnThreads;
        NativeLibrary.useThreads(t);
        NativeLibrary.useIsa(isa);
        NativeLibrary.useOwnGemm(ownGemm);
        String setting = String.format(Locale.ROOT, "threads=%d isa=%s gemm=%s", t, isa.label(), ownGemm ? "own" : "openblas");
        FuzzCase c = new FuzzCase(random, "--seed " + seed + " --case " + index, setting, verbose ? out : null);
        if (verbose) {
            out.println("case " + index + ": " + family.label + " " + setting);
        }
        try (TensorScope scope = TensorScope.open()) {
            family.run.accept(ops, c);
        } catch (RuntimeException e) {
            c.fail(family.label, "threw " + e);
        }
        return c;
    }
}
