package org.cnn4j.onnx;

import java.util.Arrays;
import org.cnn4j.onnx.OnnxTensors.Constant;

/**
 * Constant folding of the shape arithmetic exporters write around a CNN (torch's padding and channel-shuffle
 * shapes: Add/Sub/Mul/Div of constants with NumPy broadcasting, Slice, Transpose, ConstantOfShape). The
 * batch size is a symbol ({@link OnnxImporter#BATCH}); arithmetic on it is refused, since the network must
 * not depend on it.
 */
final class OnnxFolding {
    enum Arithmetic { ADD, SUB, MUL, DIV }

    private OnnxFolding() {
    }

    static Constant arithmetic(OnnxNode n, Arithmetic op, Constant a, Constant b) {
        long[] dims = broadcast(n, a.dims(), b.dims());
        int count = (int) numel(dims);
        boolean floats = a.isFloat() || b.isFloat();
        float[] fa = floats ? a.asFloats() : null, fb = floats ? b.asFloats() : null, f = floats ? new float[count] : null;
        long[] la = floats ? null : a.asLongs(), lb = floats ? null : b.asLongs(), l = floats ? null : new long[count];
        for (int i = 0; i < count; i++) {
            int ia = source(i, dims, a.dims()), ib = source(i, dims, b.dims());
            if (floats) {
                f[i] = switch (op) {
                    case ADD -> fa[ia] + fb[ib];
                    case SUB -> fa[ia] - fb[ib];
                    case MUL -> fa[ia] * fb[ib];
                    case DIV -> fa[ia] / fb[ib];
                };
            } else {
                long x = la[ia], y = lb[ib];
                if (x == OnnxImporter.BATCH || y == OnnxImporter.BATCH) {
                    throw n.unsupported("arithmetic on the batch size (the network must not depend on it)");
                }
                if (op == Arithmetic.DIV && y == 0) {
                    throw n.error("integer division by zero");
                }
                l[i] = switch (op) {
                    case ADD -> x + y;
                    case SUB -> x - y;
                    case MUL -> x * y;
                    case DIV -> x / y; // truncates, as ONNX Runtime's integer Div
                };
            }
        }
        return new Constant(dims, f, l);
    }

