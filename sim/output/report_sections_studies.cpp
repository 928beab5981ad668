// The sections of report.html for the studies built on runs (sweep and optimum, reverse
// stress, sensitivity, fit), and the scenario's assumptions with how to reproduce the run.
#include <fmt/format.h>

#include <cctype>
#include <map>

#include "sim/output/chart_parts.hpp"
#include "sim/output/report_page.hpp"

namespace tenure::page {

namespace {

// A lever's value: up to four significant digits ("0.35", "12", "1.5e+05").
std::string lever(double x) {
  return fmt::format("{:.4g}", x);
}

std::string interval(const Figure& low, const Figure& high) {
  if (!low || !high) return {};
  return " (95% CI " + thousands(*low) + " to " + thousands(*high) + ")";
}

// The verdict: the optimum's worth on fresh worlds and its gain over the start, each with its
// 95% interval; then whether a constraint held and how it was found.
std::string optimum_summary(const OptimizeResult& o) {
  std::string text = "<p class=\"verdict\">Best for <strong>" + escape(o.policy) + "</strong> (" +
                     escape(o.objective_kind) + " of " + escape(metric_label(o.metric).name) + ")";
  if (o.objective.value)
    text += ": <strong>" + thousands(*o.objective.value) + "</strong> on fresh worlds" +
            interval(o.objective.ci95_low, o.objective.ci95_high);
  if (o.start_difference.value)
    text += "; " + thousands(*o.start_difference.value) +
            " more than at the start, paired on the same worlds" +
            interval(o.start_difference.ci95_low, o.start_difference.ci95_high);
  text += ".";
  if (!o.constraint.empty() && o.feasible)
    text += " Constraint " + escape(o.constraint) +
            (*o.feasible ? ": met" : ": <strong>not met anywhere searched</strong>") +
            (o.prob_negative ? "; chance of a loss at the optimum " + percent(*o.prob_negative)
                             : std::string()) +
            ".";
  if (o.evaluations)
    text += fmt::format(
        " Found in {} runs{} by {}.", thousands(static_cast<double>(*o.evaluations)),
        o.worlds ? " of " + thousands(static_cast<double>(*o.worlds)) + " worlds" : std::string(),
        escape(o.algorithm));
  return text + "</p>\n";
}

// Per variable: where the search started, the optimum, and the flat range around it.
std::string optimum_table(const OptimizeResult& o) {
  auto at = [](const std::map<std::string, double>& values, const std::string& name) {
    const auto found = values.find(name);
    return found == values.end() ? amount(std::nullopt) : lever(found->second);
  };
  std::string out = "<div class=\"table-wrap\"><table class=\"figures\">\n<thead>" +
                    header_row({"variable", "start", "optimum", "flat range (within one SE)"}) +
                    "</thead>\n<tbody>\n";
  for (const std::string& v : o.variables) {
    const auto flat = o.flat_range.find(v);
    const std::string range = flat == o.flat_range.end()
                                  ? amount(std::nullopt)
                                  : lever(flat->second.first) + " to " + lever(flat->second.second);
    out += row({escape(v), at(o.start, v), "<strong>" + at(o.optimum, v) + "</strong>", range});
  }
  return out + "</tbody></table></div>\n";
}

std::string stress_summary(const StressFile& s) {
  const MetricLabel label = metric_label(s.metric);
  std::string what = escape(label.name) + " of <strong>" + escape(s.policy) + "</strong>";
  what[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(what[0])));
  const std::string limit = !s.limit                ? std::string("its limit")
                            : label.unit == "share" ? percent(*s.limit, 0)
                                                    : lever(*s.limit);
  if (!s.found || !s.threshold)
    return "<p class=\"verdict\">" + what + " does not reach " + limit +
           " within the multipliers of " + escape(s.vary) + " tried.</p>\n";
  std::string text = "<p class=\"verdict\">" + what + " reaches " + limit + " when " +
                     escape(s.vary) + " is multiplied by <strong>" + lever(*s.threshold) +
                     "</strong>";
  if (s.ci95_low && s.ci95_high)
    text += " (95% CI " + lever(*s.ci95_low) + " to " + lever(*s.ci95_high) + ")";
  return text + ".</p>\n";
}

std::string with_se(const Figure& value, const Figure& se) {
  if (!value) return amount(std::nullopt);
  return fmt::format("{:.4g}", *value) + (se ? fmt::format(" ± {:.2g}", *se) : "");
}

std::string fit_table(const std::vector<FitTier>& tiers) {
  std::string out =
      "<div class=\"table-wrap\"><table class=\"figures\">\n<thead>" +
      header_row({"tier", "churn per period ± SE", "concentration ± SE", "log-likelihood"}) +
      "</thead>\n<tbody>\n";
  for (const FitTier& t : tiers)
    out += row({escape(t.tier), with_se(t.churn, t.churn_se),
                with_se(t.concentration, t.concentration_se),
                t.log_likelihood ? fmt::format("{:.2f}", *t.log_likelihood) : amount({})});
  return out + "</tbody></table></div>\n";
}

std::string assumptions_table(const std::vector<Assumption>& assumptions) {
  std::string out = "<div class=\"table-wrap\"><table class=\"assumptions\">\n<tbody>\n";
  std::string group;
  for (const Assumption& a : assumptions) {
    if (a.group != group) {
      group = a.group;
      out += "<tr class=\"group\"><th colspan=\"2\" scope=\"rowgroup\">" + escape(group) +
             "</th></tr>\n";
    }
    out += row({escape(a.item), escape(a.value)});
  }
  return out + "</tbody></table></div>\n";
}

std::string reproduction(const ReportData& data) {
  const SummaryData* s = data.summary ? &*data.summary : nullptr;
  // The run's record, or a study's own (an optimisation's, a stress search's or a sweep's).
  const RunRecord* run = s && s->run                           ? &*s->run
                         : data.optimize && data.optimize->run ? &*data.optimize->run
                         : data.stress && data.stress->run     ? &*data.stress->run
                         : data.sweep && data.sweep->run       ? &*data.sweep->run
                                                               : nullptr;
  std::vector<std::pair<std::string, std::string>> items;
  if (run && !run->version.empty()) items.push_back({"program", "tenure " + escape(run->version)});
  // Without a run's summary, an optimisation's own seed and worlds (its search's).
  const OptimizeResult* o = data.optimize ? &*data.optimize : nullptr;
  const auto seed = run && run->seed ? run->seed : s ? s->seed : o ? o->seed : std::nullopt;
  if (seed) items.push_back({"seed", std::to_string(*seed)});
  const auto worlds = run && run->worlds ? run->worlds
                      : s                ? s->paths
                      : o                ? o->worlds
                                         : std::nullopt;
  if (worlds) items.push_back({"worlds", thousands(static_cast<double>(*worlds))});
  if (run && !run->command.empty())
    items.push_back({"command", "<code>" + escape(run->command) + "</code>"});
  if (items.empty()) return {};
  std::string out = "<dl class=\"reproduce\">\n";
  for (const auto& [term, value] : items) out += "<dt>" + term + "</dt><dd>" + value + "</dd>\n";
  return out + "</dl>\n";
}

// Whether the levers move a policy's results: its mean of some metric differs between points.
// A policy they do not move would be one flat colour in a heat map.
bool moved_by_levers(const SweepData& sweep, const std::string& policy) {
  std::map<std::string, Figure> first;
  for (const SweepRow& r : sweep.rows) {
    if (r.policy != policy) continue;
    const auto [at, inserted] = first.emplace(r.metric, r.mean);
    if (!inserted && at->second != r.mean) return true;
  }
  return false;
}

}  // namespace

