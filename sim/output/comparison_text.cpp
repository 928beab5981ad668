#include "sim/output/comparison_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/output/formatting.hpp"

namespace tenure {

namespace {

// "-43,715 +/- 636 (53x)": policy minus reference, its 95% half-width, the variance reduction.
std::string difference_cell(const PairedComparison& d, bool reference_is_b) {
  const double difference = reference_is_b ? d.mean_difference : -d.mean_difference;
  std::string cell = fmt::format("{} +/- {}", grouped(difference), grouped(kZ95 * d.se));
  if (std::isfinite(d.variance_reduction)) cell += " (" + factor(d.variance_reduction) + "x)";
  return cell;
}

std::string differences_table(const RunResults& r, const RunSummary& s, std::size_t reference) {
  std::vector<std::size_t> others;
  for (std::size_t p = 0; p < r.policies().size(); ++p)
    if (p != reference) others.push_back(p);
  std::size_t name_width = 14, column = 28;
  for (const auto& metric : r.metrics()) name_width = std::max(name_width, metric.size());
  for (const std::size_t p : others) column = std::max(column, r.policies()[p].size());
  std::string out = fmt::format("{:<{}}", "", name_width);
  for (const std::size_t p : others) out += fmt::format("  {:>{}}", r.policies()[p], column);
  out += '\n';
  for (std::size_t k = 0; k < r.metrics().size(); ++k) {
    out += fmt::format("{:<{}}", r.metrics()[k], name_width);
    for (const std::size_t p : others)
      for (const PolicyComparison& c : s.comparisons)
        if (c.metric == k && ((c.a == p && c.b == reference) || (c.a == reference && c.b == p)))
          out += fmt::format("  {:>{}}", difference_cell(c.difference, c.b == reference), column);
    out += '\n';
  }
  return out;
}

std::string prob_best_lines(const RunResults& r, const RunSummary& s) {
  std::string out =
      "chance of being best (the share of worlds in which a policy is highest; policies tied "
      "for the highest share that world equally):\n";
  for (std::size_t k = 0; k < s.prob_best.size(); ++k) {
    out += fmt::format("  {:<16}", kProbBestMetrics[k]);
    for (std::size_t p = 0; p < r.policies().size(); ++p)
      out += fmt::format("  {} {}", r.policies()[p],
                         std::isfinite(s.prob_best[k][p]) ? percent(s.prob_best[k][p]) : "n/a");
    out += '\n';
  }
  return out;
}

}  // namespace

std::string comparison_text(const RunResults& r, const RunSummary& s) {
  if (r.policies().size() < 2) return "";
  const std::optional<std::size_t> reference = s.baseline ? s.baseline : s.best_policy;
  std::string out;
  if (reference) {
    out +=
        fmt::format("\npaired differences on the same worlds, each policy minus {} ({}):\n",
                    r.policies()[*reference], s.baseline ? "the baseline" : "the best by mean NPV");
    out += differences_table(r, s, *reference);
    out +=
        "  +/-: half-width of the 95% interval of the mean difference; (Nx): pairing on the same "
        "worlds made its variance N times\n  smaller than comparing separate runs. Every "
        "comparison, on every metric, is in compare.csv.\n";
  }
  return out + '\n' + prob_best_lines(r, s);
}

}  // namespace tenure
