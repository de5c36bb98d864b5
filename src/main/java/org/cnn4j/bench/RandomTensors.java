package org.cnn4j.bench;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/** Seeded benchmark inputs: values uniform in [-0.5, 0.5), channels-last for 4-D shapes by default. */
final class RandomTensors {
    private RandomTensors() {
    }

    static Tensor uniform(int[] dims, long seed) {
        return uniform(Shape.of(dims), dims.length == 4 ? Layout.NHWC : Layout.PLAIN, seed);
    }

    static Tensor uniform(Shape shape, Layout layout, long seed) {
        Tensor t = Tensor.zeros(shape, layout);
        SplittableRandom r = new SplittableRandom(seed);
        FloatBuffer b = t.buffer();
        for (int i = 0; i < b.limit(); i++) {
            b.put(i, (float) (r.nextDouble() - 0.5));
        }
        return t;
    }
}
