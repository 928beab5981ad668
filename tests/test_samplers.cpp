// The samplers against their exact distributions (mean, variance and a binned chi-square, in
// standard errors), as exact inverses of the distribution function at given uniforms,
// monotone in their uniform, one uniform a draw, and the prepared forms equal to the plain
// functions draw for draw.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <functional>
#include <set>
#include <vector>

#include "sim/engine/count_distributions.hpp"
#include "sim/engine/random.hpp"
#include "sim/engine/samplers.hpp"

namespace tenure {
namespace {

constexpr double kSmallestUniform = 0x1p-53, kLargestUniform = 1 - 0x1p-53;

// A distribution to test against: moments, P(X <= k) from an independent implementation
// (Boost.Math) where it is practical, and the largest count.
struct Exact {
  double mean, variance, fourth_central;  // the fourth for the SE of the sample variance
  std::function<double(std::int64_t)> cdf;
  std::int64_t last = INT64_MAX;
};

Exact binomial_exact(std::int64_t n, double p) {
  const double q = 1 - p, nd = static_cast<double>(n);
  return {nd * p, nd * p * q, nd * p * q * (1 + 3 * (nd - 2) * p * q),
          [=](std::int64_t k) {
            if (k < 0) return 0.0;
            if (k >= n) return 1.0;
            return boost::math::ibetac(k + 1.0, static_cast<double>(n - k), p);
          },
          n};
}

// Boost's incomplete gamma function is slow beyond a mean of 1e6; there the reference is
// Temme's expansion, itself checked against exact sums (test_count_distributions.cpp).
Exact poisson_exact(double mu) {
  return {mu, mu, mu * (1 + 3 * mu), [=](std::int64_t k) {
            if (k < 0) return 0.0;
            if (mu > 1e6) return poisson_tails(k, mu).lower;
            return boost::math::gamma_q(k + 1.0, mu);
          }};
}

// Bins of about a quarter of a standard deviation over mean +- 6 sd, the first and the last
// holding everything beyond, merged until each expects at least 20 of `count` draws;
// returns (probability, observed count) per bin.
std::vector<std::pair<double, double>> bins(const Exact& exact, const std::vector<double>& values) {
  const double sd = std::sqrt(exact.variance), width = std::max(1.0, std::floor(sd / 4));
  const double lowest = std::max(0.0, std::floor(exact.mean - 6 * sd));
  const double highest = std::min(static_cast<double>(exact.last), std::ceil(exact.mean + 6 * sd));
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::pair<double, double>> out;
  double below = 0.0, probability = 0.0, observed = 0.0;
  std::size_t next = 0;
  for (double edge = lowest;; edge += width) {  // this bin ends at `edge`
    const bool last = edge >= highest;
    const double cdf = last ? 1.0 : exact.cdf(static_cast<std::int64_t>(edge));
    probability += cdf - below;
    below = cdf;
    for (; next < sorted.size() && (last || sorted[next] <= edge); ++next) ++observed;
    if (probability * static_cast<double>(values.size()) >= 20 || last) {
      if (last && !out.empty() && probability * static_cast<double>(values.size()) < 20) {
        out.back().first += probability;
        out.back().second += observed;
      } else {
        out.emplace_back(probability, observed);
      }
      probability = observed = 0.0;
    }
    if (last) return out;
  }
}

// Draws `count` values; checks the mean and the variance within 4 standard errors, and the
// binned frequencies by a chi-square test: with the Wilson-Hilferty transform (Wilson and
// Hilferty 1931, "The distribution of chi-square", PNAS 17) the statistic is about normal,
// and must be within 4 of its mean.
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
  EXPECT_LT(std::abs(mean - exact.mean), 4 * std::sqrt(exact.variance / count))
      << "mean " << mean << " vs " << exact.mean;
  // Var of the sample variance ~ (mu4 - sigma^4 (n-3)/(n-1)) / n.
  const double variance_se = std::sqrt(
      (exact.fourth_central - exact.variance * exact.variance * (count - 3.0) / (count - 1.0)) /
      count);
  EXPECT_LT(std::abs(variance - exact.variance), 4 * variance_se)
      << "variance " << variance << " vs " << exact.variance;

