#include "sim/analysis/summary.hpp"

#include <algorithm>

namespace tenure {

RunSummary summarize_run(const RunResults& r) {
  RunSummary out;
  const std::size_t npv_metric = r.metric_index("npv"),
                    npv_with_equity_metric = r.metric_index("npv_with_equity");
  const std::size_t policies = r.policies().size();
  out.metrics.resize(policies);
  out.series.resize(policies);
  std::vector<double> sorted;
  for (std::size_t p = 0; p < policies; ++p) {
    for (std::size_t k = 0; k < r.metrics().size(); ++k)
      out.metrics[p].push_back(summarize(r.metric(p, k)));
    out.series[p].resize(r.series().size());
    for (std::size_t k = 0; k < r.series().size(); ++k) {
      for (int t = 1; t <= r.horizon(); ++t) {
        const auto values = r.series(p, k, t);
        sorted.assign(values.begin(), values.end());
        std::sort(sorted.begin(), sorted.end());
        double sum = 0.0;
        for (double v : sorted) sum += v;
        out.series[p][k].push_back({sum / static_cast<double>(sorted.size()),
                                    quantile_sorted(sorted, 0.05), quantile_sorted(sorted, 0.50),
                                    quantile_sorted(sorted, 0.95)});
      }
    }
    if (out.metrics[p][npv_metric].mean > out.metrics[out.best_policy][npv_metric].mean)
      out.best_policy = p;
    if (out.metrics[p][npv_with_equity_metric].mean >
        out.metrics[out.best_with_equity][npv_with_equity_metric].mean)
      out.best_with_equity = p;
  }
  for (const std::size_t metric : {npv_metric, npv_with_equity_metric})
    for (std::size_t a = 0; a < policies; ++a)
      for (std::size_t b = a + 1; b < policies; ++b)
        out.comparisons.push_back(
            {a, b, metric, compare_paired(r.metric(a, metric), r.metric(b, metric))});
  return out;
}

}  // namespace tenure
