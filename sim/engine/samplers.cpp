#include "sim/engine/samplers.hpp"

#include <algorithm>
#include <cmath>

namespace tenure {

namespace {

// log Gamma(x) without touching the global `signgam` that std::lgamma writes: threads calling
// std::lgamma at once fight over that one cache line.
double log_gamma(double x) {
  int sign = 0;
  return ::lgamma_r(x, &sign);
}

// Inversion by sequential search from 0: walk up the cumulative distribution using the
// ratio f(k) / f(k-1) = (n - k + 1) / k * p / q. Exact; costs about n p + 1 steps, so it is
// used only for small means. p <= 0.5 here.
std::int64_t binomial_inversion(RandomStream& rng, std::int64_t n, double p) {
  const double q = 1.0 - p;
  const double ratio = p / q;
  const double f0 = std::exp(static_cast<double>(n) * std::log1p(-p));  // q^n
  while (true) {
    double u = rng.uniform();
    double f = f0;
    std::int64_t k = 0;
    // Subtract probabilities until u falls inside one; rounding can leave a sliver of u
    // beyond k = n, in which case the draw is repeated (rare, and still exact).
    while (u > f) {
      u -= f;
      ++k;
      if (k > n) break;
      f *= ratio * static_cast<double>(n - k + 1) / static_cast<double>(k);
    }
    if (k <= n) return k;
  }
}

// Hörmann's BTRS (transformed rejection with squeeze, 1993) for n p >= 10, p <= 0.5.
// A uniform pair (u, v) proposes k = floor((2a / us + b) u + c) with us = 0.5 - |u|; most
// proposals are accepted by a cheap box test, the rest by comparing v, scaled by the hat,
// with the pmf ratio f(k) / f(m) at the mode m.
std::int64_t binomial_btrs(RandomStream& rng, std::int64_t n, double p) {
  const double nd = static_cast<double>(n);
  const double q = 1.0 - p;
  const double spq = std::sqrt(nd * p * q);
  const double b = 1.15 + 2.53 * spq;
  const double a = -0.0873 + 0.0248 * b + 0.01 * p;
  const double c = nd * p + 0.5;
  const double alpha = (2.83 + 5.1 / b) * spq;
  const double v_r = 0.92 - 4.2 / b;
  // Constants of the exact test, computed only when a proposal needs it (most are
  // accepted by the box test, and these logs and log-gammas cost more than the rest).
  double mode = 0.0, log_ratio = 0.0, log_factorials_mode = 0.0;
  bool exact_test_ready = false;
  while (true) {
    const double u = rng.uniform() - 0.5;
    const double v = rng.uniform();
    const double us = 0.5 - std::abs(u);
    const double k = std::floor((2.0 * a / us + b) * u + c);
    if (us >= 0.07 && v <= v_r) return static_cast<std::int64_t>(k);
    if (k < 0.0 || k > nd) continue;
    if (!exact_test_ready) {
      mode = std::floor((nd + 1.0) * p);
      log_ratio = std::log(p / q);
      log_factorials_mode = log_gamma(mode + 1.0) + log_gamma(nd - mode + 1.0);
      exact_test_ready = true;
    }
    // log f(k) / f(m) = log m! + log (n-m)! - log k! - log (n-k)! + (k - m) log(p / q)
    const double log_f_ratio =
        log_factorials_mode - log_gamma(k + 1.0) - log_gamma(nd - k + 1.0) + (k - mode) * log_ratio;
    if (std::log(v * alpha / (a / (us * us) + b)) <= log_f_ratio)
      return static_cast<std::int64_t>(k);
  }
}

}  // namespace

std::int64_t binomial(RandomStream& rng, std::int64_t n, double p) {
  if (n <= 0 || !(p > 0.0)) return 0;
  if (p >= 1.0) return n;
  // Symmetry keeps p <= 0.5, where both methods are designed to work.
  if (p > 0.5) return n - binomial(rng, n, 1.0 - p);
  if (static_cast<double>(n) * p < 10.0) return binomial_inversion(rng, n, p);
  return binomial_btrs(rng, n, p);
}

std::int64_t poisson(RandomStream& rng, double mean) {
  if (!(mean > 0.0)) return 0;
  if (mean < 10.0) {
    // Inversion by sequential search: f(k) = f(k-1) mean / k from f(0) = exp(-mean).
    const double f0 = std::exp(-mean);
    while (true) {
      double u = rng.uniform();
      double f = f0;
      std::int64_t k = 0;
      while (u > f && k < 1000) {
        u -= f;
        ++k;
        f *= mean / static_cast<double>(k);
      }
      if (k < 1000) return k;  // rounding left u beyond any reachable k: draw again
    }
  }
  // Hörmann's PTRS (transformed rejection with squeeze, 1993) for mean >= 10.
  const double slam = std::sqrt(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double v_r = 0.9277 - 3.6224 / (b - 2.0);
  while (true) {
    const double u = rng.uniform() - 0.5;
    const double v = rng.uniform();
    const double us = 0.5 - std::abs(u);
    const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= v_r) return static_cast<std::int64_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    const double log_mean = std::log(mean);  // only proposals outside the box get here
    // Accept when log(v inv_alpha / (a / us^2 + b)) <= log f(k) = -mean + k log mean - log k!
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
        -mean + k * log_mean - log_gamma(k + 1.0))
      return static_cast<std::int64_t>(k);
  }
}

std::int64_t multinomial(RandomStream& rng, std::int64_t n, std::span<const double> probabilities,
                         std::span<std::int64_t> counts) {
  // Conditional binomials: category i takes Bin(left, p_i / (probability not yet assigned)).
  double remaining = 1.0;
  std::int64_t left = n;
  for (std::size_t i = 0; i < probabilities.size(); ++i) {
    if (left == 0) {
      counts[i] = 0;
      continue;
    }
    const double p = probabilities[i];
    counts[i] = binomial(rng, left, remaining > 0.0 ? std::clamp(p / remaining, 0.0, 1.0) : 1.0);
    left -= counts[i];
    remaining -= p;
  }
  return left;
}

}  // namespace tenure
