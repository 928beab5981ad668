#include "sim/output/report_charts.hpp"

#include "sim/output/chart_parts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace tenure {

using namespace chart;

PolicyColours::PolicyColours(std::vector<std::string> policies) : policies_(std::move(policies)) {
  for (std::size_t i = 0; i < policies_.size(); ++i)
    colours_.push_back(kPolicyPalette[i % std::size(kPolicyPalette)]);
}

Spec PolicyColours::scale() const {
  return scale_for(policies_, {});
}

Spec PolicyColours::scale_for(const std::vector<std::string>& policies,
                              const std::vector<std::pair<std::string, std::string>>& extra) const {
  Spec domain = Spec::array(), range = Spec::array();
  for (const std::string& policy : policies_)
    if (std::find(policies.begin(), policies.end(), policy) != policies.end()) {
      domain.push_back(policy);
      range.push_back(colour(policy));
    }
  for (const auto& [name, colour] : extra) {
    domain.push_back(name);
    range.push_back(colour);
  }
  return {{"domain", domain}, {"range", range}};
}

const std::string& PolicyColours::colour(const std::string& policy) const {
  const auto at = std::find(policies_.begin(), policies_.end(), policy);
  static const std::string neutral = kNeutral;
  return at == policies_.end() ? neutral : colours_[at - policies_.begin()];
}

PolicyColours policy_colours(const ReportData& data) {
  std::vector<std::string> names;
  auto add = [&names](const std::string& name) {
    if (!name.empty()) add_unique(names, name);
  };
  if (data.summary)
    for (const PolicyResult& p : data.summary->policies) add(p.name);
  for (const PeriodBand& b : data.periods) add(b.policy);
  if (data.sweep)
    for (const SweepRow& r : data.sweep->rows) add(r.policy);
  if (data.optimize) add(data.optimize->policy);
  for (const SensitivityRow& r : data.sensitivity) add(r.policy);
  if (data.stress) add(data.stress->policy);
  return PolicyColours(std::move(names));
}

Spec chart_theme() {
  const std::string font =
      "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif";
  return {{"font", font},
          {"background", "transparent"},
          {"title",
           {{"fontSize", 15},
            {"fontWeight", 600},
            {"subtitleFontSize", 12},
            {"subtitleColor", "#555555"},
            {"offset", 10}}},
          {"axis",
           {{"labelFontSize", 11},
            {"titleFontSize", 12},
            {"titleFontWeight", 500},
            {"gridColor", "#e6e6e6"},
            {"labelColor", "#333333"},
            {"titleColor", "#333333"},
            {"labelOverlap", "parity"}}},
          {"legend",
           {{"labelFontSize", 11},
            {"titleFontSize", 11},
            {"orient", "bottom"},
            {"direction", "horizontal"},
            {"columns", 3},
            {"labelLimit", 260}}},
          {"view", {{"stroke", nullptr}}},
          {"line", {{"strokeWidth", 2}}}};
}

MetricLabel metric_label(const std::string& metric) {
  static const std::map<std::string, MetricLabel> known = {
      {"npv", {"NPV", "currency units"}},
      {"npv_with_equity", {"NPV with equity", "currency units"}},
      {"profit", {"profit, undiscounted", "currency units"}},
      {"equity_end", {"equity of the customers left", "currency units"}},
      {"cash_trough", {"worst cumulative cash", "currency units"}},
      {"customers_end", {"customers at the end", "count"}},
      {"acquired", {"customers won", "count"}},
      {"churned", {"customers lost", "count"}},
      {"prob_negative", {"chance of a loss", "share"}},
      {"npv_p05", {"5th percentile of NPV", "currency units"}},
      {"npv_es05", {"expected shortfall of NPV (worst 5%)", "currency units"}}};
  if (const auto found = known.find(metric); found != known.end()) return found->second;
  std::string name = metric;
  std::replace(name.begin(), name.end(), '_', ' ');
  if (metric.starts_with("customers") || metric.starts_with("won_")) return {name, "count"};
  if (metric.starts_with("npv") || metric.ends_with("_spend") || metric.starts_with("commission"))
    return {name, "currency units"};
  return {name, ""};
}