  const auto binned = bins(exact, values);
  double chi2 = 0;
  for (const auto& [probability, observed] : binned) {
    const double expected = probability * count;
    chi2 += (observed - expected) * (observed - expected) / expected;
  }
  const double df = static_cast<double>(binned.size()) - 1;
  ASSERT_GE(df, 1);
  const double z = (std::cbrt(chi2 / df) - (1 - 2 / (9 * df))) / std::sqrt(2 / (9 * df));
  EXPECT_LT(std::abs(z), 4) << "chi-square " << chi2 << " on " << df << " degrees of freedom";
}

struct BinomialCase {
  std::int64_t n;
  double p;
  int draws = 200000;
};

class BinomialSampler : public ::testing::TestWithParam<BinomialCase> {};

TEST_P(BinomialSampler, MatchesTheExactDistribution) {
  const auto [n, p, draws] = GetParam();
  check(
      binomial_exact(n, p), [n, p](RandomStream& r) { return binomial(r, n, p); }, draws,
      static_cast<std::uint64_t>(n) * 7 + 1);
}

// Sums from 0 (mean < 128), sums from below the mean, the search by Temme's expansion
// (mean >= 32768), failures counted for p > 1/2, huge n with tiny p, the kernel's cells.
INSTANTIATE_TEST_SUITE_P(
    Regimes, BinomialSampler,
    ::testing::Values(BinomialCase{20, 0.1}, BinomialCase{1000, 0.004}, BinomialCase{200, 0.3},
                      BinomialCase{6000, 0.012}, BinomialCase{40, 0.25}, BinomialCase{50, 0.93},
                      BinomialCase{426, 0.3}, BinomialCase{1000, 0.5}, BinomialCase{300, 0.7},
                      BinomialCase{100000, 0.45}, BinomialCase{1000000000, 1e-3, 50000},
                      BinomialCase{2000000, 0.9, 50000}, BinomialCase{1000000000000, 1e-12},
                      BinomialCase{1000000000000, 0.3, 50000}, BinomialCase{3, 0.5},
                      BinomialCase{100000, 0.003}, BinomialCase{20000, 0.5}));

class PoissonSampler : public ::testing::TestWithParam<double> {};

TEST_P(PoissonSampler, MatchesTheExactDistribution) {
  const double mu = GetParam();
  check(
      poisson_exact(mu), [mu](RandomStream& r) { return poisson(r, mu); }, 200000,
      static_cast<std::uint64_t>(mu * 10) + 3);
}

INSTANTIATE_TEST_SUITE_P(Means, PoissonSampler,
                         ::testing::Values(0.01, 0.5, 7.0, 35.0, 127.9, 128.0, 500.0, 1023.9,
                                           1024.0, 1e5, 1e12));

// Parameters that reach every way of drawing, for the deterministic tests below.
const std::vector<BinomialCase> kBinomialGrid = {{1, 0.5},
                                                 {3, 0.2},
                                                 {20, 0.1},
                                                 {20, 0.9},
                                                 {50, 0.93},
                                                 {500, 0.25},
                                                 {6000, 0.01},
                                                 {1000, 0.3},
                                                 {400, 0.5},
                                                 {100000, 0.45},
                                                 {250000, 0.55},
                                                 {1000000, 0.3},
                                                 {1000000000000, 1e-12},
                                                 {1000000000000, 0.3},
                                                 {1000000000000, 0.999}};
const std::vector<double> kPoissonGrid = {0.01, 0.7, 9.0, 127.0, 200.0, 1000.0, 5000.0, 1e6, 1e12};

// Uniforms of the stream's lattice (the extremes, a fine grid, random ones) and 2^-54 below
// it, sorted.
std::vector<double> sorted_uniforms(int random) {
  std::vector<double> us = {0x1p-54,       kSmallestUniform, 3 * kSmallestUniform, 0.5 - 0x1p-53,
                            0.5 + 0x1p-53, 1 - 3 * 0x1p-53,  kLargestUniform};
  for (int i = 1; i < 1000; ++i) us.push_back((2.0 * i - 1) / 2000);
  RandomStream rng(11, 0, Stream::benchmark, 0);
  for (int i = 0; i < random; ++i) us.push_back(rng.uniform());
  std::sort(us.begin(), us.end());
  return us;
}

TEST(Samplers, CountsAreNonDecreasingInTheirUniformAndInRange) {
  const std::vector<double> us = sorted_uniforms(3000);
  for (const auto& [n, p, draws] : kBinomialGrid) {
    std::int64_t previous = 0;
    for (const double u : us) {
      const std::int64_t k = binomial_quantile(u, n, p);
      ASSERT_GE(k, previous) << "n " << n << " p " << p << " u " << u;
      ASSERT_LE(k, n);
      previous = k;
    }
  }
  for (const double mean : kPoissonGrid) {
    std::int64_t previous = 0;
    for (const double u : us) {
      const std::int64_t k = poisson_quantile(u, mean);
      ASSERT_GE(k, previous) << "mean " << mean << " u " << u;
      previous = k;
    }
  }
}

// A larger probability or mean never draws fewer at the same uniform (nearby policies see
// nearly the same world), across the boundaries between the ways of drawing. Not in the
// rounding sliver at the ends (u within 2^-50 of 0 or 1), where the count at which a sum
// stops growing moves by a count or two either way with the parameter.
TEST(Samplers, CountsAreNonDecreasingInTheirParameters) {
  const std::vector<double> us = sorted_uniforms(200);
  for (const double u : us) {
    if (std::min(u, 1 - u) < 0x1p-50) continue;
    std::int64_t previous = 0;
    for (double p = 0.001; p < 1; p *= 1.07) {
      const std::int64_t k = binomial_quantile(u, 100000, p);
      ASSERT_GE(k, previous) << "p " << p << " u " << u;
      previous = k;
    }
    previous = 0;
    for (double mean = 0.01; mean < 1e7; mean *= 1.09) {
      const std::int64_t k = poisson_quantile(u, mean);
      ASSERT_GE(k, previous) << "mean " << mean << " u " << u;
      previous = k;
    }
  }
}

// The draw is the smallest k with u <= P(X <= k), checked against Boost's distribution
// functions on the smaller side, away from the few uniforms within rounding of a boundary.
template <typename Cdf, typename Survival>
void expect_inverse(double u, std::int64_t k, const Cdf& cdf, const Survival& survival) {
  const double tolerance = 1e-11;
  if (u <= 0.5) {
    const double below = cdf(k - 1), at = cdf(k);
    if (std::abs(u - below) <= tolerance * u || std::abs(u - at) <= tolerance * u) return;
    EXPECT_TRUE(below < u && u <= at) << "u " << u << " k " << k;
  } else {
    const double v = 1 - u, above_below = survival(k - 1), above = survival(k);
    if (std::abs(v - above_below) <= tolerance * v || std::abs(v - above) <= tolerance * v) return;
    EXPECT_TRUE(v < above_below && above <= v) << "u " << u << " k " << k;
  }
}

TEST(Samplers, DrawsAreTheInverseOfTheDistributionFunction) {
  RandomStream rng(5, 0, Stream::benchmark, 0);
  for (const auto& [n, p, draws] : kBinomialGrid) {
    if (n > 10000000) continue;  // Boost's incomplete beta is slow there
    SCOPED_TRACE(testing::Message() << "n " << n << " p " << p);
    const auto cdf = [n, p](std::int64_t k) {
      return k < 0 ? 0.0 : k >= n ? 1.0 : boost::math::ibetac(k + 1.0, double(n - k), p);
    };
    const auto survival = [n, p](std::int64_t k) {
      return k < 0 ? 1.0 : k >= n ? 0.0 : boost::math::ibeta(k + 1.0, double(n - k), p);
    };
    for (int i = 0; i < 2000; ++i) {
      const double u = rng.uniform();
      expect_inverse(u, binomial_quantile(u, n, p), cdf, survival);
    }
  }
  for (const double mean : kPoissonGrid) {
    if (mean > 1e6) continue;
    SCOPED_TRACE(mean);
    const auto cdf = [mean](std::int64_t k) {
      return k < 0 ? 0.0 : boost::math::gamma_q(k + 1.0, mean);
    };
    const auto survival = [mean](std::int64_t k) {
      return k < 0 ? 1.0 : boost::math::gamma_p(k + 1.0, mean);
    };
    for (int i = 0; i < 2000; ++i) {
      const double u = rng.uniform();
      expect_inverse(u, poisson_quantile(u, mean), cdf, survival);
    }
  }
}

// At the smallest and largest uniforms the draws end, in range, in the far tails: the mass
// beyond the count is at most the rounding of the sums (below 2^-40), and the count is not
// deeper than where that mass falls below 2^-64. P(X = 0) > 2^-53 draws 0.
template <typename Lower, typename Upper>
void expect_tail_counts(std::int64_t low, std::int64_t high, const Lower& below,
                        const Upper& above) {
  EXPECT_LE(below(low - 1), 0x1p-40) << "low " << low;     // P(X < low)
  EXPECT_GE(below(low), 0x1p-64) << "low " << low;         // P(X <= low)
  EXPECT_LE(above(high), 0x1p-40) << "high " << high;      // P(X > high)
  EXPECT_GE(above(high - 1), 0x1p-64) << "high " << high;  // P(X >= high)
}

TEST(Samplers, ExtremeUniformsGiveTailCounts) {
  for (const auto& [n, p, draws] : kBinomialGrid) {
    SCOPED_TRACE(testing::Message() << "n " << n << " p " << p);
    const std::int64_t low = binomial_quantile(kSmallestUniform, n, p);
    const std::int64_t high = binomial_quantile(kLargestUniform, n, p);
    ASSERT_TRUE(0 <= low && low <= high && high <= n);
    if (static_cast<double>(n) * std::log1p(-p) > std::log(kSmallestUniform)) {
      EXPECT_EQ(low, 0);
    }
    if (n > 10000000) continue;  // Boost's incomplete beta is slow there
    expect_tail_counts(
        low, high,
        [&](std::int64_t k) {
          return k < 0 ? 0.0 : k >= n ? 1.0 : boost::math::ibetac(k + 1.0, double(n - k), p);
        },
        [&](std::int64_t k) {
          return k < 0 ? 1.0 : k >= n ? 0.0 : boost::math::ibeta(k + 1.0, double(n - k), p);
        });
  }
  for (const double mean : kPoissonGrid) {
    SCOPED_TRACE(mean);
    const std::int64_t low = poisson_quantile(kSmallestUniform, mean);
    const std::int64_t high = poisson_quantile(kLargestUniform, mean);
    ASSERT_TRUE(0 <= low && low <= high);
    if (-mean > std::log(kSmallestUniform)) {
      EXPECT_EQ(low, 0);
    }
    const auto tails = [mean](std::int64_t k) {
      return mean > 1e6 ? poisson_tails(k, mean)
                        : Tails{k < 0 ? 0.0 : boost::math::gamma_q(k + 1.0, mean),
                                k < 0 ? 1.0 : boost::math::gamma_p(k + 1.0, mean)};
    };
    expect_tail_counts(
        low, high, [&](std::int64_t k) { return tails(k).lower; },
        [&](std::int64_t k) { return tails(k).upper; });
  }
}

TEST(Samplers, PreparedFormsDrawExactlyThePlainOnes) {
  const std::vector<double> us = sorted_uniforms(500);
  for (const auto& [n, p, draws] : kBinomialGrid) {
    const PreparedBinomial prepared(p);
    for (const std::int64_t size : {std::int64_t{0}, std::int64_t{1}, n / 3, n})
      for (const double u : us)
        ASSERT_EQ(prepared.quantile(u, size), binomial_quantile(u, size, p));
  }
  for (const double mean : kPoissonGrid) {
    const PreparedPoisson prepared(mean);
    for (const double u : us) ASSERT_EQ(prepared.quantile(u), poisson_quantile(u, mean));
  }
  RandomStream a(3, 4, Stream::benchmark, 5), b(3, 4, Stream::benchmark, 5);
  const PreparedBinomial half(0.6);
  const PreparedPoisson poisson_prepared(3.5);
  for (std::int64_t n = 0; n < 300; ++n) {
    ASSERT_EQ(half.draw(a, n), binomial(b, n, 0.6));
    ASSERT_EQ(poisson_prepared.draw(a), poisson(b, 3.5));
  }
}

// The multinomial's definition, written out: category i takes binomial(left, p_i / (the
// probability not yet assigned)), from the next uniform of the stream.
TEST(Samplers, MultinomialDrawsItsConditionalBinomials) {
  const std::vector<double> p = {0.01, 0.004, 0.5, 0.2};
  const PreparedMultinomial prepared(p);
  ASSERT_EQ(prepared.categories(), p.size());
  RandomStream a(3, 4, Stream::benchmark, 5), b(3, 4, Stream::benchmark, 5);
  std::vector<std::int64_t> from_prepared(p.size()), from_binomials(p.size());
  for (std::int64_t n = 0; n < 3000; n += 7) {
    double remaining = 1.0;
    std::int64_t left = n;
    for (std::size_t i = 0; i < p.size(); ++i) {
      from_binomials[i] = binomial(b, left, p[i] / remaining);
      left -= from_binomials[i];
      remaining -= p[i];
    }
    ASSERT_EQ(prepared.draw(a, n, from_prepared), left);
    ASSERT_EQ(from_prepared, from_binomials);
  }
}

// Every draw takes exactly one 64-bit word, also when its answer needs none, so the draws
// after it in the stream stay aligned; a multinomial takes one a category.
TEST(Samplers, EveryDrawTakesOneWord) {
  const auto words_taken = [](const std::function<void(RandomStream&)>& draws) {
    RandomStream used(7, 7, Stream::benchmark, 7), fresh(7, 7, Stream::benchmark, 7);
    draws(used);
    const std::uint64_t next = used.next_u64();
    for (int words = 0; words < 64; ++words)
      if (fresh.next_u64() == next) return words;
    return -1;
  };
  EXPECT_EQ(words_taken([](RandomStream& r) { binomial(r, 0, 0.5); }), 1);
  EXPECT_EQ(words_taken([](RandomStream& r) { binomial(r, 10, 0.0); }), 1);
  EXPECT_EQ(words_taken([](RandomStream& r) { binomial(r, 10, 1.0); }), 1);
  EXPECT_EQ(words_taken([](RandomStream& r) { poisson(r, 0.0); }), 1);
  EXPECT_EQ(words_taken([](RandomStream& r) {
              for (int i = 0; i < 5; ++i) binomial(r, 1000000, 0.3), poisson(r, 1e6);
            }),
            10);
  std::vector<double> p = {0.2, 0.3, 0.1};
  std::vector<std::int64_t> counts(3);
  EXPECT_EQ(words_taken([&](RandomStream& r) { PreparedMultinomial(p).draw(r, 0, counts); }), 3);
  EXPECT_EQ(words_taken([&](RandomStream& r) { PreparedMultinomial(p).draw(r, 50, counts); }), 3);
}

TEST(Samplers, EdgeCasesAreExact) {
  RandomStream rng(1, 2, Stream::benchmark, 3);
  EXPECT_EQ(binomial(rng, 0, 0.5), 0);
  EXPECT_EQ(binomial(rng, -5, 0.5), 0);
  EXPECT_EQ(binomial(rng, 100, 0.0), 0);
  EXPECT_EQ(binomial(rng, 100, -0.5), 0);
  EXPECT_EQ(binomial(rng, 100, 1.0), 100);
  EXPECT_EQ(binomial(rng, 100, 1.5), 100);
  EXPECT_EQ(binomial(rng, 100, std::nan("")), 0);
  EXPECT_EQ(poisson(rng, 0.0), 0);
  EXPECT_EQ(poisson(rng, -1.0), 0);
  EXPECT_EQ(poisson(rng, std::nan("")), 0);
  EXPECT_EQ(PreparedBinomial().quantile(0.7, 10), 0);
  EXPECT_EQ(PreparedPoisson().quantile(0.7), 0);
}

// For p > 1/2 the draw counts failures at 1 - u: exactly n minus the draw of 1 - p at 1 - u,
// for every uniform whose complement is exact (all of the stream's lattice).
TEST(Samplers, SuccessesAndFailuresMirror) {
  for (const double u : sorted_uniforms(300)) {
    if (1 - (1 - u) != u) continue;  // 2^-54: 1 - u rounds to 1
    for (const std::int64_t n : {5, 80, 3000, 400000})
      for (const double p : {0.6, 0.93, 0.999})
        ASSERT_EQ(binomial_quantile(u, n, p), n - binomial_quantile(1 - u, n, 1 - p));
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
    const std::int64_t left = PreparedMultinomial(p).draw(rng, n, counts);
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

// u = (2j + 1) 2^-53: the extremes are 2^-53 and 1 - 2^-53, never 0 or 1, and complementing
// the word gives 1 - u exactly.
TEST(RandomStreams, UniformsAreASymmetricLattice) {
  EXPECT_EQ(RandomStream::to_uniform(0), kSmallestUniform);
  EXPECT_EQ(RandomStream::to_uniform(~0ull), kLargestUniform);
  RandomStream rng(2, 2, Stream::benchmark, 2);
  for (int i = 0; i < 100000; ++i) {
    const std::uint64_t word = rng.next_u64();
    const double u = RandomStream::to_uniform(word);
    ASSERT_EQ(RandomStream::to_uniform(~word), 1 - u);
    const double scaled = u * 0x1p53;
    ASSERT_EQ(scaled, std::floor(scaled));
    ASSERT_EQ(std::fmod(scaled, 2.0), 1.0);
  }
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

namespace tenure {
namespace {

// Calls visit(n, p) for cells of 1 to a million and means up to 1 (p = mean / n, at most
// 1/2): where the shortcuts of samplers.hpp apply.
template <typename Visit>
void for_each_small_mean(const Visit& visit) {
  for (const std::int64_t n : {1, 2, 3, 7, 20, 150, 6000, 1'000'000})
    for (const double mean : {1e-9, 1e-3, 0.1, 0.5, 0.9, 0.999, 0.999999}) {
      const double p = mean / static_cast<double>(n);
      if (p <= 0.5) visit(n, p);
    }
}

// The shortcut for a draw of 0 (u at or below 1 - n p, less a margin) must never answer 0
// where P(X = 0) = exp(n log1p(-p)), as the full draw computes it (none_probability), is
// below u: then the counts are those without the shortcut. Checked at the edge of the
// shortcut, for means up to 1 and cells of 1 to a million.
TEST(Samplers, ShortcutToZeroAgreesWithTheFullComputation) {
  int shortcuts = 0;
  for_each_small_mean([&](std::int64_t n, double p) {
    const double none = none_probability(n, log_complement(p));
    // From a little below the edge of the shortcut to a little above it.
    double u = 1.0 - static_cast<double>(n) * p - 1e-14 - 0x1.0p-48;
    for (int step = 0; step < 64; ++step, u += 0x1.0p-52) {
      const std::int64_t k = binomial_quantile(u, n, p);
      EXPECT_EQ(k == 0, u <= none) << n << " " << p << " " << u;
      shortcuts += k == 0;
    }
  });
  EXPECT_GT(shortcuts, 0);
}

// The bounds the SIMD lanes settle a draw of 1 with (samplers.hpp): P(X = 0), as the full
// draw computes it, at or below the first; P(X <= 1), as its sum computes it, at or above the
// second; so every uniform between them draws 1. Checked at both edges, for means below 1 and
// cells of 1 to a million.
TEST(Samplers, BoundsSettlingOneAgreeWithTheFullComputation) {
  int settled = 0;
  for_each_small_mean([&](std::int64_t n, double p) {
    const double fewer_mean = static_cast<double>(n - 1) * p;
    const double above = certainly_some_above(static_cast<double>(n) * p, fewer_mean);
    const double below = certainly_one_below(fewer_mean);
    for (const double edge : {above, below}) {
      double u = edge - 32 * 0x1.0p-52;
      for (int step = 0; step < 64; ++step, u += 0x1.0p-52) {
        if (u <= above || u > below) continue;
        EXPECT_EQ(binomial_quantile(u, n, p), 1) << n << " " << p << " " << u;
        ++settled;
      }
    }
  });
  EXPECT_GT(settled, 500);
}

}  // namespace
}  // namespace tenure
