// The result files a report draws on, read into plain structs in one place. Figures that were
// undefined (NaN, written as null in JSON and "nan" in CSV) are std::nullopt, never NaN.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sim/analysis/summary.hpp"  // Histogram
#include "sim/scenario/diagnostics.hpp"

namespace tenure {

using Figure = std::optional<double>;

// The texts of whichever result files exist in a folder (std::nullopt: file absent).
struct ReportInputs {
  std::string folder;  // shown as the title when there is no summary.json
  std::optional<std::string> summary_json, periods_csv, sweep_csv, sweep_json, optimize_json,
      stress_json, stress_csv, sensitivity_csv, fit_json;
};

// One metric of one policy, as in summary.json.
struct MetricFigures {
  Figure mean, se, ci95_low, ci95_high, p01, p05, p25, p50, p75, p95, p99, es05, prob_negative;
};

struct PolicyResult {
  std::string name;
  std::map<std::string, MetricFigures> metrics;
  std::map<std::string, Histogram> histograms;  // by metric
  std::map<std::string, double> prob_best;      // by metric: share of worlds where it is best
};

// A paired comparison of policies a and b on one metric; differences are a minus b.
struct PairedDifference {
  std::string a, b, metric;
  Figure mean_difference, se, ci95_low, ci95_high, share_a_better, share_b_better,
      variance_reduction;
};

struct Assumption {
  std::string group, item, value;
};

struct RunRecord {
  std::string version, command;
  std::optional<std::uint64_t> seed;
  std::optional<std::int64_t> worlds;
};

struct SummaryData {
  std::string scenario, description, period, best_policy, best_policy_with_equity, baseline;
  std::optional<std::int64_t> paths, horizon;
  std::optional<std::uint64_t> seed;
  Figure discount_rate;
  std::vector<PolicyResult> policies;
  std::vector<PairedDifference> comparisons;
  std::vector<Assumption> assumptions;
  std::optional<RunRecord> run;

  const PolicyResult* policy(const std::string& name) const;
};

// One row of periods.csv: a series of one policy in one period, across worlds.
struct PeriodBand {
  std::string policy, series;
  int period = 0;
  Figure mean, p05, p50, p95;
};

struct SweepRow {
  int point = 0;
  std::vector<double> at;  // the value of each swept variable, in SweepData::variables order
  std::string policy, metric;
  Figure mean, se, p05, p50, p95, es05, prob_negative, diff_to_best, diff_to_best_se;
};

struct SweepData {
  std::vector<std::string> variables;
  std::vector<SweepRow> rows;
  std::optional<RunRecord> run;  // from sweep.json (newer folders)
};

struct Estimate {
  Figure value, se, ci95_low, ci95_high;
};

// One run of an optimisation's search: the variables' values (in OptimizeResult::variables
// order) and the objective there, on the search's fixed worlds.
struct OptimizeTracePoint {
  std::vector<double> at;
  double objective = 0.0;
};

struct OptimizeResult {
  std::vector<std::string> variables;  // in the order optimize.json lists the optimum
  std::map<std::string, double> optimum, start;
  std::map<std::string, std::pair<double, double>> flat_range;
  Estimate objective, start_difference;
  std::string algorithm, metric, objective_kind, policy, constraint;
  std::optional<std::int64_t> evaluations, worlds;
  std::optional<std::uint64_t> seed;
  std::optional<bool> feasible;
  Figure prob_negative;
  std::vector<OptimizeTracePoint> trace;  // empty when optimize.json has none (older files)
  std::optional<RunRecord> run;           // version and reproducing command (newer files)
};

struct StressCurvePoint {
  double multiplier = 0.0;
  Figure value, se;
};

struct StressFile {
  std::string vary, metric, policy;
  Figure limit, threshold, ci95_low, ci95_high;
  bool found = false;
  std::vector<StressCurvePoint> curve;  // from stress.csv, if present
  std::optional<RunRecord> run;         // version and reproducing command (newer files)
};

struct SensitivityRow {
  std::string input, policy, versus;
  Figure rank_corr_npv, rank_corr_difference, npv_low, npv_high;
};

struct FitPoint {
  int period = 0;
  Figure observed, fitted, active;
};

struct FitTier {
  std::string tier;
  Figure churn, concentration, churn_se, concentration_se, log_likelihood;
  std::vector<FitPoint> table;
};

struct ReportData {
  std::string folder;
  std::optional<SummaryData> summary;
  std::vector<PeriodBand> periods;
  std::optional<SweepData> sweep;
  std::optional<OptimizeResult> optimize;
  std::optional<StressFile> stress;
  std::vector<SensitivityRow> sensitivity;
  std::vector<FitTier> fit;
};

// Thrown when result files are malformed; what() lists every problem, one per line.
class ReportInputError : public std::runtime_error {
 public:
  explicit ReportInputError(std::vector<Diagnostic> problems);
  const std::vector<Diagnostic>& problems() const { return problems_; }

 private:
  std::vector<Diagnostic> problems_;
};

// Reads every text present in `inputs`; throws ReportInputError listing all problems found
// (a missing or mistyped field, a malformed line), or when there is nothing to report on.
ReportData parse_report_data(const ReportInputs& inputs);

}  // namespace tenure