std::optional<Section> sweep_section(const ReportData& data, const PolicyColours& colours) {
  if (!data.sweep) return std::nullopt;
  const SweepData& sweep = *data.sweep;
  const OptimizeResult* optimize = data.optimize ? &*data.optimize : nullptr;
  Section section("sweep", "Sweep",
                  "The levers varied over a grid, every point on the same worlds, so the curves "
                  "compare points fairly. With an optimisation's results beside the sweep, the "
                  "optimum is marked and the grey span around it is its flat range: points there "
                  "are within noise of it.");
  std::vector<std::string> metrics, policies;
  for (const SweepRow& r : sweep.rows) {
    chart::add_unique(metrics, r.metric);
    chart::add_unique(policies, r.policy);
  }
  if (sweep.variables.size() == 1)
    for (const std::string& metric : metrics)
      add(section, sweep_curve_chart(sweep, metric, optimize, colours));
  else {
    // A heat map per policy the levers move (or the first, if they move none).
    std::vector<std::string> moved;
    for (const std::string& policy : policies)
      if (moved_by_levers(sweep, policy)) moved.push_back(policy);
    if (moved.empty() && !policies.empty()) moved.push_back(policies.front());
    for (const std::string& policy : moved)
      add(section,
          sweep_heatmap_chart(sweep, optimize ? optimize->metric : "npv", policy, optimize), true);
  }
  return unless_empty(std::move(section));
}

