package org.cnn4j.spark;

import java.io.Serializable;

/**
 * A test seam of {@link DataParallelTrainer}: called in each worker's task after its forward and backward
 * pass and before it returns its gradients, so that a test can make a task attempt fail in the middle of
 * a step (by throwing) and check that Spark's re-run of the task changes nothing. Production runs use
 * {@link #NONE}.
 */
interface StepFault extends Serializable {
    StepFault NONE = (epoch, step) -> { };

    /** {@code epoch} and {@code step} count from 0; the task's context is {@code TaskContext.get()}. */
    void afterGradients(int epoch, int step);
}
