#include "sim/output/result_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "sim/output/assumptions.hpp"
#include "sim/output/formatting.hpp"
#include "sim/output/report_html.hpp"
#include "sim/output/study_files.hpp"

namespace tenure {

namespace {

const char* const kQuantileNames[] = {"p01", "p05", "p10", "p25", "p50",
                                      "p75", "p90", "p95", "p99"};
static_assert(std::size(kQuantileNames) == kQuantileLevels.size());

nlohmann::ordered_json to_json(const Summary& s) {
  nlohmann::ordered_json j;
  j["mean"] = s.mean;
  j["sd"] = s.sd;
  j["se"] = s.se;
  j["ci95_low"] = s.ci95_low;
  j["ci95_high"] = s.ci95_high;
  for (std::size_t k = 0; k < kQuantileLevels.size(); ++k) j[kQuantileNames[k]] = s.quantiles[k];
  j["es05"] = s.es05;
  j["es01"] = s.es01;
  j["var95"] = s.var95();
  j["var99"] = s.var99();
  j["prob_negative"] = s.prob_negative;
  if (s.nonfinite > 0) j["nonfinite_worlds"] = s.nonfinite;
  return j;
}

// Payback periods: a number, null when no world's cash went below zero, "never" when the
// quantile falls among the worlds that never came back within the horizon.
nlohmann::ordered_json to_json(const Payback& p) {
  auto period = [](double t) {
    return std::isnan(t)   ? nlohmann::ordered_json()
           : std::isinf(t) ? nlohmann::ordered_json("never")
                           : nlohmann::ordered_json(t);
  };
  nlohmann::ordered_json j;
  j["p50"] = period(p.p50);
  j["p90"] = period(p.p90);
  j["share_below"] = p.share_below;
  j["share_never"] = p.share_never;
  return j;
}

nlohmann::ordered_json to_json(const Histogram& h) {
  nlohmann::ordered_json j;
  j["low"] = h.low;
  j["width"] = h.width;
  j["counts"] = h.counts;
  return j;
}

nlohmann::ordered_json run_json(const Scenario& scenario, const RunResults& r,
                                const RunContext& context) {
  return run_record_json(context.command, scenario.seed, r.paths());
}

nlohmann::ordered_json heterogeneity_json(const Scenario& scenario, const RunContext& context) {
  nlohmann::ordered_json j;
  j["tolerance"] = scenario.heterogeneity->tolerance;
  j["classes"] = context.churn_classes.empty() ? 1 : context.churn_classes.front().classes;
  j["tiers"] = nlohmann::ordered_json::array();
  for (const TierClasses& tier : context.churn_classes)
    j["tiers"].push_back({{"tier", tier.tier},
                          {"concentration", tier.concentration},
                          {"method", tier.method},
                          {"lifetime_error", tier.lifetime_error},
                          {"worst_error", tier.worst_error}});
  return j;
}

nlohmann::ordered_json precision_json(const RunSummary::Precision& p) {
  nlohmann::ordered_json j;
  if (p.target) {
    j["npv_ci95_half_width_target"] = *p.target;
    j["npv_ci95_half_width"] = p.achieved.value_or(0.0);
  }
  if (p.difference_target) {
    j["npv_difference_ci95_half_width_target"] = *p.difference_target;
    j["npv_difference_ci95_half_width"] = p.difference_achieved.value_or(0.0);
    j["versus"] = p.versus;
  }
  j["reached"] = p.reached;
  j["paths_simulated"] = p.paths_simulated;
  return j;
}

nlohmann::ordered_json assumptions_json(const Scenario& scenario) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const AssumptionRow& row : assumptions(scenario))
    rows.push_back({{"group", row.group}, {"item", row.item}, {"value", row.value}});
  return rows;
}

}  // namespace

