package org.cnn4j.bench;

/**
 * One engine ready to run one {@link PeerTask} again and again: each {@link #run} is the pass the bench times, a forward
 * pass in inference, a training step (forward, cross-entropy, backward, Adam) in training.
 */
public interface PeerSession extends AutoCloseable {
    /**
     * One pass on the task's input; returns what the bench compares with cnn4j's: the output (logits, NCHW order for
     * 4-D outputs) in inference, the step's loss (one value, before the update) in training.
     */
    float[] run();

    @Override
    void close();
}
