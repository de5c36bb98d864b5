package org.cnn4j.benchmarks;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.cnn4j.backend.Activation;
import org.cnn4j.backend.AdamSpec;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.backend.SgdSpec;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Every other kernel family on the activations of fmnist-cnn (channels-last, batch 128 by default):
 * pooling (max with and without recorded argmax, global average), batch norm (training, with its ReLU
 * fused, inference, backward), activations, element-wise add, dropout, channel concatenation, linear,
 * GEMM (one image's convolution as im2col multiplies it; {@code -jvmArgs -Dcnn4j.gemm=own} for cnn4j's
 * own SGEMM instead of OpenBLAS), im2col, softmax cross-entropy and the SGD and Adam updates. Average
 * time per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OpsBenchmark {

    @Param({"128"})
    public int mb;

    @Param({"32x28", "64x14"})
    public String activation;

    private Backend backend;
    private Tensor x, y, g, gx, pooled, gamma, beta, mean, var, bm, bv, gg, gb;
    private Tensor fcIn, fcW, fcB, fcOut, logits, targets, probs, glogits, columns, param, grad, m, v;
    private Tensor mask, twice, avg, filters, image;
    private Pool2dSpec pool;
    private ByteBuffer argmax;

    @Setup(Level.Trial)
    public void setUp() {
        backend = Backends.current();
        String[] cw = activation.split("x");
        int c = Integer.parseInt(cw[0]), hw = Integer.parseInt(cw[1]);
        Shape s = Shape.of(mb, c, hw, hw);
        x = Tensor.zeros(s, Layout.NHWC).fill(0.5f);
        y = Tensor.zeros(s, Layout.NHWC);
        g = Tensor.zeros(s, Layout.NHWC).fill(0.1f);
        gx = Tensor.zeros(s, Layout.NHWC);
        pool = Pool2dSpec.of(Pool2dSpec.Kind.MAX, mb, c, hw, hw, 2, 2, 0);
        pooled = Tensor.zeros(Shape.of(pool.outputDims()), Layout.NHWC);
        argmax = ByteBuffer.allocateDirect(pooled.numel());
        gamma = Tensor.zeros(c).fill(1f);
        beta = Tensor.zeros(c);
        mean = Tensor.zeros(c);
        var = Tensor.zeros(c).fill(1f);
        bm = Tensor.zeros(c);
        bv = Tensor.zeros(c);
        gg = Tensor.zeros(c);
        gb = Tensor.zeros(c);
        fcIn = Tensor.zeros(mb, 3136).fill(0.1f);
        fcW = Tensor.zeros(256, 3136).fill(0.01f);
        fcB = Tensor.zeros(256);
        fcOut = Tensor.zeros(mb, 256);
        logits = Tensor.zeros(mb, 10).fill(0.3f);
        targets = Tensor.zeros(mb);
        probs = Tensor.zeros(mb, 10);
        glogits = Tensor.zeros(mb, 10);
        columns = Tensor.zeros(c * 9, hw * hw);
        param = Tensor.zeros(256 * 3136).fill(0.1f);
        grad = Tensor.zeros(256 * 3136).fill(0.01f);
        m = Tensor.zeros(256 * 3136);
        v = Tensor.zeros(256 * 3136);
        mask = Tensor.zeros(s, Layout.NHWC);
        twice = Tensor.zeros(Shape.of(mb, 2 * c, hw, hw), Layout.NHWC);
        avg = Tensor.zeros(Shape.of(mb, c, 1, 1), Layout.NHWC);
        filters = Tensor.zeros(c, c * 9).fill(0.01f);
        image = Tensor.zeros(c, hw * hw);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Tensor t : new Tensor[] {x, y, g, gx, pooled, gamma, beta, mean, var, bm, bv, gg, gb, fcIn, fcW, fcB, fcOut, logits, targets,
                probs, glogits, columns, param, grad, m, v, mask, twice, avg, filters, image}) {
            t.close();
        }
    }

    @Benchmark
    public void maxPoolForward() {
        backend.pool2dForward(pool, x, pooled);
    }

    @Benchmark
    public void maxPoolBackward() {
        backend.pool2dBackward(pool, x, pooled, gx);
    }

    /** The training forward: the maximum and its position in the window, one byte per output. */
    @Benchmark
    public void maxPoolForwardWithArgmax() {
        backend.maxPool2dForward(pool, x, pooled, argmax);
    }

    /** The training backward: gradients routed by the recorded positions, the input not read. */
    @Benchmark
    public void maxPoolBackwardFromArgmax() {
        backend.maxPool2dBackward(pool, argmax, pooled, gx);
    }

    @Benchmark
    public void globalAvgPoolForward() {
        backend.globalAvgPoolForward(x, avg);
    }

    @Benchmark
    public void batchNormTraining() {
        backend.batchNormTrainingForward(1e-5f, 0.1f, x, null, gamma, beta, mean, var, y, bm, bv, false);
    }

    /** Batch norm with the ReLU after it in the same pass, as training runs a BN whose only reader is a ReLU. */
    @Benchmark
    public void batchNormTrainingRelu() {
        backend.batchNormTrainingForward(1e-5f, 0.1f, x, null, gamma, beta, mean, var, y, bm, bv, true);
    }

    @Benchmark
    public void batchNormInference() {
        backend.batchNormInferenceForward(1e-5f, x, null, gamma, beta, mean, var, y, false);
    }

    @Benchmark
    public void batchNormBackward() {
        backend.batchNormBackward(1e-5f, true, x, null, gamma, beta, bm, bv, g, gx, null, gg, gb, false);
    }

    /** The backward of the fused batch norm + ReLU: the ReLU's mask recomputed from the input. */
    @Benchmark
    public void batchNormReluBackward() {
        backend.batchNormBackward(1e-5f, true, x, null, gamma, beta, bm, bv, g, gx, null, gg, gb, true);
    }

    @Benchmark
    public void reluForward() {
        backend.activationForward(Activation.RELU, x, y);
    }

    @Benchmark
    public void reluBackward() {
        backend.activationBackward(Activation.RELU, x, y, g, gx);
    }

    @Benchmark
    public void add() {
        backend.add(x, g, y);
    }

    @Benchmark
    public void dropout() {
        backend.dropoutForward(0.5f, 7, x, mask, y);
    }

    @Benchmark
    public void concatChannels() {
        backend.concatChannels(java.util.List.of(x, g), twice);
    }

    @Benchmark
    public void linearForward() {
        backend.linearForward(fcIn, fcW, fcB, fcOut);
    }

    /** One image's convolution as im2col+GEMM multiplies it: [c, 9c] x [9c, h*w]. */
    @Benchmark
    public void gemmOneImage() {
        int c = filters.dim(0), pixels = columns.dim(1);
        backend.gemm(false, false, c, pixels, 9 * c, 1f, filters, columns, 0f, image);
    }

    @Benchmark
    public double softmaxCrossEntropy() {
        return backend.softmaxCrossEntropy(logits, targets, probs, glogits);
    }

    @Benchmark
    public void sgdStepFc1() {
        backend.sgdStep(new SgdSpec(0.01f, 0.9f, 0f, 0f, false), 1, param, grad, m);
    }

    @Benchmark
    public void adamStepFc1() {
        backend.adamStep(new AdamSpec(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false), 1, param, grad, m, v);
    }
}