std::optional<Section> optimize_section(const ReportData& data, const PolicyColours& colours) {
  if (!data.optimize) return std::nullopt;
  const OptimizeResult& o = *data.optimize;
  Section section("optimum", "Optimum",
                  "The values of the levers that maximise the objective, searched on one fixed "
                  "set of worlds and then valued on fresh ones, so the figure is not flattered "
                  "by the worlds the search saw. Within the flat range of a lever, the objective "
                  "stays within one standard error of its best: any value there is as good as "
                  "the data can tell.");
  section.html = optimum_summary(o) + optimum_table(o);
  add(section, optimize_trace_chart(o, colours), true);
  add(section, optimize_zoom_chart(o, colours), true);
  return section;
}

std::optional<Section> stress_section(const ReportData& data) {
  if (!data.stress) return std::nullopt;
  Section section("stress", "Reverse stress",
                  "How far a condition must worsen before a risk figure crosses its limit, found "
                  "on the same worlds at every multiplier.");
  section.html = stress_summary(*data.stress);
  add(section, stress_chart(*data.stress), true);
  return section;
}

std::optional<Section> sensitivity_section(const ReportData& data) {
  if (data.sensitivity.empty()) return std::nullopt;
  Section section("sensitivity", "What drives the result",
                  "Which uncertain inputs move NPV most, and which decide the choice between "
                  "policies (those correlated with the difference).");
  std::vector<std::string> policies;
  for (const SensitivityRow& r : data.sensitivity) chart::add_unique(policies, r.policy);
  for (const std::string& policy : policies) {
    Figure mean;
    if (const PolicyResult* p = data.summary ? data.summary->policy(policy) : nullptr)
      if (const auto npv = p->metrics.find("npv"); npv != p->metrics.end()) mean = npv->second.mean;
    add(section, tornado_chart(data.sensitivity, policy, mean));
    add(section, rank_correlation_chart(data.sensitivity, policy));
  }
  return unless_empty(std::move(section));
}

std::optional<Section> fit_section(const ReportData& data) {
  if (data.fit.empty()) return std::nullopt;
  Section section("fit", "Churn fitted to cohort tables",
                  "Each tier's churn mean and concentration fitted by maximum likelihood to the "
                  "cohort survival counts (shifted-beta-geometric model, Fader and Hardie 2007). "
                  "Dots close to the lines mean the model describes the data well.");
  section.html = fit_table(data.fit);
  add(section, fit_chart(data.fit, data.summary ? data.summary->period : ""), true);
  return section;
}

std::optional<Section> assumptions_section(const ReportData& data) {
  Section section("assumptions", "Assumptions and reproduction",
                  "The scenario's key inputs, and what it takes to reproduce these results "
                  "exactly: the same program, scenario, seed and number of worlds give identical "
                  "files.");
  if (data.summary && !data.summary->assumptions.empty())
    section.html = assumptions_table(data.summary->assumptions);
  section.html += reproduction(data);
  return unless_empty(std::move(section));
}

}  // namespace tenure::page
