package org.cnn4j.kernels;

import org.cnn4j.backend.Backends;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.tensor.Tensor;

/** im2col and its adjoint col2im for one image of a convolution's input (see Backend#im2col). */
public final class Im2col {
    private Im2col() {
    }

    public static void im2col(Conv2dSpec spec, Tensor input, int image, Tensor columns) {
        check(spec, input, image, columns, "im2col");
        Check.writable("im2col", "columns", columns);
        Backends.current().im2col(spec, input, image, columns);
    }

    public static void col2im(Conv2dSpec spec, Tensor columns, int image, Tensor input) {
        check(spec, input, image, columns, "col2im");
        Check.writable("col2im", "input", input);
        Backends.current().col2im(spec, columns, image, input);
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
