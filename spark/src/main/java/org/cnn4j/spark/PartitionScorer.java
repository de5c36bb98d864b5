package org.cnn4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.TaskCompletionListener;
import org.cnn4j.backend.Backends;
import org.cnn4j.io.ModelFile;
import org.cnn4j.kernels.Loss;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import scala.collection.immutable.ArraySeq;

/**
 * Scores one partition: reads the rows in batches of a fixed size, runs each batch through the
 * executor's copy of the model and returns every row with its prediction columns appended
 * ({@link PredictionColumns}). The last batch of a partition is padded with zero images to the full
 * size, so that every batch has one shape: an image's outputs then do not depend on how the rows were
 * partitioned (see docs/spark.md). Rows stream through: a partition is never held in memory.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
    private final Broadcast<ShippedModel> model;
    private final ModelInputs inputs;
    private final int batchSize, topK;
    private final String embeddingLayer;

    PartitionScorer(Broadcast<ShippedModel> model, ModelInputs inputs, int batchSize, int topK, String embeddingLayer) {
        this.model = model;
        this.inputs = inputs;
        this.batchSize = batchSize;
        this.topK = topK;
        this.embeddingLayer = embeddingLayer;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        LoadedModel loaded = ExecutorModels.get(model.value());
        ExecutorThreads.adopt();
        return new Scored(rows, loaded, TaskContext.get());
    }

    /** The scored rows of a partition, computed one batch at a time as they are read. */
    private final class Scored implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final LoadedModel loaded;
        private final List<String> classes;
        private final float[] pixels;
        private final Tensor images, probabilities;
        private final List<Row> batch = new ArrayList<>();
        private final List<Row> out = new ArrayList<>();
        private final int partition;
        private int next, seen;

        Scored(Iterator<Row> rows, LoadedModel loaded, TaskContext task) {
            this.rows = rows;
            this.loaded = loaded;
            this.classes = loaded.saved().classNames();
            ModelFile.Saved saved = loaded.saved();
            pixels = new float[batchSize * inputs.imageSize()];
            images = Tensor.zeros(Shape.of(batchSize, saved.channels(), saved.height(), saved.width()),
                    Backends.current().activationLayout()).detach();
            probabilities = Tensor.zeros(batchSize, classes.size()).detach();
            partition = task == null ? 0 : task.partitionId();
            if (task != null) {
                task.addTaskCompletionListener((TaskCompletionListener) t -> {
                    images.close();
                    probabilities.close();
                });
            }
        }

        @Override
        public boolean hasNext() {
            if (next == out.size() && rows.hasNext()) {
                scoreNextBatch();
            }
            return next < out.size();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return out.get(next++);
        }

        private void scoreNextBatch() {
            batch.clear();
            out.clear();
            next = 0;
            int size = inputs.imageSize();
            while (batch.size() < batchSize && rows.hasNext()) {
                Row row = rows.next();
                inputs.write(row, "row " + seen++ + " of partition " + partition, pixels, batch.size() * size);
                batch.add(row);
            }
            Arrays.fill(pixels, batch.size() * size, pixels.length, 0f);
            images.copyFrom(pixels);
            float[] p = loaded.outputs().predict(images, logits -> {
                Loss.softmax(logits, probabilities);
                return probabilities.toArray();
            });
            float[] embeddings = embeddingLayer == null ? null : loaded.layer(embeddingLayer).predict(images);
            int perEmbedding = embeddings == null ? 0 : embeddings.length / batchSize;
            for (int i = 0; i < batch.size(); i++) {
                float[] row = Arrays.copyOfRange(p, i * classes.size(), (i + 1) * classes.size());
                float[] embedding = embeddings == null ? null : Arrays.copyOfRange(embeddings, i * perEmbedding, (i + 1) * perEmbedding);
                out.add(withPredictions(batch.get(i), row, embedding));
            }
        }

        private Row withPredictions(Row row, float[] probs, float[] embedding) {
            Integer[] order = new Integer[probs.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Float.compare(probs[b], probs[a])); // stable: ties keep the lower class index first
            Row[] top = new Row[topK];
            for (int k = 0; k < topK; k++) {
                top[k] = RowFactory.create(order[k], classes.get(order[k]), probs[order[k]]);
            }
            int n = row.length();
            Object[] values = new Object[n + (embedding == null ? 4 : 5)];
            for (int i = 0; i < n; i++) {
                values[i] = row.get(i);
            }
            values[n] = order[0];
            values[n + 1] = classes.get(order[0]);
            values[n + 2] = probs[order[0]];
            values[n + 3] = ArraySeq.unsafeWrapArray(top); // Spark's row encoder takes arrays as Scala sequences
            if (embedding != null) {
                values[n + 4] = ArraySeq.unsafeWrapArray(embedding);
            }
            return RowFactory.create(values);
        }
    }
}
