package org.cnn4j.spark;

import java.io.Serializable;
import java.util.Collection;
import org.cnn4j.nn.Parameter;
import org.cnn4j.tensor.Tensor;

/**
 * What the workers of one step add up: each worker's gradients of its mean loss and its buffers after
 * the step (batch-norm running statistics), both weighted by its image count, its summed loss and its
 * correct predictions. Divided by the total count, the gradients are those of the mean loss over the
 * union of the workers' batches: what one process computes on that one large batch.
 */
final class GradientSum implements Serializable {
    private float[][] gradients, buffers;
    private double loss;
    private long correct, images;
    private long fetchNanos, computeNanos;

    /** Nothing yet: the identity of {@link #add}. */
    static GradientSum none() {
        return new GradientSum();
    }

    /** A worker's contribution: {@code n} images, their mean loss, the gradients of that mean loss and its buffers. */
    static GradientSum of(int n, double meanLoss, long correct, Collection<Parameter> parameters, Collection<Tensor> buffers) {
        GradientSum s = new GradientSum();
        s.gradients = parameters.stream().map(p -> scaled(p.grad().toArray(), n)).toArray(float[][]::new);
        s.buffers = buffers.stream().map(b -> scaled(b.toArray(), n)).toArray(float[][]::new);
        s.loss = meanLoss * n;
        s.correct = correct;
        s.images = n;
        return s;
    }

    /** Records a worker's time to fetch the broadcast model state and to run its pass (the slowest worker's is kept on adding). */
    void timed(long fetchNanos, long computeNanos) {
        this.fetchNanos = fetchNanos;
        this.computeNanos = computeNanos;
    }

    /** This plus {@code other}, in place (Spark's aggregation may reuse its accumulator). */
    GradientSum add(GradientSum other) {
        if (other.images == 0) {
            return this;
        }
        if (images == 0) {
            return other;
        }
        addInto(gradients, other.gradients);
        addInto(buffers, other.buffers);
        loss += other.loss;
        correct += other.correct;
        images += other.images;
        fetchNanos = Math.max(fetchNanos, other.fetchNanos);
        computeNanos = Math.max(computeNanos, other.computeNanos);
        return this;
    }

    long images() {
        return images;
    }

    double meanLoss() {
        return loss / images;
    }

    long correct() {
        return correct;
    }

    /** The slowest worker's wait for the broadcast state (deserialising it, fetching it when remote). */
    long fetchNanos() {
        return fetchNanos;
    }

    /** The slowest worker's forward and backward pass. */
    long computeNanos() {
        return computeNanos;
    }

    /** The bytes of one worker's contribution as it travels: its gradients and buffers as float32. */
    long bytes() {
        long floats = 0;
        for (float[][] group : new float[][][] {gradients, buffers}) {
            for (float[] t : group) {
                floats += t.length;
            }
        }
        return 4 * floats;
    }

    /** The mean gradient over all the step's images, into each parameter's gradient. */
    void meanGradientsInto(Collection<Parameter> parameters) {
        int i = 0;
        for (Parameter p : parameters) {
            p.grad().copyFrom(divided(gradients[i++], images));
        }
    }

    /** The image-weighted mean of the workers' buffers, into {@code targets}. */
    void meanBuffersInto(Collection<Tensor> targets) {
        int i = 0;
        for (Tensor t : targets) {
            t.copyFrom(divided(buffers[i++], images));
        }
    }

    private static float[] scaled(float[] values, float by) {
        for (int i = 0; i < values.length; i++) {
            values[i] *= by;
        }
        return values;
    }

    private static float[] divided(float[] values, long by) {
        for (int i = 0; i < values.length; i++) {
            values[i] /= by;
        }
        return values;
    }

    private static void addInto(float[][] sum, float[][] more) {
        for (int t = 0; t < sum.length; t++) {
            for (int i = 0; i < sum[t].length; i++) {
                sum[t][i] += more[t][i];
            }
        }
    }
}
