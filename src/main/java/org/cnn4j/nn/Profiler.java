package org.cnn4j.nn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-layer wall time of forward and backward passes, for {@code cnn4j bench --network}. Off by
 * default (then it costs one boolean test per layer call); containers ({@link Sequential},
 * {@link Graph}) time each child by its dotted name.
 */
public final class Profiler {
    private static volatile boolean enabled;
    private static final Map<String, long[]> NANOS = new LinkedHashMap<>();

    private Profiler() {
    }

    /** Starts recording (clearing earlier figures) or stops it (keeping them for {@link #figures()}). */
    public static synchronized void enable(boolean on) {
        if (on) {
            NANOS.clear();
        }
        enabled = on;
    }

    static long start() {
        return enabled ? System.nanoTime() : 0;
    }

    /** Adds the time since {@code start} to layer {@code name}'s forward (0) or backward (1) total. */
    static void stop(String name, int pass, long start) {
        if (enabled) {
            long dt = System.nanoTime() - start;
            synchronized (Profiler.class) {
                NANOS.computeIfAbsent(name, k -> new long[2])[pass] += dt;
            }
        }
    }

    /** Nanoseconds per layer name: {forward, backward}, in first-call order. */
    public static synchronized Map<String, long[]> figures() {
        Map<String, long[]> copy = new LinkedHashMap<>();
        NANOS.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }
}
