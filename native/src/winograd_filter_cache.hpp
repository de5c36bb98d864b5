// Transformed Winograd filters, cached so that U is recomputed only when the weights change.
#pragma once

#include <memory>
#include <vector>

#include "winograd.hpp"

namespace cnn4j {

// U for the `count` weights at `weights` read through `view`: from the cache when the same array, plan
// shape (tile and points, so 2-D and 1-D plans never meet) and direction were transformed before and
// the weights' stamp is unchanged, else computed by `transform`.
// `frozen_id`: 0, or the id of weights that never change (see weights_fingerprint.hpp).
std::shared_ptr<const std::vector<float>> winograd_filter(const WinogradPlan &p, const WinogradFilterView &view,
                                                          const float *weights, long count, int64_t frozen_id,
                                                          bool backward_data, FilterTransform transform);

// How many filter transforms have been computed (cache misses) since the library loaded.
long long winograd_filter_transforms();

}  // namespace cnn4j
