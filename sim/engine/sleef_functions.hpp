// The functions of SLEEF (libsleef-dev, 3.5) the binomial draws use: its deterministic ("finz")
// log1p and exp, correct within 1 ulp, which give the same bits at every vector width, and the
// plain scalar ones for processors without fused multiply-add (samplers.hpp, log_complement).
//
// sleef.h declares each only when the file including it is compiled for that instruction set
// (__AVX__, __AVX512F__, FP_FAST_FMA), but the program is built for plain x86-64 and chooses
// the instruction set when it starts (Highway's dispatch, cell_lanes-inl.hpp): so they are declared
// here, as the library exports them. Call each only on a processor that has its instructions.
#pragma once

#include <immintrin.h>

extern "C" {
double Sleef_finz_log1pd1_u10purecfma(double);  // needs FMA
double Sleef_finz_expd1_u10purecfma(double);
double Sleef_log1pd1_u10purec(double);  // plain x86-64
double Sleef_expd1_u10purec(double);
// Declared for the instruction set they need, so their vector arguments are passed in the
// registers the library expects.
__attribute__((target("avx2,fma"))) __m256d Sleef_finz_log1pd4_u10avx2(__m256d);
__attribute__((target("avx2,fma"))) __m256d Sleef_finz_expd4_u10avx2(__m256d);
__attribute__((target("avx512f"))) __m512d Sleef_finz_log1pd8_u10avx512f(__m512d);
__attribute__((target("avx512f"))) __m512d Sleef_finz_expd8_u10avx512f(__m512d);
}
