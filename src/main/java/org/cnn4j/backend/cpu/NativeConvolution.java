package org.cnn4j.backend.cpu;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.function.Consumer;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;

/**
 * Runs a convolution with the algorithm {@link ConvAlgorithm#current()} asks for. oneDNN reads NCHW
 * or NHWC buffers directly (it reorders into its own blocked layout internally); im2col+GEMM and
 * Winograd work on channels-last data, so NCHW tensors are converted for them (a reorder the caller
 * avoids by passing NHWC tensors). AUTO picks Winograd for forward and backward-data of
 * the 3x3 stride-1 layers where it beat oneDNN in {@code cnn4j bench} (unless
 * {@link ConvAlgorithm#winogradAllowed()} is false), else oneDNN, whose direct kernels beat
 * im2col+GEMM on all but a few 1x1 layers; AUTOTUNE measures. oneDNN's backward-weights of a strided 1x1
 * layer with a channels-last source of fewer than 16 channels corrupts the heap (oneDNN issue 6035): such
 * calls, whether AUTO's, AUTOTUNE's or an explicit ONEDNN request, still run oneDNN, which then reads the
 * buffers through its own blocked layout (conv_onednn.cpp, {@code hits_onednn_issue_6035}), so reports that
 * name oneDNN name what ran.
 */
public final class NativeConvolution {
    private final Backend reference;
    private final ConvAutotuner autotuner = new ConvAutotuner();

    NativeConvolution(Backend reference) {
        this.reference = reference;
    }

    /** Whether {@code algorithm} can compute {@code spec} (AUTO and AUTOTUNE only choose among those that can). */
    public static boolean supports(ConvAlgorithm algorithm, Conv2dSpec spec) {
        return switch (algorithm) {
            case REFERENCE, IM2COL_GEMM, ONEDNN, AUTO, AUTOTUNE -> true;
            case WINOGRAD_2X2_3X3, WINOGRAD_4X4_3X3 -> spec.kh() == 3 && spec.kw() == 3 && spec.strideH() == 1
                    && spec.strideW() == 1 && spec.dilationH() == 1 && spec.dilationW() == 1 && spec.groups() == 1;
        };
    }

    void forward(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor output) {
        execute("forward", spec, algo -> forwardWith(algo, spec, input, weight, bias, null, false, output));
    }

    /**
     * Convolution, bias, optional residual (which may be the output itself) and ReLU as one kernel: oneDNN's
     * sum and ReLU post-ops, or the epilogue of Winograd's output transform and of im2col's GEMM tiles.
     */
    void forwardRelu(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor residual, Tensor output) {
        boolean timing = ConvAlgorithm.current() == ConvAlgorithm.AUTOTUNE && autotuner.winner("forward", spec) == null;
        if (timing && residual != null && residual.sharesMemoryWith(output)) {
            // every timed candidate writes the output, so the ones after the first would add a residual the
            // first one had already overwritten: they read a copy
            try (Tensor kept = residual.copy()) {
                execute("forward", spec, algo -> forwardWith(algo, spec, input, weight, bias, kept, true, output));
            }
            return;
        }
        execute("forward", spec, algo -> forwardWith(algo, spec, input, weight, bias, residual, true, output));
    }

    void backwardData(Conv2dSpec spec, Tensor gradOutput, Tensor weight, Tensor gradInput) {
        execute("backward_data", spec, algo -> backwardDataWith(algo, spec, gradOutput, weight, gradInput));
    }

    void backwardWeights(Conv2dSpec spec, Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias) {
        execute("backward_weights", spec, algo -> backwardWeightsWith(algo, spec, input, gradOutput, gradWeight, gradBias));
    }

