// Statistics over samples: exact values on small hand-checked inputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "sim/analysis/statistics.hpp"

namespace tenure {
namespace {

TEST(Statistics, MomentsAndInterval) {
  const std::vector<double> x = {2, 4, 4, 4, 5, 5, 7, 9};
  const Summary s = summarize(x);
  EXPECT_EQ(s.count, 8);
  EXPECT_DOUBLE_EQ(s.mean, 5.0);
  EXPECT_DOUBLE_EQ(s.sd, std::sqrt(32.0 / 7.0));  // sum of squared deviations is 32
  EXPECT_DOUBLE_EQ(s.se, s.sd / std::sqrt(8.0));
  EXPECT_DOUBLE_EQ(s.ci95_low, 5.0 - kZ95 * s.se);
  EXPECT_DOUBLE_EQ(s.ci95_high, 5.0 + kZ95 * s.se);
}

// The radix sort the summaries use puts finite values in the order std::sort does (ties,
// negatives, the smallest and largest doubles, and many of them), -0 before +0.
TEST(Statistics, SortFiniteOrdersAsStdSortDoes) {
  std::mt19937_64 engine(7);
  std::normal_distribution<double> spread(0.0, 1e6);
  std::vector<double> values(20000);
  for (std::size_t i = 0; i < values.size(); ++i)
    values[i] = i % 3 == 0 ? std::round(spread(engine) / 1e5) : spread(engine);
  const double extremes[] = {std::numeric_limits<double>::denorm_min(),
                             -std::numeric_limits<double>::denorm_min(),
                             std::numeric_limits<double>::max(),
                             std::numeric_limits<double>::lowest(),
                             0.0,
                             -0.0,
                             0.0};
  values.insert(values.end(), std::begin(extremes), std::end(extremes));
  std::vector<double> expected = values;
  std::sort(expected.begin(), expected.end());
  sort_finite(values);
  EXPECT_EQ(values, expected);
  const auto [first, last] = std::equal_range(values.begin(), values.end(), 0.0);
  ASSERT_GE(last - first, 3);
  EXPECT_TRUE(std::is_sorted(first, last, [](double a, double b) {
    return std::signbit(a) > std::signbit(b);  // every -0 before every +0
  }));
  EXPECT_TRUE(std::signbit(*first));
  EXPECT_FALSE(std::signbit(*(last - 1)));
}

TEST(Statistics, QuantilesInterpolateLikeRType7) {
  const std::vector<double> sorted = {1, 2, 3, 4, 5};
  EXPECT_DOUBLE_EQ(quantile_sorted(sorted, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(quantile_sorted(sorted, 0.5), 3.0);
  EXPECT_DOUBLE_EQ(quantile_sorted(sorted, 1.0), 5.0);
  EXPECT_DOUBLE_EQ(quantile_sorted(sorted, 0.1), 1.4);  // h = 0.4
  EXPECT_DOUBLE_EQ(quantile_sorted(sorted, 0.95), 4.8);
  const std::vector<double> one = {7};
  EXPECT_DOUBLE_EQ(quantile_sorted(one, 0.3), 7.0);
}

TEST(Statistics, ExpectedShortfallAndLossProbability) {
  std::vector<double> x;
  for (int i = 1; i <= 100; ++i) x.push_back(i - 11);  // -10 .. 89, in shuffled order below
  std::vector<double> shuffled;
  for (int i = 0; i < 100; ++i) shuffled.push_back(x[(i * 37) % 100]);
  const Summary s = summarize(shuffled);
  // The worst 5 values are -10 .. -6.
  EXPECT_DOUBLE_EQ(s.es05, -8.0);
  EXPECT_DOUBLE_EQ(s.prob_negative, 0.10);
  EXPECT_DOUBLE_EQ(s.quantiles[4], 39.5);  // median of -10..89
  EXPECT_LE(s.es05, s.quantiles[1]);
}

TEST(Statistics, PairedComparison) {
  const std::vector<double> a = {10, 12, 9, 15};
  const std::vector<double> b = {8, 12, 10, 11};
  const PairedComparison c = compare_paired(a, b);
  // Differences 2, 0, -1, 4: mean 1.25, sample variance (0.5625+1.5625+5.0625+7.5625)/3.
  EXPECT_DOUBLE_EQ(c.mean_difference, 1.25);
  EXPECT_DOUBLE_EQ(c.se, std::sqrt(14.75 / 3.0) / 2.0);
  EXPECT_DOUBLE_EQ(c.share_a_better, 0.5);
  EXPECT_DOUBLE_EQ(c.share_b_better, 0.25);
  EXPECT_DOUBLE_EQ(c.ci95_high - c.ci95_low, 2 * kZ95 * c.se);
  // Sample variances: var a = 21 / 3, var b = 8.75 / 3, var(a - b) = 14.75 / 3.
  EXPECT_DOUBLE_EQ(c.variance_reduction, (21.0 + 8.75) / 14.75);
}

// Identical samples differ by exactly 0 in every world: no spread, so nothing to reduce.
TEST(Statistics, IdenticalSamplesDifferByExactlyZero) {
  const std::vector<double> a = {3.5, -1.0, 7.25};
  const PairedComparison c = compare_paired(a, a);
  EXPECT_EQ(c.mean_difference, 0.0);
  EXPECT_EQ(c.se, 0.0);
  EXPECT_EQ(c.share_a_better, 0.0);
  EXPECT_EQ(c.share_b_better, 0.0);
  EXPECT_TRUE(std::isnan(c.variance_reduction));
}

// The share of worlds each alternative is highest in; a tie splits the world.
TEST(Statistics, ShareHighestSplitsTies) {
  const std::vector<double> a = {1, 5, 2, 4}, b = {2, 5, 1, 4}, c = {0, 5, 0, 3};
  const std::vector<double> shares = share_highest({a, b, c});
  // World 1: b; world 2: a, b, c tied; world 3: a; world 4: a and b tied.
  EXPECT_DOUBLE_EQ(shares[0], (1.0 / 3 + 1 + 0.5) / 4);
  EXPECT_DOUBLE_EQ(shares[1], (1 + 1.0 / 3 + 0.5) / 4);
  EXPECT_DOUBLE_EQ(shares[2], (1.0 / 3) / 4);
  EXPECT_DOUBLE_EQ(shares[0] + shares[1] + shares[2], 1.0);
  const std::vector<double> broken = {1, NAN, 2, 3};
  for (const double share : share_highest({a, broken})) EXPECT_TRUE(std::isnan(share));
}

TEST(Statistics, WelfordStaysAccurateForLargeOffsets) {
  std::vector<double> x;
  for (int i = 0; i < 1000; ++i) x.push_back(1e9 + (i % 2 == 0 ? 1.0 : -1.0));
  const Summary s = summarize(x);
  EXPECT_NEAR(s.mean, 1e9, 1e-6);
  EXPECT_NEAR(s.sd, std::sqrt(1000.0 / 999.0), 1e-9);
}

TEST(Statistics, EmptyInputGivesZeroCount) {
  const Summary s = summarize(std::vector<double>{});
  EXPECT_EQ(s.count, 0);
}

}  // namespace
}  // namespace tenure

namespace tenure {
namespace {

// A metric that is not finite in some worlds is undefined: never averaged, sorted or ranked.
TEST(Statistics, NonFiniteSamplesMakeEveryFigureUndefined) {
  const std::vector<double> x = {1.0, std::nan(""), 3.0, INFINITY};
  const Summary s = summarize(x);
  EXPECT_EQ(s.count, 4);
  EXPECT_EQ(s.nonfinite, 2);
  for (const double figure : {s.mean, s.sd, s.se, s.ci95_low, s.ci95_high, s.es05, s.prob_negative})
    EXPECT_TRUE(std::isnan(figure));
  for (const double q : s.quantiles) EXPECT_TRUE(std::isnan(q));
  const std::vector<double> y = {1.0, 2.0, 3.0, 4.0};
  const PairedComparison c = compare_paired(x, y);
  EXPECT_EQ(c.nonfinite, 2);
  EXPECT_TRUE(std::isnan(c.mean_difference));
  EXPECT_TRUE(std::isnan(c.share_a_better));
}

// One world has a mean but no spread: the interval is undefined, not zero wide.
TEST(Statistics, OneSampleHasNoSpread) {
  const std::vector<double> one = {5.0};
  const Summary s = summarize(one);
  EXPECT_EQ(s.mean, 5.0);
  EXPECT_TRUE(std::isnan(s.sd));
  EXPECT_TRUE(std::isnan(s.se));
  EXPECT_TRUE(std::isnan(s.ci95_high));
}

}  // namespace
}  // namespace tenure
