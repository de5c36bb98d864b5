// Element-wise binary ops over contiguous floats, one implementation per ISA (eltwise_<isa>.cpp).
// Layout does not matter to them as long as all operands share it (the Java side checks).
#pragma once

namespace cnn4j {

enum EltwiseBinary { ELTWISE_ADD = 0, ELTWISE_MULTIPLY = 1 };

void eltwise_binary_scalar(int op, long count, const float *a, const float *b, float *out);
void eltwise_binary_avx2(int op, long count, const float *a, const float *b, float *out);
void eltwise_binary_avx512(int op, long count, const float *a, const float *b, float *out);

}  // namespace cnn4j
