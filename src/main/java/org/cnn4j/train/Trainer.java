package org.cnn4j.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.cnn4j.data.DataLoader;
import org.cnn4j.kernels.Loss;
import org.cnn4j.nn.CrossEntropyLoss;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Parameter;
import org.cnn4j.optim.LrSchedule;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.tensor.Tensor;

/**
 * Trains a classifier with softmax cross-entropy: {@link #fit} runs epochs of shuffled batches with
 * a progress bar (loss, accuracy, images/s, ETA), evaluates after each epoch and calls the callbacks
 * (checkpoints, early stopping); {@link #evaluate} and {@link #predict} run the model in eval mode.
 * Runs are reproducible: the data order comes from the loader's seed and the epoch, and nothing else
 * in a step is random but dropout, which draws from its own seed.
 */
public final class Trainer implements AutoCloseable {
    private final Module model;
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private final List<Callback> callbacks = new ArrayList<>();
    private final List<EpochResult> history = new ArrayList<>();
    private double clipNorm = Double.POSITIVE_INFINITY;
    private PrintStream console = System.out;
    private boolean progressBar = true;
    private Tensor probabilities;

    public Trainer(Module model, Optimizer optimizer, LrSchedule schedule) {
        this.model = model;
        this.optimizer = optimizer;
        this.schedule = schedule == null ? LrSchedule.constant(optimizer.learningRate()) : schedule;
        model.setNeedsInputGrad(false); // nothing consumes the gradient of the images
    }

    public Trainer addCallback(Callback c) {
        callbacks.add(c);
        return this;
    }

    /** Clips the global gradient norm to {@code maxNorm} (> 0; infinity: no clipping) before every update. */
    public Trainer clipGradNorm(double maxNorm) {
        if (!(maxNorm > 0)) { // a negative one would turn descent into ascent
            throw new IllegalArgumentException("trainer: max gradient norm must be > 0, got " + maxNorm);
        }
        clipNorm = maxNorm;
        return this;
    }

    /** Where epoch summaries go; {@code showProgressBar} false for quiet tests and logs. */
    public Trainer console(PrintStream out, boolean showProgressBar) {
        console = out;
        progressBar = showProgressBar;
        return this;
    }

    /** Epochs trained so far (including any loaded with {@link #resumeFrom}). */
    public List<EpochResult> history() {
        return List.copyOf(history);
    }

    /** Continues a run: earlier epochs count towards the schedule and stay in the history. */
    public void resumeFrom(List<EpochResult> earlier) {
        history.clear();
        history.addAll(earlier);
    }

    /** Trains up to epoch {@code epochs} (counting resumed ones); {@code validation} may be null. */
    public List<EpochResult> fit(DataLoader train, DataLoader validation, int epochs) throws IOException {
        if (epochs < 0) {
            throw new IllegalArgumentException("trainer: epochs must be >= 0, got " + epochs);
        }
        int classes = train.dataset().numClasses();
        for (int epoch = history.size(); epoch < epochs; epoch++) {
            model.train();
            train.startEpoch(epoch);
            Metrics m = new Metrics(classes, 1);
            long start = System.nanoTime();
            int batches = train.numBatches();
            try (ProgressBar bar = progressBar ? new ProgressBarBuilder().setTaskName(String.format("epoch %d/%d", epoch + 1, epochs))
                    .setInitialMax(batches).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build() : null) {
                for (int b = 0; b < batches; b++) {
                    optimizer.setLearningRate(schedule.at(epoch, (double) b / batches));
                    Tensor[] xy = train.batch(b);
                    double l = step(xy[0], xy[1], String.format("epoch %d, batch %d of %d", epoch + 1, b + 1, batches));
                    m.add(l, loss.probabilities(), xy[1]);
                    if (bar != null) {
                        double secs = (System.nanoTime() - start) * 1e-9;
                        bar.step();
                        bar.setExtraMessage(String.format(" loss %.3f acc %.1f%% %.0f img/s", m.loss(), 100 * m.accuracy(), m.count() / secs));
                    }
                }
            }
            double secs = (System.nanoTime() - start) * 1e-9;
            Metrics val = validation == null ? null : evaluate(validation);
            EpochResult r = new EpochResult(epoch + 1, m.loss(), m.accuracy(), val == null ? Double.NaN : val.loss(),
                    val == null ? Double.NaN : val.accuracy(), optimizer.learningRate(), secs, m.count() / secs);
            history.add(r);
            String validated = val == null ? "" : String.format(" | validation loss %.4f acc %.2f%%", r.validationLoss(), 100 * r.validationAccuracy());
            console.printf("epoch %d/%d: train loss %.4f acc %.2f%%%s | %.1f s, %.0f images/s | %s%n", r.epoch(), epochs, r.trainLoss(),
                    100 * r.trainAccuracy(), validated, r.seconds(), r.imagesPerSecond(), MemoryUsage.now());
            boolean goOn = true;
            for (Callback c : callbacks) {
                goOn &= c.afterEpoch(r);
            }
            if (!goOn) {
                console.println("stopping early after epoch " + r.epoch());
                break;
            }
        }
        return history();
    }

