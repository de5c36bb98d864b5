package org.cnn4j.backend;

/**
 * Hyper-parameters of one Adam or AdamW update with PyTorch's definitions. Adam adds
 * {@code weightDecay * p} to the gradient (L2); AdamW ({@code decoupled}) instead multiplies p by
 * {@code 1 - lr * weightDecay} before the step.
 */
public record AdamSpec(float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled) {
    public AdamSpec {
        if (!(lr >= 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps >= 0) || !(weightDecay >= 0)
                || Float.isInfinite(lr) || Float.isInfinite(eps) || Float.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("adam: need finite lr >= 0, 0 <= betas < 1, finite eps >= 0 and weight_decay >= 0; got lr=" + lr
                    + " betas=(" + beta1 + ", " + beta2 + ") eps=" + eps + " weight_decay=" + weightDecay);
        }
    }
}
