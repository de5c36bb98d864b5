package org.cnn4j.kernels;

import org.cnn4j.backend.AdamSpec;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.SgdSpec;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.tensor.TensorUse;

/** In-place optimiser updates of one parameter tensor (SGD with momentum/Nesterov, Adam, AdamW). */
@SuppressWarnings("try") // each op holds its TensorUse without reading it
public final class Optimizers {
    private Optimizers() {
    }

    public static void sgdStep(SgdSpec spec, int step, Tensor param, Tensor grad, Tensor momentumBuffer) {
        if (spec == null || step < 1) {
            throw new IllegalArgumentException("sgd: need a spec and step >= 1, got step " + step);
        }
        Check.sameShape("sgd", "param", param, "grad", grad);
        Check.writable("sgd", "param", param);
        if (spec.momentum() != 0) {
            Check.sameShape("sgd", "param", param, "momentum_buffer", momentumBuffer);
            Check.writable("sgd", "momentum_buffer", momentumBuffer);
        }
        try (TensorUse use = TensorUse.of("sgd", param, grad, momentumBuffer)) {
            Backends.current().sgdStep(spec, step, param, grad, spec.momentum() != 0 ? momentumBuffer : null);
        }
    }

    public static void adamStep(AdamSpec spec, int step, Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq) {
        if (spec == null || step < 1) {
            throw new IllegalArgumentException("adam: need a spec and step >= 1, got step " + step);
        }
        Check.sameShape("adam", "param", param, "grad", grad);
        Check.writable("adam", "param", param);
        Check.sameShape("adam", "param", param, "exp_avg", expAvg);
        Check.writable("adam", "exp_avg", expAvg);
        Check.sameShape("adam", "param", param, "exp_avg_sq", expAvgSq);
        Check.writable("adam", "exp_avg_sq", expAvgSq);
        try (TensorUse use = TensorUse.of("adam", param, grad, expAvg, expAvgSq)) {
            Backends.current().adamStep(spec, step, param, grad, expAvg, expAvgSq);
        }
    }
}
