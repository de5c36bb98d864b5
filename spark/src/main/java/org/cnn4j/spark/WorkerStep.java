package org.cnn4j.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * What each worker does in step {@code step} of {@code epoch}: takes its next batch of its shard (by the
 * epoch's order), runs it through a replica set to the broadcast model state and returns its weighted
 * gradients, added into Spark's aggregation, with how long it waited for the broadcast state and how long
 * its pass took. A pure function of (state, shard, epoch, step), timings aside: a re-run task returns
 * exactly the gradients the lost one would have.
 */
final class WorkerStep implements Function2<GradientSum, Shard, GradientSum> {
    private final Broadcast<ShippedModel> architecture;
    private final Broadcast<ModelState> state;
    private final int epoch, step, batchSize;
    private final boolean shuffle;
    private final long seed;
    private final StepFault fault;

    WorkerStep(Broadcast<ShippedModel> architecture, Broadcast<ModelState> state, int epoch, int step, int batchSize,
               boolean shuffle, long seed, StepFault fault) {
        this.architecture = architecture;
        this.state = state;
        this.epoch = epoch;
        this.step = step;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.fault = fault;
    }

    @Override
    public GradientSum call(GradientSum sum, Shard shard) {
        int start = step * batchSize, n = Math.min(batchSize, shard.size() - start);
        if (n <= 0) { // a shorter shard has run out: it adds nothing to this step
            return sum;
        }
        ExecutorThreads.adopt();
        int partition = TaskContext.getPartitionId();
        int[] order = shard.order(shuffle, seed, epoch, partition);
        float[] pixels = new float[n * shard.imageSize()];
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            shard.copyImage(order[start + i], pixels, i);
            labels[i] = shard.label(order[start + i]);
        }
        long fetchStart = System.nanoTime();
        ShippedModel model = architecture.value();
        ModelState from = state.value();
        long fetchNanos = System.nanoTime() - fetchStart;
        Replica replica = TrainingReplicas.borrow(model);
        try {
            long computeStart = System.nanoTime();
            GradientSum mine = replica.step(from, pixels, labels);
            mine.timed(fetchNanos, System.nanoTime() - computeStart);
            fault.afterGradients(epoch, step);
            return sum.add(mine);
        } finally {
            TrainingReplicas.giveBack(model, replica);
        }
    }
}
