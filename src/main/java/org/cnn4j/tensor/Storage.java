package org.cnn4j.tensor;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A block of off-heap memory, 64-byte aligned, shared by a tensor and its views. Freed
 * deterministically on {@link #free()} (not when the garbage collector gets round to it), so that a
 * training loop's memory does not depend on GC timing. An op holds the memory with {@link #acquire()}
 * / {@link #release()} while it reads or writes it (see {@link TensorUse}): a {@link #free()} that
 * comes meanwhile, from another thread, marks the storage closed at once and frees the memory when
 * the last op releases it, instead of pulling it from under native code (a SIGSEGV).
 */
final class Storage {
    private static final int ALIGNMENT = 64;
    private static final sun.misc.Unsafe UNSAFE = unsafe();

    private static final java.util.concurrent.atomic.AtomicLong LIVE = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicLong PEAK = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicLong FROZEN = new java.util.concurrent.atomic.AtomicLong();

    private ByteBuffer raw;
    private final FloatBuffer floats;
    private final AtomicInteger uses = new AtomicInteger();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean freed; // closed: no new use; the memory goes when the last use ends
    private volatile long frozenId;

    Storage(long floatCount) {
        if (floatCount > Integer.MAX_VALUE / 4 - ALIGNMENT) {
            throw new IllegalArgumentException("Tensor: " + floatCount + " floats do not fit one buffer");
        }
        int bytes = (int) floatCount * 4;
        // alignedSlice rounds both ends inwards to the alignment: allocate a whole aligned block more
        raw = ByteBuffer.allocateDirect((bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT + ALIGNMENT);
        PEAK.accumulateAndGet(LIVE.addAndGet(raw.capacity()), Math::max);
        floats = raw.alignedSlice(ALIGNMENT).order(ByteOrder.nativeOrder()).limit(bytes).slice()
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    FloatBuffer floats() {
        return floats;
    }

    /** 0 while writable; once frozen, an id no other storage of this JVM ever gets. */
    long frozenId() {
        return frozenId;
    }

    synchronized void freeze() {
        if (frozenId == 0) {
            frozenId = FROZEN.incrementAndGet();
        }
    }

    boolean isFreed() {
        return freed;
    }

    /**
     * Holds the memory for an op; false (and nothing held) when the storage is already freed. The
     * count goes up before {@code freed} is read, and {@link #free()} sets {@code freed} before it
     * reads the count, so one of the two always sees the other.
     */
    boolean acquire() {
        uses.incrementAndGet();
        if (freed) {
            release();
            return false;
        }
        return true;
    }

    /** Ends a use begun by {@link #acquire()}; the last use of a storage freed meanwhile frees the memory. */
    void release() {
        if (uses.decrementAndGet() == 0 && freed) {
            releaseMemory();
        }
    }

    /** Closes the storage; its memory is released now, or by the last op still using it. */
    void free() {
        freed = true;
        if (uses.get() == 0) {
            releaseMemory();
        }
    }

    private void releaseMemory() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        ByteBuffer r = raw;
        raw = null;
        if (r != null) {
            LIVE.addAndGet(-r.capacity());
        }
        if (UNSAFE != null && r != null) {
            UNSAFE.invokeCleaner(r);
        }
    }

    private static sun.misc.Unsafe unsafe() {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // memory is then released by the garbage collector instead
        }
    }

    /** Bytes of tensor memory allocated and not yet freed. */
    static long liveBytes() {
        return LIVE.get();
    }

    /** The most tensor memory held at once since the last {@link #resetPeak()}. */
    static long peakBytes() {
        return PEAK.get();
    }

    static void resetPeak() {
        PEAK.set(LIVE.get());
    }
}
