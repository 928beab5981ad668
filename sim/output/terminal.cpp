#include "sim/output/terminal.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/output/comparison_text.hpp"
#include "sim/output/formatting.hpp"

namespace tenure {

namespace {

std::string plural(std::int64_t n, const std::string& one) {
  return fmt::format("{} {}{}", grouped(static_cast<double>(n)), one, n == 1 ? "" : "s");
}

// Whether a run to a precision reached it: of every policy's mean NPV, of every paired NPV
// difference against the reference, or both.
std::string precision_text(const RunResults& r, const RunSummary::Precision& p) {
  std::vector<std::string> asked, achieved;
  if (p.target) {
    asked.push_back("every policy's mean NPV within +/- " + grouped(*p.target));
    achieved.push_back("+/- " + grouped(p.achieved.value_or(0.0)) + " on mean NPV");
  }
  if (p.difference_target) {
    asked.push_back(fmt::format("every NPV difference against {} within +/- {}", p.versus,
                                grouped(*p.difference_target)));
    achieved.push_back("+/- " + grouped(p.difference_achieved.value_or(0.0)) +
                       " on the differences");
  }
  if (p.reached) return fmt::format("precision reached: {} (95%)\n", fmt::join(asked, ", and "));
  return fmt::format(
      "precision NOT reached: the cap of {} left 95% intervals of {}, wider than asked for ({}); "
      "raise --paths\n",
      plural(r.paths(), "world"), fmt::join(achieved, " and "), fmt::join(asked, ", and "));
}

std::string heading(const Scenario& scenario, const RunResults& r, const RunSummary& s) {
  std::string out =
      fmt::format("{}: {}, {}, seed {}\n", scenario.name, plural(r.paths(), "world"),
                  plural(scenario.horizon, to_string(scenario.period)), scenario.seed);
  for (const Variable& v : scenario.variables)
    out += fmt::format("variable {} = {} (from {} to {})\n", v.name, v.value, v.min, v.max);
  if (s.precision) out += precision_text(r, *s.precision);
  return out;
}

// Policies best first by mean NPV; those whose mean is undefined last.
std::vector<std::size_t> ranked(const RunSummary& s, std::size_t npv) {
  std::vector<std::size_t> order(s.metrics.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const double x = s.metrics[a][npv].mean, y = s.metrics[b][npv].mean;
    return std::isfinite(x) && (!std::isfinite(y) || x > y);
  });
  return order;
}

std::string ranked_table(const RunResults& r, const RunSummary& s) {
  const std::size_t npv = r.metric_index("npv"), customers = r.metric_index("customers_end"),
                    acquired = r.metric_index("acquired"), churned = r.metric_index("churned");
  std::size_t width = 6;
  for (const auto& name : r.policies()) width = std::max(width, name.size());
  const char* row = "{:<{}}  {:>13}  {:>11}  {:>13}  {:>13}  {:>7}  {:>7}  {:>10}  {:>9}  {:>9}\n";
  std::string out =
      fmt::format(fmt::runtime(row), "policy", width, "NPV mean", "+/- 95% CI", "NPV p05",
                  "NPV ES05", "P(loss)", "P(best)", "customers", "acquired", "churned");
  auto share = [](double x) { return std::isfinite(x) ? percent(x) : "n/a"; };
  for (const std::size_t p : ranked(s, npv)) {
    const Summary& m = s.metrics[p][npv];
    out += fmt::format(fmt::runtime(row), r.policies()[p], width, grouped(m.mean),
                       grouped(kZ95 * m.se), grouped(m.quantiles[1]), grouped(m.es05),
                       share(m.prob_negative), share(s.prob_best[0][p]),
                       grouped(s.metrics[p][customers].mean), grouped(s.metrics[p][acquired].mean),
                       grouped(s.metrics[p][churned].mean));
  }
  out +=
      "  NPV mean: average over the simulated worlds; +/- 95% CI: half-width of the 95% interval "
      "of that average;\n  NPV p05: 5th percentile over worlds; NPV ES05: average of the worst "
      "5% of worlds;\n  P(loss): share of worlds with a negative NPV; customers: at the end; "
      "acquired, churned: over the horizon;\n  P(best): share of worlds in which the policy has "
      "the "
      "highest NPV.\n";
  return out;
}

std::string payback_text(double t) {
  return std::isnan(t) ? "-" : std::isinf(t) ? "never" : fmt::format("{:g}", t);
}

// The risk figures of NPV and cash, policies ranked as above.
std::string risk_table(const RunResults& r, const RunSummary& s, std::optional<double> floor) {
  const std::size_t npv = r.metric_index("npv");
  std::size_t width = 6;
  for (const auto& name : r.policies()) width = std::max(width, name.size());
  const char* row = "{:<{}}  {:>13}  {:>13}  {:>13}  {:>13}  {:>12}  {:>15}\n";
  std::string out = fmt::format(fmt::runtime(row), "risk", width, "VaR95", "VaR99", "ES05", "ES01",
                                floor ? "P(cash<floor)" : "", "payback p50/p90");
  for (const std::size_t p : ranked(s, npv)) {
    const Summary& m = s.metrics[p][npv];
    const Payback& pay = s.payback[p];
    out += fmt::format(fmt::runtime(row), r.policies()[p], width, grouped(m.var95()),
                       grouped(m.var99()), grouped(m.es05), grouped(m.es01),
                       floor ? percent(s.prob_cash_below[p]) : "",
                       payback_text(pay.p50) + " / " + payback_text(pay.p90));
  }
  out += fmt::format(
      "  VaR95, VaR99: the NPV loss not exceeded in 95% / 99% of worlds (-p05, -p01); ES05, "
      "ES01: the average NPV of the worst 5% / 1%;\n  {}payback: the period cumulative cash "
      "is back at or above 0 in worlds where it went below (- none did).\n",
      floor ? fmt::format("P(cash<floor): the chance the cash trough falls below {}; ",
                          grouped(*floor))
            : "");
  return out;
}

// Every other metric, one row each, means per world side by side.
std::string means_table(const RunResults& r, const RunSummary& s) {
  const std::vector<std::string> shown = {"npv", "customers_end", "acquired", "churned"};
  std::size_t name_width = 14;
  for (const auto& name : r.metrics()) name_width = std::max(name_width, name.size());
  std::size_t column = 13;
  for (const auto& name : r.policies()) column = std::max(column, name.size());
  std::string out = fmt::format("\n{:<{}}", "mean per world", name_width);
  for (const auto& name : r.policies()) out += fmt::format("  {:>{}}", name, column);
  out += '\n';
  for (std::size_t k = 0; k < r.metrics().size(); ++k) {
    if (std::find(shown.begin(), shown.end(), r.metrics()[k]) != shown.end()) continue;
    out += fmt::format("{:<{}}", r.metrics()[k], name_width);
    for (std::size_t p = 0; p < r.policies().size(); ++p)
      out += fmt::format("  {:>{}}", grouped(s.metrics[p][k].mean), column);
    out += '\n';
  }
  return out;
}

// Metrics that are not finite in some worlds, and so have no mean.
std::string undefined_notes(const RunResults& r, const RunSummary& s) {
  std::string out;
  for (std::size_t k = 0; k < r.metrics().size(); ++k)
    for (std::size_t p = 0; p < r.policies().size(); ++p)
      if (s.metrics[p][k].nonfinite > 0)
        out += fmt::format("note: {} of {} is undefined (not finite) in {} of {}\n", r.metrics()[k],
                           r.policies()[p], plural(s.metrics[p][k].nonfinite, "world"),
                           grouped(r.paths()));
  return out;
}

// What pairing on the same worlds bought: "; pairing: 53x less variance".
std::string pairing_note(double variance_reduction) {
  if (!std::isfinite(variance_reduction)) return "";
  return "; pairing: " + factor(variance_reduction) + "x less variance";
}

// The best policy against each other one, paired on the same worlds.
std::string versus_best(const RunResults& r, const RunSummary& s, std::size_t metric,
                        std::size_t best, const char* label) {
  std::string out;
  for (const PolicyComparison& c : s.comparisons) {
    if (c.metric != metric || (c.a != best && c.b != best)) continue;
    const bool best_is_a = c.a == best;
    const PairedComparison& d = c.difference;
    const double sign = best_is_a ? 1.0 : -1.0;
    out +=
        fmt::format("  vs {}: {} {} higher (95% CI {} to {}), better in {} of worlds{}\n",
                    r.policies()[best_is_a ? c.b : c.a], label, grouped(sign * d.mean_difference),
                    grouped(best_is_a ? d.ci95_low : -d.ci95_high),
                    grouped(best_is_a ? d.ci95_high : -d.ci95_low),
                    percent(best_is_a ? d.share_a_better : d.share_b_better),
                    pairing_note(d.variance_reduction));
  }
  return out;
}

std::string best_policies(const RunResults& r, const RunSummary& s) {
  if (!s.best_policy) return "\nno best policy: mean NPV is undefined for every policy\n";
  std::string out = fmt::format("\nbest by mean NPV: {}\n", r.policies()[*s.best_policy]);
  out += versus_best(r, s, r.metric_index("npv"), *s.best_policy, "NPV");
  if (s.best_with_equity && s.best_with_equity != s.best_policy) {
    out += fmt::format(
        "best counting the value of the customers left at the end (npv_with_equity): {}\n",
        r.policies()[*s.best_with_equity]);
    out += versus_best(r, s, r.metric_index("npv_with_equity"), *s.best_with_equity,
                       "NPV with equity");
  }
  return out;
}

}  // namespace

std::string model_notes(const Scenario& scenario, const RunContext& context) {
  if (!scenario.heterogeneity) return "";
  std::string out;
  for (const TierClasses& tier : context.churn_classes)
    if (tier.worst_error > scenario.heterogeneity->tolerance)
      out += fmt::format(
          "note: {} churn classes represent tier {}'s churn to within {:.2g}% (a new cohort's "
          "discounted lifetime: {:.2g}%), more than the tolerance of {:.2g}%{}\n",
          tier.classes, tier.tier, 100 * tier.worst_error, 100 * tier.lifetime_error,
          100 * scenario.heterogeneity->tolerance,
          scenario.heterogeneity->classes > 0 ? "; use classes: auto" : "");
  return out;
}

std::string text_report(const Scenario& scenario, const RunResults& r, const RunSummary& s) {
  return heading(scenario, r, s) + '\n' + ranked_table(r, s) + '\n' +
         risk_table(r, s, scenario.cash_floor) + means_table(r, s) + undefined_notes(r, s) +
         best_policies(r, s) + comparison_text(r, s);
}

}  // namespace tenure
