package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.ImageDataset;
import picocli.CommandLine.Option;

/** The --data and --limit options shared by train, eval and demo. */
final class DataOptions {
    @Option(names = "--data", paramLabel = "DIR", arity = "0..1", fallbackValue = FashionMnist.DEBIAN_DIR,
            description = "Folder with the Fashion-MNIST IDX files (.gz or raw); --data alone means the full set of Debian's "
                    + "dataset-fashion-mnist package in ${FALLBACK-VALUE}. Default: the sample embedded in the jar (3400 "
                    + "training, 1000 test images).")
    Path dir;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Use only the first N images of each split (default: all).")
    int limit;

    ImageDataset load(boolean train) throws IOException {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0, got " + limit);
        }
        ImageDataset d = dir == null ? FashionMnist.sample(train) : FashionMnist.fromDirectory(dir, train);
        return d.limit(limit);
    }

    String describe() {
        return dir == null ? "embedded Fashion-MNIST sample" : dir.toString();
    }
}
