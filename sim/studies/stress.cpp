#include "sim/studies/stress.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/analysis/statistics.hpp"
#include "sim/engine/model.hpp"

namespace tenure {

namespace {

constexpr int kBatches = 20;
constexpr int kGridPoints = 9;
constexpr int kHalvings = 12;
// The multipliers --vary can name (for_each_multiplier's keys).
std::vector<std::string> multiplier_keys() {
  std::vector<std::string> keys;
  Multipliers any;
  for_each_multiplier(any, [&](const char* key, double&) { keys.push_back(key); });
  return keys;
}

double statistic_of(std::span<const double> values, const std::string& statistic) {
  const Summary s = summarize(values);
  if (statistic == "mean") return s.mean;
  if (statistic == "sd") return s.sd;
  if (statistic == "es05") return s.es05;
  if (statistic == "es01") return s.es01;
  if (statistic == "var95") return s.var95();
  if (statistic == "var99") return s.var99();
  if (statistic == "prob_negative") return s.prob_negative;
  for (std::size_t k = 0; k < kQuantileLevels.size(); ++k)
    if (statistic == fmt::format("p{:02}", static_cast<int>(std::lround(100 * kQuantileLevels[k]))))
      return s.quantiles[k];
  return s.mean;
}

// The multiplier of a shock a key names (one of for_each_multiplier's; checked before).
double& shock_key(Shock& shock, const std::string& key) {
  double* named = &shock.multipliers.costs;
  for_each_multiplier(shock.multipliers, [&](const char* name, double& multiplier) {
    if (key == name) named = &multiplier;
  });
  return *named;
}

StressPoint evaluate(const Parameters& parameters, const StressRequest& request, double x,
                     const Progress& progress) {
  const Model model = build_model(stressed(parameters, request.vary, x));
  Simulation simulation(model, request.seed, request.workers);
  simulation.run_paths(0, request.worlds, progress);
  const FigureValue figure = figure_value(simulation.results(), request.figure);
  return {x, figure.value, figure.se};
}

}  // namespace

const std::vector<std::string>& figure_statistics() {
  static const std::vector<std::string> names = {
      "mean", "sd",  "p01", "p05",  "p10",  "p25",   "p50",   "p75",
      "p90",  "p95", "p99", "es05", "es01", "var95", "var99", "prob_negative"};
  return names;
}

FigureValue figure_value(const RunResults& r, const RunFigure& figure) {
  const auto values = r.metric(figure.policy, figure.metric);
  FigureValue out{statistic_of(values, figure.statistic), 0.0};
  const std::size_t batch = values.size() / kBatches;
  if (batch < 2) return out;
  std::vector<double> batches;
  for (int b = 0; b < kBatches; ++b)
    batches.push_back(statistic_of(values.subspan(b * batch, batch), figure.statistic));
  out.se = summarize(batches).sd / std::sqrt(static_cast<double>(kBatches));
  return out;
}

std::string vary_problem(const Parameters& parameters, const std::string& vary) {
  const std::vector<std::string> multipliers = multiplier_keys();
  std::vector<std::string> keys = multipliers;
  for (const Shock& shock : parameters.shocks)
    if (!shock.name.empty())
      for (const std::string& key : multipliers) keys.push_back(shock.name + "." + key);
  if (std::find(keys.begin(), keys.end(), vary) != keys.end()) return "";
  std::string list;
  for (const std::string& key : keys) list += (list.empty() ? "" : ", ") + key;
  return fmt::format("--vary must be one of {}; got '{}'", list, vary);
}

Parameters stressed(const Parameters& parameters, const std::string& vary, double multiplier) {
  Parameters p = parameters;
  const std::size_t dot = vary.rfind('.');
  if (dot == std::string::npos) {
    Shock all{"", 1, p.horizon, {}};  // unnamed, so the places of named shocks stay as they are
    shock_key(all, vary) = multiplier;
    p.shocks.push_back(all);
    return p;
  }
  for (Shock& shock : p.shocks)
    if (shock.name == vary.substr(0, dot)) shock_key(shock, vary.substr(dot + 1)) = multiplier;
  return p;
}

StressResult reverse_stress(const Parameters& parameters, const StressRequest& request,
                            const Progress& progress) {
  StressResult result;
  for (int i = 0; i < kGridPoints; ++i)
    result.curve.push_back(
        evaluate(parameters, request,
                 request.low + (request.high - request.low) * i / (kGridPoints - 1.0), progress));
  auto side = [&](const StressPoint& p) { return p.value >= request.limit; };
  std::size_t crossing = 0;
  while (crossing + 1 < result.curve.size() &&
         side(result.curve[crossing]) == side(result.curve[crossing + 1]))
    ++crossing;
  if (crossing + 1 == result.curve.size()) return result;
  const StressPoint grid_low = result.curve[crossing], grid_high = result.curve[crossing + 1];
  StressPoint lo = grid_low, hi = grid_high, mid = lo;
  for (int h = 0; h < kHalvings; ++h) {
    mid = evaluate(parameters, request, (lo.multiplier + hi.multiplier) / 2.0, progress);
    result.curve.push_back(mid);
    (side(mid) == side(lo) ? lo : hi) = mid;
  }
  result.found = true;
  result.threshold = (lo.multiplier + hi.multiplier) / 2.0;
  const double slope =
      (grid_high.value - grid_low.value) / (grid_high.multiplier - grid_low.multiplier);
  const double half = slope != 0.0 ? kZ95 * mid.se / std::abs(slope)
                                   : (grid_high.multiplier - grid_low.multiplier) / 2.0;
  result.ci95_low = result.threshold - half;
  result.ci95_high = result.threshold + half;
  std::sort(result.curve.begin(), result.curve.end(),
            [](const StressPoint& a, const StressPoint& b) { return a.multiplier < b.multiplier; });
  return result;
}

}  // namespace tenure
