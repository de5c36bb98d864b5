package org.cnn4j.cli;

import java.util.concurrent.Callable;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.tensor.Tensor;
import picocli.CommandLine.Command;

/** {@code cnn4j demo}: the README's main job. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Shows what this installation runs on, then convolves an image holding a horizontal line with a "
                + "horizontal-line detector through im2col + GEMM on the active backend, checks it against the reference "
                + "backend, and prints the feature map.")
final class DemoCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        new InfoCommand().call();
        System.out.println();
        Backend backend = Backends.current();
        Conv2dSpec spec = Conv2dSpec.of(1, 1, 6, 6, 1, 3, 1, 0);
        float[] image = new float[36];
        for (int x = 0; x < 6; x++) {
            image[2 * 6 + x] = 1; // a horizontal line on row 2
        }
        float[] detector = {-1, -1, -1, 2, 2, 2, -1, -1, -1};
        int rows = spec.c() * spec.kh() * spec.kw(), pixels = spec.outH() * spec.outW();
        try (Tensor x = Tensor.of(image, 1, 1, 6, 6); Tensor w = Tensor.of(detector, 1, 9);
             Tensor columns = Tensor.zeros(rows, pixels); Tensor y = Tensor.zeros(1, pixels);
             Tensor expected = Tensor.zeros(spec.outputDims()); Tensor w4 = w.reshape(spec.weightDims())) {
            backend.im2col(spec, x, 0, columns);
            backend.gemm(false, false, 1, pixels, rows, 1f, w, columns, 0f, y);
            ReferenceBackend.INSTANCE.conv2dForward(spec, x, w4, null, expected);
            float[] got = y.toArray(), want = expected.toArray();
            System.out.printf("im2col (%d x %d columns) + GEMM on the %s backend: a horizontal-line detector on a 6x6 image "
                    + "with a line on row 2%n", rows, pixels, backend.name());
            for (int r = 0; r < spec.outH(); r++) {
                StringBuilder line = new StringBuilder("  ");
                for (int c = 0; c < spec.outW(); c++) {
                    line.append(String.format("%5.1f", got[r * spec.outW() + c]));
                }
                System.out.println(line);
            }
            double maxErr = 0;
            for (int i = 0; i < got.length; i++) {
                maxErr = Math.max(maxErr, Math.abs(got[i] - want[i]));
            }
            System.out.printf("matches the reference convolution: max |error| = %.2g%n", maxErr);
            return maxErr < 1e-5 ? 0 : 1;
        }
    }
}
