package org.cnn4j.report;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.explain.Explanations;
import org.cnn4j.explain.Pictures;
import org.cnn4j.explain.SoundExplanations;
import org.cnn4j.explain.SoundPictures;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.CrossEntropyLoss;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.EpochResult;
import org.cnn4j.train.Metrics;

/**
 * Everything the report page says about a trained model: its training curves (from the model file's
 * history), its metrics on a test set (confusion matrix as a heat map, per-class accuracy), a grid
 * of misclassified test images beside their Grad-CAM for the wrongly predicted class, and the
 * filters of its first convolution.
 */
public final class ModelReport {
    private ModelReport() {
    }

    /** What to evaluate and where to look inside the model. */
    public record Inputs(String modelName, ModelFile.Saved saved, ImageDataset test, String testName, float mean, float std,
                         String gradCamLayer, Conv2d firstConvolution, int maxMisclassified) {
    }

    public static ReportPage build(Inputs in) {
        Module net = in.saved().model();
        List<String> classes = in.saved().classNames();
        if (in.test().numClasses() != classes.size()) {
            throw new IllegalArgumentException("report: the model has " + classes.size() + " classes, the data "
                    + in.test().numClasses());
        }
        ReportPage page = new ReportPage("cnn4j report: " + in.modelName());
        page.paragraph(String.format(Locale.ROOT, "%s (%s, %,d parameters, input %dx%dx%d), tested on %s (%d images).",
                in.modelName(), in.saved().architecture(), net.parameterCount(), in.saved().channels(), in.saved().height(),
                in.saved().width(), in.testName(), in.test().size()));

        page.heading("Training curves");
        List<EpochResult> history = in.saved().history();
        if (history.isEmpty()) {
            page.paragraph("The model file holds no training history.");
        } else {
            page.image(Charts.lossCurves(history), "Loss per epoch").image(Charts.accuracyCurves(history), "Accuracy per epoch");
        }

        Evaluation ev = evaluate(net, in.test(), in.mean(), in.std());
        Metrics m = ev.metrics();
        page.heading("Test metrics");
        page.paragraph(String.format(Locale.ROOT, "Loss %.4f, accuracy %.2f%%, top-%d accuracy %.2f%%.", m.loss(), 100 * m.accuracy(),
                m.topK(), 100 * m.topKAccuracy()));
        page.image(Charts.confusionMatrix(m.confusionMatrix(), classes), "Confusion matrix (rows: true class, columns: predicted)");
        double[] per = m.perClassAccuracy();
        page.image(Charts.perClassAccuracy(per, classes), "Accuracy per class");
        List<List<String>> rows = new ArrayList<>();
        long[][] confusion = m.confusionMatrix();
        for (int k = 0; k < classes.size(); k++) {
            rows.add(List.of(classes.get(k), Long.toString(Arrays.stream(confusion[k]).sum()),
                    Double.isFinite(per[k]) ? String.format(Locale.ROOT, "%.1f%%", 100 * per[k]) : "-"));
        }
        page.table(List.of("class", "test images", "accuracy"), rows);

        boolean sound = in.saved().isSound();
        page.heading(sound ? "Misclassified test clips and their Grad-CAM over time" : "Misclassified test images and their Grad-CAM");
        List<Integer> wrong = new ArrayList<>();
        for (int i = 0; i < in.test().size() && wrong.size() < in.maxMisclassified(); i++) {
            if (ev.predicted()[i] != in.test().labels()[i]) {
                wrong.add(i);
            }
        }
        if (wrong.isEmpty()) {
            page.paragraph("Every test " + (sound ? "clip" : "image") + " is classified correctly.");
        } else if (sound) {
            page.paragraph("Each clip's waveform (captioned true -> predicted) over the Grad-CAM at " + in.gradCamLayer()
                    + " for the class the model predicted (red: the moments that drove the wrong answer).");
            page.image(misclassifiedClips(net, in, wrong, ev.predicted()), "The first " + wrong.size() + " misclassified test clips");
        } else {
            page.paragraph("Each image (captioned with its true class) beside the Grad-CAM heat map at " + in.gradCamLayer()
                    + " for the class the model predicted (red: the regions that drove the wrong answer).");
            page.image(misclassifiedGrid(net, in, wrong, ev.predicted()), "The first " + wrong.size() + " misclassified test images");
        }

        page.heading("First-layer filters");
        Conv2d first = in.firstConvolution();
        if (sound && first.geometry().kernelH() == 1) {
            page.image(SoundPictures.frequencyResponses(first.weight().value(), in.saved().sampleRate()), "Frequency responses of the "
                    + first.outChannels() + " filters of the first convolution (" + first.describe() + "), by the frequency each passes most");
        } else {
            page.image(Pictures.filterGrid(first.weight().value(), 12), first.outChannels() + " filters of the first convolution ("
                    + first.describe() + ")");
        }
        return page;
    }