    private void execute(String direction, Conv2dSpec spec, Consumer<ConvAlgorithm> op) {
        ConvAlgorithm requested = ConvAlgorithm.current();
        switch (requested) {
            case AUTO -> op.accept(automatic(direction, spec));
            case AUTOTUNE -> autotuner.run(direction, spec, eligible(spec), op);
            default -> {
                if (supports(requested, spec)) {
                    op.accept(requested);
                } else if (ConvAlgorithm.fallsBackToAuto()) {
                    op.accept(automatic(direction, spec));
                } else {
                    throw new UnsupportedOperationException("conv2d " + direction + ": algorithm " + requested
                            + " cannot compute " + spec);
                }
            }
        }
    }

    /**
     * The algorithm a convolution in {@code direction} ("forward", "backward_data", "backward_weights")
     * of {@code spec} runs with now, for reports; null when AUTOTUNE has not timed that shape yet.
     */
    public ConvAlgorithm choice(String direction, Conv2dSpec spec) {
        ConvAlgorithm requested = ConvAlgorithm.current();
        return switch (requested) {
            case AUTO -> automatic(direction, spec);
            case AUTOTUNE -> autotuner.winner(direction, spec);
            default -> supports(requested, spec) || !ConvAlgorithm.fallsBackToAuto() ? requested : automatic(direction, spec);
        };
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
    static ConvAlgorithm automatic(String direction, Conv2dSpec spec) {
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

    /** The native algorithms that can compute {@code spec}, for AUTOTUNE to time (Winograd only if allowed). */
    static List<ConvAlgorithm> eligible(Conv2dSpec spec) {
        return java.util.Arrays.stream(ConvAlgorithm.values())
                .filter(a -> a != ConvAlgorithm.REFERENCE && a != ConvAlgorithm.AUTO && a != ConvAlgorithm.AUTOTUNE)
                .filter(a -> !a.isWinograd() || ConvAlgorithm.winogradAllowed())
                .filter(a -> supports(a, spec))
                .toList();
    }

    /** The convolution by {@code algo}, adding {@code residual} (may be null, may be the output) then applying ReLU when {@code relu}. */
    private void forwardWith(ConvAlgorithm algo, Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor residual,
                             boolean relu, Tensor output) {
        int[] geometry = NativeBackend.geometry(spec);
        String op = relu ? residual == null ? "conv2d forward + relu" : "conv2d forward + add + relu" : "conv2d forward";
        switch (algo) {
            case REFERENCE -> {
                if (relu) {
                    reference.conv2dForwardRelu(spec, input, weight, bias, residual, output);
                } else {
                    reference.conv2dForward(spec, input, weight, bias, output);
                }
            }
            case IM2COL_GEMM, WINOGRAD_2X2_3X3, WINOGRAD_4X4_3X3 -> {
                // the residual is taken channels-last before the kernel writes (a view when it is NHWC)
                try (Tensor x = channelsLast(input); Tensor r = residual == null ? null : channelsLast(residual);
                     Tensor y = channelsLastOutput(output)) {
                    NativeStatus.check(algo == ConvAlgorithm.IM2COL_GEMM
                            ? NativeKernels.cnn4j_conv2d_im2col_forward(geometry, x.buffer(), weight.buffer(), buffer(bias),
                                    buffer(r), y.buffer(), relu ? 1 : 0)
                            : NativeKernels.cnn4j_conv2d_winograd_forward(tile(algo), geometry, x.buffer(), weight.buffer(),
                                    weight.frozenId(), buffer(bias), buffer(r), y.buffer(), relu ? 1 : 0), op);
                    copyBack(y, output);
                }
            }
            default -> NativeStatus.check(NativeKernels.cnn4j_conv2d_onednn_forward(geometry, nhwc(input), input.buffer(),
                    weight.buffer(), weight.frozenId(), buffer(bias), residual == null ? 0 : nhwc(residual), buffer(residual),
                    nhwc(output), output.buffer(), relu ? 1 : 0), op);
        }
    }

    private void backwardDataWith(ConvAlgorithm algo, Conv2dSpec spec, Tensor gradOutput, Tensor weight, Tensor gradInput) {
        int[] geometry = NativeBackend.geometry(spec);
        switch (algo) {
            case REFERENCE -> reference.conv2dBackwardData(spec, gradOutput, weight, gradInput);
            case IM2COL_GEMM -> {
                try (Tensor dy = channelsLast(gradOutput); Tensor dx = channelsLastOutput(gradInput)) {
                    NativeStatus.check(NativeKernels.cnn4j_conv2d_im2col_backward_data(geometry, dy.buffer(), weight.buffer(),
                            dx.buffer()), "conv2d backward data");
                    copyBack(dx, gradInput);
                }
            }
            case WINOGRAD_2X2_3X3, WINOGRAD_4X4_3X3 -> {
                try (Tensor dy = channelsLast(gradOutput); Tensor dx = channelsLastOutput(gradInput)) {
                    NativeStatus.check(NativeKernels.cnn4j_conv2d_winograd_backward_data(tile(algo), geometry, dy.buffer(),
                            weight.buffer(), weight.frozenId(), dx.buffer()), "conv2d backward data");
                    copyBack(dx, gradInput);
                }
            }
            default -> NativeStatus.check(NativeKernels.cnn4j_conv2d_onednn_backward_data(geometry, nhwc(gradOutput),
                    gradOutput.buffer(), weight.buffer(), weight.frozenId(), nhwc(gradInput), gradInput.buffer()), "conv2d backward data");
        }
    }

    private void backwardWeightsWith(ConvAlgorithm algo, Conv2dSpec spec, Tensor input, Tensor gradOutput, Tensor gradWeight,
                                     Tensor gradBias) {
        int[] geometry = NativeBackend.geometry(spec);
        switch (algo) {
            case REFERENCE -> reference.conv2dBackwardWeights(spec, input, gradOutput, gradWeight, gradBias);
            case IM2COL_GEMM, WINOGRAD_2X2_3X3, WINOGRAD_4X4_3X3 -> {
                try (Tensor x = channelsLast(input); Tensor dy = channelsLast(gradOutput)) {
                    NativeStatus.check(algo == ConvAlgorithm.IM2COL_GEMM
                            ? NativeKernels.cnn4j_conv2d_im2col_backward_weights(geometry, x.buffer(), dy.buffer(), gradWeight.buffer(),
                                    buffer(gradBias))
                            : NativeKernels.cnn4j_conv2d_winograd_backward_weights(tile(algo), geometry, x.buffer(), dy.buffer(),
                                    gradWeight.buffer(), buffer(gradBias)), "conv2d backward weights");
                }
            }
            default -> NativeStatus.check(NativeKernels.cnn4j_conv2d_onednn_backward_weights(geometry, nhwc(input), input.buffer(),
                    nhwc(gradOutput), gradOutput.buffer(), gradWeight.buffer(), buffer(gradBias)), "conv2d backward weights");
        }
    }

    private static int tile(ConvAlgorithm winograd) {
        return winograd == ConvAlgorithm.WINOGRAD_2X2_3X3 ? 2 : 4;
    }

    private static int nhwc(Tensor t) {
        return t.layout() == Layout.NHWC ? 1 : 0;
    }

    private static FloatBuffer buffer(Tensor t) {
        return t == null ? null : t.buffer();
    }

    /** The tensor itself (a non-owning view) when already NHWC, else an NHWC copy. */
    private static Tensor channelsLast(Tensor t) {
        return t.layout() == Layout.NHWC ? t.narrow(0, t.dim(0)) : t.toLayout(Layout.NHWC);
    }

    /** Where to write an output: the tensor itself when NHWC, else a scratch NHWC tensor. */
    private static Tensor channelsLastOutput(Tensor t) {
        return t.layout() == Layout.NHWC ? t.narrow(0, t.dim(0)) : Tensor.zeros(t.shape(), Layout.NHWC);
    }

    private static void copyBack(Tensor scratch, Tensor target) {
        if (target.layout() != Layout.NHWC) {
            target.copyFrom(scratch);
        }
    }
}