    /** NumPy's broadcast of two shapes: aligned at the end, each pair equal or one of them 1. */
    private static long[] broadcast(OnnxNode n, long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long x = i < rank - a.length ? 1 : a[i - (rank - a.length)], y = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (x != y && x != 1 && y != 1) {
                throw n.error("shapes " + OnnxNode.dims(a) + " and " + OnnxNode.dims(b) + " do not broadcast");
            }
            out[i] = x == 1 ? y : x;
        }
        return out;
    }

    /** The index in a tensor of {@code from}'s shape that broadcasts to element {@code i} of {@code dims}. */
    private static int source(int i, long[] dims, long[] from) {
        int index = 0, stride = 1;
        for (int d = dims.length - 1, e = from.length - 1; e >= 0; d--, e--) {
            long coordinate = i % dims[d];
            i /= (int) dims[d];
            if (from[e] != 1) {
                index += (int) coordinate * stride;
            }
            stride *= (int) from[e];
        }
        return index;
    }

    /** ONNX Slice: per axis, from start to end (exclusive, clamped) in steps. */
    static Constant slice(OnnxNode n, Constant data, long[] starts, long[] ends, long[] axes, long[] steps) {
        long[] dims = data.dims();
        int rank = dims.length;
        long[] begin = new long[rank], step = new long[rank], size = dims.clone();
        Arrays.fill(step, 1);
        for (int k = 0; k < starts.length; k++) {
            int axis = (int) (axes[k] < 0 ? axes[k] + rank : axes[k]);
            if (axis < 0 || axis >= rank || steps[k] == 0) {
                throw n.error("axis " + axes[k] + " with step " + steps[k] + " for a constant of " + OnnxNode.dims(dims));
            }
            long d = dims[axis], s = steps[k];
            long first = clampIndex(starts[k], d, s), last = clampIndex(ends[k], d, s);
            begin[axis] = first;
            step[axis] = s;
            size[axis] = s > 0 ? Math.max(0, (last - first + s - 1) / s) : Math.max(0, (first - last - s - 1) / -s);
        }
        int count = (int) numel(size);
        float[] f = data.isFloat() ? new float[count] : null;
        long[] l = data.isFloat() ? null : new long[count];
        for (int i = 0; i < count; i++) {
            int rest = i, from = 0, stride = 1;
            for (int d = rank - 1; d >= 0; d--) {
                long c = rest % size[d];
                rest /= (int) size[d];
                from += (int) (begin[d] + c * step[d]) * stride;
                stride *= (int) dims[d];
            }
            if (f != null) {
                f[i] = data.floats()[from];
            } else {
                l[i] = data.longs()[from];
            }
        }
        return new Constant(size, f, l);
    }

    /** A start or end index made positive and clamped as ONNX says ([0, d] going forward, [-1, d - 1] backward). */
    private static long clampIndex(long index, long d, long step) {
        long i = index < 0 ? index + d : index;
        return step > 0 ? Math.max(0, Math.min(d, i)) : Math.max(-1, Math.min(d - 1, i));
    }

    static Constant transpose(Constant data, long[] perm) {
        long[] dims = data.dims(), out = new long[dims.length];
        for (int d = 0; d < dims.length; d++) {
            out[d] = dims[(int) perm[d]];
        }
        int count = (int) data.numel(), rank = dims.length;
        long[] strides = new long[rank];
        for (int d = rank - 1, s = 1; d >= 0; d--) {
            strides[d] = s;
            s *= (int) dims[d];
        }
        float[] f = data.isFloat() ? new float[count] : null;
        long[] l = data.isFloat() ? null : new long[count];
        for (int i = 0; i < count; i++) {
            int rest = i;
            long from = 0;
            for (int d = rank - 1; d >= 0; d--) {
                long c = rest % out[d];
                rest /= (int) out[d];
                from += c * strides[(int) perm[d]];
            }
            if (f != null) {
                f[i] = data.floats()[(int) from];
            } else {
                l[i] = data.longs()[(int) from];
            }
        }
        return new Constant(out, f, l);
    }

    /** Reshape of a constant: a 0 copies the dimension (unless allowzero), one -1 takes what is left. */
    static Constant reshape(OnnxNode n, Constant data, long[] shape, boolean zeroCopies) {
        long[] dims = shape.clone();
        long known = 1;
        int inferred = -1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == 0 && zeroCopies && i < data.dims().length) {
                dims[i] = data.dims()[i];
            }
            if (dims[i] == -1 && inferred < 0) {
                inferred = i;
            } else if (dims[i] < 0) {
                throw n.error("shape " + OnnxNode.dims(shape) + " for a constant of " + OnnxNode.dims(data.dims()));
            } else {
                known *= dims[i];
            }
        }
        if (inferred >= 0) {
            dims[inferred] = known == 0 ? 0 : data.numel() / known;
        }
        if (numel(dims) != data.numel()) {
            throw n.error("reshaping a constant of " + OnnxNode.dims(data.dims()) + " to " + OnnxNode.dims(shape) + ": the sizes differ");
        }
        return new Constant(dims, data.floats(), data.longs());
    }

    /** ConstantOfShape: a tensor of {@code shape} filled with {@code value}'s one element. */
    static Constant filled(OnnxNode n, long[] shape, Constant value) {
        for (long d : shape) {
            if (d < 0 || d == OnnxImporter.BATCH) {
                throw n.unsupported("a constant of shape " + OnnxNode.dims(shape) + " (sizes must be known and non-negative)");
            }
        }
        long count = numel(shape);
        if (count > 1 << 24) {
            throw n.error("a constant of " + count + " values");
        }
        if (value.isFloat()) {
            float[] f = new float[(int) count];
            Arrays.fill(f, value.floats()[0]);
            return new Constant(shape, f, null);
        }
        long[] l = new long[(int) count];
        Arrays.fill(l, value.longs()[0]);
        return new Constant(shape, null, l);
    }

    private static long numel(long[] dims) {
        long c = 1;
        for (long d : dims) {
            c *= d;
        }
        return c;
    }
}
