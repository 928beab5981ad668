#include "sim/output/terminal.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/output/formatting.hpp"

namespace tenure {

std::string text_report(const Scenario& scenario, const RunResults& r, const RunSummary& s) {
  const std::size_t npv_metric = r.metric_index("npv"),
                    npv_with_equity_metric = r.metric_index("npv_with_equity"),
                    customers_end_metric = r.metric_index("customers_end"),
                    acquired_metric = r.metric_index("acquired"),
                    churned_metric = r.metric_index("churned");
  std::string out = fmt::format("{}: {} paths, {} {}s, seed {}\n", scenario.name, r.paths(),
                                scenario.horizon, to_string(scenario.period), scenario.seed);
  if (s.precision && s.precision->reached)
    out += fmt::format("precision reached: every policy's mean NPV within +/- {} (95%)\n",
                       grouped(s.precision->achieved));
  else if (s.precision)
    out += fmt::format(
        "precision NOT reached: the cap of {} paths left a 95% interval of +/- {} on mean NPV, "
        "wider than the +/- {} asked for; raise --paths\n",
        r.paths(), grouped(s.precision->achieved), grouped(s.precision->target));
  out += '\n';
  std::size_t width = 6;
  for (const auto& name : r.policies()) width = std::max(width, name.size());
  out += fmt::format("{:<{}}  {:>13}  {:>11}  {:>13}  {:>13}  {:>7}  {:>10}  {:>9}  {:>9}\n",
                     "policy", width, "NPV mean", "+/- 95% CI", "NPV p05", "NPV ES05", "P(loss)",
                     "customers", "acquired", "churned");
  for (std::size_t p = 0; p < r.policies().size(); ++p) {
    const Summary& npv = s.metrics[p][npv_metric];
    out += fmt::format("{:<{}}  {:>13}  {:>11}  {:>13}  {:>13}  {:>7}  {:>10}  {:>9}  {:>9}\n",
                       r.policies()[p], width, grouped(npv.mean), grouped(kZ95 * npv.se),
                       grouped(npv.quantiles[1]), grouped(npv.es05), percent(npv.prob_negative),
                       grouped(s.metrics[p][customers_end_metric].mean),
                       grouped(s.metrics[p][acquired_metric].mean),
                       grouped(s.metrics[p][churned_metric].mean));
  }
  // Every other metric, one row each, means per world side by side.
  std::size_t name_width = 6;
  for (const auto& name : r.metrics()) name_width = std::max(name_width, name.size());
  std::size_t column = 13;
  for (const auto& name : r.policies()) column = std::max(column, name.size());
  out += fmt::format("\n{:<{}}", "mean per world", name_width);
  for (const auto& name : r.policies()) out += fmt::format("  {:>{}}", name, column);
  out += '\n';
  for (std::size_t k = 0; k < r.metrics().size(); ++k) {
    if (k == npv_metric || k == customers_end_metric || k == acquired_metric || k == churned_metric)
      continue;
    out += fmt::format("{:<{}}", r.metrics()[k], name_width);
    for (std::size_t p = 0; p < r.policies().size(); ++p)
      out += fmt::format("  {:>{}}", grouped(s.metrics[p][k].mean), column);
    out += '\n';
  }
  // The best policy against each other one, paired on the same worlds.
  auto versus_best = [&](std::size_t metric, std::size_t best, const char* label) {
    for (const PolicyComparison& c : s.comparisons) {
      if (c.metric != metric || (c.a != best && c.b != best)) continue;
      const bool best_is_a = c.a == best;
      const PairedComparison& d = c.difference;
      const double sign = best_is_a ? 1.0 : -1.0;
      out +=
          fmt::format("  vs {}: {} {} higher (95% CI {} to {}), better in {} of worlds\n",
                      r.policies()[best_is_a ? c.b : c.a], label, grouped(sign * d.mean_difference),
                      grouped(best_is_a ? d.ci95_low : -d.ci95_high),
                      grouped(best_is_a ? d.ci95_high : -d.ci95_low),
                      percent(best_is_a ? d.share_a_better : d.share_b_better));
    }
  };
  out += fmt::format("\nbest by mean NPV: {}\n", r.policies()[s.best_policy]);
  versus_best(npv_metric, s.best_policy, "NPV");
  if (s.best_with_equity != s.best_policy) {
    out += fmt::format(
        "best counting the value of the customers left at the end (npv_with_equity): {}\n",
        r.policies()[s.best_with_equity]);
    versus_best(npv_with_equity_metric, s.best_with_equity, "NPV with equity");
  }
  return out;
}

}  // namespace tenure
