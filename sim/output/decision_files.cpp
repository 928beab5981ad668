#include "sim/output/decision_files.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "sim/analysis/statistics.hpp"
#include "sim/output/formatting.hpp"
#include "sim/output/result_files.hpp"

namespace tenure {

std::string sweep_json(const SweepRequest& request, const std::string& command) {
  nlohmann::ordered_json j;
  j["run"] = run_record_json(command, request.seed, request.worlds);
  return j.dump(2) + "\n";
}

std::string sweep_csv(const SweepResult& r) {
  std::string out = "point";
  for (const std::string& v : r.variables) out += "," + csv_field(v);
  out += ",policy,metric,mean,se,p05,p50,p95,es05,prob_negative,diff_to_best,diff_to_best_se\n";
  for (std::size_t i = 0; i < r.points.size(); ++i)
    for (std::size_t p = 0; p < r.policies.size(); ++p)
      for (std::size_t k = 0; k < std::size(kSweepMetrics); ++k) {
        const SweepCell& c = r.cells[i][p][k];
        const Summary& s = c.summary;
        out += std::to_string(i);
        for (const double value : r.points[i]) out += "," + number(value);
        out +=
            fmt::format(",{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(r.policies[p]),
                        kSweepMetrics[k], number(s.mean), number(s.se), number(s.quantiles[1]),
                        number(s.quantiles[4]), number(s.quantiles[7]), number(s.es05),
                        number(s.prob_negative), number(c.diff_to_best), number(c.diff_to_best_se));
      }
  return out;
}

namespace {

// Whether the variables move the policy's NPV at all (its mean differs between points).
bool moved(const SweepResult& r, std::size_t policy) {
  for (const auto& cells : r.cells)
    if (cells[policy][0].summary.mean != r.cells.front()[policy][0].summary.mean) return true;
  return false;
}

// "a = 0.35, b = 2": the variables' values at a point.
std::string at_point(const SweepResult& r, std::size_t point) {
  std::vector<std::string> parts;
  for (std::size_t v = 0; v < r.variables.size(); ++v)
    parts.push_back(fmt::format("{} = {:g}", r.variables[v], r.points[point][v]));
  return fmt::format("{}", fmt::join(parts, ", "));
}

// The NPV of one policy at every point, with its paired difference to the best point.
std::string policy_table(const SweepResult& r, std::size_t p) {
  std::string out =
      fmt::format("\nNPV of {}, point by point (the same worlds at every point):\n", r.policies[p]);
  for (const std::string& v : r.variables) out += fmt::format("{:>10}", v);
  out += fmt::format("  {:>13}  {:>11}  {:>13}  {:>13}  {:>11}\n", "NPV mean", "+/- 95% CI",
                     "NPV p05", "minus best", "+/- 95% CI");
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    const SweepCell& c = r.cells[i][p][0];
    for (const double value : r.points[i]) out += fmt::format("{:>10g}", value);
    out += fmt::format("  {:>13}  {:>11}  {:>13}  {:>13}  {:>11}{}\n", grouped(c.summary.mean),
                       grouped(kZ95 * c.summary.se), grouped(c.summary.quantiles[1]),
                       grouped(c.diff_to_best), grouped(kZ95 * c.diff_to_best_se),
                       i == r.best[p][0] ? "  best" : "");
  }
  return out;
}

// The best point, and the range of each variable over the points whose paired difference to
// it is within its 95% interval of 0 (not distinguishable from the best on these worlds).
std::string best_line(const SweepResult& r, std::size_t p) {
  const std::size_t best = r.best[p][0];
  std::string out = fmt::format("best NPV of {}: {}, {} +/- {}", r.policies[p], at_point(r, best),
                                grouped(r.cells[best][p][0].summary.mean),
                                grouped(kZ95 * r.cells[best][p][0].summary.se));
  for (std::size_t v = 0; v < r.variables.size(); ++v) {
    double low = r.points[best][v], high = low;
    for (std::size_t i = 0; i < r.points.size(); ++i) {
      const SweepCell& c = r.cells[i][p][0];
      if (std::abs(c.diff_to_best) > kZ95 * c.diff_to_best_se) continue;
      low = std::min(low, r.points[i][v]);
      high = std::max(high, r.points[i][v]);
    }
    out += fmt::format("; {} from {:g} to {:g} is as good within the 95% CI", r.variables[v], low,
                       high);
  }
  return out + "\n";
}

}  // namespace

