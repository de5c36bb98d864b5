package org.cnn4j.kernels;

import java.util.List;
import org.cnn4j.backend.Backends;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.tensor.TensorUse;

/** Element-wise add and multiply, per-channel scaling, dropout, and channel concatenation/splitting, on the active backend. */
@SuppressWarnings("try") // each op holds its TensorUse without reading it
public final class Elementwise {
    private Elementwise() {
    }

    public static void add(Tensor a, Tensor b, Tensor out) {
        Check.sameShape("add", "a", a, "b", b);
        Check.sameShape("add", "a", a, "out", out);
        Check.writable("add", "out", out);
        try (TensorUse use = TensorUse.of("add", a, b, out)) {
            Backends.current().add(a, b, out);
        }
    }

    public static void multiply(Tensor a, Tensor b, Tensor out) {
        Check.sameShape("multiply", "a", a, "b", b);
        Check.sameShape("multiply", "a", a, "out", out);
        Check.writable("multiply", "out", out);
        try (TensorUse use = TensorUse.of("multiply", a, b, out)) {
            Backends.current().multiply(a, b, out);
        }
    }

    /** out = x * scale, scale [N, C, 1, 1] broadcast over x's [N, C, H, W] (squeeze-excite's gating). */
    public static void channelScale(Tensor x, Tensor scale, Tensor out) {
        requireChannelScale("channel scale", x, scale);
        Check.sameShape("channel scale", "x", x, "out", out);
        Check.writable("channel scale", "out", out);
        try (TensorUse use = TensorUse.of("channel scale", x, scale, out)) {
            Backends.current().channelScale(x, scale, out);
        }
    }

    /** gradScale = the sum over H and W of gradOutput * x: {@link #channelScale}'s gradient for its scale. */
    public static void channelScaleGrad(Tensor x, Tensor gradOutput, Tensor gradScale) {
        requireChannelScale("channel scale backward", x, gradScale);
        Check.sameShape("channel scale backward", "x", x, "gradOutput", gradOutput);
        Check.writable("channel scale backward", "gradScale", gradScale);
        try (TensorUse use = TensorUse.of("channel scale backward", x, gradOutput, gradScale)) {
            Backends.current().channelScaleGrad(x, gradOutput, gradScale);
        }
    }

    /** out = x * scale + shift per channel, scale and shift [C] shared by the batch (shift null: zero). */
    public static void channelAffine(Tensor x, Tensor scale, Tensor shift, Tensor out) {
        String op = "channel affine";
        if (x.rank() != 2 && x.rank() != 4) {
            throw new IllegalArgumentException(op + ": x must be [N, C] or [N, C, H, W], got " + x.shape());
        }
        for (Tensor t : shift == null ? new Tensor[] {scale} : new Tensor[] {scale, shift}) {
            if (t.rank() != 1 || t.dim(0) != x.dim(1)) {
                throw new IllegalArgumentException(op + ": scale and shift must be [" + x.dim(1) + "] for x " + x.shape() + ", got "
                        + t.shape());
            }
        }
        Check.sameShape(op, "x", x, "out", out);
        Check.writable(op, "out", out);
        try (TensorUse use = shift == null ? TensorUse.of(op, x, scale, out) : TensorUse.of(op, x, scale, shift, out)) {
            Backends.current().channelAffine(x, scale, shift, out);
        }
    }

    /** ShuffleNet's channel shuffle: out channel j * groups + i = x's channel i * (C / groups) + j. */
    public static void channelShuffle(int groups, Tensor x, Tensor out) {
        String op = "channel shuffle";
        Check.rank(op, "x", x, 4);
        if (groups <= 0 || x.dim(1) % groups != 0) {
            throw new IllegalArgumentException(op + ": groups must divide the " + x.dim(1) + " channels of " + x.shape() + ", got " + groups);
        }
        Check.sameShape(op, "x", x, "out", out);
        Check.writable(op, "out", out);
        if (x == out) {
            throw new IllegalArgumentException(op + ": out must be another tensor than x");
        }
        try (TensorUse use = TensorUse.of(op, x, out)) {
            Backends.current().channelShuffle(groups, x, out);
        }
    }

    private static void requireChannelScale(String op, Tensor x, Tensor scale) {
        if (x.rank() != 4 || scale.rank() != 4 || scale.dim(0) != x.dim(0) || scale.dim(1) != x.dim(1) || scale.dim(2) != 1
                || scale.dim(3) != 1) {
            throw new IllegalArgumentException(op + ": x must be [N, C, H, W] and scale [N, C, 1, 1], got x " + x.shape()
                    + " and scale " + scale.shape());
        }
    }

    /** How many elements of {@code x} are NaN or infinite. */
    public static long countNonFinite(Tensor x) {
        try (TensorUse use = TensorUse.of("count non-finite", x)) {
            return Backends.current().countNonFinite(x);
        }
    }

    /** Inverted dropout with drop probability {@code p} in [0, 1); the mask is a function of (seed, element index). */
    public static void dropout(float p, long seed, Tensor input, Tensor mask, Tensor output) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
        }
        Check.sameShape("dropout", "input", input, "mask", mask);
        Check.writable("dropout", "mask", mask);
        Check.sameShape("dropout", "input", input, "output", output);
        Check.writable("dropout", "output", output);
        try (TensorUse use = TensorUse.of("dropout", input, mask, output)) {
            Backends.current().dropoutForward(p, seed, input, mask, output);
        }
    }

    public static void concatChannels(List<Tensor> inputs, Tensor output) {
        checkParts("concat", inputs, output);
        Check.writable("concat", "whole tensor", output);
        try (TensorUse use = TensorUse.of("concat", inputs, output)) {
            Backends.current().concatChannels(inputs, output);
        }
    }

    public static void splitChannels(Tensor gradOutput, List<Tensor> gradInputs) {
        checkParts("split", gradInputs, gradOutput);
        for (int i = 0; i < gradInputs.size(); i++) {
            Check.writable("split", "part " + i, gradInputs.get(i));
        }
        try (TensorUse use = TensorUse.of("split", gradInputs, gradOutput)) {
            Backends.current().splitChannels(gradOutput, gradInputs);
        }
    }

    private static void checkParts(String op, List<Tensor> parts, Tensor whole) {
        Check.rank(op, "whole tensor", whole, 4);
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException(op + ": needs at least one part");
        }
        int channels = 0;
        for (int i = 0; i < parts.size(); i++) {
            Tensor t = parts.get(i);
            Check.rank(op, "part " + i, t, 4);
            if (t.dim(0) != whole.dim(0) || t.dim(2) != whole.dim(2) || t.dim(3) != whole.dim(3)) {
                throw new IllegalArgumentException(op + ": part " + i + " " + t.shape() + " differs from " + whole.shape()
                        + " outside the channel dimension");
            }
            channels += t.dim(1);
        }
        if (channels != whole.dim(1)) {
            throw new IllegalArgumentException(op + ": parts have " + channels + " channels in all, the whole tensor " + whole.shape());
        }
    }
}
