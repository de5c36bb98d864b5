package org.cnn4j.backend.cpu;

import java.util.List;
import java.util.function.Consumer;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ConvDirection;
import org.cnn4j.tensor.Tensor;

/**
 * Runs a convolution with the algorithm in force ({@link ConvAlgorithm#current()}): {@link ConvAlgorithm#AUTO}
 * walks {@link ConvImplementationList}'s list for the direction, {@link ConvAlgorithm#AUTOTUNE} times the
 * implementations that can run the shape once and keeps the fastest ({@link ConvAutotuner}), and an explicit
 * algorithm runs as asked or, when it cannot run the shape, fails naming the algorithm, the shape and why
 * (unless falling back to AUTO was asked for).
 */
public final class NativeConvolution {
    private static final ConvImplementationList IMPLEMENTATIONS = new ConvImplementationList();
    private final ConvAutotuner autotuner = new ConvAutotuner();

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
    void forwardRelu(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor residual, Tensor output) {
        boolean timing = ConvAlgorithm.current() == ConvAlgorithm.AUTOTUNE && autotuner.winner(ConvDirection.FORWARD, spec) == null;
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

    void backwardData(Conv2dSpec spec, Tensor gradOutput, Tensor weight, Tensor gradInput) {
        execute(ConvDirection.BACKWARD_DATA, spec, i -> i.backwardData(spec, gradOutput, weight, gradInput));
    }

    void backwardWeights(Conv2dSpec spec, Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias) {
        execute(ConvDirection.BACKWARD_WEIGHTS, spec, i -> i.backwardWeights(spec, input, gradOutput, gradWeight, gradBias));
    }

    private void execute(ConvDirection direction, Conv2dSpec spec, Consumer<ConvImplementation> op) {
        ConvAlgorithm requested = ConvAlgorithm.current();
        boolean winograd = ConvAlgorithm.winogradAllowed();
        if (requested == ConvAlgorithm.AUTOTUNE) {
            List<ConvImplementation> candidates = IMPLEMENTATIONS.autotuneCandidates(direction, spec, winograd);
            autotuner.run(direction, spec, candidates.stream().map(ConvImplementation::algorithm).toList(),
                    algorithm -> op.accept(IMPLEMENTATIONS.of(algorithm)));
            return;
        }
        op.accept(implementation(requested, direction, spec));
    }

    /** The implementation AUTO or an explicit request runs, or the exception an explicit one that cannot run {@code spec} is. */
    private ConvImplementation implementation(ConvAlgorithm requested, ConvDirection direction, Conv2dSpec spec) {
        if (requested == ConvAlgorithm.AUTO) {
            return IMPLEMENTATIONS.automatic(direction, spec, ConvAlgorithm.winogradAllowed());
        }
        ConvImplementation asked = IMPLEMENTATIONS.of(requested);
        String whyNot = asked.whyNot(direction, spec);
        if (whyNot == null) {
            return asked;
        }
        if (ConvAlgorithm.fallsBackToAuto()) {
            return IMPLEMENTATIONS.automatic(direction, spec, ConvAlgorithm.winogradAllowed());
        }
        throw new UnsupportedOperationException("conv2d " + direction.key() + ": algorithm " + requested + " cannot compute "
                + spec + ": " + whyNot);
    }

    /**
     * The algorithm a convolution in {@code direction} of {@code spec} runs with now, for reports; null when
     * AUTOTUNE has not timed that shape yet. Throws as the convolution would for an explicit algorithm that cannot run it.
     */
    public ConvAlgorithm choice(ConvDirection direction, Conv2dSpec spec) {
        ConvAlgorithm requested = ConvAlgorithm.current();
        return requested == ConvAlgorithm.AUTOTUNE ? autotuner.winner(direction, spec)
                : implementation(requested, direction, spec).algorithm();
    }

    /** The name a forward's error names: which of the fused steps ran. */
    static String forwardOpName(Tensor residual, boolean relu) {
        return relu ? residual == null ? "conv2d forward + relu" : "conv2d forward + add + relu" : "conv2d forward";
    }

    /**
     * AUTO's choice, from {@code cnn4j bench}: Winograd for 3x3 stride-1 layers with at least 16 input
     * and output channels (for backward-weights, 32 on one side) and at least 16 output tiles of 2x2 in
     * the batch, else oneDNN. F(4x4,3x3) as a rule; F(2x2,3x3) where F(4x4)'s transformed filter (4x the weights)
     * exceeds 1 MiB per tile, because reading it then bounds the time (VGG-16's 14x14x512 layer at
     * batch 1: F(2x2) 1.3x oneDNN, F(4x4) 1.05x), and where there are fewer than 16 tiles of 4x4:
     * ResNet's 7x7 layers at batch 1, where F(4x4) loses (0.86-0.92x) and F(2x2) runs 1.10-1.35x oneDNN
     * forward and 1.12-1.23x backward-data at 512 channels (1.03-1.66x at 32-256). Winograd on a layer
     * with one input channel loses (0.3-0.7x). Layers of at most 16 output channels
     * multiply panels of 16 (not 32, half of them zero padding): fmnist-resnet's 16-channel first stage at
     * batch 128 runs F(4x4) 1.62x oneDNN forward and 1.64x backward-data (1.06x with 32-wide panels), but
     * its backward-weights 0.94x, so that stays on oneDNN until one side has 32 channels (16 -> 32:
     * 1.23-1.45x, 32 -> 16: 0.98-1.27x).
     * Training too: the filter is transformed again after every step, and still fmnist-cnn's 32- and
     * 64-channel layers run 1.8-3.4x oneDNN forward and backward-data at batch 128, its step 131 -> 95 ms.
     * Backward-weights by the same rule (`bench --suite fmnist --mb 128 --direction backward_weights`:
     * F(4x4) 1.7-2.0x oneDNN at 32-64 channels; ResNet-50's 3x3 layers at batch 8: F(4x4) 1.95-2.63x at 56x56-14x14, and at 7x7x512, where G
     * is 1.2 MiB per tile, F(2x2) 1.42x and F(4x4) 0.98x).
     */
    static ConvAlgorithm legacyAutomatic(String direction, Conv2dSpec spec) {
        boolean backwardData = direction.equals("backward_data");
        int h = backwardData ? spec.h() : spec.outH(), w = backwardData ? spec.w() : spec.outW();
        int in = backwardData ? spec.k() : spec.c(), out = backwardData ? spec.c() : spec.k();
        long tiles = (long) spec.n() * ((h + 3) / 4) * ((w + 3) / 4);
        long smallTiles = (long) spec.n() * ((h + 1) / 2) * ((w + 1) / 2);
        boolean wide = spec.c() >= 32 || spec.k() >= 32;
        boolean winograd = ConvAlgorithm.winogradAllowed() && supports(ConvAlgorithm.WINOGRAD_4X4_3X3, spec)
                && spec.c() >= 16 && spec.k() >= 16 && (wide || !direction.equals("backward_weights")) && smallTiles >= 16;
        if (!winograd) {
            return ConvAlgorithm.ONEDNN;
        }
        double filterBytesPerTile = 36.0 * roundUp(in, 16) * roundUp(out, 32) * Float.BYTES / tiles;
        return tiles < 16 || filterBytesPerTile > (1 << 20) ? ConvAlgorithm.WINOGRAD_2X2_3X3 : ConvAlgorithm.WINOGRAD_4X4_3X3;
    }

    private static long roundUp(int x, int to) {
        return (x + to - 1L) / to * to;
    }

}
