package org.cnn4j.tensor;

/**
 * Keeps the memory of an op's tensors alive while the op reads and writes it, so that a tensor closed
 * meanwhile by another thread is not freed under native code (which would crash the JVM). Such a
 * {@link Tensor#close()} returns at once and the tensor counts as closed from then on; its memory is
 * freed when the op ends. A tensor already closed when the op starts fails here, naming the op and the
 * tensor. The op API ({@code org.cnn4j.kernels}) wraps every backend call in one:
 *
 * <pre>{@code
 * try (TensorUse use = TensorUse.of("conv2d", input, weight, bias, output)) {
 *     backend.conv2dForward(spec, input, weight, bias, output);
 * }
 * }</pre>
 *
 * Deferring the free, rather than failing the close, keeps {@code close()} total: a
 * {@link TensorScope} or a module closing many tensors never stops half-way and leaks the rest.
 */
public final class TensorUse implements AutoCloseable {
    private final Storage[] held;
    private int count;

    private TensorUse(int capacity) {
        held = new Storage[capacity];
    }

    /**
     * What an op throws when the backend found one of its tensors closed: when another thread closed it while the op
     * ran (the op's memory stays alive, but a check inside the backend sees the close), the exception is renamed after
     * {@code op}, so the message says which op lost its tensor; otherwise (a tensor closed before the op, which
     * {@link #of} reports under the op's name already, or another failure) {@code e} itself.
     */
    public static IllegalStateException closedMeanwhile(String op, IllegalStateException e, Tensor... tensors) {
        if (String.valueOf(e.getMessage()).startsWith(op + ":")) {
            return e;
        }
        for (Tensor t : tensors) {
            if (t != null && t.isClosed()) {
                return new IllegalStateException(op + ": " + e.getMessage() + " (closed by another thread while the op ran)", e);
            }
        }
        return e;
    }

    /** Holds every tensor given (null ones are skipped: absent optional arguments). */
    public static TensorUse of(String op, Tensor... tensors) {
        TensorUse use = new TensorUse(tensors.length);
        for (Tensor t : tensors) {
            if (t != null) {
                use.hold(op, t);
            }
        }
        return use;
    }

    /** Holds every tensor of {@code tensors} and the one after them (a concatenation's parts and whole). */
    public static TensorUse of(String op, java.util.List<Tensor> tensors, Tensor more) {
        Tensor[] all = tensors.toArray(new Tensor[tensors.size() + 1]);
        all[tensors.size()] = more;
        return of(op, all);
    }

    private void hold(String op, Tensor t) {
        if (t.isClosed() || !t.storage().acquire()) {
            close();
            throw new IllegalStateException(op + ": tensor " + t.shape() + " is closed");
        }
        held[count++] = t.storage();
    }

    @Override
    public void close() {
        while (count > 0) {
            held[--count].release();
        }
    }
}
