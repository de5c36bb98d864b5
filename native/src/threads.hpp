// The thread count cnn4j_set_threads chose, on every calling thread. OpenMP keeps the team size per thread
// (omp_set_num_threads sets it for the caller only): a Java thread that never called cnn4j_set_threads would
// run every kernel, and oneDNN, with OpenMP's default (all cores), and kernels whose partition follows the
// team size would round differently there than on the thread that chose the count. Each calling thread has
// a team of its own, so N Java threads in native code at once run N teams side by side (never nested).
#pragma once

namespace cnn4j {

// Applies the chosen count to the calling thread if it has not yet; guarded() calls it on entry to every
// C ABI function, so it costs a thread_local read and an atomic load per call.
void adopt_thread_count();

}  // namespace cnn4j
