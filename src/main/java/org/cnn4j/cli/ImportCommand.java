package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Graph;
import org.cnn4j.onnx.OnnxModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cnn4j import}: an ONNX model as a cnn4j model file. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Imports an ONNX model (opsets 9-21; e.g. exported from PyTorch with torch.onnx.export) as a cnn4j "
                + "model file that predict, eval, explain, finetune, report and bench take. An op the importer does not "
                + "know fails the import naming it, its node and the opset; nothing is written then.",
                "Example: cnn4j import model.onnx --out model.cnn4j"})
final class ImportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL.onnx", description = "The ONNX file (external data files beside it are read too).")
    Path onnx;

    @Option(names = "--out", required = true, description = "The cnn4j model file to write.")
    Path out;

    @Option(names = "--input-shape", split = ",", paramLabel = "C,H,W",
            description = "The input's shape past the batch, for files whose sizes are symbolic: C,H,W, or C,L for a 1-D model "
                    + "(default: the file's).")
    int[] inputShape;

    @Option(names = "--classes", split = ",", description = "Class names, in output order (default: 0, 1, ...).")
    List<String> classes;

    @Option(names = "--sample-rate", paramLabel = "HZ",
            description = "For a model of mono waveforms ([N, 1, L], or [N, 1, 1, L] as cnn4j exports them): the rate of its "
                    + "clips, which makes the model file a sound model (predict, eval and explain then take WAV files, resampled to it).")
    Integer sampleRate;

    @Option(names = "--mean", defaultValue = "0", description = "The normalisation (pixel - mean) / std the model expects, pixels in [0, 1] (default: ${DEFAULT-VALUE}).")
    float mean;

    @Option(names = "--std", defaultValue = "1", description = "See --mean (default: ${DEFAULT-VALUE}).")
    float std;

    @Override
    public Integer call() throws Exception {
        Options.positive("--std", std);
        if (inputShape != null && inputShape.length != 3 && inputShape.length != 2) {
            throw new IllegalArgumentException("--input-shape: expected C,H,W (or C,L for a 1-D model), got " + inputShape.length + " values");
        }
        try (OnnxModel model = OnnxModel.load(onnx, inputShape)) {
            int[] in = model.inputShape();
            if (in.length != 3) {
                throw new IllegalArgumentException("import: a model file holds image models; " + onnx + " takes inputs of "
                        + Arrays.toString(in));
            }
            Graph g = model.graph();
            int[] output = g.outputShape(in);
            if (output.length != 1) {
                throw new IllegalArgumentException("import: the model's output is " + Arrays.toString(output)
                        + " per sample; a classifier's is [classes]");
            }
            List<String> names = classes != null ? classes : defaultNames(output[0]);
            if (names.size() != output[0]) {
                throw new IllegalArgumentException("--classes: " + names.size() + " names for " + output[0] + " outputs");
            }
            if (sampleRate != null) { // the model file refuses a sound model whose input is not [1, 1, L]
                Options.between("--sample-rate", sampleRate, ModelFile.MIN_SAMPLE_RATE, ModelFile.MAX_SAMPLE_RATE);
            }
            ModelFile.write(out, new ModelFile.Saved("onnx:" + onnx.getFileName(), in[0], in[1], in[2], names, g, List.of(), mean, std,
                    sampleRate == null ? 0 : sampleRate));
            TreeSet<String> types = new TreeSet<>();
            g.nodes().forEach(n -> types.add(n.module().typeName()));
            System.out.printf("%s (opset %d, %s): %d layers (%s), %,d parameters, input %dx%dx%d, %d classes, written to %s%n",
                    onnx, model.opset(), model.producer().isEmpty() ? "unknown producer" : model.producer(), g.nodes().size(),
                    String.join(", ", types), g.parameterCount(), in[0], in[1], in[2], output[0], out);
            if (model.channelsLastInput()) {
                System.out.println("  the file's input is NHWC; the network takes NCHW images, as every cnn4j network");
            }
            if (model.signalInput()) {
                System.out.println("  the file's input is [N, C, L] (a 1-D model); the network takes signals [N, C, 1, L], the same memory");
            }
            if (model.endsInSoftmax()) {
                System.out.println("  the file's final Softmax is the softmax cnn4j applies to the network's logits");
            }
        }
        return 0;
    }

    private static List<String> defaultNames(int count) {
        List<String> n = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            n.add(Integer.toString(i));
        }
        return n;
    }
}
