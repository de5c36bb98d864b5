package org.cnn4j.tensor;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An n-dimensional array of float32 held off-heap (64-byte aligned), with a {@link Shape} and a
 * {@link Layout}. Shapes are given in the API's order (NCHW, weights OIHW); the layout says how the
 * elements sit in memory. Closing a tensor frees its memory; any later use throws
 * {@link IllegalStateException}. Views ({@link #reshape}, {@link #narrow}) share memory with their
 * base and do not own it. Element access from Java goes through {@link #buffer()}, a direct
 * {@link FloatBuffer} over the same memory. A {@linkplain #freeze() frozen} tensor is read-only for
 * good, which lets kernels cache what they derive from it (reordered or transformed weights).
 * Closing a tensor while an op on another thread reads or writes it is safe: the memory is freed when
 * that op ends ({@link TensorUse}).
 */
public final class Tensor implements AutoCloseable {
    private static final AtomicLong REORDERS = new AtomicLong();
    private final Storage storage;
    private final int offset;
    private final Shape shape;
    private final Layout layout;
    private final boolean isView;
    private boolean closed;
    TensorScope owner;

    private Tensor(Storage storage, int offset, Shape shape, Layout layout, boolean isView) {
        if (layout != Layout.PLAIN && shape.rank() != 4) {
            throw new IllegalArgumentException("Tensor: layout " + layout + " needs a 4-D shape, got " + shape);
        }
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.layout = layout;
        this.isView = isView;
        if (!isView) {
            TensorScope.register(this);
        }
    }

    /** A new tensor of zeros; 4-D shapes get layout NCHW, others PLAIN. */
    public static Tensor zeros(int... dims) {
        Shape s = Shape.of(dims);
        return zeros(s, s.rank() == 4 ? Layout.NCHW : Layout.PLAIN);
    }

    public static Tensor zeros(Shape shape, Layout layout) {
        return new Tensor(new Storage(shape.numel()), 0, shape, layout, false);
    }

    /** A new tensor holding {@code data} (in the logical, C order of {@code dims}). */
    public static Tensor of(float[] data, int... dims) {
        Tensor t = zeros(dims);
        if (data.length != t.numel()) {
            t.close();
            throw new IllegalArgumentException("Tensor.of: data has " + data.length + " values but shape "
                    + Arrays.toString(dims) + " needs " + Shape.of(dims).numel());
        }
        t.buffer().put(data);
        return t;
    }

    /** A tensor of the same shape and layout, filled with zeros. */
    public static Tensor zerosLike(Tensor t) {
        return zeros(t.shape(), t.layout());
    }

    public Shape shape() {
        return shape;
    }

    public int[] dims() {
        return shape.dims();
    }

    public int dim(int i) {
        return shape.dim(i);
    }

    public int rank() {
        return shape.rank();
    }

    public int numel() {
        return shape.numel();
    }

    public Layout layout() {
        return layout;
    }

    public boolean isClosed() {
        return closed || storage.isFreed();
    }

    /**
     * A direct buffer over this tensor's elements in memory order (position 0, limit numel); read-only
     * if the tensor is frozen. It is valid only while the tensor is open: do not keep it beyond
     * {@link #close()}.
     */
    public FloatBuffer buffer() {
        checkOpen("buffer");
        FloatBuffer b = storage.floats().duplicate().position(offset).limit(offset + numel()).slice();
        return isFrozen() ? b.asReadOnlyBuffer() : b;
    }

    /**
     * Makes this tensor's memory (shared with its base and views) read-only from now on: writes through
     * this class or the op API throw, and {@link #buffer()} is read-only. In exchange, native kernels
     * trust a frozen weight array by its {@link #frozenId()} instead of re-reading every bit to see
     * whether it changed since they reordered or transformed it (a pass over the weights per call: 94 MB
     * and 3.4 ms per ResNet-50 pass at batch 1). What inference copies do (see {@code InferenceFusion});
     * there is no unfreezing: {@link #copy()} a frozen tensor to change it.
     */
    public Tensor freeze() {
        checkOpen("freeze");
        storage.freeze();
        return this;
    }

    public boolean isFrozen() {
        return storage.frozenId() != 0;
    }

    /** Whether this tensor and {@code other} are views of the same memory (a write to one may show in the other). */
    public boolean sharesMemoryWith(Tensor other) {
        return storage == other.storage;
    }

    /** 0 for a writable tensor; for a frozen one an id that no other memory of this JVM ever has. */
    public long frozenId() {
        return storage.frozenId();
    }

    /** Throws {@link IllegalStateException} naming {@code op} if this tensor is closed or frozen. */
    public void checkWritable(String op) {
        checkOpen(op);
        if (isFrozen()) {
            throw new IllegalStateException(op + ": tensor " + shape + " is frozen (read-only); copy() it to change it");
        }
    }

    /** The elements in logical order (NCHW for 4-D tensors whatever the layout). */
    public float[] toArray() {
        checkOpen("toArray");
        float[] out = new float[numel()];
        if (layout == Layout.NHWC) {
            try (Tensor plain = toLayout(Layout.NCHW)) {
                plain.buffer().get(out);
            }
        } else {
            buffer().get(out);
        }
        return out;
    }

    /** Overwrites the elements from {@code data}, given in logical order. */
    public Tensor copyFrom(float[] data) {
        checkWritable("copyFrom");
        if (data == null || data.length != numel()) {
            throw new IllegalArgumentException("Tensor.copyFrom: data has " + (data == null ? "null" : data.length + " values")
                    + " but shape " + shape + " holds " + numel());
        }
        if (layout == Layout.NHWC) {
            int n = dim(0), c = dim(1), hw = dim(2) * dim(3);
            FloatBuffer b = buffer();
            for (int i = 0; i < n; i++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int p = 0; p < hw; p++) {
                        b.put((i * hw + p) * c + ch, data[(i * c + ch) * hw + p]);
                    }
                }
            }
        } else {
            buffer().put(data);
        }
        return this;
    }

    /** Copies the elements of {@code src}, which must have the same shape (layouts may differ). */
    public Tensor copyFrom(Tensor src) {
        checkWritable("copyFrom");
        src.checkOpen("copyFrom");
        if (!src.shape.equals(shape)) {
            throw new IllegalArgumentException("Tensor.copyFrom: source shape " + src.shape + " differs from " + shape);
        }
        if (sameOrder(src.layout, layout)) {
            buffer().put(src.buffer());
        } else {
            reorder(src, this);
        }
        return this;
    }

    /** Where the element at flat logical index {@code logical} (C order of the logical shape) lies in {@link #buffer()}. */
    public int memoryIndex(int logical) {
        if (layout != Layout.NHWC) {
            return logical;
        }
        int c = dim(1), hw = dim(2) * dim(3);
        return (logical / (c * hw) * hw + logical % hw) * c + logical / hw % c;
    }

    /** The element at logical index {@code idx} (slow: for tests and small tensors). */
    public float get(int... idx) {
        checkOpen("get");
        return storage.floats().get(offset + memoryIndex(idx));
    }

    /** Sets the element at logical index {@code idx} (slow: for tests and small tensors). */
    public Tensor set(float value, int... idx) {
        checkWritable("set");
        storage.floats().put(offset + memoryIndex(idx), value);
        return this;
    }

    public Tensor fill(float value) {
        checkWritable("fill");
        FloatBuffer b = buffer();
        for (int i = 0; i < b.limit(); i++) {
            b.put(i, value);
        }
        return this;
    }

    public Tensor zero() {
        return fill(0f);
    }

    /**
     * A view with another shape of the same size, sharing memory. Only for tensors in C order (NCHW,
     * PLAIN, or NHWC with one channel or one pixel, whose memory order is the same).
     */
    public Tensor reshape(int... dims) {
        checkOpen("reshape");
        Shape s = Shape.of(dims);
        if (s.numel() != numel()) {
            throw new IllegalArgumentException("Tensor.reshape: cannot view " + shape + " (" + numel() + " elements) as " + s);
        }
        if (!sameOrder(layout, Layout.NCHW)) {
            throw new IllegalStateException("Tensor.reshape: an NHWC tensor " + shape + " must be converted with toLayout(NCHW) first");
        }
        return new Tensor(storage, offset, s, s.rank() == 4 ? Layout.NCHW : Layout.PLAIN, true);
    }

    /**
     * A [N, rest] view of this tensor's memory in its own order: (c, h, w) per sample when NCHW, (h, w, c)
     * when NHWC. A layer whose weights are in the same order reads a channels-last map through it without
     * a reorder.
     */
    public Tensor memoryOrderRows() {
        checkOpen("memoryOrderRows");
        int n = rank() == 0 ? 1 : dim(0);
        return new Tensor(storage, offset, Shape.of(n, n == 0 ? 0 : numel() / n), Layout.PLAIN, true);
    }

    /** A view of entries {@code [start, start+length)} along the first dimension, sharing memory. */
    public Tensor narrow(int start, int length) {
        checkOpen("narrow");
        int d0 = dim(0);
        if (start < 0 || length < 0 || start + length > d0) {
            throw new IllegalArgumentException("Tensor.narrow: range [" + start + ", " + (start + length)
                    + ") is outside dimension 0 of size " + d0 + " in shape " + shape);
        }
        int[] d = dims();
        d[0] = length;
        int stride = d0 == 0 ? 0 : numel() / d0;
        return new Tensor(storage, offset + start * stride, Shape.of(d), layout, true);
    }

    /** A copy of this tensor with the given memory layout (a reorder). */
    public Tensor toLayout(Layout target) {
        checkOpen("toLayout");
        Tensor out = zeros(shape, target);
        if (sameOrder(layout, target)) {
            out.buffer().put(buffer());
        } else {
            reorder(this, out);
        }
        return out;
    }

    /**
     * Copies between NCHW and NHWC memory orders (same shapes): a sample at a time, read and written in bulk
     * and transposed between arrays in tiles that stay in L1 (element by element through the buffers it took
     * 1.7 ms for fmnist-cnn's last map at batch 128).
     */
    private static void reorder(Tensor from, Tensor to) {
        REORDERS.incrementAndGet();
        int n = from.dim(0), c = from.dim(1), hw = from.dim(2) * from.dim(3), per = c * hw;
        FloatBuffer src = from.buffer(), dst = to.buffer();
        boolean toNhwc = to.layout == Layout.NHWC;
        float[] in = new float[per], out = new float[per];
        for (int i = 0; i < n; i++) {
            src.get(i * per, in);
            if (toNhwc) {
                transpose(in, out, c, hw);
            } else {
                transpose(in, out, hw, c);
            }
            dst.put(i * per, out);
        }
    }

    /** out = the transpose of in, a rows x cols matrix, in 32 x 32 tiles. */
    private static void transpose(float[] in, float[] out, int rows, int cols) {
        final int tile = 32;
        for (int r0 = 0; r0 < rows; r0 += tile) {
            int r1 = Math.min(r0 + tile, rows);
            for (int q0 = 0; q0 < cols; q0 += tile) {
                int q1 = Math.min(q0 + tile, cols);
                for (int r = r0; r < r1; r++) {
                    for (int q = q0; q < q1; q++) {
                        out[q * rows + r] = in[r * cols + q];
                    }
                }
            }
        }
    }

    /**
     * How many NCHW<->NHWC reorders {@link #toLayout} has done in this JVM (also those inside
     * {@link #toArray()} and {@link #copyFrom(Tensor)} of an NHWC tensor); copies within one order do
     * not count. Tests and benchmarks read it before and after an op to prove it reorders nothing.
     */
    public static long reorders() {
        return REORDERS.get();
    }

    /** Bytes of off-heap tensor memory held now (all tensors of this JVM). */
    public static long liveBytes() {
        return Storage.liveBytes();
    }

    /** The most off-heap tensor memory held at once since {@link #resetPeakBytes()} (or the start). */
    public static long peakBytes() {
        return Storage.peakBytes();
    }

    public static void resetPeakBytes() {
        Storage.resetPeak();
    }

    /** A deep copy with the same shape and layout. */
    public Tensor copy() {
        return toLayout(layout);
    }

    /** Takes this tensor out of its {@link TensorScope} so that closing the scope does not free it. */
    public Tensor detach() {
        if (owner != null) {
            owner.release(this);
            owner = null;
        }
        return this;
    }

    /** The memory this tensor (and its base and views) reads and writes, for {@link TensorUse}. */
    Storage storage() {
        return storage;
    }

    /** Throws {@link IllegalStateException} naming {@code op} if this tensor has been closed. */
    public void checkOpen(String op) {
        if (isClosed()) {
            throw new IllegalStateException(op + ": tensor " + shape + " is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!isView) {
            if (owner != null) {
                owner.release(this);
                owner = null;
            }
            storage.free();
        }
    }

    @Override
    public String toString() {
        return "Tensor" + shape + (layout == Layout.NHWC ? " NHWC" : "") + (isClosed() ? " (closed)" : "");
    }

    /** Whether two layouts put this tensor's elements in the same memory order. */
    private boolean sameOrder(Layout a, Layout b) {
        boolean trivial = rank() == 4 && (dim(1) == 1 || dim(2) * dim(3) == 1); // one channel or one pixel
        return a == b || trivial || (a != Layout.NHWC && b != Layout.NHWC);
    }

    private int memoryIndex(int[] idx) {
        if (idx.length != rank()) {
            throw new IllegalArgumentException("Tensor: index " + Arrays.toString(idx) + " has rank " + idx.length + ", shape " + shape + " has rank " + rank());
        }
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= dim(i)) {
                throw new IndexOutOfBoundsException("Tensor: index " + Arrays.toString(idx) + " is outside shape " + shape);
            }
        }
        if (layout == Layout.NHWC) {
            return ((idx[0] * dim(2) + idx[2]) * dim(3) + idx[3]) * dim(1) + idx[1];
        }
        int flat = 0;
        for (int i = 0; i < idx.length; i++) {
            flat = flat * dim(i) + idx[i];
        }
        return flat;
    }
}
