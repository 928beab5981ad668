#include "sim/engine/samplers.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>

#include "sim/engine/count_distributions.hpp"
#include "sim/engine/sleef_functions.hpp"

namespace tenure {

namespace {

// Where a sum over a distribution of this mean starts: L = mean - sqrt(2 mean log 2^64), so
// that P(X < L) <= exp(-(mean - L)^2 / (2 mean)) = 2^-64 (Chernoff's bound for the lower tail
// of a binomial or Poisson count), far below the smallest uniform, 2^-53.
std::int64_t sum_start(double mean) {
  const double below = std::sqrt(2.0 * mean * 64.0 * std::numbers::ln2);
  return static_cast<std::int64_t>(std::max(0.0, std::floor(mean - below)));
}

// 1 / j for the counts most sums pass through: a multiplication where a division would
// lengthen every step.
constexpr std::array<double, kReciprocals> kReciprocal = [] {
  std::array<double, kReciprocals> table{};
  for (int j = 1; j < kReciprocals; ++j) table[j] = 1.0 / j;
  return table;
}();

// P(X = j) / P(X = j - 1) for j = k + 1 .. k + 4: numerator(j) / j.
template <typename Numerator>
std::array<double, 4> four_ratios(std::int64_t k, const Numerator& numerator) {
  const double j = static_cast<double>(k);
  if (k + 4 < kReciprocals)
    return {numerator(j + 1) * kReciprocal[k + 1], numerator(j + 2) * kReciprocal[k + 2],
            numerator(j + 3) * kReciprocal[k + 3], numerator(j + 4) * kReciprocal[k + 4]};
  return {numerator(j + 1) / (j + 1), numerator(j + 2) / (j + 2), numerator(j + 3) / (j + 3),
          numerator(j + 4) / (j + 4)};
}

// Inversion by summing P(X = j) for j = k, k + 1, ... from P(X = k) = mass until the sum
// reaches u; P(X = j) / P(X = j - 1) = numerator(j) / j. The sums are one fixed sequence for
// every u, so the count is non-decreasing in u. The first two counts are added one at a time
// (most draws of the kernel end there), then four at a time: the four ratios, their running
// products p_i = P(X = k + i) / P(X = k) and sums q_i = p_1 + ... + p_i do not depend on the
// mass carried from the previous block, so a block waits for one multiply-add,
// sum + mass q_4, instead of four dependent steps; the sums inside a block are formed only
// when u falls in it. Near 1 the sum can stop growing below u, by its rounding: once past
// the mean it no longer changes, the draw ends there (samplers.hpp). `last` bounds the
// count (n for the binomial: the ratio at n + 1 is 0, so the mass is 0 from there and the
// blocks may pass n without moving the sum).
// The kernel's lanes run the same steps for a row of worlds at once (cell_lanes-inl.hpp,
// BinomialRow): a change here is a change there.
template <typename Numerator>
std::int64_t sum_until(double u, double mean, std::int64_t k, double mass, std::int64_t last,
                       const Numerator& numerator) {
  const auto ratio = [&](std::int64_t j) {
    const double x = static_cast<double>(j);
    return j < kReciprocals ? numerator(x) * kReciprocal[j] : numerator(x) / x;
  };
  double sum = mass;
  for (int step = 0; step < 2; ++step) {  // one at a time
    if (u <= sum || k == last) return k;
    mass *= ratio(++k);
    sum += mass;
  }
  if (u <= sum) return k;
  for (;; k += 4) {  // four at a time
    const auto [r1, r2, r3, r4] = four_ratios(k, numerator);
    const double p2 = r1 * r2, p3 = p2 * r3, p4 = p3 * r4;
    const double q2 = r1 + p2, q3 = q2 + p3, q4 = q3 + p4;
    const double s4 = sum + mass * q4;
    if (u <= s4) {
      const double s1 = sum + mass * r1, s2 = sum + mass * q2, s3 = sum + mass * q3;
      return std::min(last, k + (u <= s1 ? 1 : u <= s2 ? 2 : u <= s3 ? 3 : 4));
    }
    if (static_cast<double>(k) > mean && s4 == sum + mass * q3) {  // the sum stopped growing
      const double s1 = sum + mass * r1, s2 = sum + mass * q2;
      return std::min(last, k + (s1 == sum ? 1 : s2 == s1 ? 2 : sum + mass * q3 == s2 ? 3 : 4));
    }
    mass *= p4;
    sum = s4;
  }
}

std::int64_t binomial_sum_from(double u, std::int64_t n, double odds, double mean, std::int64_t k,
                               double mass) {
  // P(X = j) / P(X = j - 1) = (n - j + 1) / j * p / q: 0 at j = n + 1, and whatever it is
  // beyond, it multiplies a mass of 0 (sum_until)
  const double trials = static_cast<double>(n) + 1.0;
  return sum_until(u, mean, k, mass, n, [&](double j) { return odds * (trials - j); });
}

std::int64_t poisson_sum_from(double u, double mean, std::int64_t k, double mass) {
  // P(X = j) / P(X = j - 1) = mean / j
  return sum_until(u, mean, k, mass, std::numeric_limits<std::int64_t>::max(),
                   [&](double) { return mean; });
}

// The smallest k in [0, top] with u <= P(X <= k), for large means. `reached(k)` says whether
// u <= P(X <= k), from probabilities computed directly at k, never accumulated along the
// way; so the answer does not depend on where the search started, and since they increase
// with k (by far more than their rounding), it is non-decreasing in u. The search starts at
// `guess`, gallops away from it by doubling steps until it brackets the answer, then bisects:
// about two evaluations when the guess is right or one off.
template <typename Reached>
std::int64_t search_from_guess(double guess, std::int64_t top, const Reached& reached) {
  std::int64_t lo, hi;  // reached(hi), and not reached(lo) or lo == -1
  const auto start = static_cast<std::int64_t>(std::clamp(guess, 0.0, static_cast<double>(top)));
  if (reached(start)) {
    hi = start;
    for (std::int64_t step = 1;; step *= 2) {
      lo = std::max<std::int64_t>(hi - step, -1);
      if (lo < 0 || !reached(lo)) break;
      hi = lo;
    }
  } else {
    lo = start;
    for (std::int64_t step = 1;; step *= 2) {
      hi = std::min(lo + step, top);
      if (hi == top || reached(hi)) break;
      lo = hi;
    }
  }
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    (reached(mid) ? hi : lo) = mid;
  }
  return hi;
}

// A starting guess for the quantile: the Cornish-Fisher expansion to first order,
// mean + sd (z + skewness (z^2 - 1) / 6), z the normal quantile, with the continuity correction.
double cornish_fisher(double u, double mean, double sd, double skewness) {
  const double z = normal_quantile(u);
  return std::ceil(mean + sd * (z + skewness * (z * z - 1.0) / 6.0) - 0.5);
}

// u <= P(X <= k) decided on the smaller side of `split`: below it by u <= P(X <= k), from it
// on by 1 - u >= P(X > k), so each comparison keeps the relative accuracy of the small tail.
struct TailTest {
  double u, complement;  // complement = 1 - u
  std::int64_t split;
  bool operator()(std::int64_t k, const Tails& tails) const {
    return k < split ? u <= tails.lower : complement >= tails.upper;
  }
};

// Binomial(n, p), p <= 1/2, of large mean, by Temme's expansion of the incomplete beta
// function at each step.
std::int64_t binomial_search(double u, double complement, std::int64_t n, double p) {
  const double mean = static_cast<double>(n) * p, sd = std::sqrt(mean * (1.0 - p));
  const TailTest test{u, complement, static_cast<std::int64_t>((static_cast<double>(n) + 1) * p)};
  return search_from_guess(cornish_fisher(u, mean, sd, (1.0 - 2.0 * p) / sd), n,
                           [&](std::int64_t k) { return test(k, binomial_tails(k, n, p)); });
}

// Poisson of large mean, by Temme's expansion at each step. Every count a uniform can reach
// (a tail of 2^-53 is within 8.5 sd of the mean) is above 0.45 mean for the smallest mean
// searched, where the expansion is accurate.
static_assert(0.45 * kPoissonSumBelow >= kPoissonTailsMinimumShape);
std::int64_t poisson_search(double u, double mean) {
  const double sd = std::sqrt(mean);
  const TailTest test{u, 1.0 - u, static_cast<std::int64_t>(mean)};
  return search_from_guess(cornish_fisher(u, mean, sd, 1.0 / sd),
                           std::numeric_limits<std::int64_t>::max() / 4,
                           [&](std::int64_t k) { return test(k, poisson_tails(k, mean)); });
}

// The draws of larger means, kept out of line so the common draw of a small mean (a few
// comparisons) does not pay for their registers.
[[gnu::noinline]] std::int64_t binomial_large_mean(double v, double complement, std::int64_t n,
                                                   double p, double odds, double mean) {
  if (mean < kBinomialSumBelow) {
    const std::int64_t start = sum_start(mean);
    return binomial_sum_from(v, n, odds, mean, start, std::exp(binomial_log_pmf(start, n, p)));
  }
  return binomial_search(v, complement, n, p);
}

[[gnu::noinline]] std::int64_t poisson_large_mean(double u, double mean, std::int64_t start,
                                                  double start_mass) {
  if (mean < kPoissonSumBelow) return poisson_sum_from(u, mean, start, start_mass);
  return poisson_search(u, mean);
}

}  // namespace