std::optional<Spec> distribution_chart(const SummaryData& summary, const std::string& metric,
                                       const PolicyColours& colours) {
  Spec bins = Spec::array(), marks = Spec::array();
  for (const PolicyResult& p : summary.policies) {
    const auto h = p.histograms.find(metric);
    if (h == p.histograms.end()) continue;
    std::int64_t worlds = 0;
    for (std::int64_t c : h->second.counts) worlds += c;
    if (worlds == 0) continue;
    for (std::size_t i = 0; i < h->second.counts.size(); ++i) {
      const double low = h->second.low + static_cast<double>(i) * h->second.width;
      bins.push_back({{"policy", p.name},
                      {"low", low},
                      {"high", low + h->second.width},
                      {"worlds", h->second.counts[i]},
                      {"share", static_cast<double>(h->second.counts[i]) / worlds}});
    }
    const auto m = p.metrics.find(metric);
    if (m == p.metrics.end()) continue;
    const std::pair<const char*, Figure> rules[] = {
        {kTails, m->second.p05}, {kMean, m->second.mean}, {kTails, m->second.p95}};
    for (const auto& [statistic, value] : rules)
      if (value) marks.push_back({{"policy", p.name}, {"statistic", statistic}, {"value", *value}});
  }
  if (bins.empty()) return std::nullopt;
  const MetricLabel label = metric_label(metric);
  Spec s = frame("Distribution of " + label.name + " across worlds",
                 "Share of worlds per bin; solid line: mean; dotted: 5th and 95th percentiles");
  Spec bars = {
      {"data", {{"values", bins}}},
      {"mark", {{"type", "rect"}, {"opacity", 0.25}}},
      {"encoding",
       {{"x", quantitative("low", axis_title(label), label.unit)},
        {"x2", {{"field", "high"}}},
        {"y",
         {{"field", "share"},
          {"type", "quantitative"},
          {"stack", nullptr},
          {"title", "share of worlds (per bin)"},
          {"axis", {{"format", ".0%"}}}}},
        {"color", colour_by_policy(colours)},
        {"tooltip",
         Spec::array({tooltip("policy", "policy", ""), tooltip("low", "from", label.unit),
                      tooltip("high", "to", label.unit), tooltip("worlds", "worlds", "count")})}}}};
  Spec lines = {{"data", {{"values", marks}}},
                {"mark", {{"type", "rule"}, {"strokeWidth", 2}}},
                {"encoding",
                 {{"x", {{"field", "value"}, {"type", "quantitative"}}},
                  {"color", colour_by_policy(colours)},
                  {"strokeDash", dash_by_statistic({kMean, kTails})},
                  {"tooltip", Spec::array({tooltip("policy", "policy", ""),
                                           tooltip("statistic", "statistic", ""),
                                           tooltip("value", label.name, label.unit)})}}}};
  // Each histogram's outline in full colour, so overlapping shapes stay distinct.
  Spec outline = {{"data", {{"values", bins}}},
                  {"mark", {{"type", "line"}, {"interpolate", "step-after"}, {"strokeWidth", 1.5}}},
                  {"encoding",
                   {{"x", {{"field", "low"}, {"type", "quantitative"}}},
                    {"y", {{"field", "share"}, {"type", "quantitative"}}},
                    {"color", colour_by_policy(colours)}}}};
  s["layer"] = Spec::array({bars, outline, lines});
  return s;
}

std::string reference_policy(const SummaryData& summary, const std::string& metric) {
  if (!summary.baseline.empty()) return summary.baseline;
  if (metric == "npv_with_equity" && !summary.best_policy_with_equity.empty())
    return summary.best_policy_with_equity;
  return summary.best_policy;
}

