#include "sim/output/decision_files.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "sim/analysis/statistics.hpp"
#include "sim/output/formatting.hpp"

namespace tenure {

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

}  // namespace tenure
