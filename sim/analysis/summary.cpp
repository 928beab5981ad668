#include "sim/analysis/summary.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace tenure {

std::vector<Histogram> common_histograms(const std::vector<std::span<const double>>& samples,
                                         int bins) {
  double low = std::numeric_limits<double>::infinity(), high = -low;
  for (const auto& values : samples)
    for (const double x : values)
      if (std::isfinite(x)) {
        low = std::min(low, x);
        high = std::max(high, x);
      }
  std::vector<Histogram> out(samples.size());
  if (!(low <= high)) return out;  // no finite value at all
  // Equal values get one bin of unit width (or of a millionth of their size).
  const double width = high > low ? (high - low) / bins : std::max(1.0, std::abs(low) * 1e-6);
  const int count = high > low ? bins : 1;
  for (std::size_t p = 0; p < samples.size(); ++p) {
    out[p] = {low, width, std::vector<std::int64_t>(count, 0)};
    for (const double x : samples[p]) {
      if (!std::isfinite(x)) continue;
      const auto bin = static_cast<int>(std::floor((x - low) / width));
      ++out[p].counts[std::clamp(bin, 0, count - 1)];
    }
  }
  return out;
}

namespace {

// The policy with the highest defined mean of a metric (the first of equals), if any.
std::optional<std::size_t> best_by_mean(const std::vector<std::vector<Summary>>& metrics,
                                        std::size_t metric) {
  std::optional<std::size_t> best;
  for (std::size_t p = 0; p < metrics.size(); ++p) {
    const double mean = metrics[p][metric].mean;
    if (std::isfinite(mean) && (!best || mean > metrics[*best][metric].mean)) best = p;
  }
  return best;
}

// Fan-chart figures of one series in one period: undefined if any world's value is. The
// quantiles are those of the kept worlds; the mean is over every world: the kept worlds'
// values summed in sorted order (sorted anyway for the quantiles), plus the sum of the
// others, folded in fixed blocks of worlds (RunResults::series_beyond).
Band band_of(std::span<const double> kept, const StreamedSum& beyond, std::int64_t worlds,
             std::vector<double>& sorted) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (beyond.nonfinite > 0 ||
      std::any_of(kept.begin(), kept.end(), [](double v) { return !std::isfinite(v); }))
    return {nan, nan, nan, nan};
  sorted.assign(kept.begin(), kept.end());
  sort_finite(sorted);
  double sum = 0.0;
  for (double v : sorted) sum += v;
  if (worlds > static_cast<std::int64_t>(sorted.size())) sum += beyond.sum;
  return {sum / static_cast<double>(worlds), quantile_sorted(sorted, 0.05),
          quantile_sorted(sorted, 0.50), quantile_sorted(sorted, 0.95)};
}

// Every policy's summary of every metric, and its fan-chart band of every series in every
// period. Each is independent of the others, so they are worked out in parallel (on the
// caller's task arena), and each is the same whatever the threads.
void summarize_worlds(const RunResults& r, RunSummary& out) {
  const std::size_t policies = r.policies().size(), metrics = r.metrics().size();
  const std::size_t series = r.series().size(), horizon = static_cast<std::size_t>(r.horizon());
  out.metrics.assign(policies, std::vector<Summary>(metrics));
  out.series.assign(policies, std::vector<std::vector<Band>>(series, std::vector<Band>(horizon)));
  tbb::parallel_for(std::size_t{0}, policies * metrics, [&](std::size_t i) {
    out.metrics[i / metrics][i % metrics] = summarize(r.metric(i / metrics, i % metrics));
  });
  const auto bands = [&](const tbb::blocked_range<std::size_t>& range) {
    std::vector<double> sorted;  // one buffer for the range's bands
    for (std::size_t i = range.begin(); i != range.end(); ++i) {
      const std::size_t p = i / (series * horizon), k = i / horizon % series;
      const int t = static_cast<int>(i % horizon) + 1;
      out.series[p][k][t - 1] =
          band_of(r.series(p, k, t), r.series_beyond(p, k, t), r.paths(), sorted);
    }
  };
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, policies * series * horizon), bands);
}

}  // namespace

RunSummary summarize_run(const RunResults& r, std::optional<double> cash_floor,
                         std::optional<std::size_t> baseline) {
  RunSummary out;
  const std::size_t npv_metric = r.metric_index("npv"),
                    npv_with_equity_metric = r.metric_index("npv_with_equity");
  const std::size_t policies = r.policies().size();
  summarize_worlds(r, out);
  for (std::size_t p = 0; p < policies; ++p) {
    out.payback.push_back(payback(r, p));
    if (cash_floor) out.prob_cash_below.push_back(prob_cash_below(r, p, *cash_floor));
  }
  out.best_policy = best_by_mean(out.metrics, npv_metric);
  out.best_with_equity = best_by_mean(out.metrics, npv_with_equity_metric);
  for (const char* metric : kHistogramMetrics) {
    std::vector<std::span<const double>> samples;
    for (std::size_t p = 0; p < policies; ++p) samples.push_back(r.metric(p, metric));
    out.histograms.push_back(common_histograms(samples, kHistogramBins));
  }
  out.comparisons = paired_comparisons(r, baseline);
  out.prob_best = prob_best(r);
  out.baseline = baseline;
  return out;
}

}  // namespace tenure
