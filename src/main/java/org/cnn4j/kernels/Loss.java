package org.cnn4j.kernels;

import org.cnn4j.backend.Backends;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.tensor.TensorUse;

/** Softmax and softmax cross-entropy over logits [N, K], on the active backend. */
@SuppressWarnings("try") // each op holds its TensorUse without reading it
public final class Loss {
    private Loss() {
    }

    public static void softmax(Tensor logits, Tensor probs) {
        Check.rank("softmax", "logits", logits, 2);
        Check.sameShape("softmax", "logits", logits, "probs", probs);
        Check.writable("softmax", "probs", probs);
        try (TensorUse use = TensorUse.of("softmax", logits, probs)) {
            Backends.current().softmax(logits, probs);
        }
    }

    /**
     * The mean cross-entropy of the batch; {@code targets} [N] holds class indices as exact floats in
     * [0, K). Writes the probabilities and, when {@code gradLogits} is not null, d(loss)/d(logits).
     */
    public static double softmaxCrossEntropy(Tensor logits, Tensor targets, Tensor probs, Tensor gradLogits) {
        String op = "softmax_cross_entropy";
        Check.rank(op, "logits", logits, 2);
        int n = logits.dim(0), k = logits.dim(1);
        Check.shape(op, "targets", targets, n);
        Check.sameShape(op, "logits", logits, "probs", probs);
        Check.writable(op, "probs", probs);
        if (gradLogits != null) {
            Check.sameShape(op, "logits", logits, "grad_logits", gradLogits);
            Check.writable(op, "grad_logits", gradLogits);
        }
        java.nio.FloatBuffer t = targets.buffer();
        for (int i = 0; i < n; i++) {
            float v = t.get(i);
            if (v != Math.rint(v) || v < 0 || v >= k) {
                throw new IllegalArgumentException(op + ": target " + i + " is " + v + ", expected a class index in [0, " + k + ")");
            }
        }
        try (TensorUse use = TensorUse.of(op, logits, targets, probs, gradLogits)) {
            return Backends.current().softmaxCrossEntropy(logits, targets, probs, gradLogits);
        }
    }
}
