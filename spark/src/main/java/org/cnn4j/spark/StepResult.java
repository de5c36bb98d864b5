package org.cnn4j.spark;

/**
 * One synchronous step of {@link DataParallelTrainer}, as its step listener sees it.
 *
 * @param epoch   the epoch, counting from 1
 * @param step    the step within the epoch, counting from 1, of {@code steps}
 * @param images  the images of the step over all workers
 * @param loss    their mean loss
 * @param millis  the step's wall time on the driver: broadcast, the workers' passes, aggregation and the update
 */
public record StepResult(int epoch, int step, int steps, long images, double loss, double millis) {
}
