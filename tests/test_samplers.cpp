// The samplers against their exact distributions: mean, variance and single
// probabilities, each within 4 standard errors; edge cases exactly.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <set>
#include <vector>

#include "sim/engine/random.hpp"
#include "sim/engine/samplers.hpp"

namespace tenure {
namespace {

struct Exact {
  double mean, variance, fourth_central;  // for the SE of the sample variance
  std::function<double(std::int64_t)> pmf;
};

Exact binomial_exact(std::int64_t n, double p) {
  const double q = 1 - p, nd = static_cast<double>(n);
  return {nd * p, nd * p * q, nd * p * q * (1 + 3 * (nd - 2) * p * q), [=](std::int64_t k) {
            return std::exp(std::lgamma(nd + 1) - std::lgamma(k + 1.0) - std::lgamma(nd - k + 1) +
                            k * std::log(p) + (nd - k) * std::log(q));
          }};
}

Exact poisson_exact(double mu) {
  return {mu, mu, mu * (1 + 3 * mu),
          [=](std::int64_t k) { return std::exp(-mu + k * std::log(mu) - std::lgamma(k + 1.0)); }};
}

// Draws `count` values and checks mean, variance and the frequencies of a few values
// around the mean against the exact distribution.
void check(const Exact& exact, const std::function<std::int64_t(RandomStream&)>& draw, int count,
           std::uint64_t seed) {
  std::vector<double> values(count);
  RandomStream rng(seed, 0, Stream::benchmark, 0);
  double sum = 0;
  for (double& v : values) sum += v = static_cast<double>(draw(rng));
  const double mean = sum / count;
  double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  const double variance = squares / (count - 1);

  const double mean_se = std::sqrt(exact.variance / count);
  EXPECT_LT(std::abs(mean - exact.mean), 4 * mean_se) << "mean " << mean << " vs " << exact.mean;
  // Var of the sample variance ~ (mu4 - sigma^4 (n-3)/(n-1)) / n.
  const double variance_se = std::sqrt(
      (exact.fourth_central - exact.variance * exact.variance * (count - 3.0) / (count - 1.0)) /
      count);
  EXPECT_LT(std::abs(variance - exact.variance), 4 * variance_se)
      << "variance " << variance << " vs " << exact.variance;

  const auto centre = static_cast<std::int64_t>(std::floor(exact.mean));
  for (std::int64_t k : {centre - 2, centre - 1, centre, centre + 1, centre + 3}) {
    if (k < 0) continue;
    const double p = exact.pmf(k);
    double hits = 0;
    for (double v : values) hits += v == static_cast<double>(k);
    EXPECT_LT(std::abs(hits / count - p), 4 * std::sqrt(p * (1 - p) / count) + 1e-12)
        << "P(X = " << k << ") " << hits / count << " vs " << p;
  }
}

struct BinomialCase {
  std::int64_t n;
  double p;
};

class BinomialSampler : public ::testing::TestWithParam<BinomialCase> {};

TEST_P(BinomialSampler, MatchesTheExactDistribution) {
  const auto [n, p] = GetParam();
  check(
      binomial_exact(n, p), [n, p](RandomStream& r) { return binomial(r, n, p); }, 200000,
      static_cast<std::uint64_t>(n) * 7 + 1);
}

// Inversion (n p < 10), BTRS (n p >= 10), symmetry (p > 0.5), and very large n.
INSTANTIATE_TEST_SUITE_P(Regimes, BinomialSampler,
                         ::testing::Values(BinomialCase{20, 0.1}, BinomialCase{1000, 0.004},
                                           BinomialCase{200, 0.3}, BinomialCase{100000, 0.45},
                                           BinomialCase{50, 0.93}, BinomialCase{1000000000, 1e-3},
                                           BinomialCase{40, 0.25}));

class PoissonSampler : public ::testing::TestWithParam<double> {};

TEST_P(PoissonSampler, MatchesTheExactDistribution) {
  const double mu = GetParam();
  check(
      poisson_exact(mu), [mu](RandomStream& r) { return poisson(r, mu); }, 200000,
      static_cast<std::uint64_t>(mu * 10) + 3);
}

INSTANTIATE_TEST_SUITE_P(Means, PoissonSampler, ::testing::Values(0.5, 7.0, 10.0, 35.0, 1e5));

TEST(Samplers, EdgeCasesAreExact) {
  RandomStream rng(1, 2, Stream::benchmark, 3);
  EXPECT_EQ(binomial(rng, 0, 0.5), 0);
  EXPECT_EQ(binomial(rng, -5, 0.5), 0);
  EXPECT_EQ(binomial(rng, 100, 0.0), 0);
  EXPECT_EQ(binomial(rng, 100, 1.0), 100);
  EXPECT_EQ(binomial(rng, 100, std::nan("")), 0);
  EXPECT_EQ(poisson(rng, 0.0), 0);
  EXPECT_EQ(poisson(rng, -1.0), 0);
  for (int i = 0; i < 1000; ++i) {
    const auto k = binomial(rng, 30, 0.97);
    EXPECT_GE(k, 0);
    EXPECT_LE(k, 30);
  }
}

TEST(Samplers, SameStreamSameDraws) {
  RandomStream a(9, 8, Stream::benchmark, 7), b(9, 8, Stream::benchmark, 7);
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(binomial(a, 5000, 0.2), binomial(b, 5000, 0.2));
    EXPECT_EQ(poisson(a, 40.0), poisson(b, 40.0));
  }
}

TEST(Samplers, MultinomialMarginalsAreBinomial) {
  const std::vector<double> p = {0.1, 0.25, 0.05};
  const std::int64_t n = 400;
  const int draws = 50000;
  std::vector<double> sums(p.size(), 0.0);
  RandomStream rng(4, 0, Stream::benchmark, 0);
  std::vector<std::int64_t> counts(p.size());
  for (int i = 0; i < draws; ++i) {
    const std::int64_t left = multinomial(rng, n, p, counts);
    std::int64_t total = left;
    for (std::size_t j = 0; j < p.size(); ++j) {
      sums[j] += static_cast<double>(counts[j]);
      total += counts[j];
    }
    ASSERT_EQ(total, n);
  }
  for (std::size_t j = 0; j < p.size(); ++j) {
    const double se = std::sqrt(n * p[j] * (1 - p[j]) / draws);
    EXPECT_LT(std::abs(sums[j] / draws - n * p[j]), 4 * se) << "category " << j;
  }
}

TEST(RandomStreams, IdsAreUnique) {
  std::set<std::uint64_t> ids;
  for (Stream s : kAllStreams) EXPECT_TRUE(ids.insert(static_cast<std::uint64_t>(s)).second);
}

TEST(RandomStreams, UniformIsOpenAndCentred) {
  RandomStream rng(1, 1, Stream::benchmark, 1);
  const int n = 1000000;
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_LT(std::abs(sum / n - 0.5), 4 * std::sqrt(1.0 / 12.0 / n));
}

TEST(RandomStreams, EveryIdChangesTheSequence) {
  auto first = [](std::uint64_t seed, std::uint64_t world, Stream stream, std::uint64_t period,
                  Subject subject) {
    RandomStream rng(seed, world, stream, period, subject);
    return rng.next_u64();
  };
  const Subject cell{stable_id("gold"), 5, 2};
  const auto base = first(1, 2, Stream::churn_and_migration, 4, cell);
  EXPECT_EQ(first(1, 2, Stream::churn_and_migration, 4, cell), base);
  EXPECT_NE(first(9, 2, Stream::churn_and_migration, 4, cell), base);
  EXPECT_NE(first(1, 9, Stream::churn_and_migration, 4, cell), base);
  EXPECT_NE(first(1, 2, Stream::acquisition, 4, cell), base);
  EXPECT_NE(first(1, 2, Stream::churn_and_migration, 9, cell), base);
  EXPECT_NE(first(1, 2, Stream::churn_and_migration, 4, {stable_id("iron"), 5, 2}), base);
  EXPECT_NE(first(1, 2, Stream::churn_and_migration, 4, {stable_id("gold"), 6, 2}), base);
  EXPECT_NE(first(1, 2, Stream::churn_and_migration, 4, {stable_id("gold"), 5, 3}), base);
  EXPECT_NE(first(1, 2, Stream::churn_and_migration, 4, {stable_id("gold"), kPooledTenure, 2}),
            base);
}

// The mechanism and the period share a counter word: neither may spill into the other.
TEST(RandomStreams, MechanismAndPeriodDoNotOverlap) {
  std::set<std::uint64_t> firsts;
  for (Stream stream : kAllStreams)
    for (std::uint64_t period : {0ull, 1ull, 10000ull, (1ull << 48) - 1}) {
      RandomStream rng(1, 2, stream, period, {});
      EXPECT_TRUE(firsts.insert(rng.next_u64()).second);
    }
}

}  // namespace
}  // namespace tenure
