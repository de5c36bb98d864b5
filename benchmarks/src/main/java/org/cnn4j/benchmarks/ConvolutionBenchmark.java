package org.cnn4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.bench.ConvLayer;
import org.cnn4j.bench.ShapeSuite;
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
 * Convolution forward, backward-data and backward-weights per algorithm on 3x3 layers of the bundled
 * shape suites (channels-last activations, as the native backend keeps them), and the fused inference
 * op (bias, residual and ReLU in the convolution's epilogue). Average time per call; divide the layer's
 * FLOPs (see {@code cnn4j bench}) by it for GFLOP/s. The weights are frozen, as an inference copy's are,
 * except for backward-weights, which writes them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConvolutionBenchmark {

    @Param({"fmnist:fmnist_cnn:conv2", "fmnist:fmnist_cnn:conv4", "fmnist:fmnist_resnet:stage2", "resnet50:resnet_50:res3a_branch2b"})
    public String layer;

    @Param({"ONEDNN", "IM2COL_GEMM", "WINOGRAD_2X2_3X3", "WINOGRAD_4X4_3X3"})
    public ConvAlgorithm algorithm;

    private Backend backend;
    private Conv2dSpec spec;
    private Tensor x, w, b, y, residual, frozenW, frozenB;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String[] parts = layer.split(":", 2);
        ConvLayer l = ShapeSuite.load(parts[0], 0).layers().stream()
                .filter(c -> c.name().equals(parts[1])).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no layer " + parts[1] + " in suite " + parts[0]));
        spec = l.spec();
        backend = Backends.current();
        ConvAlgorithm.use(algorithm);
        x = Tensor.zeros(Shape.of(spec.inputDims()), Layout.NHWC).fill(0.5f);
        w = Tensor.zeros(spec.weightDims()).fill(0.01f);
        b = Tensor.zeros(spec.k()).fill(0.1f);
        y = Tensor.zeros(Shape.of(spec.outputDims()), Layout.NHWC).fill(0.25f);
        residual = Tensor.zeros(Shape.of(spec.outputDims()), Layout.NHWC).fill(0.125f);
        frozenW = w.copy().freeze();
        frozenB = b.copy().freeze();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ConvAlgorithm.use(null);
        x.close();
        w.close();
        b.close();
        y.close();
        residual.close();
        frozenW.close();
        frozenB.close();
    }

    @Benchmark
    public void forward() {
        backend.conv2dForward(spec, x, frozenW, frozenB, y);
    }

    /** relu(conv(x) + bias + residual), the end of a fused ResNet block. */
    @Benchmark
    public void forwardAddRelu() {
        backend.conv2dForwardAddRelu(spec, x, frozenW, frozenB, residual, y);
    }

    @Benchmark
    public void backwardData() {
        backend.conv2dBackwardData(spec, y, frozenW, x);
    }

    @Benchmark
    public void backwardWeights() {
        backend.conv2dBackwardWeights(spec, x, y, w, b);
    }
}
