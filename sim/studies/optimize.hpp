// Optimise: the values of some variables that maximise an objective of one policy's metric,
// searched by NLopt on a fixed set of worlds (one seed, so the objective is a deterministic
// function of the variables), then re-evaluated on fresh worlds to report it honestly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/analysis/statistics.hpp"
#include "sim/engine/parameters.hpp"
#include "sim/engine/runner.hpp"

namespace tenure {

// What is maximised, of the per-world values of the metric:
//   mean        their mean
//   p05         their 5th percentile
//   es05        the mean of the worst 5% (expected shortfall)
//   mean-es:L   mean - L (mean - es05): the mean, less L times how far the worst 5% fall
//               below it (L = 0: the mean; L = 1: es05)
struct Objective {
  enum class Kind { mean, p05, es05, mean_es } kind = Kind::mean;
  double lambda = 0.0;  // L of mean-es
  std::string metric = "npv";
};

// The objective as written on the command line ("mean-es:0.5"), and back; parse returns
// nullopt for text that is none.
std::optional<Objective> parse_objective(const std::string& text, const std::string& metric);
std::string objective_name(const Objective& objective);

// The objective of per-world values.
double objective_of(std::span<const double> values, const Objective& objective);

struct OptimizeRequest {
  std::vector<std::size_t> variables;  // searched within their [min, max]; start at their value
  std::size_t policy = 0;
  Objective objective;
  std::optional<double> max_prob_negative;  // constraint: the share of worlds below 0
  std::int64_t worlds = 1000;               // the fixed worlds of the search, and the fresh ones
  std::uint64_t seed = 1;                   // the search's worlds; the fresh ones use seed + 1
  Workers workers = {};
};

// An estimate from worlds: for the mean, the usual standard error; for a quantile or a
// shortfall, batch means (20 batches of consecutive worlds).
struct WorldsEstimate {
  double value = 0.0, se = 0.0, ci95_low = 0.0, ci95_high = 0.0;
};

// One run of the search's worlds: the variables' values (whole variables rounded) and the
// objective there.
struct EvaluatedPoint {
  std::vector<double> at;
  double objective = 0.0;
};

struct Optimum {
  std::vector<double> start, optimum;
  double search_value = 0.0;        // the objective at the optimum on the search's worlds
  WorldsEstimate objective;         // at the optimum, on fresh worlds
  WorldsEstimate start_difference;  // optimum minus start, paired on the same fresh worlds
  double prob_negative = 0.0;       // at the optimum, on fresh worlds
  bool feasible = true;             // the constraint holds at the optimum on the search's worlds
  // Per variable, the others held at the optimum: the range over which the objective, on the
  // search's worlds, stays within one standard error of its best value.
  std::vector<std::pair<double, double>> flat_range;
  std::string algorithm;
  int evaluations = 0;  // runs on the search's worlds: start grid, search and flat ranges
  // Those runs in the order they were made (each point once), so a report can show where the
  // search looked and how the objective varies around the optimum.
  std::vector<EvaluatedPoint> trace;
};

Optimum optimize(const Parameters& parameters, const OptimizeRequest& request,
                 const Progress& progress = {});

}  // namespace tenure
