package org.cnn4j.backend;

/**
 * Hyper-parameters of one SGD update with PyTorch's definition: g = grad + weightDecay * p;
 * b = momentum * b + (1 - dampening) * g (b = g on the first step); g = nesterov ? g + momentum * b : b;
 * p -= lr * g.
 */
public record SgdSpec(float lr, float momentum, float dampening, float weightDecay, boolean nesterov) {
    public SgdSpec {
        if (!(lr >= 0) || !(momentum >= 0) || !(weightDecay >= 0) || !Float.isFinite(dampening)
                || Float.isInfinite(lr) || Float.isInfinite(momentum) || Float.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("sgd: lr, momentum and weight_decay must be finite and >= 0, got lr=" + lr
                    + " momentum=" + momentum + " weight_decay=" + weightDecay + " dampening=" + dampening);
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("sgd: nesterov needs momentum > 0 and dampening 0, got momentum=" + momentum
                    + " dampening=" + dampening);
        }
    }
}