std::string sweep_text(const SweepResult& r) {
  std::string out =
      fmt::format("sweep of {} over {} points, {} worlds at each, the same worlds at every point\n",
                  fmt::join(r.variables, " and "), r.points.size(), grouped(r.worlds));
  std::vector<std::string> unmoved;
  std::string best;
  for (std::size_t p = 0; p < r.policies.size(); ++p) {
    if (!moved(r, p)) {
      unmoved.push_back(r.policies[p]);
      continue;
    }
    out += policy_table(r, p);
    best += best_line(r, p);
  }
  out += '\n' + best;
  if (!unmoved.empty())
    out += fmt::format("not moved by {} (the same at every point): {}\n",
                       fmt::join(r.variables, " or "), fmt::join(unmoved, ", "));
  return out;
}

namespace {

nlohmann::ordered_json estimate_json(const WorldsEstimate& e, const char* value_key) {
  nlohmann::ordered_json j;
  j[value_key] = e.value;
  j["se"] = e.se;
  j["ci95_low"] = e.ci95_low;
  j["ci95_high"] = e.ci95_high;
  return j;
}

nlohmann::ordered_json by_variable(const std::vector<std::string>& names,
                                   const std::vector<double>& values) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (std::size_t v = 0; v < names.size(); ++v) j[names[v]] = values[v];
  return j;
}

}  // namespace

std::string optimize_json(const OptimizeRequest& request, const OptimizeContext& context,
                          const Optimum& r) {
  nlohmann::ordered_json j;
  j["optimum"] = by_variable(context.variables, r.optimum);
  j["objective"] = estimate_json(r.objective, "value");
  j["flat_range"] = nlohmann::ordered_json::object();
  for (std::size_t v = 0; v < context.variables.size(); ++v)
    j["flat_range"][context.variables[v]] = {r.flat_range[v].first, r.flat_range[v].second};
  j["start_difference"] = estimate_json(r.start_difference, "mean");
  j["algorithm"] = r.algorithm;
  j["evaluations"] = r.evaluations;
  j["metric"] = request.objective.metric;
  j["objective_kind"] = objective_name(request.objective);
  j["policy"] = context.policy;
  j["start"] = by_variable(context.variables, r.start);
  j["search_value"] = r.search_value;
  j["constraint"] = context.constraint.empty() ? nlohmann::ordered_json()
                                               : nlohmann::ordered_json(context.constraint);
  j["feasible"] = r.feasible;
  j["prob_negative"] = r.prob_negative;
  j["worlds"] = request.worlds;
  j["seed"] = request.seed;
  j["fresh_seed"] = request.seed + 1;
  // Every run of the search's worlds in order, for the report's chart of the objective over
  // the variables (added last: the keys above are read by scripts as they are).
  j["trace"] = nlohmann::ordered_json::array();
  for (const EvaluatedPoint& point : r.trace) {
    nlohmann::ordered_json entry = by_variable(context.variables, point.at);
    entry["objective"] = point.objective;
    j["trace"].push_back(std::move(entry));
  }
  j["run"] = run_record_json(context.command, request.seed, request.worlds);
  return j.dump(2) + "\n";
}

std::string optimize_text(const OptimizeRequest& request, const OptimizeContext& context,
                          const Optimum& r) {
  std::vector<std::string> optimum, flat, start;
  for (std::size_t v = 0; v < context.variables.size(); ++v) {
    optimum.push_back(fmt::format("{} = {:.4g}", context.variables[v], r.optimum[v]));
    start.push_back(fmt::format("{} = {:.4g}", context.variables[v], r.start[v]));
    flat.push_back(fmt::format("{} from {:.4g} to {:.4g}", context.variables[v],
                               r.flat_range[v].first, r.flat_range[v].second));
  }
  const std::string objective = fmt::format("{} of {} ({})", objective_name(request.objective),
                                            request.objective.metric, context.policy);
  std::string out = fmt::format(
      "optimum of {}: {}\n"
      "  on {} fresh worlds: {} (95% CI {} to {})\n"
      "  against the start ({}): {} (95% CI {} to {}), paired on the same worlds\n"
      "  flat: {} keep it within one standard error of its best\n",
      objective, fmt::join(optimum, ", "), grouped(static_cast<double>(request.worlds)),
      grouped(r.objective.value), grouped(r.objective.ci95_low), grouped(r.objective.ci95_high),
      fmt::join(start, ", "), grouped(r.start_difference.value),
      grouped(r.start_difference.ci95_low), grouped(r.start_difference.ci95_high),
      fmt::join(flat, ", "));
  if (!context.constraint.empty())
    out += fmt::format("  constraint {}: {}; chance of a loss at the optimum, fresh worlds: {}\n",
                       context.constraint, r.feasible ? "met" : "NOT met anywhere searched",
                       percent(r.prob_negative));
  out += fmt::format("  {} runs of {} worlds; {}\n", r.evaluations,
                     grouped(static_cast<double>(request.worlds)), r.algorithm);
  return out;
}

}  // namespace tenure
