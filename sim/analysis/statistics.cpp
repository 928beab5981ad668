#include "sim/analysis/statistics.hpp"

#include <boost/sort/spreadsort/integer_sort.hpp>

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace tenure {

namespace {

// Mean and sample standard deviation by Welford's update, which stays accurate when the
// mean is large against the spread (NPVs of millions varying by thousands).
struct Moments {
  double mean = 0.0;
  double sd = 0.0;
};

template <typename ValueAt>
Moments moments(std::size_t n, ValueAt value_at) {
  double mean = 0.0, m2 = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = value_at(i);
    const double delta = x - mean;
    mean += delta / static_cast<double>(i + 1);
    m2 += delta * (x - mean);
  }
  const double variance = n > 1 ? m2 / static_cast<double>(n - 1) : 0.0;
  return {mean, std::sqrt(std::max(variance, 0.0))};
}

}  // namespace

constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();

// A summary with every figure undefined (its counts kept).
Summary undefined(Summary s) {
  s.mean = s.sd = s.se = s.ci95_low = s.ci95_high = s.es05 = s.es01 = s.prob_negative = kUndefined;
  s.quantiles.fill(kUndefined);
  return s;
}

double quantile_sorted(std::span<const double> sorted, double q) {
  if (sorted.empty()) return std::nan("");
  // Type 7: position h = (n - 1) q, interpolate between the order statistics around it.
  const double h = (static_cast<double>(sorted.size()) - 1.0) * std::clamp(q, 0.0, 1.0);
  const auto below = static_cast<std::size_t>(std::floor(h));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (h - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

double expected_shortfall_sorted(std::span<const double> sorted, double level) {
  if (sorted.empty()) return kUndefined;
  const auto tail = std::max<std::size_t>(
      1, static_cast<std::size_t>(std::ceil(level * static_cast<double>(sorted.size()))));
  double tail_sum = 0.0;
  for (std::size_t i = 0; i < tail; ++i) tail_sum += sorted[i];
  return tail_sum / static_cast<double>(tail);
}

// Each value's bits as an unsigned key in the values' order: a positive value's with the sign
// bit set, a negative one's all flipped (so -0 comes just before +0). Boost's float_sort takes
// the bits as signed integers and subtracts them, which overflows (undefined behaviour) on
// ranges as wide as -1e10 to 1e10; sorting unsigned keys has no such step.
void sort_finite(std::span<double> values) {
  constexpr std::uint64_t kSign = std::uint64_t{1} << 63;
  const auto key = [](std::uint64_t bits) { return (bits & kSign) != 0 ? ~bits : bits | kSign; };
  const auto bits_of = [](std::uint64_t k) { return (k & kSign) != 0 ? k & ~kSign : ~k; };
  std::vector<std::uint64_t> keys(values.size());
  std::ranges::transform(values, keys.begin(),
                         [&](double v) { return key(std::bit_cast<std::uint64_t>(v)); });
  boost::sort::spreadsort::integer_sort(keys.begin(), keys.end());
  std::ranges::transform(keys, values.begin(),
                         [&](std::uint64_t k) { return std::bit_cast<double>(bits_of(k)); });
}

Summary summarize(std::span<const double> samples) {
  Summary s;
  s.count = static_cast<std::int64_t>(samples.size());
  s.nonfinite =
      std::count_if(samples.begin(), samples.end(), [](double x) { return !std::isfinite(x); });
  if (samples.empty() || s.nonfinite > 0) return undefined(s);
  const Moments m = moments(samples.size(), [&](std::size_t i) { return samples[i]; });
  s.mean = m.mean;
  s.sd = samples.size() > 1 ? m.sd : kUndefined;
  s.se = s.sd / std::sqrt(static_cast<double>(samples.size()));
  s.ci95_low = s.mean - kZ95 * s.se;
  s.ci95_high = s.mean + kZ95 * s.se;

  std::vector<double> sorted(samples.begin(), samples.end());
  sort_finite(sorted);
  for (std::size_t k = 0; k < kQuantileLevels.size(); ++k)
    s.quantiles[k] = quantile_sorted(sorted, kQuantileLevels[k]);

  s.es05 = expected_shortfall_sorted(sorted, 0.05);
  s.es01 = expected_shortfall_sorted(sorted, 0.01);

  const auto negative = std::lower_bound(sorted.begin(), sorted.end(), 0.0) - sorted.begin();
  s.prob_negative = static_cast<double>(negative) / static_cast<double>(sorted.size());
  return s;
}

PairedComparison compare_paired(std::span<const double> a, std::span<const double> b) {
  assert(a.size() == b.size());
  PairedComparison c;
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) c.nonfinite += !std::isfinite(a[i]) || !std::isfinite(b[i]);
  if (n == 0 || c.nonfinite > 0) {
    c.mean_difference = c.se = c.ci95_low = c.ci95_high = kUndefined;
    c.share_a_better = c.share_b_better = c.variance_reduction = kUndefined;
    return c;
  }
  const Moments m = moments(n, [&](std::size_t i) { return a[i] - b[i]; });
  const double sd_a = moments(n, [&](std::size_t i) { return a[i]; }).sd;
  const double sd_b = moments(n, [&](std::size_t i) { return b[i]; }).sd;
  c.variance_reduction =
      n > 1 && m.sd > 0.0 ? (sd_a * sd_a + sd_b * sd_b) / (m.sd * m.sd) : kUndefined;
  std::size_t a_better = 0, b_better = 0;
  for (std::size_t i = 0; i < n; ++i) {
    a_better += a[i] > b[i];
    b_better += b[i] > a[i];
  }
  c.mean_difference = m.mean;
  c.se = n > 1 ? m.sd / std::sqrt(static_cast<double>(n)) : kUndefined;
  c.ci95_low = c.mean_difference - kZ95 * c.se;
  c.ci95_high = c.mean_difference + kZ95 * c.se;
  c.share_a_better = static_cast<double>(a_better) / static_cast<double>(n);
  c.share_b_better = static_cast<double>(b_better) / static_cast<double>(n);
  return c;
}

std::vector<double> share_highest(const std::vector<std::span<const double>>& samples) {
  std::vector<double> shares(samples.size(), 0.0);
  const std::size_t n = samples.empty() ? 0 : samples.front().size();
  for (std::size_t i = 0; i < n; ++i) {
    double highest = -std::numeric_limits<double>::infinity();
    std::size_t tied = 0;
    for (const auto& values : samples) {
      if (!std::isfinite(values[i])) return std::vector<double>(samples.size(), kUndefined);
      if (values[i] > highest) {
        highest = values[i];
        tied = 0;
      }
      tied += values[i] == highest;
    }
    for (std::size_t k = 0; k < samples.size(); ++k)
      if (samples[k][i] == highest) shares[k] += 1.0 / static_cast<double>(tied);
  }
  for (double& share : shares) share = n > 0 ? share / static_cast<double>(n) : kUndefined;
  return shares;
}

}  // namespace tenure
