// Exact probabilities of the binomial and Poisson distributions, for the samplers: single
// probabilities accurate to a few parts in 1e15 for any size (Loader's saddle-point form),
// and the two tails P(X <= k), P(X > k) for large means, each computed directly so the
// smaller one keeps its relative accuracy.
#pragma once

#include <cstdint>

namespace tenure {

// log P(X = k) for X ~ Binomial(n, p), 0 <= k <= n, 0 < p < 1.
double binomial_log_pmf(std::int64_t k, std::int64_t n, double p);

// log P(X = k) for X ~ Poisson(mean), k >= 0, mean > 0.
double poisson_log_pmf(std::int64_t k, double mean);

// P(X <= k) and P(X > k), each to a few parts in 1e15 of itself.
struct Tails {
  double lower = 0.0;
  double upper = 0.0;
};

// For X ~ Binomial(n, p), 0 < p < 1, by Temme's uniform expansion of the incomplete beta
// function: P(X <= k) = I_{1-p}(n - k, k + 1), P(X > k) = I_p(k + 1, n - k). Accurate
// (relative error below 1e-13) when k + 1 and n - k are both above kBinomialTailsMinimum;
// where one tail is below exp(-200) they are returned as exactly 0 and 1.
inline constexpr double kBinomialTailsMinimum = 2000.0;
Tails binomial_tails(std::int64_t k, std::int64_t n, double p);

// For X ~ Poisson(mean), by Temme's uniform asymptotic expansion of the incomplete gamma
// function: P(X <= k) = Q(k + 1, mean), P(X > k) = P(k + 1, mean). Accurate (relative error
// below 1e-13 for the smaller tail, 1e-16 near the median) for k + 1 >= kPoissonTailsMinimumShape;
// where one tail is below exp(-200) they are returned as exactly 0 and 1.
inline constexpr double kPoissonTailsMinimumShape = 100.0;
Tails poisson_tails(std::int64_t k, double mean);

// The standard normal quantile Phi^-1(u), 0 < u < 1: starting points of searches.
double normal_quantile(double u);

}  // namespace tenure
