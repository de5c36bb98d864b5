package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Module;
import org.cnn4j.onnx.OnnxExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cnn4j export}: a cnn4j model file as ONNX. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Writes a cnn4j model file as an ONNX model (opset " + OnnxExport.OPSET + ", batch size left open) that "
                + "ONNX Runtime, PyTorch's onnx2torch or any ONNX reader runs; batch norm keeps its running statistics.",
                "Example: cnn4j export --model-file demo-out/model.cnn4j --out model.onnx"})
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model-file", required = true, description = "A file written by cnn4j train, demo or import.")
    Path modelFile;

    @Option(names = "--out", required = true, description = "The ONNX file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        ModelFile.Saved saved = ModelFile.read(modelFile);
        try (Module net = saved.model()) {
            net.eval();
            OnnxExport.write(net, new int[] {saved.channels(), saved.height(), saved.width()}, out);
            System.out.printf("%s (%s, %,d parameters, input %dx%dx%d) written to %s; it expects pixels in [0, 1] normalised as "
                    + "(x - %s) / %s%n", modelFile, saved.architecture(), net.parameterCount(), saved.channels(), saved.height(),
                    saved.width(), out, saved.mean(), saved.std());
        }
        return 0;
    }
}
