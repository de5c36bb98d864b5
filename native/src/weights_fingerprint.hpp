// A 64-bit fingerprint of every bit of a weight array: caches of transformed or reordered weights
// (Winograd filters, oneDNN's blocked layouts) compare it on every call to notice in-place changes,
// since Java code and optimisers write weight buffers directly and no version counter could see that.
#pragma once

namespace cnn4j {

unsigned long long weights_fingerprint(const float *weights, long count);

}  // namespace cnn4j
