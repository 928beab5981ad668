#include "sim/analysis/comparisons.hpp"

namespace tenure {

std::vector<PolicyComparison> paired_comparisons(const RunResults& r,
                                                 std::optional<std::size_t> baseline) {
  std::vector<PolicyComparison> out;
  const std::size_t policies = r.policies().size();
  for (std::size_t metric = 0; metric < r.metrics().size(); ++metric)
    for (std::size_t a = 0; a < policies; ++a) {
      if (baseline && a != *baseline)
        out.push_back({a, *baseline, metric,
                       compare_paired(r.metric(a, metric), r.metric(*baseline, metric))});
      if (baseline) continue;
      for (std::size_t b = a + 1; b < policies; ++b)
        out.push_back({a, b, metric, compare_paired(r.metric(a, metric), r.metric(b, metric))});
    }
  return out;
}

std::vector<std::vector<double>> prob_best(const RunResults& r) {
  std::vector<std::vector<double>> out;
  for (const char* metric : kProbBestMetrics) {
    std::vector<std::span<const double>> samples;
    for (std::size_t p = 0; p < r.policies().size(); ++p) samples.push_back(r.metric(p, metric));
    out.push_back(share_highest(samples));
  }
  return out;
}

}  // namespace tenure