namespace {

// The comparisons of `metric` against `reference`, turned to read "other minus reference".
struct VersusReference {
  std::string other;
  Figure difference, low, high, other_better, reference_better;
};

std::vector<VersusReference> versus_reference(const SummaryData& summary, const std::string& metric,
                                              const std::string& reference) {
  std::vector<VersusReference> out;
  auto negate = [](Figure f) { return f ? Figure(-*f) : f; };
  for (const PolicyResult& p : summary.policies)
    for (const PairedDifference& c : summary.comparisons) {
      if (c.metric != metric) continue;
      if (c.a == p.name && c.b == reference)
        out.push_back({p.name, c.mean_difference, c.ci95_low, c.ci95_high, c.share_a_better,
                       c.share_b_better});
      else if (c.b == p.name && c.a == reference)
        out.push_back({p.name, negate(c.mean_difference), negate(c.ci95_high), negate(c.ci95_low),
                       c.share_b_better, c.share_a_better});
    }
  return out;
}

}  // namespace

std::optional<Spec> difference_chart(const SummaryData& summary, const std::string& metric,
                                     const PolicyColours& colours) {
  const std::string reference = reference_policy(summary, metric);
  Spec values = Spec::array();
  for (const VersusReference& v : versus_reference(summary, metric, reference))
    if (v.difference && v.low && v.high)
      values.push_back(
          {{"policy", v.other}, {"difference", *v.difference}, {"low", *v.low}, {"high", *v.high}});
  if (values.empty()) return std::nullopt;
  const MetricLabel label = metric_label(metric);
  const int height = 60 + 36 * static_cast<int>(values.size());
  Spec s = frame(label.name + ": each policy minus " + reference,
                 "Mean difference on the same worlds, with its 95% confidence interval", height);
  s["data"] = {{"values", values}};
  const Spec y = {{"field", "policy"}, {"type", "nominal"}, {"title", nullptr}, {"sort", nullptr}};
  const std::string x_title = "difference in " + label.name + " (" + label.unit + ")";
  Spec zero = {{"data", {{"values", Spec::array({{{"zero", 0}}})}}},
               {"mark", {{"type", "rule"}, {"color", kNeutral}}},
               {"encoding", {{"x", {{"field", "zero"}, {"type", "quantitative"}}}}}};
  Spec bars = {{"mark", {{"type", "rule"}, {"strokeWidth", 3}}},
               {"encoding",
                {{"y", y},
                 {"x",
                  {{"field", "low"},
                   {"type", "quantitative"},
                   {"title", x_title},
                   {"axis", {{"format", format_for(label.unit)}}},
                   {"scale", {{"padding", 12}}}}},  // points at the ends stay whole
                 {"x2", {{"field", "high"}}},
                 {"color", colour_by_policy(colours, false)}}}};
  Spec points = {{"mark", {{"type", "point"}, {"filled", true}, {"size", 90}, {"opacity", 1}}},
                 {"encoding",
                  {{"y", y},
                   {"x", {{"field", "difference"}, {"type", "quantitative"}}},
                   {"color", colour_by_policy(colours, false)},
                   {"tooltip", Spec::array({tooltip("policy", "policy", ""),
                                            tooltip("difference", "mean difference", label.unit),
                                            tooltip("low", "95% CI from", label.unit),
                                            tooltip("high", "95% CI to", label.unit)})}}}};
  s["layer"] = Spec::array({zero, bars, points});
  return s;
}

