package org.cnn4j.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cnn4j.cli.Main;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.train.EpochResult;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cnn4j report} writes one self-contained page (every picture a data URI, nothing fetched) with
 * all its sections, and headless Chromium loads it with no console errors and every image decoded at
 * its declared size. A broken page shows the browser check is not blind. Skipped without chromium.
 */
class ReportPageInChromiumTest {
    private static final Pattern IMG = Pattern.compile("<img src=\"([^\"]*)\" width=\"(\\d+)\" height=\"(\\d+)\"");

    /** An untrained small model (so there are misclassified images) with a made-up three-epoch history. */
    private static Path report(Path dir) throws Exception {
        Path model = dir.resolve("m.cnn4j"), page = dir.resolve("report.html");
        Init.manualSeed(8);
        List<EpochResult> history = List.of(new EpochResult(1, 1.2, 0.55, 0.9, 0.66, 1e-3, 3, 900),
                new EpochResult(2, 0.7, 0.75, 0.65, 0.77, 1e-3, 3, 900), new EpochResult(3, 0.5, 0.82, 0.55, 0.8, 1e-3, 3, 900));
        try (Module net = Zoo.build("fmnist-cnn-small", 1, 28, 28, 10)) {
            ModelFile.write(model, new ModelFile.Saved("fmnist-cnn-small", 1, 28, 28, FashionMnist.CLASSES, net, history));
        }
        assertThat(Main.run("report", "--model-file", model.toString(), "--limit", "200", "--misclassified", "8",
                "--out", page.toString())).isZero();
        return page;
    }

    @Test
    void pageIsSelfContainedWithEverySection(@TempDir Path dir) throws Exception {
        String html = Files.readString(report(dir));
        assertThat(html).contains("<h2>Training curves</h2>", "<h2>Test metrics</h2>", "Confusion matrix", "Accuracy per class",
                "<h2>Misclassified test images and their Grad-CAM</h2>", "<h2>First-layer filters</h2>", "<td>Ankle boot</td>");
        Matcher m = IMG.matcher(html);
        int images = 0;
        while (m.find()) {
            assertThat(m.group(1)).startsWith("data:image/png;base64,");
            images++;
        }
        assertThat(images).as("loss, accuracy, confusion, per-class, misclassified, filters").isEqualTo(6);
        assertThat(html).doesNotContain("http://", "https://", "<script");
    }

    @Test
    void chromiumShowsEveryImageWithoutConsoleErrors(@TempDir Path dir) throws Exception {
        assumeTrue(HeadlessChromium.available(), "no " + HeadlessChromium.BINARY + " (apt-get install -y chromium)");
        Path page = report(dir);
        HeadlessChromium.PageCheck check = HeadlessChromium.load(page);
        assertThat(check.errors()).isEmpty();
        Matcher m = IMG.matcher(Files.readString(page));
        for (int[] image : check.images()) {
            assertThat(m.find()).isTrue();
            assertThat(image).as("complete, natural width and height of image %s", m.group(2) + "x" + m.group(3))
                    .containsExactly(1, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        }
        assertThat(check.images()).hasSize(6);

        Path broken = dir.resolve("broken.html");
        Files.writeString(broken, "<!DOCTYPE html><html><body><img src=\"data:image/png;base64,AAAA\" alt=\"x\">"
                + "<script>console.error('deliberate')</script></body></html>");
        HeadlessChromium.PageCheck bad = HeadlessChromium.load(broken);
        assertThat(bad.errors()).anyMatch(e -> e.contains("deliberate"));
        assertThat(bad.images()).hasSize(1);
        assertThat(bad.images().get(0)[1]).as("a broken image has no natural width").isZero();
    }
}
