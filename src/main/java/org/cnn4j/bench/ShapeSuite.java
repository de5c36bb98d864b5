package org.cnn4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A named list of convolution layers: one of the bundled suites (fmnist, resnet50, vgg16,
 * mobilenet_dw, conv1d: sound models' 1-D layers) or a file in the same format (one benchdnn descriptor a line, '#' comments).
 */
public record ShapeSuite(String name, List<ConvLayer> layers) {
    public static final List<String> BUNDLED = List.of("fmnist", "resnet50", "vgg16", "mobilenet_dw", "conv1d");

    /** A bundled suite by name, or a suite file by path; {@code mb} > 0 overrides every batch size. */
    public static ShapeSuite load(String nameOrPath, int mb) throws IOException {
        String text;
        String name;
        if (BUNDLED.contains(nameOrPath)) {
            try (InputStream in = ShapeSuite.class.getResourceAsStream(nameOrPath + ".txt")) {
                if (in == null) {
                    throw new IOException("bench: bundled suite " + nameOrPath + " is missing from the jar");
                }
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            name = nameOrPath;
        } else {
            Path p = Path.of(nameOrPath);
            if (!Files.isRegularFile(p)) {
                throw new IOException("bench: no suite named '" + nameOrPath + "' (bundled: " + String.join(", ", BUNDLED)
                        + ") and no such file");
            }
            text = Files.readString(p);
            name = p.getFileName().toString();
        }
        List<ConvLayer> layers = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.trim().startsWith("#")) {
                layers.add(ConvLayer.parse(line, mb));
            }
        }
        return new ShapeSuite(name, List.copyOf(layers));
    }
}
