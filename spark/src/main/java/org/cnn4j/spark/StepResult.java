package org.cnn4j.spark;

/**
 * One synchronous step of {@link DataParallelTrainer}, as its step listener sees it, with where its time
 * went, measured where it is spent.
 *
 * @param epoch          the epoch, counting from 1
 * @param step           the step within the epoch, counting from 1, of {@code steps}
 * @param images         the images of the step over all workers
 * @param loss           their mean loss
 * @param millis         the step's wall time on the driver: broadcast, the workers' passes, aggregation and the update
 * @param broadcastMillis the driver's copy of the weights and buffers to arrays and their broadcast (serialisation included)
 * @param fetchMillis    the slowest worker's wait for that broadcast state (deserialisation, and the fetch when remote)
 * @param computeMillis  the slowest worker's pass: its replica loaded with the broadcast state, forward and backward
 * @param aggregateMillis the wall time of the aggregation stage: task launch, fetch, compute and the tree sum of gradients;
 *                       minus fetch and compute, Spark's overhead of scheduling tasks and moving gradients
 * @param updateMillis   the driver's mean of the gradients, NaN check and optimiser step
 * @param gradientBytes  one worker's gradients and buffers as float32: what each task sends, and about what is broadcast
 */
public record StepResult(int epoch, int step, int steps, long images, double loss, double millis, double broadcastMillis,
                         double fetchMillis, double computeMillis, double aggregateMillis, double updateMillis, long gradientBytes) {
}
