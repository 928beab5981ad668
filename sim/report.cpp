#include "sim/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "sim/atomic_file.hpp"
#include "sim/metrics.hpp"

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
  j["prob_negative"] = s.prob_negative;
  return j;
}

// Shortest text that reads back to the same double; "nan" for undefined figures.
std::string number(double x) {
  return std::isfinite(x) ? fmt::format("{}", x) : "nan";
}

// 1234567.8 -> "1,234,568"
std::string grouped(double x) {
  if (!std::isfinite(x)) return "n/a";
  const long long rounded = std::llround(x);
  const std::string digits = std::to_string(rounded < 0 ? -rounded : rounded);
  std::string out = rounded < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// A CSV field: quoted (with inner quotes doubled) when it holds a comma, quote or newline.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string percent(double share) {
  return fmt::format("{:.1f}%", 100.0 * share);
}

}  // namespace

std::string summary_json(const Scenario& scenario, const RunResults& r, const RunSummary& s) {
  nlohmann::ordered_json j;
  j["scenario"] = scenario.name;
  j["paths"] = r.paths();
  j["seed"] = scenario.seed;
  j["horizon"] = scenario.horizon;
  j["period"] = to_string(scenario.period);
  j["discount_rate"] = scenario.discount_rate;
  if (s.precision) {
    nlohmann::ordered_json precision;
    precision["npv_ci95_half_width_target"] = s.precision->target;
    precision["npv_ci95_half_width"] = s.precision->achieved;
    precision["reached"] = s.precision->reached;
    precision["paths_simulated"] = s.precision->paths_simulated;
    j["precision"] = std::move(precision);
  }
  j["best_policy"] = r.policies()[s.best_policy];
  j["best_policy_with_equity"] = r.policies()[s.best_with_equity];
  j["policies"] = nlohmann::ordered_json::array();
  for (std::size_t p = 0; p < r.policies().size(); ++p) {
    nlohmann::ordered_json policy;
    policy["name"] = r.policies()[p];
    nlohmann::ordered_json metrics;
    for (std::size_t k = 0; k < r.metrics().size(); ++k)
      metrics[r.metrics()[k]] = to_json(s.metrics[p][k]);
    policy["metrics"] = std::move(metrics);
    // Ratio of means: total acquisition spend per customer won, over all worlds.
    const double acquired = s.metrics[p][r.metric_index("acquired")].mean;
    policy["acquisition_cost_per_customer"] =
        acquired > 0.0 ? s.metrics[p][r.metric_index("acquisition_spend")].mean / acquired : 0.0;
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
    j["comparisons"].push_back(std::move(cj));
  }
  return j.dump(2) + "\n";
}

std::string summary_csv(const RunResults& r, const RunSummary& s) {
  std::string out = "policy,metric,mean,sd,se,ci95_low,ci95_high";
  for (const char* q : kQuantileNames) out += fmt::format(",{}", q);
  out += ",es05,prob_negative\n";
  for (std::size_t p = 0; p < r.policies().size(); ++p)
    for (std::size_t k = 0; k < r.metrics().size(); ++k) {
      const Summary& m = s.metrics[p][k];
      out += fmt::format("{},{},{},{},{},{},{}", csv_field(r.policies()[p]), r.metrics()[k],
                         number(m.mean), number(m.sd), number(m.se), number(m.ci95_low),
                         number(m.ci95_high));
      for (double q : m.quantiles) out += fmt::format(",{}", number(q));
      out += fmt::format(",{},{}\n", number(m.es05), number(m.prob_negative));
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

void write_results(const std::filesystem::path& directory, const Scenario& scenario,
                   const RunResults& results, const RunSummary& summary) {
  // Everything is rendered before the first byte is written, so a failure leaves the folder
  // as it was.
  const std::string json = summary_json(scenario, results, summary);
  const std::string csv = summary_csv(results, summary);
  const std::string periods = periods_csv(results, summary);
  std::filesystem::create_directories(directory);
  write_file_atomically(directory / "summary.json", json);
  write_file_atomically(directory / "summary.csv", csv);
  write_file_atomically(directory / "periods.csv", periods);
}

}  // namespace tenure