std::optional<Spec> win_share_chart(const SummaryData& summary, const std::string& metric,
                                    const PolicyColours& colours) {
  const std::string reference = reference_policy(summary, metric);
  Spec values = Spec::array();
  std::vector<std::string> winners;
  for (const VersusReference& v : versus_reference(summary, metric, reference)) {
    if (!v.other_better || !v.reference_better) continue;
    add_unique(winners, v.other);
    add_unique(winners, reference);
    const std::string pair = v.other + " vs " + reference;
    const double tie = std::max(0.0, 1.0 - *v.other_better - *v.reference_better);
    const std::pair<std::string, double> parts[] = {
        {v.other, *v.other_better}, {"tie", tie}, {reference, *v.reference_better}};
    for (int order = 0; order < 3; ++order)
      values.push_back({{"pair", pair},
                        {"winner", parts[order].first},
                        {"share", parts[order].second},
                        {"order", order}});
  }
  if (values.empty()) return std::nullopt;
  const MetricLabel label = metric_label(metric);
  const int height = 60 + 36 * static_cast<int>(values.size() / 3);
  Spec s = frame("Who wins, world by world (" + label.name + ")",
                 "Share of worlds in which each policy does better than " + reference, height);
  s["data"] = {{"values", values}};
  s["mark"] = {{"type", "bar"}, {"height", 22}};
  s["encoding"] = {
      {"y", {{"field", "pair"}, {"type", "nominal"}, {"title", nullptr}, {"sort", nullptr}}},
      {"x",
       {{"field", "share"},
        {"type", "quantitative"},
        {"stack", "zero"},
        {"title", "share of worlds"},
        {"axis", {{"format", ".0%"}}},
        {"scale", {{"domain", Spec::array({0, 1})}}}}},
      {"order", {{"field", "order"}}},
      {"color",
       {{"field", "winner"},
        {"type", "nominal"},
        {"title", "better in the world"},
        {"scale", colours.scale_for(winners, {{"tie", "#dddddd"}})}}},
      {"tooltip", Spec::array({tooltip("pair", "comparison", ""), tooltip("winner", "better", ""),
                               tooltip("share", "share of worlds", "share")})}};
  return s;
}

std::optional<Spec> prob_best_chart(const SummaryData& summary, const PolicyColours& colours) {
  Spec values = Spec::array();
  std::vector<std::string> metrics;
  for (const PolicyResult& p : summary.policies)
    for (const auto& [metric, share] : p.prob_best) {
      const std::string name = metric_label(metric).name;
      add_unique(metrics, name);
      values.push_back({{"policy", p.name}, {"metric", name}, {"share", share}});
    }
  if (values.empty()) return std::nullopt;
  const int height = 60 + 22 * static_cast<int>(values.size());
  Spec s = frame("Chance of being the best policy",
                 "Share of worlds in which each policy has the highest figure", height);
  s["data"] = {{"values", values}};
  s["mark"] = {{"type", "bar"}};
  Spec opacity = Spec::array();
  for (std::size_t i = 0; i < metrics.size(); ++i) opacity.push_back(i == 0 ? 1.0 : 0.45);
  s["encoding"] = {
      {"y",
       {{"field", "policy"},
        {"type", "nominal"},
        {"title", nullptr},
        {"sort", colours.policies()}}},
      {"yOffset", {{"field", "metric"}, {"type", "nominal"}, {"sort", metrics}}},
      {"x",
       {{"field", "share"},
        {"type", "quantitative"},
        {"title", "share of worlds"},
        {"axis", {{"format", ".0%"}}},
        {"scale", {{"domain", Spec::array({0, 1})}}}}},
      {"color", colour_by_policy(colours, false)},
      {"opacity",
       {{"field", "metric"},
        {"type", "ordinal"},
        {"sort", metrics},
        {"title", "figure"},
        {"scale", {{"domain", metrics}, {"range", opacity}}}}},
      {"tooltip", Spec::array({tooltip("policy", "policy", ""), tooltip("metric", "figure", ""),
                               tooltip("share", "chance of being best", "share")})}};
  return s;
}

