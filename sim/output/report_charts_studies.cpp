// The charts of the studies built on runs: sweeps, optimisation, reverse stress, sensitivity
// and the fit of churn to cohort tables.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "sim/output/chart_parts.hpp"
#include "sim/output/report_charts.hpp"

namespace tenure {

using namespace chart;

namespace {

// A marker layer: one vertical rule at x = `value`, labelled at the top of the chart.
Spec labelled_rule(double value, const std::string& text, const std::string& colour) {
  const Spec datum = Spec::array({{{"x", value}, {"label", text}}});
  Spec rule = {{"mark", {{"type", "rule"}, {"color", colour}, {"strokeWidth", 1.5}}},
               {"encoding", {{"x", {{"field", "x"}, {"type", "quantitative"}}}}}};
  Spec label = {{"mark",
                 {{"type", "text"},
                  {"color", colour},
                  {"align", "left"},
                  {"dx", 4},
                  {"dy", 2},
                  {"baseline", "top"},
                  {"fontSize", 11}}},
                {"encoding",
                 {{"x", {{"field", "x"}, {"type", "quantitative"}}},
                  {"y", {{"value", 0}}},
                  {"text", {{"field", "label"}}}}}};
  return {{"data", {{"values", datum}}}, {"layer", Spec::array({rule, label})}};
}

// A shaded vertical span from `low` to `high` (a flat range, an interval).
Spec shaded_span(double low, double high, const std::string& what) {
  return {{"data", {{"values", Spec::array({{{"low", low}, {"high", high}, {"what", what}}})}}},
          {"mark", {{"type", "rect"}, {"color", kNeutral}, {"opacity", 0.15}}},
          {"encoding",
           {{"x", {{"field", "low"}, {"type", "quantitative"}}},
            {"x2", {{"field", "high"}}},
            {"tooltip", Spec::array({tooltip("what", "span", ""), tooltip("low", "from", "number"),
                                     tooltip("high", "to", "number")})}}}};
}

// The optimum and its flat range along `variable`, when optimize.json is about `metric`.
void mark_optimum(Spec& layers, const OptimizeResult* optimize, const std::string& variable,
                  const std::string& metric) {
  if (optimize == nullptr || optimize->metric != metric) return;
  if (const auto flat = optimize->flat_range.find(variable); flat != optimize->flat_range.end())
    layers.insert(layers.begin(), shaded_span(flat->second.first, flat->second.second,
                                              "flat range: within noise of the optimum"));
  if (const auto best = optimize->optimum.find(variable); best != optimize->optimum.end())
    layers.push_back(
        labelled_rule(best->second, fmt::format("optimum ({})", optimize->policy), kMarker));
}

// Cell edges for a heat map over the sorted distinct grid values: halfway between neighbours.
std::vector<double> cell_edges(const std::vector<double>& values) {
  std::vector<double> edges;
  if (values.size() == 1) return {values[0] - 0.5, values[0] + 0.5};
  edges.push_back(values[0] - (values[1] - values[0]) / 2);
  for (std::size_t i = 0; i + 1 < values.size(); ++i)
    edges.push_back((values[i] + values[i + 1]) / 2);
  edges.push_back(values.back() + (values.back() - values[values.size() - 2]) / 2);
  return edges;
}

std::vector<double> distinct_values(const SweepData& sweep, std::size_t variable) {
  std::set<double> values;
  for (const SweepRow& r : sweep.rows) values.insert(r.at[variable]);
  return {values.begin(), values.end()};
}

// The edges of the cell holding `value` among the grid `values`.
std::pair<double, double> cell_of(const std::vector<double>& values, double value) {
  const std::vector<double> edges = cell_edges(values);
  const std::size_t i = std::lower_bound(values.begin(), values.end(), value) - values.begin();
  return {edges[i], edges[i + 1]};
}

// The optimum of a two-lever optimisation as a cross, and its flat range as a dashed outline
// in `ink` (white over a heat map's colours, dark over a white plane).
void mark_optimum_cell(Spec& layers, const OptimizeResult& optimize, const std::string& vx,
                       const std::string& vy, const std::string& ink) {
  const auto fx = optimize.flat_range.find(vx), fy = optimize.flat_range.find(vy);
  if (fx != optimize.flat_range.end() && fy != optimize.flat_range.end())
    layers.push_back({{"data",
                       {{"values", Spec::array({{{"x", fx->second.first},
                                                 {"x2", fx->second.second},
                                                 {"y", fy->second.first},
                                                 {"y2", fy->second.second}}})}}},
                      {"mark",
                       {{"type", "rect"},
                        {"fillOpacity", 0},
                        {"stroke", ink},
                        {"strokeWidth", 2},
                        {"strokeDash", Spec::array({4, 3})}}},
                      {"encoding",
                       {{"x", {{"field", "x"}, {"type", "quantitative"}}},
                        {"x2", {{"field", "x2"}}},
                        {"y", {{"field", "y"}, {"type", "quantitative"}}},
                        {"y2", {{"field", "y2"}}}}}});
  const auto ox = optimize.optimum.find(vx), oy = optimize.optimum.find(vy);
  if (ox != optimize.optimum.end() && oy != optimize.optimum.end())
    layers.push_back({{"data", {{"values", Spec::array({{{"x", ox->second}, {"y", oy->second}}})}}},
                      {"mark",
                       {{"type", "point"},
                        {"shape", "cross"},
                        {"size", 160},
                        {"filled", true},
                        {"color", ink},
                        {"stroke", kMarker},
                        {"strokeWidth", 1}}},
                      {"encoding",
                       {{"x", {{"field", "x"}, {"type", "quantitative"}}},
                        {"y", {{"field", "y"}, {"type", "quantitative"}}}}}});
}

}  // namespace

std::optional<Spec> sweep_curve_chart(const SweepData& sweep, const std::string& metric,
                                      const OptimizeResult* optimize,
                                      const PolicyColours& colours) {
  Spec band = Spec::array(), lines = Spec::array();
  std::vector<std::string> shown;
  for (const SweepRow& r : sweep.rows) {
    if (r.metric != metric) continue;
    add_unique(shown, r.policy);
    const double x = r.at[0];
    if (r.mean && r.se)
      band.push_back({{"policy", r.policy},
                      {"x", x},
                      {"low", *r.mean - kZ95 * *r.se},
                      {"high", *r.mean + kZ95 * *r.se}});
    if (r.mean)
      lines.push_back({{"policy", r.policy}, {"x", x}, {"statistic", kMean}, {"value", *r.mean}});
    if (r.p05)
      lines.push_back({{"policy", r.policy}, {"x", x}, {"statistic", kP05}, {"value", *r.p05}});
  }
  if (lines.empty()) return std::nullopt;
  const MetricLabel label = metric_label(metric);
  const std::string& variable = sweep.variables[0];
  Spec s = frame(label.name + " as " + variable + " varies",
                 "Solid: mean, shaded: its 95% confidence band; dotted: 5th percentile of worlds");
  const Spec x = {
      {"field", "x"}, {"type", "quantitative"}, {"title", variable}, {"scale", {{"zero", false}}}};
  Spec area = {{"data", {{"values", band}}},
               {"mark", {{"type", "area"}, {"opacity", 0.2}}},
               {"encoding",
                {{"x", x},
                 {"y", quantitative("low", axis_title(label), label.unit)},
                 {"y2", {{"field", "high"}}},
                 {"color", colour_by_policy(colours, true, shown)}}}};
  Spec line = {
      {"data", {{"values", lines}}},
      {"mark", {{"type", "line"}, {"point", {{"size", 25}}}}},
      {"encoding",
       {{"x", x},
        {"y", {{"field", "value"}, {"type", "quantitative"}}},
        {"color", colour_by_policy(colours, true, shown)},
        {"strokeDash", dash_by_statistic({kMean, kP05})},
        {"detail", {{"field", "statistic"}}},
        {"tooltip", Spec::array({tooltip("policy", "policy", ""), tooltip("x", variable, "number"),
                                 tooltip("statistic", "statistic", ""),
                                 tooltip("value", label.name, label.unit)})}}}};
  Spec layers = Spec::array({area, line});
  mark_optimum(layers, optimize, variable, metric);
  s["layer"] = layers;
  return s;
}

std::optional<Spec> sweep_heatmap_chart(const SweepData& sweep, const std::string& metric,
                                        const std::string& policy, const OptimizeResult* optimize) {
  if (sweep.variables.size() != 2) return std::nullopt;
  const std::vector<double> xs = distinct_values(sweep, 0), ys = distinct_values(sweep, 1);
  Spec cells = Spec::array();
  for (const SweepRow& r : sweep.rows) {
    if (r.metric != metric || r.policy != policy || !r.mean) continue;
    const auto [x_low, x_high] = cell_of(xs, r.at[0]);
    const auto [y_low, y_high] = cell_of(ys, r.at[1]);
    cells.push_back({{"x", r.at[0]},
                     {"y", r.at[1]},
                     {"x_low", x_low},
                     {"x_high", x_high},
                     {"y_low", y_low},
                     {"y_high", y_high},
                     {"mean", *r.mean}});
  }
  if (cells.empty()) return std::nullopt;
  const MetricLabel label = metric_label(metric);
  const std::string &vx = sweep.variables[0], &vy = sweep.variables[1];
  Spec s = frame(
      "Mean " + label.name + " of " + policy,
      "Over " + vx + " and " + vy + "; cross: the optimum; dashed outline: its flat range", 360);
  Spec heat = {{"data", {{"values", cells}}},
               {"mark", {{"type", "rect"}}},
               {"encoding",
                {{"x",
                  {{"field", "x_low"},
                   {"type", "quantitative"},
                   {"title", vx},
                   {"scale", {{"zero", false}, {"nice", false}}}}},
                 {"x2", {{"field", "x_high"}}},
                 {"y",
                  {{"field", "y_low"},
                   {"type", "quantitative"},
                   {"title", vy},
                   {"scale", {{"zero", false}, {"nice", false}}}}},
                 {"y2", {{"field", "y_high"}}},
                 {"color",
                  {{"field", "mean"},
                   {"type", "quantitative"},
                   {"title", axis_title(label)},
                   {"scale", {{"scheme", "viridis"}}},
                   {"legend",
                    {{"format", format_for(label.unit)},
                     {"orient", "right"},
                     {"direction", "vertical"},
                     {"gradientLength", 220}}}}},
                 {"tooltip", Spec::array({tooltip("x", vx, "number"), tooltip("y", vy, "number"),
                                          tooltip("mean", "mean " + label.name, label.unit)})}}}};
  Spec layers = Spec::array({heat});
  if (optimize != nullptr && optimize->metric == metric && optimize->policy == policy)
    mark_optimum_cell(layers, *optimize, vx, vy, "white");
  s["layer"] = layers;
  return s;
}

namespace {

// A dashed vertical rule at x = `value`: where the search started.
Spec start_rule(double value) {
  return {{"data", {{"values", Spec::array({{{"x", value}, {"what", "start"}}})}}},
          {"mark",
           {{"type", "rule"},
            {"color", kNeutral},
            {"strokeDash", Spec::array({5, 4})},
            {"strokeWidth", 1.5}}},
          {"encoding",
           {{"x", {{"field", "x"}, {"type", "quantitative"}}},
            {"tooltip", Spec::array({tooltip("what", "", ""), tooltip("x", "value", "number")})}}}};
}

// The runs of the trace as chart data, those with the first variable within [low, high]:
// where (x, and y with two variables), the objective, and how far below the best run it is.
Spec trace_values(const OptimizeResult& o, double low, double high) {
  double best = -std::numeric_limits<double>::infinity();
  for (const OptimizeTracePoint& p : o.trace) best = std::max(best, p.objective);
  const std::size_t n = o.variables.size();
  Spec values = Spec::array();
  for (std::size_t i = 0; i < o.trace.size(); ++i) {
    const OptimizeTracePoint& p = o.trace[i];
    if (p.at.size() != n || p.at[0] < low || p.at[0] > high) continue;
    Spec point = {{"run", i + 1}, {"x", p.at[0]}, {"objective", p.objective}};
    if (n == 2) point["y"] = p.at[1];
    point["below_best"] = best - p.objective;
    values.push_back(std::move(point));
  }
  return values;
}

// "mean-es:0.5 of NPV (currency units)"
std::string objective_axis(const OptimizeResult& o) {
  return o.objective_kind + " of " + axis_title(metric_label(o.metric));
}

// One variable: the objective of each run against the variable, with the flat range, the
// optimum and (when within [low, high]) the start marked.
Spec trace_along_axis(Spec frame_spec, const OptimizeResult& o, double low, double high,
                      const std::string& colour) {
  const std::string& v = o.variables[0];
  const std::string unit = metric_label(o.metric).unit;
  Spec points = {
      {"data", {{"values", trace_values(o, low, high)}}},
      {"mark",
       {{"type", "point"}, {"filled", true}, {"size", 45}, {"opacity", 0.75}, {"color", colour}}},
      {"encoding",
       {{"x",
         {{"field", "x"}, {"type", "quantitative"}, {"title", v}, {"scale", {{"zero", false}}}}},
        {"y", quantitative("objective", objective_axis(o), unit)},
        {"tooltip", Spec::array({tooltip("run", "run", "count"), tooltip("x", v, "number"),
                                 tooltip("objective", o.objective_kind, unit),
                                 tooltip("below_best", "below the best run", unit)})}}}};
  Spec layers = Spec::array({points});
  if (const auto start = o.start.find(v);
      start != o.start.end() && start->second >= low && start->second <= high)
    layers.insert(layers.begin(), start_rule(start->second));
  if (const auto flat = o.flat_range.find(v); flat != o.flat_range.end())
    layers.insert(layers.begin(), shaded_span(flat->second.first, flat->second.second,
                                              "flat range: within one SE of the best"));
  if (const auto best = o.optimum.find(v); best != o.optimum.end())
    layers.push_back(labelled_rule(best->second, "optimum", kMarker));
  frame_spec["layer"] = layers;
  return frame_spec;
}

// Legend ticks for the symmetric-log shortfall scale: 0, then powers of ten from about one
// standard error up to the deepest run, one per decade (the default ticks crowd at the top).
Spec decade_ticks(const Spec& values, double se) {
  double deepest = 0.0;
  for (const Spec& v : values) deepest = std::max(deepest, v.at("below_best").get<double>());
  Spec ticks = Spec::array({0});
  for (double t = std::pow(10.0, std::floor(std::log10(se))); t <= deepest && ticks.size() < 12;
       t *= 10)
    ticks.push_back(t);
  return ticks;
}

// Two variables: each run a dot in the plane coloured by how far its objective falls below
// the best run's. The scale is symmetric-log with the objective's standard error as its
// linear part: runs far down the hill would otherwise take the whole colour range and leave
// every run near the optimum one colour; this way differences of a standard error or two
// show, and so do those of millions.
Spec trace_in_plane(Spec frame_spec, const OptimizeResult& o) {
  const std::string &vx = o.variables[0], &vy = o.variables[1];
  const std::string unit = metric_label(o.metric).unit;
  const Spec x = {
      {"field", "x"}, {"type", "quantitative"}, {"title", vx}, {"scale", {{"zero", false}}}};
  const Spec y = {
      {"field", "y"}, {"type", "quantitative"}, {"title", vy}, {"scale", {{"zero", false}}}};
  const double se = o.objective.se && *o.objective.se > 0 ? *o.objective.se : 1.0;
  const Spec values = trace_values(o, -HUGE_VAL, HUGE_VAL);
  Spec points = {
      {"data", {{"values", values}}},
      {"mark",
       {{"type", "circle"},
        {"size", 70},
        {"opacity", 0.9},
        {"stroke", "#ffffff"},
        {"strokeWidth", 0.5}}},
      {"encoding",
       {{"x", x},
        {"y", y},
        {"color",
         {{"field", "below_best"},
          {"type", "quantitative"},
          {"title", "below the best run"},
          {"scale",
           {{"type", "symlog"}, {"constant", se}, {"scheme", "viridis"}, {"reverse", true}}},
          {"legend",
           {{"format", format_for(unit)},
            {"values", decade_ticks(values, se)},
            {"orient", "right"},
            {"direction", "vertical"},
            {"gradientLength", 220}}}}},
        {"tooltip",
         Spec::array({tooltip("run", "run", "count"), tooltip("x", vx, "number"),
                      tooltip("y", vy, "number"), tooltip("objective", o.objective_kind, unit),
                      tooltip("below_best", "below the best run", unit)})}}}};
  Spec layers = Spec::array({points});
  const auto sx = o.start.find(vx), sy = o.start.find(vy);
  if (sx != o.start.end() && sy != o.start.end())
    layers.push_back({{"data", {{"values", Spec::array({{{"x", sx->second}, {"y", sy->second}}})}}},
                      {"mark",
                       {{"type", "point"},
                        {"shape", "diamond"},
                        {"size", 140},
                        {"color", kNeutral},
                        {"strokeWidth", 2}}},
                      {"encoding", {{"x", x}, {"y", y}}}});
  mark_optimum_cell(layers, o, vx, vy, kMarker);
  frame_spec["layer"] = layers;
  return frame_spec;
}

std::string trace_title(const OptimizeResult& o, const std::string& where) {
  return fmt::format("{} of {} of {} {}", o.objective_kind, metric_label(o.metric).name, o.policy,
                     where);
}

}  // namespace

std::optional<Spec> optimize_trace_chart(const OptimizeResult& o, const PolicyColours& colours) {
  const std::size_t n = o.variables.size();
  if (o.trace.empty() || n == 0 || n > 2) return std::nullopt;
  const std::string title = trace_title(o, "at each point the search ran");
  if (n == 1)
    return trace_along_axis(
        frame(title,
              "Dots: runs on the search's fixed worlds; shaded: the flat range (within one "
              "standard error of the best); dashed: the start"),
        o, -HUGE_VAL, HUGE_VAL, colours.colour(o.policy));
  return trace_in_plane(frame(title,
                              "Dots coloured by how far the objective falls below the best run "
                              "(same worlds); cross: the optimum; dashed outline: its flat range; "
                              "diamond: the start",
                              360),
                        o);
}

std::optional<Spec> optimize_zoom_chart(const OptimizeResult& o, const PolicyColours& colours) {
  if (o.trace.empty() || o.variables.size() != 1) return std::nullopt;
  const auto flat = o.flat_range.find(o.variables[0]);
  if (flat == o.flat_range.end()) return std::nullopt;
  double span_low = HUGE_VAL, span_high = -HUGE_VAL;
  for (const OptimizeTracePoint& p : o.trace) {
    span_low = std::min(span_low, p.at.at(0));
    span_high = std::max(span_high, p.at.at(0));
  }
  // The flat range and as much again on each side (at least 2% of the runs' span), so the
  // chart shows where the objective starts to fall away.
  const auto [low, high] = flat->second;
  const double margin = std::max(high - low, 0.02 * (span_high - span_low));
  if (trace_values(o, low - margin, high + margin).size() < 3) return std::nullopt;
  return trace_along_axis(
      frame(trace_title(o, "near the optimum"),
            "The runs within the flat range and as far again on either side: the objective's "
            "shape where the decision is made"),
      o, low - margin, high + margin, colours.colour(o.policy));
}

std::optional<Spec> stress_chart(const StressFile& stress) {
  Spec points = Spec::array();
  for (const StressCurvePoint& p : stress.curve) {
    if (!p.value) continue;
    Spec point = {{"multiplier", p.multiplier}, {"value", *p.value}};
    if (p.se) {
      point["low"] = *p.value - kZ95 * *p.se;
      point["high"] = *p.value + kZ95 * *p.se;
    }
    points.push_back(point);
  }
  if (points.empty()) return std::nullopt;
  const MetricLabel label = metric_label(stress.metric);
  const std::string subtitle =
      stress.found && stress.threshold
          ? fmt::format("The limit is crossed at a multiplier of {:.3g}{}", *stress.threshold,
                        stress.ci95_low && stress.ci95_high
                            ? fmt::format(" (95% CI {:.3g} to {:.3g}, shaded)", *stress.ci95_low,
                                          *stress.ci95_high)
                            : "")
          : std::string("The limit is not crossed within the multipliers tried");
  Spec s = frame("Reverse stress: " + label.name + " of " + stress.policy + " as " + stress.vary +
                     " is scaled",
                 subtitle);
  const Spec x = {{"field", "multiplier"},
                  {"type", "quantitative"},
                  {"title", "multiplier of " + stress.vary + " (x)"},
                  {"scale", {{"zero", false}}}};
  Spec band = {{"mark", {{"type", "area"}, {"opacity", 0.2}, {"color", kPolicyPalette[0]}}},
               {"encoding",
                {{"x", x},
                 {"y", quantitative("low", axis_title(label), label.unit)},
                 {"y2", {{"field", "high"}}}}}};
  Spec line = {{"mark", {{"type", "line"}, {"point", true}, {"color", kPolicyPalette[0]}}},
               {"encoding",
                {{"x", x},
                 {"y", {{"field", "value"}, {"type", "quantitative"}}},
                 {"tooltip", Spec::array({tooltip("multiplier", "multiplier", "number"),
                                          tooltip("value", label.name, label.unit)})}}}};
  Spec layers = Spec::array({band, line});
  if (stress.limit)
    layers.push_back({{"data", {{"values", Spec::array({{{"limit", *stress.limit}}})}}},
                      {"mark",
                       {{"type", "rule"},
                        {"color", "#c0392b"},
                        {"strokeDash", Spec::array({6, 3})},
                        {"strokeWidth", 1.5}}},
                      {"encoding",
                       {{"y", {{"field", "limit"}, {"type", "quantitative"}}},
                        {"tooltip", Spec::array({tooltip("limit", "limit", label.unit)})}}}});
  if (stress.found && stress.ci95_low && stress.ci95_high)
    layers.insert(layers.begin(), shaded_span(*stress.ci95_low, *stress.ci95_high,
                                              "95% confidence interval of the threshold"));
  if (stress.found && stress.threshold)
    layers.push_back(labelled_rule(*stress.threshold, "threshold", kMarker));
  s["data"] = {{"values", points}};
  s["layer"] = layers;
  return s;
}

std::optional<Spec> tornado_chart(const std::vector<SensitivityRow>& rows,
                                  const std::string& policy, Figure mean_npv) {
  std::vector<const SensitivityRow*> selected;
  for (const SensitivityRow& r : rows)
    if (r.policy == policy && r.npv_low && r.npv_high) selected.push_back(&r);
  if (selected.empty()) return std::nullopt;
  std::stable_sort(selected.begin(), selected.end(), [](const auto* a, const auto* b) {
    return std::abs(*a->npv_high - *a->npv_low) > std::abs(*b->npv_high - *b->npv_low);
  });
  const std::string low_label = "input at its 10th percentile",
                    high_label = "input at its 90th percentile";
  Spec bars = Spec::array(), ends = Spec::array(), order = Spec::array();
  for (const SensitivityRow* r : selected) {
    bars.push_back({{"input", r->input},
                    {"low", std::min(*r->npv_low, *r->npv_high)},
                    {"high", std::max(*r->npv_low, *r->npv_high)}});
    ends.push_back({{"input", r->input}, {"held", low_label}, {"npv", *r->npv_low}});
    ends.push_back({{"input", r->input}, {"held", high_label}, {"npv", *r->npv_high}});
    order.push_back(r->input);
  }
  const int height = 50 + 30 * static_cast<int>(selected.size());
  Spec s = frame("What moves the NPV of " + policy,
                 "Mean NPV with each input held at its 10th or 90th percentile" +
                     std::string(mean_npv ? "; dashed: mean NPV" : ""),
                 height);
  const Spec y = {{"field", "input"}, {"type", "nominal"}, {"title", nullptr}, {"sort", order}};
  Spec bar = {{"data", {{"values", bars}}},
              {"mark", {{"type", "bar"}, {"color", "#d5dbe3"}, {"height", 14}}},
              {"encoding",
               {{"y", y},
                {"x", quantitative("low", "mean NPV (currency units)", "currency units")},
                {"x2", {{"field", "high"}}}}}};
  Spec dots = {
      {"data", {{"values", ends}}},
      {"mark", {{"type", "point"}, {"filled", true}, {"size", 70}}},
      {"encoding",
       {{"y", y},
        {"x", {{"field", "npv"}, {"type", "quantitative"}}},
        {"color", colour_by_category("held", "mean NPV with the", {low_label, high_label})},
        {"tooltip", Spec::array({tooltip("input", "input", ""), tooltip("held", "held at", ""),
                                 tooltip("npv", "mean NPV", "currency units")})}}}};
  Spec layers = Spec::array({bar, dots});
  if (mean_npv)
    layers.push_back(
        {{"data", {{"values", Spec::array({{{"mean", *mean_npv}}})}}},
         {"mark", {{"type", "rule"}, {"color", kMarker}, {"strokeDash", Spec::array({4, 3})}}},
         {"encoding", {{"x", {{"field", "mean"}, {"type", "quantitative"}}}}}});
  s["layer"] = layers;
  return s;
}

std::optional<Spec> rank_correlation_chart(const std::vector<SensitivityRow>& rows,
                                           const std::string& policy) {
  Spec values = Spec::array();
  std::vector<std::string> measures;
  for (const SensitivityRow& r : rows) {
    if (r.policy != policy) continue;
    if (r.rank_corr_npv) {
      add_unique(measures, "with its NPV");
      values.push_back(
          {{"input", r.input}, {"measure", "with its NPV"}, {"corr", *r.rank_corr_npv}});
    }
    if (r.rank_corr_difference && !r.versus.empty()) {
      const std::string measure = "with its NPV minus " + r.versus + "'s";
      add_unique(measures, measure);
      values.push_back(
          {{"input", r.input}, {"measure", measure}, {"corr", *r.rank_corr_difference}});
    }
  }
  if (values.empty()) return std::nullopt;
  const int height = 50 + 16 * static_cast<int>(values.size());
  Spec s = frame("Which inputs drive " + policy,
                 "Spearman rank correlation of each input, across worlds", height);
  s["data"] = {{"values", values}};
  s["mark"] = {{"type", "bar"}};
  s["encoding"] = {
      {"y", {{"field", "input"}, {"type", "nominal"}, {"title", nullptr}, {"sort", nullptr}}},
      {"yOffset", {{"field", "measure"}, {"type", "nominal"}, {"sort", measures}}},
      {"x",
       {{"field", "corr"},
        {"type", "quantitative"},
        {"title", "rank correlation (-1 to 1)"},
        {"scale", {{"domain", Spec::array({-1, 1})}}}}},
      {"color", colour_by_category("measure", "rank correlation", measures)},
      {"tooltip", Spec::array({tooltip("input", "input", ""), tooltip("measure", "correlation", ""),
                               tooltip("corr", "rank correlation", "number")})}};
  return s;
}

std::optional<Spec> fit_chart(const std::vector<FitTier>& tiers, const std::string& period) {
  Spec observed = Spec::array(), fitted = Spec::array();
  std::vector<std::string> names;
  for (const FitTier& t : tiers)
    for (const FitPoint& p : t.table) {
      add_unique(names, t.tier);
      if (p.observed)
        observed.push_back({{"tier", t.tier},
                            {"period", p.period},
                            {"survival", *p.observed},
                            {"active", p.active ? Spec(*p.active) : Spec(nullptr)}});
      if (p.fitted)
        fitted.push_back({{"tier", t.tier}, {"period", p.period}, {"survival", *p.fitted}});
    }
  if (observed.empty() && fitted.empty()) return std::nullopt;
  Spec s = frame("Cohort survival: observed and fitted",
                 "Dots: share of each tier's cohort still active; lines: the fitted "
                 "shifted-beta-geometric curve");
  const Spec x = {{"field", "period"},
                  {"type", "quantitative"},
                  {"title", period_axis(period)},
                  {"axis", {{"tickMinStep", 1}, {"format", "d"}}}};
  const Spec y = {{"field", "survival"},
                  {"type", "quantitative"},
                  {"title", "share of the cohort still active"},
                  {"axis", {{"format", ".0%"}}}};
  Spec lines = {
      {"data", {{"values", fitted}}},
      {"mark", {{"type", "line"}}},
      {"encoding", {{"x", x}, {"y", y}, {"color", colour_by_category("tier", "tier", names)}}}};
  Spec dots = {
      {"data", {{"values", observed}}},
      {"mark", {{"type", "point"}, {"filled", true}, {"size", 45}}},
      {"encoding",
       {{"x", x},
        {"y", y},
        {"color", colour_by_category("tier", "tier", names)},
        {"tooltip", Spec::array({tooltip("tier", "tier", ""), tooltip("period", period, ""),
                                 tooltip("survival", "observed", "share"),
                                 tooltip("active", "still active", "count")})}}}};
  s["layer"] = Spec::array({lines, dots});
  return s;
}

}  // namespace tenure
