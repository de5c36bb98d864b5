package org.cnn4j.backend;

import java.util.function.Supplier;

/**
 * How convolutions run: the algorithm, whether AUTO and AUTOTUNE may choose Winograd, and whether an
 * explicit algorithm that cannot run a shape falls back to AUTO's choice instead of failing. The process
 * default is {@link Settings} with {@link ConvAlgorithm}'s setters over it; a network carries its own
 * ({@code Graph.executionOptions}) and {@link #call} applies options to one call on this thread, so two
 * models in one JVM, or two threads calling them, can differ.
 */
public record ExecutionOptions(ConvAlgorithm algorithm, boolean winograd, boolean fallBackToAuto) {
    private static final ThreadLocal<ExecutionOptions> SCOPE = new ThreadLocal<>();
    private static volatile ExecutionOptions processDefault; // null after a setter changed it: rebuilt on next use

    public ExecutionOptions {
        if (algorithm == null) {
            throw new IllegalArgumentException("ExecutionOptions: algorithm is null");
        }
    }

    /** AUTO, Winograd allowed, no fallback: what a process with no settings runs. */
    public static ExecutionOptions auto() {
        return new ExecutionOptions(ConvAlgorithm.AUTO, true, false);
    }

    /** The options in force on this thread: the innermost {@link #call}'s, else the process default. */
    public static ExecutionOptions current() {
        ExecutionOptions scoped = SCOPE.get();
        return scoped != null ? scoped : processDefault();
    }

    /** The settings with what {@link ConvAlgorithm#use}, {@link ConvAlgorithm#allowWinograd} and {@link ConvAlgorithm#fallBackToAuto} set over them. */
    public static ExecutionOptions processDefault() {
        ExecutionOptions d = processDefault;
        return d != null ? d : rebuildProcessDefault();
    }

    /** Synchronised with {@link #processDefaultChanged} so that a default built from old setter values is never kept. */
    private static synchronized ExecutionOptions rebuildProcessDefault() {
        ExecutionOptions d = processDefault;
        if (d == null) {
            ConvAlgorithm chosen = ConvAlgorithm.chosen();
            Boolean winograd = ConvAlgorithm.winogradOverride();
            Settings s = chosen == null || winograd == null ? Settings.current() : null;
            d = new ExecutionOptions(chosen != null ? chosen : s.convAlgorithm(), winograd != null ? winograd : s.winograd(),
                    ConvAlgorithm.fallsBackToAutoByDefault());
            processDefault = d;
        }
        return d;
    }

    /** Called by ConvAlgorithm's setters: the process default is rebuilt from them on its next use. */
    static synchronized void processDefaultChanged() {
        processDefault = null;
    }

    public ExecutionOptions withAlgorithm(ConvAlgorithm a) {
        return new ExecutionOptions(a, winograd, fallBackToAuto);
    }

    public ExecutionOptions withWinograd(boolean allowed) {
        return new ExecutionOptions(algorithm, allowed, fallBackToAuto);
    }

    public ExecutionOptions withFallBackToAuto(boolean on) {
        return new ExecutionOptions(algorithm, winograd, on);
    }

    /** Runs {@code body} on this thread with these options, then restores the ones before. */
    public <T> T call(Supplier<T> body) {
        ExecutionOptions outer = SCOPE.get();
        SCOPE.set(this);
        try {
            return body.get();
        } finally {
            if (outer == null) {
                SCOPE.remove();
            } else {
                SCOPE.set(outer);
            }
        }
    }

    /** {@link #call} for a body with no result. */
    public void run(Runnable body) {
        call(() -> {
            body.run();
            return null;
        });
    }
}
