#include "sim/studies/sensitivity.hpp"

#include <algorithm>

#include "sim/analysis/rank_correlation.hpp"
#include "sim/engine/runner.hpp"

namespace tenure {

namespace {

// The mean NPV of every policy with input k held at `value`, over the first `worlds` worlds.
std::vector<double> swing(const Model& model, std::size_t k, double value, std::int64_t worlds,
                          std::uint64_t seed, Workers workers) {
  Model held = model;
  held.inputs.fixed.assign(held.inputs.inputs.size(), std::nullopt);
  held.inputs.fixed[k] = value;
  const RunResults r = run_simulation(held, {worlds, seed, workers.threads, {}, workers.cluster});
  std::vector<double> means;
  for (std::size_t p = 0; p < r.policies().size(); ++p)
    means.push_back(summarize(r.metric(p, "npv")).mean);
  return means;
}

}  // namespace

Sensitivity sensitivity(const Model& model, const RunResults& r, const RunSummary& summary,
                        std::uint64_t seed, Workers workers) {
  Sensitivity out;
  out.swing_worlds = std::min(r.paths(), kSwingWorlds);
  const std::size_t best = summary.best_policy.value_or(0);
  const auto best_npv = r.metric(best, "npv");
  for (std::size_t k = 0; k < r.inputs().size(); ++k) {
    const UncertainInput& input = model.inputs.inputs[k];
    const double low = truncated_quantile(input.distribution, input.range, 0.1);
    const double high = truncated_quantile(input.distribution, input.range, 0.9);
    const std::vector<double> at_low = swing(model, k, low, out.swing_worlds, seed, workers);
    const std::vector<double> at_high = swing(model, k, high, out.swing_worlds, seed, workers);
    for (std::size_t p = 0; p < r.policies().size(); ++p) {
      InputSensitivity row;
      row.input = input.name;
      row.policy = r.policies()[p];
      row.rank_corr_npv = rank_correlation(r.input(k), r.metric(p, "npv"));
      if (p != best) {
        const auto npv = r.metric(p, "npv");
        std::vector<double> difference(npv.size());
        for (std::size_t w = 0; w < npv.size(); ++w) difference[w] = best_npv[w] - npv[w];
        row.rank_corr_difference = rank_correlation(r.input(k), difference);
        row.versus = r.policies()[best];
      }
      row.npv_low = at_low[p];
      row.npv_high = at_high[p];
      row.input_low = low;
      row.input_high = high;
      out.rows.push_back(std::move(row));
    }
  }
  return out;
}

}  // namespace tenure
