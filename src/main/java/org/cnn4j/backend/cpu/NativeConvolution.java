package org.cnn4j.backend.cpu;

import java.util.List;
import java.util.function.Consumer;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ConvDirection;
import org.cnn4j.backend.ExecutionOptions;
import org.cnn4j.tensor.Tensor;

/**
 * Runs a convolution with the options in force on the calling thread ({@link ExecutionOptions#current()}): {@link ConvAlgorithm#AUTO}
 * runs the winner {@link ConvCalibration} measured on this CPU for the shape, or else walks {@link ConvImplementationList}'s
 * list for the direction, {@link ConvAlgorithm#AUTOTUNE} times the
 * implementations that can run the shape once and keeps the fastest ({@link ConvAutotuner}), and an explicit
 * algorithm runs as asked or, when it cannot run the shape, fails naming the algorithm, the shape and why
 * (unless falling back to AUTO was asked for).
 */
public final class NativeConvolution {
    private static final ConvImplementationList IMPLEMENTATIONS = new ConvImplementationList();
    private final ConvAutotuner autotuner = new ConvAutotuner();
    private final ConvCalibration calibration;

    /** The dispatcher of the native backend: AUTO reads the calibration the settings name. */
    NativeConvolution() {
        this(ConvCalibration.ofSettings());
    }

    NativeConvolution(ConvCalibration calibration) {
        this.calibration = calibration;
    }

    /** Whether {@code algorithm} can compute {@code spec} in every direction (AUTO and AUTOTUNE can compute any). */
    public static boolean supports(ConvAlgorithm algorithm, Conv2dSpec spec) {
        return algorithm == ConvAlgorithm.AUTO || algorithm == ConvAlgorithm.AUTOTUNE
                || java.util.Arrays.stream(ConvDirection.values()).allMatch(d -> IMPLEMENTATIONS.of(algorithm).whyNot(d, spec) == null);
    }

    void forward(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor output) {
        execute(ConvDirection.FORWARD, spec, i -> i.forward(spec, input, weight, bias, null, false, output));
    }

    /**
     * Convolution, bias, optional residual (which may be the output itself) and ReLU as one kernel: oneDNN's
     * sum and ReLU post-ops, or the epilogue of Winograd's output transform and of im2col's GEMM tiles.
     */
    void forwardAddRelu(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor residual, Tensor output) {
        boolean timing = ExecutionOptions.current().algorithm() == ConvAlgorithm.AUTOTUNE
                && autotuner.winner(ConvDirection.FORWARD, spec) == null;
        if (timing && residual != null && residual.sharesMemoryWith(output)) {
            // every timed candidate writes the output, so the ones after the first would add a residual the
            // first one had already overwritten: they read a copy
            try (Tensor kept = residual.copy()) {
                execute(ConvDirection.FORWARD, spec, i -> i.forward(spec, input, weight, bias, kept, true, output));
            }
            return;
        }
        execute(ConvDirection.FORWARD, spec, i -> i.forward(spec, input, weight, bias, residual, true, output));
    }

    /**
     * Whether {@link #forwardMaxPool} runs {@code spec} with the options in force: when its forward runs on a 2-D Winograd
     * algorithm (AUTOTUNE: once it has timed the shape), whose output transform pools.
     */
    boolean fusesMaxPool(Conv2dSpec spec) {
        return forwardChoice(spec) instanceof WinogradConvolution w && w.poolsInEpilogue();
    }

    /** The convolution, bias and ReLU (when asked), then 2x2 stride-2 max pooling, in one op; only where {@link #fusesMaxPool}. */
    void forwardMaxPool(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, boolean relu, Tensor pooled) {
        ConvImplementation choice = forwardChoice(spec);
        if (!(choice instanceof WinogradConvolution w) || !w.poolsInEpilogue()) {
            throw new UnsupportedOperationException("conv2d forward + max pool: " + spec + " runs on "
                    + (choice == null ? "an algorithm AUTOTUNE has not chosen yet" : choice.algorithm()) + ", which does not pool");
        }
        w.forwardMaxPool(spec, input, weight, bias, relu, pooled);
    }

    /** The implementation a forward of {@code spec} runs on now; null while AUTOTUNE has not timed the shape. */
    private ConvImplementation forwardChoice(Conv2dSpec spec) {
        ExecutionOptions options = ExecutionOptions.current();
        if (options.algorithm() == ConvAlgorithm.AUTOTUNE) {
            ConvAlgorithm winner = autotuner.winner(ConvDirection.FORWARD, spec);
            return winner == null ? null : IMPLEMENTATIONS.of(winner);
        }
        return implementation(options, ConvDirection.FORWARD, spec);
    }