    /** Metrics and the predicted class of every image, in dataset order. */
    private record Evaluation(Metrics metrics, int[] predicted) {
    }

    private static Evaluation evaluate(Module net, ImageDataset test, float mean, float std) {
        net.eval();
        Metrics m = new Metrics(test.numClasses(), 3);
        int[] predicted = new int[test.size()];
        try (CrossEntropyLoss loss = new CrossEntropyLoss(); DataLoader loader = new DataLoader(test, 250, false, 0, mean, std)) {
            loader.startEpoch(0);
            for (int b = 0; b < loader.numBatches(); b++) {
                Tensor[] xy = loader.batch(b);
                double l = loss.forward(net.forward(xy[0]), xy[1]);
                m.add(l, loss.probabilities(), xy[1]);
                float[] p = loss.probabilities().toArray();
                int k = test.numClasses();
                for (int i = 0; i < xy[0].dim(0); i++) {
                    int best = 0;
                    for (int c = 1; c < k; c++) {
                        if (p[i * k + c] > p[i * k + best]) {
                            best = c;
                        }
                    }
                    predicted[loader.indexOf(b, i)] = best;
                }
            }
        }
        return new Evaluation(m, predicted);
    }

    private static BufferedImage misclassifiedGrid(Module net, Inputs in, List<Integer> wrong, int[] predicted) {
        ImageDataset test = in.test();
        int per = test.imageSize(), h = test.height(), w = test.width();
        List<BufferedImage> tiles = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int idx : wrong) {
            float[] pixels = Arrays.copyOfRange(test.pixels(), idx * per, (idx + 1) * per), normalised = new float[per];
            for (int p = 0; p < per; p++) {
                normalised[p] = (pixels[p] - in.mean()) / in.std();
            }
            try (Tensor x = Tensor.of(normalised, 1, test.channels(), h, w)) {
                float[] cam = Explanations.gradCam(net, in.gradCamLayer(), x, predicted[idx]);
                float[] first = Arrays.copyOf(pixels, h * w);
                tiles.add(Pictures.gray(first, h, w, 3, 0f, 1f));
                captions.add(shortName(test.classNames().get(test.labels()[idx])));
                tiles.add(Pictures.heatOverlay(first, cam, h, w, 3));
                captions.add("-> " + shortName(test.classNames().get(predicted[idx])));
            }
        }
        return Pictures.grid(tiles, captions, 8);
    }

    private static BufferedImage misclassifiedClips(Module net, Inputs in, List<Integer> wrong, int[] predicted) {
        ImageDataset test = in.test();
        int per = test.imageSize();
        List<BufferedImage> tiles = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int idx : wrong) {
            float[] clip = Arrays.copyOfRange(test.pixels(), idx * per, (idx + 1) * per), normalised = new float[per];
            for (int p = 0; p < per; p++) {
                normalised[p] = (clip[p] - in.mean()) / in.std();
            }
            try (Tensor x = Tensor.of(normalised, 1, 1, 1, per)) {
                tiles.add(SoundPictures.waveform(clip, SoundExplanations.gradCamOverTime(net, in.gradCamLayer(), x, predicted[idx]), 240, 60));
                captions.add(shortName(test.classNames().get(test.labels()[idx])) + " -> " + shortName(test.classNames().get(predicted[idx])));
            }
        }
        return Pictures.grid(tiles, captions, 4);
    }

    private static String shortName(String s) {
        return s.length() > 12 ? s.substring(0, 12) : s;
    }
}
