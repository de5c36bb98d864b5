package org.cnn4j.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.cnn4j.train.EpochResult;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The report's plots, drawn by XChart and returned as pictures: training curves from a model's
 * history, the confusion matrix as a heat map and per-class accuracy as bars.
 */
public final class Charts {
    private static final int WIDTH = 560, HEIGHT = 360;

    private Charts() {
    }

    /** Training and validation loss per epoch (validation only when every epoch has one). */
    public static BufferedImage lossCurves(List<EpochResult> history) {
        return curves(history, "Loss per epoch", "loss", false);
    }

    /** Training and validation accuracy per epoch, in percent. */
    public static BufferedImage accuracyCurves(List<EpochResult> history) {
        return curves(history, "Accuracy per epoch", "accuracy (%)", true);
    }

    private static BufferedImage curves(List<EpochResult> history, String title, String yTitle, boolean accuracy) {
        if (history.isEmpty()) {
            throw new IllegalArgumentException("charts: " + title + " needs at least one epoch of history");
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE).setAntiAlias(true);
        chart.getStyler().setXAxisDecimalPattern("0");
        int n = history.size();
        double[] epochs = new double[n], train = new double[n], validation = new double[n];
        boolean hasValidation = true;
        for (int i = 0; i < n; i++) {
            EpochResult r = history.get(i);
            double scale = accuracy ? 100 : 1;
            epochs[i] = r.epoch();
            train[i] = scale * (accuracy ? r.trainAccuracy() : r.trainLoss());
            validation[i] = scale * (accuracy ? r.validationAccuracy() : r.validationLoss());
            hasValidation &= Double.isFinite(validation[i]);
        }
        chart.addSeries("training", epochs, train);
        if (hasValidation) {
            chart.addSeries("validation", epochs, validation);
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Counts of (true class, predicted class), true classes top to bottom, with the counts written in the cells. */
    public static BufferedImage confusionMatrix(long[][] confusion, List<String> classNames) {
        int k = classNames.size();
        if (confusion.length != k) {
            throw new IllegalArgumentException("charts: confusion matrix has " + confusion.length + " rows for " + k + " classes");
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH + 140).height(WIDTH).title("Confusion matrix")
                .xAxisTitle("predicted class").yAxisTitle("true class").build();
        chart.getStyler().setShowValue(true).setRangeColors(new Color[] {new Color(0xF7FBFF), new Color(0x6BAED6), new Color(0x08306B)});
        chart.getStyler().setHeatMapValueDecimalPattern("0").setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(30);
        List<String> reversed = new ArrayList<>(classNames);
        Collections.reverse(reversed);
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                cells.add(new Number[] {p, k - 1 - t, confusion[t][p]});
            }
        }
        chart.addSeries("images", classNames, reversed, cells);
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Accuracy of each true class in percent (classes without test images left out). */
    public static BufferedImage perClassAccuracy(double[] accuracy, List<String> classNames) {
        List<String> names = new ArrayList<>();
        List<Number> values = new ArrayList<>();
        for (int i = 0; i < accuracy.length; i++) {
            if (Double.isFinite(accuracy[i])) {
                names.add(classNames.get(i));
                values.add(100 * accuracy[i]);
            }
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH + 140).height(HEIGHT).title("Accuracy per class")
                .xAxisTitle("true class").yAxisTitle("accuracy (%)").build();
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        chart.getStyler().setLegendVisible(false);
        chart.addSeries("accuracy", names, values);
        return BitmapEncoder.getBufferedImage(chart);
    }
}