double log_complement(double p) {
  return __builtin_cpu_supports("fma") ? Sleef_finz_log1pd1_u10purecfma(-p)
                                       : Sleef_log1pd1_u10purec(-p);
}

double none_probability(std::int64_t n, double log_q) {
  const double exponent = static_cast<double>(n) * log_q;
  return __builtin_cpu_supports("fma") ? Sleef_finz_expd1_u10purecfma(exponent)
                                       : Sleef_expd1_u10purec(exponent);
}

PreparedBinomial::PreparedBinomial(double p) : sampled_(sampled_probability(p)) {
  if (sampled_.p > 0.0) log_q_ = log_complement(sampled_.smaller);
}

std::int64_t PreparedBinomial::quantile(double u, std::int64_t n) const {
  if (n <= 0) return 0;
  // With p > 1/2, X = n - Y, Y ~ Binomial(n, 1 - p), and X <= k iff Y >= n - k: Y is drawn
  // at 1 - u (and its own complement is u, exactly). p = 0 or 1 leaves smaller = 0: P(Y = 0)
  // is then exp(0) = 1 and Y is 0.
  const bool complement = sampled_.complement;
  const double v = complement ? 1.0 - u : u, p = sampled_.smaller;
  const double mean = static_cast<double>(n) * p, odds = p / (1.0 - p);
  std::int64_t k = 0;
  if (mean < kSearchFromZeroBelow) {
    if (v <= certainly_none_below(mean)) return settled_count(n, complement);
    const double none = none_probability(n, log_q_);  // P(Y = 0) = q^n
    if (v > none) k = binomial_sum_from(v, n, odds, mean, 0, none);
  } else {
    k = binomial_large_mean(v, complement ? u : 1.0 - u, n, p, odds, mean);
  }
  return complement ? n - k : k;
}

