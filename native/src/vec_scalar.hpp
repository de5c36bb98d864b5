// One-lane "vectors" for the *_scalar.cpp kernels: the same kernel templates as the SIMD paths, on
// plain floats, for CPUs without AVX2 (see vec_avx512.hpp for why the namespace is anonymous).
#pragma once

#include <cmath>
#include <cstdint>

namespace {

struct ScalarVec {
    using reg = float;
    static constexpr int width = 1;

    static reg load(const float *p) { return *p; }
    static reg load(const float *p, int n) { return n > 0 ? *p : 0.f; }
    static void store(float *p, reg v) { *p = v; }
    static void store(float *p, reg v, int n) {
        if (n > 0) *p = v;
    }
    static reg load_bytes(const uint8_t *p, int n) { return n > 0 ? (float)*p : 0.f; }
    static void store_bytes(uint8_t *p, reg v, int n) {
        if (n > 0) *p = (uint8_t)v;
    }
    static reg set1(float x) { return x; }
    static reg zero() { return 0.f; }
    static reg add(reg a, reg b) { return a + b; }
    static reg sub(reg a, reg b) { return a - b; }
    static reg mul(reg a, reg b) { return a * b; }
    static reg div(reg a, reg b) { return a / b; }
    static reg fmadd(reg a, reg b, reg c) { return a * b + c; }  // no FMA unit on baseline x86-64
    static reg sqrt(reg a) { return std::sqrt(a); }
    static reg max(reg a, reg b) { return a > b ? a : b; }  // b when either is NaN, as VMAXPS
    static reg select_gt(reg a, reg b, reg x, reg y) { return a > b ? x : y; }
    static reg select_gt_or_nan(reg a, reg b, reg x, reg y) { return a > b || a != a ? x : y; }
    static reg select_le(reg a, reg b, reg x, reg y) { return a <= b ? x : y; }
    // a == b ? x : 0, lane by lane
    static reg where_equal(reg a, float b, reg x) { return a == b ? x : 0.f; }
    static float sum(reg a) { return a; }
};

}  // namespace
