package org.cnn4j.backend.reference;

/** Softmax and softmax cross-entropy, made stable by subtracting each row's maximum. */
final class ReferenceLoss {
    private ReferenceLoss() {
    }

    static double[] softmax(double[] logits, int n, int k) {
        double[] p = new double[n * k];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, logits[i * k + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                p[i * k + j] = Math.exp(logits[i * k + j] - max);
                sum += p[i * k + j];
            }
            for (int j = 0; j < k; j++) {
                p[i * k + j] /= sum;
            }
        }
        return p;
    }

    /** Mean over the batch of -log softmax(logits)[target] = logsumexp(row) - row[target]. */
    static double crossEntropy(double[] logits, int[] targets, int n, int k) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, logits[i * k + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(logits[i * k + j] - max);
            }
            total += max + Math.log(sum) - logits[i * k + targets[i]];
        }
        return n == 0 ? 0 : total / n;
    }

    /** d(mean cross-entropy)/d(logits) = (softmax - onehot(target)) / n. */
    static double[] crossEntropyGradient(double[] logits, int[] targets, int n, int k) {
        double[] g = softmax(logits, n, k);
        for (int i = 0; i < n; i++) {
            g[i * k + targets[i]] -= 1;
        }
        for (int i = 0; i < g.length; i++) {
            g[i] /= n;
        }
        return g;
    }
}
