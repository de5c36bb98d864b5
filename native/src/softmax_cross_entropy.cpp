// Row-wise softmax and softmax cross-entropy over [N, K] logits, stabilised by each row's maximum;
// rows split across OpenMP threads. Sums and the loss accumulate in double: K and N are small
// (a classifier head), so this costs nothing and keeps the loss exact to float precision.
#include <cmath>
#include <vector>

#include "status.hpp"

namespace {

// probs row = softmax(logits row); returns log(sum(exp(z - max))) + max, the row's logsumexp.
double softmax_row(int k, const float *z, float *p) {
    float max = z[0];
    for (int j = 1; j < k; ++j) max = z[j] > max ? z[j] : max;
    double sum = 0;
    for (int j = 0; j < k; ++j) {
        p[j] = std::exp(z[j] - max);
        sum += p[j];
    }
    const float inv = (float)(1.0 / sum);
    for (int j = 0; j < k; ++j) p[j] *= inv;
    return max + std::log(sum);
}

}  // namespace

extern "C" int cnn4j_softmax(int n, int k, const float *logits, float *probs) {
    return cnn4j::guarded("softmax", [&] {
        if (n < 0 || k <= 0) throw cnn4j::invalid_argument("bad shape");
        if (!logits || !probs) throw cnn4j::invalid_argument("null buffer");
#pragma omp parallel for schedule(static)
        for (long i = 0; i < n; ++i) softmax_row(k, logits + i * k, probs + i * k);
    });
}

extern "C" int cnn4j_softmax_cross_entropy(int n, int k, const float *logits, const float *targets, float *probs,
                                           float *diff_logits, double *loss) {
    return cnn4j::guarded("softmax cross-entropy", [&] {
        if (n < 0 || k <= 0) throw cnn4j::invalid_argument("bad shape");
        if (!logits || !targets || !probs || !loss) throw cnn4j::invalid_argument("null buffer");
        for (int i = 0; i < n; ++i) {
            const float t = targets[i];
            if (!(t >= 0.f && t < (float)k && t == std::floor(t))) {
                throw cnn4j::invalid_argument("target " + std::to_string(t) + " of row " + std::to_string(i)
                                              + " is not a class index in [0, " + std::to_string(k) + ")");
            }
        }
        std::vector<double> row_loss(n);
#pragma omp parallel for schedule(static)
        for (long i = 0; i < n; ++i) {
            const int target = (int)targets[i];
            row_loss[i] = softmax_row(k, logits + i * k, probs + i * k) - logits[i * k + target];
            if (diff_logits) {
                float *g = diff_logits + i * k;
                for (int j = 0; j < k; ++j) g[j] = (probs[i * k + j] - (j == target ? 1.f : 0.f)) / (float)n;
            }
        }
        double total = 0;
        for (int i = 0; i < n; ++i) total += row_loss[i];
        *loss = n == 0 ? 0.0 : total / n;
    });
}