    /**
     * One optimisation step on a batch; returns its mean loss. Throws {@link NonFiniteException}, before
     * any weight changes, when the loss or a gradient is NaN or infinite.
     */
    public double step(Tensor images, Tensor labels) {
        return step(images, labels, "step " + (optimizer.stepCount() + 1));
    }

    /** {@link #step(Tensor, Tensor)}, naming the step {@code where} in its error. */
    private double step(Tensor images, Tensor labels, String where) {
        Tensor logits = model.forward(images);
        double l = loss.forward(logits, labels);
        if (!Double.isFinite(l)) {
            throw new NonFiniteException(where, "the loss is " + l);
        }
        model.backward(loss.gradient());
        // with clipping the norm is computed anyway, and only a norm that is not finite needs the search
        boolean clip = Double.isFinite(clipNorm);
        double norm = clip ? optimizer.clipGradNorm(clipNorm) : Double.NaN;
        Parameter bad = clip && Double.isFinite(norm) ? null : optimizer.nonFiniteGradient();
        if (bad != null) {
            String name = model.namedParameters().entrySet().stream().filter(e -> e.getValue() == bad).map(Map.Entry::getKey)
                    .findFirst().orElse(bad.name());
            throw new NonFiniteException(where, "the gradient of " + name + " is not finite" + (clip ? " (gradient norm " + norm + ")" : ""));
        }
        optimizer.step();
        return l;
    }

    /** Loss, accuracy, top-3, per-class accuracy and confusion matrix on a dataset, in eval mode. */
    public Metrics evaluate(DataLoader data) {
        model.eval();
        data.startEpoch(0);
        Metrics m = new Metrics(data.dataset().numClasses(), 3);
        for (int b = 0; b < data.numBatches(); b++) {
            Tensor[] xy = data.batch(b);
            double l = loss.forward(model.forward(xy[0]), xy[1]);
            m.add(l, loss.probabilities(), xy[1]);
        }
        return m;
    }

    /**
     * Class probabilities of every image of {@code data}, in eval mode: row i belongs to image i of the
     * dataset (whatever order the loader serves them in).
     */
    public float[][] predict(DataLoader data) {
        model.eval();
        data.startEpoch(0);
        int classes = data.dataset().numClasses();
        float[][] out = new float[data.dataset().size()][];
        for (int b = 0; b < data.numBatches(); b++) {
            Tensor[] xy = data.batch(b);
            Tensor logits = model.forward(xy[0]);
            if (probabilities == null || !Arrays.equals(probabilities.dims(), logits.dims())) {
                close(probabilities);
                probabilities = Tensor.zeros(logits.dims()).detach();
            }
            Loss.softmax(logits, probabilities);
            FloatBuffer p = probabilities.buffer();
            for (int i = 0; i < logits.dim(0); i++) {
                float[] row = new float[classes];
                p.get(i * classes, row);
                out[data.indexOf(b, i)] = row;
            }
        }
        return out;
    }

    @Override
    public void close() {
        loss.close();
        close(probabilities);
    }

    private static void close(Tensor t) {
        if (t != null) {
            t.close();
        }
    }
}
