package org.cnn4j.backend.reference;

import org.cnn4j.backend.AdamSpec;
import org.cnn4j.backend.SgdSpec;

/** One optimiser step, in place, with PyTorch's definitions (see {@link SgdSpec} and {@link AdamSpec}). */
final class ReferenceOptimizers {
    private ReferenceOptimizers() {
    }

    static void sgd(SgdSpec s, int step, double[] p, double[] grad, double[] buf) {
        for (int i = 0; i < p.length; i++) {
            double g = grad[i] + s.weightDecay() * p[i];
            if (s.momentum() != 0) {
                buf[i] = step == 1 ? g : s.momentum() * buf[i] + (1 - s.dampening()) * g;
                g = s.nesterov() ? g + s.momentum() * buf[i] : buf[i];
            }
            p[i] -= s.lr() * g;
        }
    }

    static void adam(AdamSpec s, int step, double[] p, double[] grad, double[] m, double[] v) {
        double bc1 = 1 - Math.pow(s.beta1(), step), bc2 = 1 - Math.pow(s.beta2(), step);
        for (int i = 0; i < p.length; i++) {
            double g = grad[i];
            if (s.decoupled()) {
                p[i] *= 1 - s.lr() * s.weightDecay();
            } else {
                g += s.weightDecay() * p[i];
            }
            m[i] = s.beta1() * m[i] + (1 - s.beta1()) * g;
            v[i] = s.beta2() * v[i] + (1 - s.beta2()) * g * g;
            p[i] -= s.lr() * (m[i] / bc1) / (Math.sqrt(v[i] / bc2) + s.eps());
        }
    }
}
