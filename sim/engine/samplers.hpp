// Exact samplers for integer counts: binomial, Poisson, multinomial, by inversion.
//
// Every draw takes exactly one uniform u from its stream and returns the inverse of the
// distribution function at u: the smallest k with u <= P(X <= k). So the draws follow the
// exact distribution (up to the rounding of the computed probabilities, below 1e-13 of
// them), and each count is a non-decreasing function of its uniform for fixed parameters:
// two policies or two sweep points whose probabilities differ a little draw counts that
// differ a little, with the same uniforms (common random numbers stay coupled; Glasserman,
// Monte Carlo Methods in Financial Engineering, 2004, section 4.2). Rejection samplers, which
// take a varying number of uniforms, lose that coupling.
//
// How the inverse is found depends on the mean (all exact, all monotone in u):
//   - mean below kSearchFromZeroBelow: summing the probabilities from 0 (a draw of 0, the most
//     common count in the kernel, is decided by the first comparison);
//   - up to kBinomialSumBelow or kPoissonSumBelow: summing from a fixed point L below the
//     mean, L chosen so that P(X < L) < 2^-64 (Chernoff's bound), whose probability is
//     computed directly;
//   - beyond: a search from a normal-approximation guess, every probability it compares
//     computed directly by Temme's uniform expansions of the incomplete gamma and beta
//     functions (count_distributions.hpp), a few evaluations a draw.
// Sums cost a step a count (about a nanosecond); the search a fixed few hundred nanoseconds
// for the Poisson, about two microseconds for the binomial.
// Near 1 a sum can stop growing below u, by its rounding: past the mean, where adding a
// probability no longer changes it, the draw returns that count. This concerns a share of
// the uniforms no larger than the sum's rounding error (1e-16 for short sums, up to 1e-13
// for the longest), the top few of the lattice; there the counts also need not be monotone
// in the parameters. Counts never leave [0, n], and every draw ends.
//
// They are our own code, not <random>, so results do not depend on the standard library; the
// logarithm and exponential of the commonest draws are SLEEF's (log_complement,
// none_probability), so they do not depend on the C library's either.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/engine/random.hpp"

namespace tenure {

inline constexpr double kSearchFromZeroBelow = 128.0;
inline constexpr double kBinomialSumBelow = 32768.0;
inline constexpr double kPoissonSumBelow = 1024.0;
// The sums step from P(X = j - 1) to P(X = j) by multiplying by 1 / j below this count, and by
// dividing by j from it on (the reciprocals are tabulated).
inline constexpr int kReciprocals = 1024;

// A uniform at or below this is a draw of 0 from a binomial of mean n p (p <= 1/2), known
// without computing P(X = 0) = q^n: by Bernoulli's inequality q^n >= 1 - n p. The margin
// covers the rounding of n p and of the computed q^n: with n p < 1 and p <= 1/2, q^n >= e^-2
// and exp(n log1p(-p)) is within a few units of 2^-53 of it, far inside 1e-14. So every
// uniform this accepts the full computation also answers 0: the counts are bit for bit
// those without the shortcut. It spares the draws of 0 that are likeliest (1 - n p of them)
// every transcendental call.
inline constexpr double kCertainlyNoneMargin = 1e-14;
inline double certainly_none_below(double mean) {
  return 1.0 - mean - kCertainlyNoneMargin;
}
// Bounds that settle a draw of 1 from a binomial of mean n p < 1 (p <= 1/2) without
// computing P(X = 0), the same way: P(X = 0) = q^n <= 1 - n p + n (n - 1) p^2 / 2 (Bonferroni)
// and P(X <= 1) = q^(n - 1) (1 + (n - 1) p) >= (1 - (n - 1) p)(1 + (n - 1) p) = 1 - ((n - 1) p)^2
// (Bernoulli). A uniform above the first, by the margin, is above the computed P(X = 0), and
// one below the second is below the computed P(X <= 1): the full computation answers 1. With
// n p < 1 both are within a few units of 2^-53 of their exact values, as above. The SIMD lanes
// use them (cell_lanes-inl.hpp), where a row of draws skips its logarithm and exponential only if
// every draw in it is settled.
inline double certainly_some_above(double mean, double fewer_mean) {  // fewer_mean: (n - 1) p
  return 1.0 - mean + 0.5 * (mean * fewer_mean) + kCertainlyNoneMargin;
}
inline double certainly_one_below(double fewer_mean) {
  return 1.0 - fewer_mean * fewer_mean - kCertainlyNoneMargin;
}
// The count of a draw from n trials this settles: none, or all n when the draw counts
// failures (p > 1/2).
inline std::int64_t settled_count(std::int64_t n, bool complement) {
  return complement && n > 0 ? n : 0;
}

// The probability a binomial draw samples: p clamped to [0, 1] (NaN counts as 0), and the
// smaller of it and 1 - p, with whether that is 1 - p (the draw counts failures).
struct SampledProbability {
  double p = 0.0, smaller = 0.0;
  bool complement = false;
};
inline SampledProbability sampled_probability(double p) {
  if (!(p > 0.0)) return {};  // 0 and NaN: no successes
  const double clamped = std::min(p, 1.0);
  const bool complement = clamped > 0.5;
  return {clamped, complement ? 1.0 - clamped : clamped, complement};  // 1 - p exact above 1/2
}

// log(1 - p), and P(X = 0) = (1 - p)^n = exp(n log(1 - p)) of a binomial of small mean, as
// every draw computes them: by SLEEF's deterministic log1p and exp (within 1 ulp), which give
// the same bits in every SIMD width, so the kernel's lanes compute them for a row of worlds
// at once (cell_lanes.hpp) and each world's draw is the scalar one, bit for bit. A processor
// without fused multiply-add instructions (x86 before 2013) gets SLEEF's plain functions,
// also within 1 ulp; where they differ in the last bit, a draw can differ only for a uniform
// that falls between the two (odds of about 1e-16 a draw).
double log_complement(double p);
double none_probability(std::int64_t n, double log_q);

// The smallest k with u <= P(X <= k), X ~ Binomial(n, p), for 0 < u < 1; p outside [0, 1]
// is clamped, n <= 0 gives 0. Non-decreasing in u. For p > 1/2 it is n minus the count of
// failures, Binomial(n, 1 - p), at 1 - u: still non-decreasing in u, and exact, since 1 - u
// is again a uniform of the stream's lattice.
std::int64_t binomial_quantile(double u, std::int64_t n, double p);

// The smallest k with u <= P(X <= k), X ~ Poisson(mean); mean <= 0 gives 0.
std::int64_t poisson_quantile(double u, double mean);

// Draws with one uniform from the stream, always exactly one (also when the answer is known
// without it), so the draws after it in the stream stay aligned across worlds and policies.
inline std::int64_t binomial(RandomStream& rng, std::int64_t n, double p) {
  return binomial_quantile(rng.uniform(), n, p);
}
inline std::int64_t poisson(RandomStream& rng, double mean) {
  return poisson_quantile(rng.uniform(), mean);
}

// A binomial probability prepared for many draws with different n: log(1 - p), which depends
// only on p, is computed once, so a draw of small mean makes one exp() and no other
// transcendental call (the plain function adds a log1p()).
// draw(rng, n) gives exactly binomial(rng, n, p), bit for bit: binomial() is this class
// built on the spot. Small and trivially copyable: keep one per tier and period, rebuild it
// by assignment; it never allocates.
class PreparedBinomial {
 public:
  PreparedBinomial() = default;  // p = 0
  explicit PreparedBinomial(double p);

