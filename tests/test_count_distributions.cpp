// The exact probabilities behind the samplers, against independent computations: single
// probabilities against Boost.Math's distributions, the tails from Temme's expansions
// against sums of single probabilities (in long double) and against Boost's incomplete beta
// and gamma functions where those are accurate. Deterministic: each asserts the accuracy
// the header promises, 1e-13 relative.
#include <gtest/gtest.h>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/poisson.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/engine/count_distributions.hpp"

namespace tenure {
namespace {

constexpr double kPromised = 1e-13;  // relative accuracy the header promises

double relative_error(double value, double exact) {
  return value == exact ? 0.0 : std::abs(value - exact) / exact;  // 0 also when both underflow
}

// Boost's binomial pdf is accurate to about 1e-15 up to n = 1e6 (it loses digits beyond:
// 1.5e-8 relative at n = 1e12, against 60-digit values), but not at k = 0, where it takes
// pow(1 - p, n) (4.6e-11 relative at n = 1e6, p = 1e-5); there the exact value is
// exp(n log1p(-p)).
TEST(CountDistributions, BinomialPmfMatchesBoost) {
  struct Case {
    std::int64_t n;
    double p;
  };
  for (const Case c : {Case{20, 0.1}, Case{6000, 0.012}, Case{100000, 0.45}, Case{1000000, 1e-5}}) {
    const boost::math::binomial_distribution<double> exact(static_cast<double>(c.n), c.p);
    const double mean = static_cast<double>(c.n) * c.p, sd = std::sqrt(mean * (1 - c.p));
    for (double z = -6; z <= 6; z += 0.5) {
      const auto k = static_cast<std::int64_t>(std::max(1.0, std::floor(mean + z * sd)));
      EXPECT_LT(relative_error(std::exp(binomial_log_pmf(k, c.n, c.p)), pdf(exact, k)), kPromised)
          << "n " << c.n << " p " << c.p << " k " << k;
    }
    EXPECT_LT(relative_error(std::exp(binomial_log_pmf(0, c.n, c.p)),
                             std::exp(static_cast<double>(c.n) * std::log1p(-c.p))),
              kPromised);
  }
  EXPECT_DOUBLE_EQ(std::exp(binomial_log_pmf(0, 10, 0.2)), std::pow(0.8, 10));
  EXPECT_DOUBLE_EQ(std::exp(binomial_log_pmf(10, 10, 0.2)), std::pow(0.2, 10));
}

// For huge n the pmf is pinned down by the ratio of neighbours, (n - k) / (k + 1) * p / q,
// and by summing to 1; and at one point by a 60-digit value (mpmath: exp of log-gammas).
TEST(CountDistributions, BinomialPmfOfHugeNIsConsistent) {
  struct Case {
    std::int64_t n;
    double p;
  };
  for (const Case c :
       {Case{1000000000000, 1e-9}, Case{1000000000, 0.3}, Case{1000000000000000, 1e-12}}) {
    const double mean = static_cast<double>(c.n) * c.p, sd = std::sqrt(mean * (1 - c.p));
    const auto first = static_cast<std::int64_t>(std::max(0.0, mean - 40 * sd));
    const auto last = static_cast<std::int64_t>(mean + 40 * sd);
    long double total = 0;
    for (std::int64_t k = first; k <= last; ++k)
      total += std::exp((long double)binomial_log_pmf(k, c.n, c.p));
    EXPECT_LT(std::abs(static_cast<double>(total) - 1), kPromised) << c.n << " " << c.p;
    for (double z = -8; z <= 8; z += 0.5) {
      const auto k = static_cast<std::int64_t>(std::max(0.0, mean + z * sd));
      const double ratio =
          std::exp(binomial_log_pmf(k + 1, c.n, c.p) - binomial_log_pmf(k, c.n, c.p));
      EXPECT_LT(relative_error(ratio, static_cast<double>(c.n - k) / (k + 1.0) * c.p / (1 - c.p)),
                kPromised);
    }
  }
  EXPECT_LT(relative_error(std::exp(binomial_log_pmf(300000000000, 1000000000000, 0.3)),
                           8.705634275510903922420992e-7),
            kPromised);
  EXPECT_LT(
      relative_error(std::exp(poisson_log_pmf(1000002000000, 1e12)), 5.399098451015739295823791e-8),
      kPromised);
}

TEST(CountDistributions, PoissonPmfMatchesBoost) {
  for (const double mean : {0.01, 3.5, 250.0, 1e5, 1e9}) {
    const boost::math::poisson_distribution<double> exact(mean);
    const double sd = std::sqrt(mean);
    for (double z = -6; z <= 6; z += 0.5) {
      const auto k = static_cast<std::int64_t>(std::max(0.0, std::floor(mean + z * sd)));
      EXPECT_LT(relative_error(std::exp(poisson_log_pmf(k, mean)), pdf(exact, k)), kPromised)
          << "mean " << mean << " k " << k;
    }
  }
}

// P(X <= k) and P(X > k) by summing P(X = j) in long double over +-40 sd.
struct SummedTails {
  std::int64_t first;
  std::vector<long double> lower, upper;  // indexed by k - first
};
template <typename LogPmf>
SummedTails summed_tails(double mean, double sd, std::int64_t last, const LogPmf& log_pmf) {
  SummedTails tails;
  tails.first = static_cast<std::int64_t>(std::max(0.0, mean - 40 * sd));
  const auto end = std::min(last, static_cast<std::int64_t>(mean + 40 * sd));
  std::vector<long double> mass;
  for (std::int64_t k = tails.first; k <= end; ++k)
    mass.push_back(std::exp((long double)log_pmf(k)));
  long double below = 0, above = 0;
  tails.lower.resize(mass.size());
  tails.upper.resize(mass.size());
  for (std::size_t i = 0; i < mass.size(); ++i) tails.lower[i] = below += mass[i];
  for (std::size_t i = mass.size(); i-- > 0;) {
    tails.upper[i] = above;
    above += mass[i];
  }
  return tails;
}

// Both tails within kPromised of the sums wherever the smaller one is not below 1e-300.
template <typename TailsAt>
void expect_tails_match(const SummedTails& sums, double mean, double sd, const TailsAt& tails_at) {
  for (double z = -9; z <= 9; z += 0.25) {
    const auto k = static_cast<std::int64_t>(std::floor(mean + z * sd));
    if (k < sums.first || k - sums.first >= static_cast<std::int64_t>(sums.lower.size())) continue;
    const Tails tails = tails_at(k);
    const auto i = static_cast<std::size_t>(k - sums.first);
    EXPECT_LT(relative_error(tails.lower, static_cast<double>(sums.lower[i])), kPromised) << k;
    EXPECT_LT(relative_error(tails.upper, static_cast<double>(sums.upper[i])), kPromised) << k;
  }
}

TEST(CountDistributions, PoissonTailsMatchSums) {
  for (const double mean : {256.0, 1000.0, 1e5, 1e7}) {
    SCOPED_TRACE(mean);
    const double sd = std::sqrt(mean);
    const SummedTails sums =
        summed_tails(mean, sd, INT64_MAX, [&](std::int64_t k) { return poisson_log_pmf(k, mean); });
    expect_tails_match(sums, mean, sd, [&](std::int64_t k) { return poisson_tails(k, mean); });
  }
}

TEST(CountDistributions, BinomialTailsMatchSums) {
  struct Case {
    std::int64_t n;
    double p;
  };
  for (const Case c : {Case{4000, 0.5}, Case{100000, 0.05}, Case{1000000, 0.3},
                       Case{1000000000000, 2e-9}, Case{20000000, 0.4}}) {
    SCOPED_TRACE(c.n);
    const double mean = static_cast<double>(c.n) * c.p, sd = std::sqrt(mean * (1 - c.p));
    const SummedTails sums =
        summed_tails(mean, sd, c.n, [&](std::int64_t k) { return binomial_log_pmf(k, c.n, c.p); });
    expect_tails_match(sums, mean, sd, [&](std::int64_t k) { return binomial_tails(k, c.n, c.p); });
  }
}

// An implementation independent of ours, where it is accurate.
TEST(CountDistributions, TailsMatchBoost) {
  const boost::math::binomial_distribution<double> binomial(50000, 0.2);
  const boost::math::poisson_distribution<double> poisson(5000);
  for (double z = -8; z <= 8; z += 0.5) {
    const auto k = static_cast<std::int64_t>(10000 + z * std::sqrt(8000.0));
    EXPECT_LT(relative_error(binomial_tails(k, 50000, 0.2).lower, cdf(binomial, k)), kPromised);
    EXPECT_LT(relative_error(binomial_tails(k, 50000, 0.2).upper, cdf(complement(binomial, k))),
              kPromised);
    const auto j = static_cast<std::int64_t>(5000 + z * std::sqrt(5000.0));
    EXPECT_LT(relative_error(poisson_tails(j, 5000).lower, cdf(poisson, j)), kPromised);
    EXPECT_LT(relative_error(poisson_tails(j, 5000).upper, cdf(complement(poisson, j))), kPromised);
  }
}

TEST(CountDistributions, FarTailsAreExactlyZeroAndOne) {
  EXPECT_EQ(poisson_tails(100, 1e6).lower, 0.0);
  EXPECT_EQ(poisson_tails(100, 1e6).upper, 1.0);
  EXPECT_EQ(poisson_tails(10000000, 1e6).upper, 0.0);
  EXPECT_EQ(binomial_tails(10, 1000000, 0.3).lower, 0.0);
  EXPECT_EQ(binomial_tails(999999, 1000000, 0.3).upper, 0.0);
  EXPECT_EQ(binomial_tails(-1, 100, 0.3).lower, 0.0);
  EXPECT_EQ(binomial_tails(100, 100, 0.3).lower, 1.0);
}

TEST(CountDistributions, NormalQuantileInvertsErfc) {
  for (const double u : {1e-15, 0.001, 0.3, 0.5, 0.9, 1 - 1e-12}) {
    const double z = normal_quantile(u);
    EXPECT_LT(relative_error(0.5 * std::erfc(-z / std::sqrt(2.0)), u), 1e-12) << u;
  }
}

}  // namespace
}  // namespace tenure