std::string summary_json(const Scenario& scenario, const RunResults& r, const RunSummary& s,
                         const RunContext& context) {
  nlohmann::ordered_json j;
  j["scenario"] = scenario.name;
  j["description"] = scenario.description;
  j["source_file"] = scenario.source_file;
  j["run"] = run_json(scenario, r, context);
  j["paths"] = r.paths();
  j["seed"] = scenario.seed;
  j["horizon"] = scenario.horizon;
  j["period"] = to_string(scenario.period);
  j["discount_rate"] = scenario.discount_rate;
  if (scenario.heterogeneity) j["heterogeneity"] = heterogeneity_json(scenario, context);
  if (!scenario.variables.empty()) {
    nlohmann::ordered_json variables;
    for (const Variable& v : scenario.variables) variables[v.name] = v.value;
    j["variables"] = std::move(variables);
  }
  if (s.precision) j["precision"] = precision_json(*s.precision);
  auto name_or_null = [&](const std::optional<std::size_t>& p) {
    return p ? nlohmann::ordered_json(r.policies()[*p]) : nlohmann::ordered_json();
  };
  j["best_policy"] = name_or_null(s.best_policy);
  j["best_policy_with_equity"] = name_or_null(s.best_with_equity);
  if (s.baseline) j["baseline"] = r.policies()[*s.baseline];
  j["policies"] = nlohmann::ordered_json::array();
  for (std::size_t p = 0; p < r.policies().size(); ++p) {
    nlohmann::ordered_json policy;
    policy["name"] = r.policies()[p];
    nlohmann::ordered_json metrics;
    for (std::size_t k = 0; k < r.metrics().size(); ++k)
      metrics[r.metrics()[k]] = to_json(s.metrics[p][k]);
    policy["metrics"] = std::move(metrics);
    nlohmann::ordered_json histograms = nlohmann::ordered_json::object();
    for (std::size_t h = 0; h < std::size(kHistogramMetrics); ++h)
      if (!s.histograms[h][p].counts.empty())  // none when no world's value is finite
        histograms[kHistogramMetrics[h]] = to_json(s.histograms[h][p]);
    policy["histograms"] = std::move(histograms);
    if (!s.prob_cash_below.empty()) policy["prob_cash_below"] = s.prob_cash_below[p];
    policy["payback"] = to_json(s.payback[p]);
    // Ratio of means: total acquisition spend per customer won, over all worlds.
    const double acquired = s.metrics[p][r.metric_index("acquired")].mean;
    policy["acquisition_cost_per_customer"] =
        acquired > 0.0 ? s.metrics[p][r.metric_index("acquisition_spend")].mean / acquired : 0.0;
    nlohmann::ordered_json best;
    for (std::size_t k = 0; k < s.prob_best.size(); ++k)
      best[kProbBestMetrics[k]] = s.prob_best[k][p];
    policy["prob_best"] = std::move(best);
    j["policies"].push_back(std::move(policy));
  }
  j["comparisons"] = nlohmann::ordered_json::array();
  for (const PolicyComparison& c : s.comparisons) {
    nlohmann::ordered_json cj;
    cj["a"] = r.policies()[c.a];
    cj["b"] = r.policies()[c.b];
    cj["metric"] = r.metrics()[c.metric];
    cj["mean_difference"] = c.difference.mean_difference;
    cj["se"] = c.difference.se;
    cj["ci95_low"] = c.difference.ci95_low;
    cj["ci95_high"] = c.difference.ci95_high;
    cj["share_a_better"] = c.difference.share_a_better;
    cj["share_b_better"] = c.difference.share_b_better;
    cj["variance_reduction"] = c.difference.variance_reduction;
    if (c.difference.nonfinite > 0) cj["nonfinite_worlds"] = c.difference.nonfinite;
    j["comparisons"].push_back(std::move(cj));
  }
  if (context.sensitivity) j["sensitivity"] = sensitivity_json(*context.sensitivity);
  j["assumptions"] = assumptions_json(scenario);
  return j.dump(2) + "\n";
}

std::string summary_csv(const RunResults& r, const RunSummary& s) {
  std::string out = "policy,metric,mean,sd,se,ci95_low,ci95_high";
  for (const char* q : kQuantileNames) out += fmt::format(",{}", q);
  out += ",es05,prob_negative,es01,var95,var99\n";
  for (std::size_t p = 0; p < r.policies().size(); ++p)
    for (std::size_t k = 0; k < r.metrics().size(); ++k) {
      const Summary& m = s.metrics[p][k];
      out += fmt::format("{},{},{},{},{},{},{}", csv_field(r.policies()[p]), r.metrics()[k],
                         number(m.mean), number(m.sd), number(m.se), number(m.ci95_low),
                         number(m.ci95_high));
      for (double q : m.quantiles) out += fmt::format(",{}", number(q));
      out += fmt::format(",{},{},{},{},{}\n", number(m.es05), number(m.prob_negative),
                         number(m.es01), number(m.var95()), number(m.var99()));
    }
  return out;
}

std::string compare_csv(const RunResults& r, const RunSummary& s) {
  std::string out =
      "a,b,metric,mean_difference,se,ci95_low,ci95_high,share_a_better,share_b_better,"
      "variance_reduction\n";
  for (const PolicyComparison& c : s.comparisons) {
    const PairedComparison& d = c.difference;
    out +=
        fmt::format("{},{},{},{},{},{},{},{},{},{}\n", csv_field(r.policies()[c.a]),
                    csv_field(r.policies()[c.b]), r.metrics()[c.metric], number(d.mean_difference),
                    number(d.se), number(d.ci95_low), number(d.ci95_high), number(d.share_a_better),
                    number(d.share_b_better), number(d.variance_reduction));
  }
  return out;
}

std::string periods_csv(const RunResults& r, const RunSummary& s) {
  std::string out = "policy,period,series,mean,p05,p50,p95\n";
  for (std::size_t p = 0; p < r.policies().size(); ++p)
    for (int t = 1; t <= r.horizon(); ++t)
      for (std::size_t k = 0; k < r.series().size(); ++k) {
        const Band& b = s.series[p][k][t - 1];
        out += fmt::format("{},{},{},{},{},{},{}\n", csv_field(r.policies()[p]), t, r.series()[k],
                           number(b.mean), number(b.p05), number(b.p50), number(b.p95));
      }
  return out;
}

ResultSet run_result_set(const std::filesystem::path& folder, const Scenario& scenario,
                         const RunResults& results, const RunSummary& summary,
                         const RunContext& context) {
  ResultSet set(folder);
  set.add("summary.json", summary_json(scenario, results, summary, context));
  set.add("summary.csv", summary_csv(results, summary));
  set.add("periods.csv", periods_csv(results, summary));
  set.add("compare.csv", compare_csv(results, summary));
  if (context.sensitivity) set.add("sensitivity.csv", sensitivity_csv(*context.sensitivity));
  ReportInputs inputs;
  inputs.folder = report_folder_name(folder);
  inputs.summary_json = set.text("summary.json");
  inputs.periods_csv = set.text("periods.csv");
  if (context.sensitivity) inputs.sensitivity_csv = set.text("sensitivity.csv");
  set.add("report.html", render_report(inputs));
  return set;
}

nlohmann::ordered_json run_record_json(const std::string& command, std::uint64_t seed,
                                       std::int64_t worlds) {
  nlohmann::ordered_json run;
  run["version"] = TENURE_VERSION;
  run["command"] = command;
  run["seed"] = seed;
  run["worlds"] = worlds;
  return run;
}

}  // namespace tenure