  double probability() const { return sampled_.p; }
  // log_complement(min(p, 1 - p)): P(X = 0), or of no failure when p > 1/2, is
  // none_probability(n, log_q()).
  double log_q() const { return log_q_; }
  std::int64_t quantile(double u, std::int64_t n) const;
  std::int64_t draw(RandomStream& rng, std::int64_t n) const { return quantile(rng.uniform(), n); }

 private:
  SampledProbability sampled_;
  double log_q_ = 0.0;  // log(1 - smaller)
};

// A Poisson mean prepared for many draws: exp(-mean), or the probability where the sum
// starts, computed once. draw(rng) gives exactly poisson(rng, mean).
class PreparedPoisson {
 public:
  PreparedPoisson() = default;  // mean 0
  explicit PreparedPoisson(double mean);

  double mean() const { return mean_; }
  std::int64_t quantile(double u) const;
  std::int64_t draw(RandomStream& rng) const { return quantile(rng.uniform()); }

 private:
  double mean_ = 0.0;
  std::int64_t start_ = 0;   // where the sum starts
  double start_mass_ = 0.0;  // P(X = start)
};

// A multinomial split of n trials over categories with the given probabilities (each >= 0,
// sum <= 1), prepared for many draws: one PreparedBinomial per category for its conditional
// probability. draw() writes counts[i] (counts.size() == categories()) from one uniform per
// category, so each count is non-decreasing in its own uniform, and returns the number left
// over, the count of the implicit last category with probability 1 - sum. prepare() reuses
// the storage, so preparing again with no more categories than before does not allocate.
class PreparedMultinomial {
 public:
  PreparedMultinomial() = default;
  explicit PreparedMultinomial(std::span<const double> probabilities) { prepare(probabilities); }

  void prepare(std::span<const double> probabilities);
  std::size_t categories() const { return conditional_.size(); }
  // Category i's binomial, of its conditional probability among the trials not yet
  // assigned: draw() draws counts[i] as conditional(i).quantile(u, left).
  const PreparedBinomial& conditional(std::size_t i) const { return conditional_[i]; }
  std::int64_t draw(RandomStream& rng, std::int64_t n, std::span<std::int64_t> counts) const;

 private:
  std::vector<PreparedBinomial> conditional_;
};

}  // namespace tenure
