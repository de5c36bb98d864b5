package org.cnn4j.kernels;

import org.cnn4j.backend.Backends;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.tensor.TensorUse;

/** im2col and its adjoint col2im for one image of a convolution's input (see Backend#im2col). */
@SuppressWarnings("try") // each op holds its TensorUse without reading it
public final class Im2col {
    private Im2col() {
    }

    public static void im2col(Conv2dSpec spec, Tensor input, int image, Tensor columns) {
        check(spec, input, image, columns, "im2col");
        Check.writable("im2col", "columns", columns);
        try (TensorUse use = TensorUse.of("im2col", input, columns)) {
            Backends.current().im2col(spec, input, image, columns);
        }
    }

    public static void col2im(Conv2dSpec spec, Tensor columns, int image, Tensor input) {
        check(spec, input, image, columns, "col2im");
        Check.writable("col2im", "input", input);
        try (TensorUse use = TensorUse.of("col2im", columns, input)) {
            Backends.current().col2im(spec, columns, image, input);
        }
    }

    private static void check(Conv2dSpec spec, Tensor input, int image, Tensor columns, String op) {
        if (spec == null) {
            throw new IllegalArgumentException(op + ": spec is null");
        }
        Check.shape(op, "input", input, spec.inputDims());
        if (image < 0 || image >= spec.n()) {
            throw new IllegalArgumentException(op + ": image " + image + " is outside the batch of " + spec.n());
        }
        Check.shape(op, "columns", columns, spec.c() * spec.kh() * spec.kw(), spec.outH() * spec.outW());
    }
}
