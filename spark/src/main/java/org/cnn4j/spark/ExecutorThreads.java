package org.cnn4j.spark;

import org.apache.spark.TaskContext;
import org.cnn4j.backend.cpu.NativeLibrary;

/**
 * Gives the native kernels of a task as many threads as Spark gave the task cores
 * ({@code spark.task.cpus}, 1 by default): an executor of C cores then runs C / task.cpus tasks at once
 * with task.cpus OpenMP threads each, so it keeps its C cores busy without oversubscribing them. The
 * count is the process's (every task of an executor has the same spark.task.cpus), and each task thread
 * adopts it at its next native op. {@code cnn4j.threads} / {@code CNN4J_THREADS}, when set, win, as
 * everywhere in cnn4j.
 */
final class ExecutorThreads {
    private ExecutorThreads() {
    }

    /**
     * Applies the calling task's core count; outside a task, or without the native library, does nothing. Returns the threads in force, or 0 on the reference backend.
     */
    static int adopt() {
        if (!NativeLibrary.isLoaded()) {
            return 0;
        }
        TaskContext task = TaskContext.get();
        if (task != null && !userChoseThreads()) {
            NativeLibrary.useThreads(Math.max(1, task.cpus()));
        }
        return NativeLibrary.threads();
    }

    private static boolean userChoseThreads() {
        String property = System.getProperty("cnn4j.threads"), variable = System.getenv("CNN4J_THREADS");
        return property != null && !property.isBlank() || variable != null && !variable.isBlank();
    }
}
