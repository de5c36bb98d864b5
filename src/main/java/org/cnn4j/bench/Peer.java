package org.cnn4j.bench;

/**
 * Another engine that {@code cnn4j bench} times beside cnn4j, in the same rounds, on the same network, input and threads
 * (ONNX Runtime from the core jar; PyTorch from {@code benchmarks/peers}). Engines in other jars are found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/org.cnn4j.bench.Peer}), so the core jar carries none of
 * their native libraries. A peer that cannot run a task says why as a sentence instead of throwing: the bench prints it
 * in place of the column.
 */
public interface Peer {
    /** The column heading, e.g. {@code ONNX Runtime}. */
    String name();

    /** The key of this peer's figures in {@code --json} files, e.g. {@code onnxruntime}. */
    String id();

    /** Why this peer cannot run {@code task} here (a sentence), or null when it can; never throws. */
    String unavailable(PeerTask task);

    /** The engine's version, e.g. {@code 1.24.2}; called only when {@link #unavailable} said null. */
    String version();

    /**
     * A session that runs {@code task}; it copies the network's weights now, so the training cnn4j does on its own network
     * afterwards does not reach it.
     */
    PeerSession open(PeerTask task) throws Exception;
}