    void backwardData(Conv2dSpec spec, Tensor gradOutput, Tensor weight, Tensor gradInput) {
        execute(ConvDirection.BACKWARD_DATA, spec, i -> i.backwardData(spec, gradOutput, weight, gradInput));
    }

    void backwardWeights(Conv2dSpec spec, Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias) {
        execute(ConvDirection.BACKWARD_WEIGHTS, spec, i -> i.backwardWeights(spec, input, gradOutput, gradWeight, gradBias));
    }

    private void execute(ConvDirection direction, Conv2dSpec spec, Consumer<ConvImplementation> op) {
        ExecutionOptions options = ExecutionOptions.current();
        if (options.algorithm() == ConvAlgorithm.AUTOTUNE) {
            List<ConvImplementation> candidates = IMPLEMENTATIONS.autotuneCandidates(direction, spec, options.winograd());
            autotuner.run(direction, spec, candidates.stream().map(ConvImplementation::algorithm).toList(),
                    algorithm -> op.accept(IMPLEMENTATIONS.of(algorithm)));
            return;
        }
        op.accept(implementation(options, direction, spec));
    }

    /** The implementation AUTO or an explicit request runs, or the exception an explicit one that cannot run {@code spec} is. */
    private ConvImplementation implementation(ExecutionOptions options, ConvDirection direction, Conv2dSpec spec) {
        ConvAlgorithm requested = options.algorithm();
        if (requested == ConvAlgorithm.AUTO) {
            return automatic(direction, spec, options.winograd());
        }
        ConvImplementation asked = IMPLEMENTATIONS.of(requested);
        String whyNot = asked.whyNot(direction, spec);
        if (whyNot == null) {
            return asked;
        }
        if (options.fallBackToAuto()) {
            return automatic(direction, spec, options.winograd());
        }
        throw new UnsupportedOperationException("conv2d " + direction.key() + ": algorithm " + requested + " cannot compute "
                + spec + ": " + whyNot);
    }

    /** The calibrated winner (unless it is Winograd and Winograd is not allowed), else the rule's choice. */
    private ConvImplementation automatic(ConvDirection direction, Conv2dSpec spec, boolean winogradAllowed) {
        ConvAlgorithm measured = calibration.winner(direction, spec);
        if (measured != null && (winogradAllowed || !measured.isWinograd())) {
            ConvImplementation i = IMPLEMENTATIONS.of(measured);
            String whyNot = i.whyNot(direction, spec);
            if (whyNot != null) {
                throw new IllegalStateException("conv calibration: file " + calibration.file() + " names " + measured + " for conv2d "
                        + direction.key() + " " + spec + ", which it cannot run: " + whyNot + " (run cnn4j calibrate again, or delete the file)");
            }
            return i;
        }
        return IMPLEMENTATIONS.automatic(direction, spec, winogradAllowed);
    }

    /** What AUTO's rule alone would run, calibration aside (what {@code cnn4j calibrate} compares with). */
    public ConvAlgorithm ruleChoice(ConvDirection direction, Conv2dSpec spec) {
        return IMPLEMENTATIONS.automatic(direction, spec, ExecutionOptions.current().winograd()).algorithm();
    }

    /** Every native algorithm that can run {@code spec} in {@code direction}, Winograd included when allowed. */
    public List<ConvAlgorithm> candidates(ConvDirection direction, Conv2dSpec spec) {
        return IMPLEMENTATIONS.autotuneCandidates(direction, spec, ExecutionOptions.current().winograd()).stream()
                .map(ConvImplementation::algorithm).toList();
    }

    public ConvCalibration calibration() {
        return calibration;
    }

    /**
     * The algorithm a convolution in {@code direction} of {@code spec} runs with now, for reports; null when
     * AUTOTUNE has not timed that shape yet. Throws as the convolution would for an explicit algorithm that cannot run it.
     */
    public ConvAlgorithm choice(ConvDirection direction, Conv2dSpec spec) {
        ExecutionOptions options = ExecutionOptions.current();
        return options.algorithm() == ConvAlgorithm.AUTOTUNE ? autotuner.winner(direction, spec)
                : implementation(options, direction, spec).algorithm();
    }

    /** The name a forward's error names: which of the fused steps ran. */
    static String forwardOpName(Tensor residual, boolean relu) {
        return relu ? residual == null ? "conv2d forward + relu" : "conv2d forward + add + relu" : "conv2d forward";
    }
}
