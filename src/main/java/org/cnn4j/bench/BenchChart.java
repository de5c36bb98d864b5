package org.cnn4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cnn4j.backend.ConvDirection;
import org.cnn4j.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;

/** A bar chart of a layer suite's GFLOP/s: algorithms side by side per layer, the FMA peak as a line (XChart). */
public final class BenchChart {
    private BenchChart() {
    }

    public static void write(String suite, List<ConvBenchmark.Result> results, double peak, Path png) throws IOException {
        Map<String, Map<String, Double>> byAlgo = new LinkedHashMap<>();
        List<String> layers = new ArrayList<>();
        for (ConvBenchmark.Result r : results) {
            String layer = r.layer().name() + (r.direction() == ConvDirection.FORWARD ? "" : " " + r.direction().key());
            if (!layers.contains(layer)) {
                layers.add(layer);
            }
            byAlgo.computeIfAbsent(r.algorithm().name().toLowerCase(Locale.ROOT), k -> new LinkedHashMap<>()).put(layer, r.gflops());
        }
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(900, 60 * layers.size())).height(600)
                .title("cnn4j bench: " + suite).xAxisTitle("layer").yAxisTitle("GFLOP/s (direct-convolution FLOPs)").build();
        chart.getStyler().setXAxisLabelRotation(60);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        byAlgo.forEach((algo, values) -> {
            List<Double> ys = new ArrayList<>();
            for (String l : layers) {
                ys.add(values.getOrDefault(l, 0.0));
            }
            chart.addSeries(algo, layers, ys);
        });
        List<Double> peakLine = new ArrayList<>();
        layers.forEach(l -> peakLine.add(peak));
        CategorySeries p = chart.addSeries(String.format("FMA peak %.0f", peak), layers, peakLine);
        p.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(png, bytes);
    }
}
