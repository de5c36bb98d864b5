package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Module;
import org.cnn4j.report.ModelReport;
import org.cnn4j.report.ReportPage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cnn4j report}: one self-contained HTML page about a trained model. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Writes one HTML page about a model file: training curves (loss and accuracy per epoch, from the "
                + "file's history), the confusion matrix on the test split as a heat map, per-class accuracy, the first "
                + "misclassified test images beside their Grad-CAM at the last convolution, and the first layer's filters (for "
                + "a sound model: misclassified clips as waveforms over their Grad-CAM in time, and the first layer's "
                + "frequency responses). "
                + "Plots are drawn with XChart; every picture is embedded in the page, which opens offline in any browser.",
                "Example: cnn4j report --model-file demo-out/model.cnn4j --out report.html"})
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--model-file", required = true, description = "A file written by cnn4j train or demo.")
    Path modelFile;

    @Mixin
    DataOptions data;

    @Option(names = "--misclassified", defaultValue = "24", description = "Misclassified images to show (default: ${DEFAULT-VALUE}).")
    int misclassified;

    @Option(names = "--out", defaultValue = "report.html", description = "Output HTML file (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (misclassified < 0) {
            throw new IllegalArgumentException("--misclassified must be >= 0, got " + misclassified);
        }
        ModelFile.Saved saved = ModelFile.read(modelFile);
        ImageDataset test = data.load(false, saved);
        try (Module net = saved.model()) {
            Conv2d first = net.children().values().stream().filter(Conv2d.class::isInstance).map(Conv2d.class::cast).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("report: the model has no convolution layer at its top level"));
            ReportPage page = ModelReport.build(new ModelReport.Inputs(modelFile.getFileName().toString(), saved, test,
                    data.describe(), saved.mean(), saved.std(), ExplainCommand.lastConvolution(net), first, misclassified));
            page.write(out);
            System.out.printf("report on %s (%d test images, %d pictures) written to %s%n", modelFile, test.size(), page.imageCount(), out);
        }
        return 0;
    }
}
