package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cnn4j.filters.Filtering;
import org.cnn4j.filters.ImageFilter;
import org.cnn4j.io.Images;
import org.cnn4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cnn4j convolve IMAGE --filter NAME --out OUT.png}: a classic image filter as a convolution. */
@Command(name = "convolve", mixinStandardHelpOptions = true,
        description = {"Convolves a grayscale version of IMAGE with a classic filter (edge detection, line detectors, blur, "
                + "sharpen) on the active backend and writes the response, scaled to black..white, as a PNG.",
                "Example: cnn4j convolve photo.png --filter sobel-x --out edges.png   (cnn4j convolve --list shows the filters)"})
final class ConvolveCommand implements Callable<Integer> {

    @Parameters(paramLabel = "IMAGE", arity = "0..1", description = "A PNG, JPEG, BMP or GIF file.")
    Path image;

    @Option(names = "--filter", defaultValue = "sobel-x", description = "Filter name (default: ${DEFAULT-VALUE}).")
    String filter;

    @Option(names = "--out", defaultValue = "convolved.png", description = "Output PNG (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--list", description = "List the filters and their kernels, then exit.")
    boolean list;

    @Override
    public Integer call() throws Exception {
        if (list) {
            for (ImageFilter f : ImageFilter.values()) {
                System.out.printf("%-16s %dx%d %s%n", f.label(), f.size(), f.size(), java.util.Arrays.toString(f.weights()));
            }
            return 0;
        }
        if (image == null) {
            throw new IllegalArgumentException("convolve: give an IMAGE (or --list)");
        }
        ImageFilter f = ImageFilter.byLabel(filter);
        try (Tensor x = Images.readGray(image); Tensor y = Filtering.apply(f, x)) {
            Images.writePng(Images.grayPicture(y.toArray(), y.dim(2), y.dim(3)), out);
            System.out.printf("%s: %dx%d image convolved with %s, response in [%.3f, %.3f], written to %s%n", image, x.dim(3), x.dim(2),
                    f.label(), min(y.toArray()), max(y.toArray()), out);
        }
        return 0;
    }

    private static float min(float[] v) {
        float m = Float.POSITIVE_INFINITY;
        for (float x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static float max(float[] v) {
        float m = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
