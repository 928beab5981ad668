#include "sim/studies/optimize.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlopt.hpp>

#include "sim/engine/model.hpp"
#include "sim/studies/sweep.hpp"

namespace tenure {

std::optional<Objective> parse_objective(const std::string& text, const std::string& metric) {
  Objective o;
  o.metric = metric;
  if (text == "mean" || text == "p05" || text == "es05") {
    o.kind = text == "mean"  ? Objective::Kind::mean
             : text == "p05" ? Objective::Kind::p05
                             : Objective::Kind::es05;
    return o;
  }
  if (text.rfind("mean-es:", 0) != 0) return std::nullopt;
  const std::string number = text.substr(8);
  std::size_t used = 0;
  try {
    o.lambda = std::stod(number, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used != number.size() || !std::isfinite(o.lambda) || o.lambda < 0 || o.lambda > 1000)
    return std::nullopt;
  o.kind = Objective::Kind::mean_es;
  return o;
}

std::string objective_name(const Objective& o) {
  switch (o.kind) {
    case Objective::Kind::mean:
      return "mean";
    case Objective::Kind::p05:
      return "p05";
    case Objective::Kind::es05:
      return "es05";
    case Objective::Kind::mean_es:
      return fmt::format("mean-es:{:g}", o.lambda);
  }
  return "mean";
}

double objective_of(std::span<const double> values, const Objective& o) {
  const Summary s = summarize(values);
  switch (o.kind) {
    case Objective::Kind::mean:
      return s.mean;
    case Objective::Kind::p05:
      return s.quantiles[1];
    case Objective::Kind::es05:
      return s.es05;
    case Objective::Kind::mean_es:
      return s.mean - o.lambda * (s.mean - s.es05);
  }
  return s.mean;
}

namespace {

constexpr int kBatches = 20;              // batch means for the SE of a quantile or shortfall
constexpr int kGridPerVariable = 5;       // the start grid, with one or two variables
constexpr double kInitialStep = 1.0 / 8;  // of each variable's range: the first moves
constexpr double kResolution = 1e-3;      // of each variable's range: where the search stops
constexpr int kMaxSearch = 200;           // NLopt's evaluations at most
constexpr int kFlatHalvings = 8;          // each edge of a flat range to 1/256 of the range

WorldsEstimate with_interval(double value, double se) {
  return {value, se, value - kZ95 * se, value + kZ95 * se};
}

// `statistic` of a's worlds minus that of b's (b empty: of a's alone), with its standard
// error from kBatches batches of consecutive worlds.
template <class Statistic>
WorldsEstimate batch_estimate(std::span<const double> a, std::span<const double> b,
                              const Statistic& statistic) {
  auto of = [&](std::size_t first, std::size_t count) {
    return statistic(a.subspan(first, count)) -
           (b.empty() ? 0.0 : statistic(b.subspan(first, count)));
  };
  const double value = of(0, a.size());
  const std::size_t batch = a.size() / kBatches;
  if (batch < 2) return with_interval(value, std::nan(""));
  std::vector<double> batches;
  for (int k = 0; k < kBatches; ++k) batches.push_back(of(k * batch, batch));
  return with_interval(value, summarize(batches).sd / std::sqrt(double{kBatches}));
}

WorldsEstimate estimate(std::span<const double> values, const Objective& o) {
  if (o.kind == Objective::Kind::mean) {
    const Summary s = summarize(values);
    return {s.mean, s.se, s.ci95_low, s.ci95_high};
  }
  return batch_estimate(values, {}, [&](auto v) { return objective_of(v, o); });
}

WorldsEstimate difference(std::span<const double> a, std::span<const double> b,
                          const Objective& o) {
  if (o.kind == Objective::Kind::mean) {
    const PairedComparison c = compare_paired(a, b);
    return {c.mean_difference, c.se, c.ci95_low, c.ci95_high};
  }
  return batch_estimate(a, b, [&](auto v) { return objective_of(v, o); });
}

}  // namespace

namespace {

// Runs the policy at values of the variables; remembers every point of the search's worlds,
// so NLopt's objective and constraint at one point cost one run.
class Evaluator {
 public:
  // `planned`: about how many points the study will run, for the progress shown.
  Evaluator(const Parameters& parameters, const OptimizeRequest& request, Progress progress,
            std::int64_t planned)
      : parameters_(parameters),
        request_(request),
        progress_(std::move(progress)),
        planned_(planned) {}

  struct Point {
    double value = 0.0, prob_negative = 0.0;
    bool feasible = true;
  };

  // Whole variables (periods) take whole values.
  std::vector<double> snapped(std::vector<double> x) const {
    for (std::size_t v = 0; v < x.size(); ++v)
      if (parameters_.variables[request_.variables[v]].whole) x[v] = std::round(x[v]);
    return x;
  }

  std::vector<double> samples(const std::vector<double>& x, std::uint64_t seed) const {
    Parameters p = parameters_at(parameters_, request_.variables, snapped(x));
    const Policy chosen = p.policies[request_.policy];
    p.policies = {chosen};  // the worlds do not depend on which policies run
    const Model model = build_model(p);
    Simulation simulation(model, seed, request_.workers);
    simulation.run_paths(0, request_.worlds);
    const auto values = simulation.results().metric(0, request_.objective.metric);
    return {values.begin(), values.end()};
  }

  const Point& at(const std::vector<double>& x) {
    const std::vector<double> key = snapped(x);
    const auto found = points_.find(key);
    if (found != points_.end()) return found->second;
    const std::vector<double> values = samples(key, request_.seed);
    Point point{objective_of(values, request_.objective), summarize(values).prob_negative};
    point.feasible =
        !request_.max_prob_negative || point.prob_negative <= *request_.max_prob_negative;
    const auto done = static_cast<std::int64_t>(points_.size()) + 1;
    if (progress_) progress_(done, std::max(done, planned_));
    trace_.push_back({key, point.value});
    return points_.emplace(key, point).first->second;
  }

  // The best point run so far: feasible first, then by objective.
  std::vector<double> best() const {
    const auto better = [](const auto& a, const auto& b) {
      if (a.second.feasible != b.second.feasible) return b.second.feasible;
      return a.second.feasible ? a.second.value < b.second.value
                               : a.second.prob_negative > b.second.prob_negative;
    };
    return std::max_element(points_.begin(), points_.end(), better)->first;
  }

  int evaluations() const { return static_cast<int>(points_.size()); }
  const std::vector<EvaluatedPoint>& trace() const { return trace_; }

 private:
  const Parameters& parameters_;
  const OptimizeRequest& request_;
  Progress progress_;
  std::int64_t planned_;
  std::map<std::vector<double>, Point> points_;
  std::vector<EvaluatedPoint> trace_;  // points_ in the order they were run
};

struct Bounds {
  std::vector<double> low, high;
};

Bounds bounds_of(const Parameters& p, const OptimizeRequest& r) {
  Bounds b;
  for (const std::size_t v : r.variables) {
    b.low.push_back(p.variables[v].min);
    b.high.push_back(p.variables[v].max);
  }
  return b;
}

// The start and, with one or two variables, a grid of kGridPerVariable values of each: the
// search starts from the best of them, so it starts on the right hill.
void run_start_grid(Evaluator& evaluator, const Bounds& b, const std::vector<double>& start) {
  evaluator.at(start);
  if (start.size() > 2) return;
  std::vector<SweepAxis> axes;
  for (std::size_t v = 0; v < start.size(); ++v) {
    SweepAxis axis{v, {}};
    for (int k = 0; k < kGridPerVariable; ++k)
      axis.values.push_back(b.low[v] + (b.high[v] - b.low[v]) * k / (kGridPerVariable - 1));
    axes.push_back(axis);
  }
  for (const auto& point : sweep_points(axes)) evaluator.at(point);
}

double objective_for_nlopt(const std::vector<double>& x, std::vector<double>&, void* data) {
  return static_cast<Evaluator*>(data)->at(x).value;
}

struct ConstraintData {
  Evaluator* evaluator;
  double max_prob_negative;
};

double constraint_for_nlopt(const std::vector<double>& x, std::vector<double>&, void* data) {
  const auto* c = static_cast<ConstraintData*>(data);
  return c->evaluator->at(x).prob_negative - c->max_prob_negative;
}

// COBYLA (Powell's derivative-free trust-region method by linear approximations, which takes
// the chance-of-loss constraint directly). On fixed worlds the objective is deterministic but
// a fine step function of the variables (customers are counted in whole numbers), so no
// gradient exists; a first step of 1/8 of each range sees the objective's shape over the
// steps, and the search stops at 1/1000 of the range, before it could chase a single step.
void search(Evaluator& evaluator, const Bounds& b, const OptimizeRequest& request) {
  const std::size_t n = b.low.size();
  nlopt::opt opt(nlopt::LN_COBYLA, static_cast<unsigned>(n));
  opt.set_lower_bounds(b.low);
  opt.set_upper_bounds(b.high);
  opt.set_max_objective(objective_for_nlopt, &evaluator);
  ConstraintData constraint{&evaluator, request.max_prob_negative.value_or(1.0)};
  if (request.max_prob_negative)
    opt.add_inequality_constraint(constraint_for_nlopt, &constraint, 0);
  std::vector<double> step, resolution;
  for (std::size_t v = 0; v < n; ++v) {
    step.push_back(kInitialStep * (b.high[v] - b.low[v]));
    resolution.push_back(kResolution * (b.high[v] - b.low[v]));
  }
  opt.set_initial_step(step);
  opt.set_xtol_abs(resolution);
  opt.set_maxeval(kMaxSearch);
  std::vector<double> x = evaluator.best();
  double value = 0.0;
  try {
    opt.optimize(x, value);
  } catch (const nlopt::roundoff_limited&) {
    // Stopped by rounding: the best point so far stands, as for any other stop.
  }
}

// The edge of the flat range of variable v in one direction: the furthest value towards
// `bound` at which the objective is still at least `threshold`, found by halving (the
// objective is taken to fall away from the optimum along the variable).
double flat_edge(Evaluator& evaluator, std::vector<double> x, std::size_t v, double bound,
                 double threshold) {
  double inside = x[v], outside = bound;
  x[v] = bound;
  if (evaluator.at(x).value >= threshold) return bound;
  for (int h = 0; h < kFlatHalvings; ++h) {
    x[v] = (inside + outside) / 2;
    (evaluator.at(x).value >= threshold ? inside : outside) = x[v];
  }
  return inside;
}

}  // namespace

Optimum optimize(const Parameters& parameters, const OptimizeRequest& request,
                 const Progress& progress) {
  const std::size_t n = request.variables.size();
  const std::int64_t planned = 1 + (n <= 2 ? std::lround(std::pow(kGridPerVariable, n)) : 0) +
                               kMaxSearch / 4 + 2 * (kFlatHalvings + 1) * static_cast<int>(n);
  Evaluator evaluator(parameters, request, progress, planned);
  const Bounds b = bounds_of(parameters, request);
  Optimum result;
  for (const std::size_t v : request.variables)
    result.start.push_back(parameters.variables[v].value);
  run_start_grid(evaluator, b, result.start);
  search(evaluator, b, request);
  result.optimum = evaluator.snapped(evaluator.best());
  const Evaluator::Point best = evaluator.at(result.optimum);
  result.search_value = best.value;
  result.feasible = best.feasible;
  const double se = estimate(evaluator.samples(result.optimum, request.seed), request.objective).se;
  for (std::size_t v = 0; v < n; ++v)
    result.flat_range.emplace_back(
        flat_edge(evaluator, result.optimum, v, b.low[v], best.value - se),
        flat_edge(evaluator, result.optimum, v, b.high[v], best.value - se));
  result.evaluations = evaluator.evaluations();
  result.trace = evaluator.trace();
  const std::uint64_t fresh = request.seed + 1;
  const std::vector<double> at_optimum = evaluator.samples(result.optimum, fresh);
  const std::vector<double> at_start = evaluator.samples(result.start, fresh);
  result.objective = estimate(at_optimum, request.objective);
  result.start_difference = difference(at_optimum, at_start, request.objective);
  result.prob_negative = summarize(at_optimum).prob_negative;
  result.algorithm = fmt::format(
      "COBYLA (NLopt LN_COBYLA), from the best of {}; first step 1/8 and resolution 1/1000 of "
      "each range",
      n <= 2 ? fmt::format("a grid of {} values per variable and the start", kGridPerVariable)
             : std::string("the start"));
  return result;
}

}  // namespace tenure
