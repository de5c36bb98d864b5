package org.cnn4j.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.io.AtomicFiles;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Transfer;
import org.cnn4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cnn4j features}: a saved model cut at a layer, as a feature extractor over a dataset. */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = {"Runs a saved model up to a named layer over a dataset split and writes each image's features as a "
                + "CSV row: the label, the class name, then the layer's values (flattened, channel-major).",
                "Example: cnn4j features --model-file demo-out/model.cnn4j --layer fc1 --limit 500 --out features.csv"})
final class FeaturesCommand implements Callable<Integer> {
    @Option(names = "--model-file", required = true, description = "A file written by cnn4j train, finetune or demo.")
    Path modelFile;

    @Option(names = "--layer", required = true, description = "The layer whose output is the feature vector.")
    String layer;

    @Option(names = "--split", defaultValue = "test", description = "train or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--out", required = true, description = "The CSV file to write.")
    Path out;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        if (!split.equals("train") && !split.equals("test")) {
            throw new IllegalArgumentException("--split must be train or test, got " + split);
        }
        ModelFile.Saved saved = ModelFile.read(modelFile);
        try (Module full = saved.model(); Module features = Transfer.cut(full, layer)) {
            ImageDataset set = data.load(split.equals("train"), saved);
            features.eval();
            int[] count = new int[2];
            AtomicFiles.write(out, stream -> {
                BufferedWriter w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
                try (DataLoader loader = new DataLoader(set, 256, false, 0, saved.mean(), saved.std())) {
                    for (int b = 0; b < loader.numBatches(); b++) {
                        Tensor[] batch = loader.batch(b);
                        float[] f = features.forward(batch[0]).toArray(); // NCHW order whatever the layout
                        int n = batch[0].dim(0), per = f.length / n;
                        float[] labels = batch[1].toArray();
                        for (int i = 0; i < n; i++) {
                            int label = (int) labels[i];
                            w.write(label + "," + csv(set.classNames().get(label)));
                            for (int j = 0; j < per; j++) {
                                w.write(',');
                                w.write(Float.toString(f[i * per + j]));
                            }
                            w.write('\n');
                        }
                        count[0] += n;
                        count[1] = per;
                    }
                }
                w.flush();
            });
            System.out.printf(Locale.ROOT, "%d images x %d features of layer %s written to %s%n", count[0], count[1], layer, out);
        }
        return 0;
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