PreparedPoisson::PreparedPoisson(double mean) {
  if (!(mean > 0.0)) return;
  mean_ = mean;
  if (mean < kSearchFromZeroBelow) {
    start_mass_ = std::exp(-mean);
  } else if (mean < kPoissonSumBelow) {
    start_ = sum_start(mean);
    start_mass_ = std::exp(poisson_log_pmf(start_, mean));
  }
}

std::int64_t PreparedPoisson::quantile(double u) const {
  if (mean_ == 0.0) return 0;
  if (mean_ < kSearchFromZeroBelow)
    return u <= start_mass_ ? 0 : poisson_sum_from(u, mean_, 0, start_mass_);
  return poisson_large_mean(u, mean_, start_, start_mass_);
}

std::int64_t binomial_quantile(double u, std::int64_t n, double p) {
  // The common draw of 0 before any preparation (its log1p and division).
  if (n > 0 && p <= 0.5 && u <= certainly_none_below(static_cast<double>(n) * p)) return 0;
  return PreparedBinomial(p).quantile(u, n);
}

std::int64_t poisson_quantile(double u, double mean) {
  return PreparedPoisson(mean).quantile(u);
}

// Conditional binomials: category i takes Binomial(left, p_i / (probability not yet
// assigned)).
void PreparedMultinomial::prepare(std::span<const double> probabilities) {
  conditional_.resize(probabilities.size());
  double remaining = 1.0;
  for (std::size_t i = 0; i < probabilities.size(); ++i) {
    const double p = probabilities[i];
    conditional_[i] = PreparedBinomial(remaining > 0.0 ? std::clamp(p / remaining, 0.0, 1.0) : 1.0);
    remaining -= p;
  }
}

std::int64_t PreparedMultinomial::draw(RandomStream& rng, std::int64_t n,
                                       std::span<std::int64_t> counts) const {
  std::int64_t left = n;
  for (std::size_t i = 0; i < conditional_.size(); ++i) {
    counts[i] = conditional_[i].quantile(rng.uniform(), left);
    left -= counts[i];
  }
  return left;
}

}  // namespace tenure