std::optional<Spec> fan_chart(const std::vector<PeriodBand>& periods, const std::string& series,
                              const SeriesLabel& label, const PolicyColours& colours) {
  Spec band = Spec::array(), lines = Spec::array();
  for (const PeriodBand& b : periods) {
    if (b.series != series) continue;
    if (b.p05 && b.p95)
      band.push_back(
          {{"policy", b.policy}, {"period", b.period}, {"p05", *b.p05}, {"p95", *b.p95}});
    if (b.p50)
      lines.push_back(
          {{"policy", b.policy}, {"period", b.period}, {"statistic", kMedian}, {"value", *b.p50}});
    if (b.mean)
      lines.push_back(
          {{"policy", b.policy}, {"period", b.period}, {"statistic", kMean}, {"value", *b.mean}});
  }
  if (band.empty() && lines.empty()) return std::nullopt;
  Spec s = frame(label.title,
                 "Shaded: 5th to 95th percentile of worlds; solid: median; dashed: "
                 "mean");
  const std::string unit =
      label.axis.find("currency") != std::string::npos ? "currency units" : "count";
  const Spec x = {{"field", "period"},
                  {"type", "quantitative"},
                  {"title", period_axis(label.period)},
                  {"axis", {{"tickMinStep", 1}, {"format", "d"}}},
                  {"scale", {{"nice", false}}}};
  Spec area = {{"data", {{"values", band}}},
               {"mark", {{"type", "area"}, {"opacity", 0.18}}},
               {"encoding",
                {{"x", x},
                 {"y", quantitative("p05", label.axis, unit)},
                 {"y2", {{"field", "p95"}}},
                 {"color", colour_by_policy(colours)}}}};
  Spec line = {{"data", {{"values", lines}}},
               {"mark", {{"type", "line"}}},
               {"encoding",
                {{"x", x},
                 {"y", {{"field", "value"}, {"type", "quantitative"}}},
                 {"color", colour_by_policy(colours)},
                 {"strokeDash", dash_by_statistic({kMedian, kMean})},
                 {"detail", {{"field", "statistic"}}},
                 {"tooltip",
                  Spec::array({tooltip("policy", "policy", ""), tooltip("period", label.period, ""),
                               tooltip("statistic", "statistic", ""),
                               tooltip("value", label.axis, unit)})}}}};
  s["layer"] = Spec::array({area, line});
  return s;
}

std::optional<Spec> regime_chart(const std::vector<PeriodBand>& periods,
                                 const std::string& period) {
  // The regime path is drawn once per world and shared by every policy, so the first policy's
  // shares stand for all.
  Spec values = Spec::array();
  std::vector<std::string> regimes;
  const std::string* first_policy = nullptr;
  for (const PeriodBand& b : periods) {
    if (!b.series.starts_with("regime_") || !b.mean) continue;
    if (first_policy == nullptr) first_policy = &b.policy;
    if (b.policy != *first_policy) continue;
    const std::string regime = b.series.substr(7);
    add_unique(regimes, regime);
    values.push_back({{"regime", regime}, {"period", b.period}, {"share", *b.mean}});
  }
  if (values.empty()) return std::nullopt;
  Spec s = frame("Share of worlds in each regime",
                 "Regimes are drawn once per world, so every policy faces the same shares");
  s["data"] = {{"values", values}};
  s["mark"] = {{"type", "area"}, {"opacity", 0.85}};
  s["encoding"] = {
      {"x",
       {{"field", "period"},
        {"type", "quantitative"},
        {"title", period_axis(period)},
        {"axis", {{"tickMinStep", 1}, {"format", "d"}}},
        {"scale", {{"nice", false}}}}},
      {"y",
       {{"field", "share"},
        {"type", "quantitative"},
        {"stack", "zero"},
        {"title", "share of worlds"},
        {"axis", {{"format", ".0%"}}}}},
      {"color", colour_by_category("regime", "regime", regimes)},
      {"tooltip", Spec::array({tooltip("regime", "regime", ""), tooltip("period", period, ""),
                               tooltip("share", "share of worlds", "share")})}};
  return s;
}

}  // namespace tenure
