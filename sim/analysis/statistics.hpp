// Statistics over Monte Carlo samples. Knows nothing of customers or policies: it sees
// only spans of doubles, one value per simulated world.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace tenure {

// Quantile levels reported for every metric.
inline constexpr std::array<double, 9> kQuantileLevels = {0.01, 0.05, 0.10, 0.25, 0.50,
                                                          0.75, 0.90, 0.95, 0.99};

// Every figure is NaN (undefined, written null or "nan") when any sample is not finite: such
// a metric is never sorted, averaged or ranked as if it were a number, and `nonfinite` says
// in how many worlds it was undefined. The spread (sd, se, the interval) needs two samples.
struct Summary {
  std::int64_t count = 0;
  std::int64_t nonfinite = 0;  // samples that are NaN or infinite
  double mean = 0.0;
  double sd = 0.0;        // sample standard deviation (n - 1 in the denominator)
  double se = 0.0;        // sd / sqrt(n): standard error of the mean
  double ci95_low = 0.0;  // mean -/+ 1.959964 se
  double ci95_high = 0.0;
  std::array<double, kQuantileLevels.size()> quantiles{};  // at kQuantileLevels
  double es05 = 0.0;           // expected shortfall: mean of the worst (lowest) 5% of values
  double es01 = 0.0;           // the same of the worst 1%
  double prob_negative = 0.0;  // share of values below zero

  // Value at risk: the loss not exceeded with 95% / 99% confidence, -p05 and -p01.
  double var95() const { return -quantiles[1]; }
  double var99() const { return -quantiles[0]; }
};

// Expected shortfall at level q: the mean of the ceil(q n) lowest of sorted values (at least
// one).
double expected_shortfall_sorted(std::span<const double> sorted, double level);

// Summary of the samples. Deterministic: the result depends only on the values and their
// order, so a fixed order of paths gives bit-identical figures.
Summary summarize(std::span<const double> samples);

// Quantile of already sorted values at level q in [0, 1], linear interpolation between
// order statistics (Hyndman and Fan type 7, the default of R and NumPy).
double quantile_sorted(std::span<const double> sorted, double q);

// Sorts finite values in ascending order (-0 before +0), by Boost's integer_sort (a radix
// sort) on order-preserving keys of their bits: about three times std::sort's speed on the
// tens of thousands of worlds whose quantiles a summary takes.
void sort_finite(std::span<double> values);

// Paired comparison of two policies over the same worlds: statistics of a[i] - b[i].
struct PairedComparison {
  std::int64_t nonfinite = 0;    // worlds where a or b is not finite: then all NaN
  double mean_difference = 0.0;  // mean of a - b
  double se = 0.0;               // standard error of that mean
  double ci95_low = 0.0;
  double ci95_high = 0.0;
  double share_a_better = 0.0;  // share of worlds with a > b
  double share_b_better = 0.0;  // share of worlds with b > a (ties count in neither)
  // What pairing buys: (var a + var b) / var(a - b), the variance of the difference of two
  // independent runs over that of the paired one: the factor by which common random numbers
  // cut the worlds a difference needs. NaN when var(a - b) is 0 (identical in every world).
  double variance_reduction = 0.0;
};

PairedComparison compare_paired(std::span<const double> a, std::span<const double> b);

// For samples of several alternatives over the same worlds, the share of worlds in which each
// has the highest value; k alternatives tied for the highest each count 1/k of the world.
// Every share is NaN when a value in some world is not finite.
std::vector<double> share_highest(const std::vector<std::span<const double>>& samples);

// Two-sided 95% normal quantile.
inline constexpr double kZ95 = 1.959963984540054;

}  // namespace tenure
