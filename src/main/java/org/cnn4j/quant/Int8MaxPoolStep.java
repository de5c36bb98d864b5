package org.cnn4j.quant;

import java.util.List;
import java.util.Map;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.kernels.QuantizedOps;
import org.cnn4j.nn.Pool2d;
import org.cnn4j.tensor.Int8Tensor;
import org.cnn4j.tensor.Tensor;

/** Max pooling on int8 values: exact (the maximum commutes with a positive scale), output in the input's type and scale. */
final class Int8MaxPoolStep extends QuantizedStep {
    private final Pool2d pool;
    private Pool2dSpec spec;

    Int8MaxPoolStep(String name, List<String> inputs, Pool2d pool) {
        super(name, inputs);
        this.pool = pool;
    }

    @Override
    boolean int8Input(int i) {
        return true;
    }

    @Override
    Object run(Object[] in) {
        Int8Tensor x = (Int8Tensor) in[0];
        if (x.rank() != 4) {
            throw new IllegalArgumentException("quantized " + name + ": input must be 4-D, got " + java.util.Arrays.toString(x.dims()));
        }
        if (spec == null || spec.n() != x.dim(0) || spec.c() != x.dim(1) || spec.h() != x.dim(2) || spec.w() != x.dim(3)) {
            spec = pool.spec(x.dim(0), x.dim(1), x.dim(2), x.dim(3));
        }
        Int8Tensor y = int8Output(x.isUnsigned(), x.scale(), spec.outputDims());
        QuantizedOps.maxPool2d(spec, x, y);
        return y;
    }

    @Override
    Map<String, Tensor> floatTensors() {
        return Map.of();
    }

    @Override
    String describe() {
        return "int8 " + pool.describe();
    }
}
