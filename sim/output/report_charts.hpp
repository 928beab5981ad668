// One Vega-Lite specification per chart of report.html, built as data from the results with
// the data inlined. Every chart has a title and axis titles with units; every policy has the
// same colour in every chart. A chart whose data is absent is std::nullopt, not an empty chart.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim/output/report_data.hpp"

namespace tenure {

using Spec = nlohmann::ordered_json;

// The colour of each policy, in the order the results list them.
class PolicyColours {
 public:
  explicit PolicyColours(std::vector<std::string> policies);
  // A Vega-Lite scale mapping each policy name to its colour.
  Spec scale() const;
  // A scale for the given policies only (a legend lists what the chart shows), in the report's
  // order, with extra categories (say "tie") mapped to the colours given.
  Spec scale_for(const std::vector<std::string>& policies,
                 const std::vector<std::pair<std::string, std::string>>& extra) const;
  const std::string& colour(const std::string& policy) const;
  const std::vector<std::string>& policies() const { return policies_; }

 private:
  std::vector<std::string> policies_, colours_;
};

// Every policy named in the results: summary.json's order first, then any other file's.
PolicyColours policy_colours(const ReportData& data);

// Fonts, sizes and colours shared by every chart (Vega-Lite config).
Spec chart_theme();

// What a metric is called in titles and its unit, e.g. "NPV", "currency units".
struct MetricLabel {
  std::string name, unit;
};
MetricLabel metric_label(const std::string& metric);

// Overlaid histograms of `metric` (npv or npv_with_equity), one per policy, with the 5th
// percentile, mean and 95th percentile of each drawn as rules.
std::optional<Spec> distribution_chart(const SummaryData& summary, const std::string& metric,
                                       const PolicyColours& colours);

// The policy that paired differences are taken against: the baseline if one is named, else
// the best policy on `metric`.
std::string reference_policy(const SummaryData& summary, const std::string& metric);

// Each other policy minus the reference on `metric`: mean difference with its 95% interval.
std::optional<Spec> difference_chart(const SummaryData& summary, const std::string& metric,
                                     const PolicyColours& colours);

// For each other policy against the reference: the share of worlds each does better.
std::optional<Spec> win_share_chart(const SummaryData& summary, const std::string& metric,
                                    const PolicyColours& colours);

// The chance each policy is the best one, per metric (summary's prob_best).
std::optional<Spec> prob_best_chart(const SummaryData& summary, const PolicyColours& colours);

// Text for the charts over time.
struct SeriesLabel {
  std::string title, axis;  // e.g. "Customers in tier gold", "customers (count)"
  std::string period;       // the period's name, e.g. "month"
};

// Fan chart of one series of periods.csv: 5th-95th percentile band, median and mean per policy.
std::optional<Spec> fan_chart(const std::vector<PeriodBand>& periods, const std::string& series,
                              const SeriesLabel& label, const PolicyColours& colours);

// Share of worlds in each regime over time (series regime_<name>), stacked.
std::optional<Spec> regime_chart(const std::vector<PeriodBand>& periods, const std::string& period);

// A one-variable sweep of `metric`: mean with its 95% band and the 5th percentile per policy,
// with the optimum and its flat range marked when optimize.json is about this metric.
std::optional<Spec> sweep_curve_chart(const SweepData& sweep, const std::string& metric,
                                      const OptimizeResult* optimize, const PolicyColours& colours);

// A two-variable sweep: mean of `metric` for `policy` as a heat map, optimum marked.
std::optional<Spec> sweep_heatmap_chart(const SweepData& sweep, const std::string& metric,
                                        const std::string& policy, const OptimizeResult* optimize);

// The objective at every point an optimisation ran (its trace), on the search's worlds. One
// variable: the points along its axis, the flat range shaded and the optimum and the start
// ruled. Two variables: the points in the plane coloured by how far they fall below the best run,
// the optimum a cross and its flat range a dashed outline. std::nullopt without a trace or with
// more than two variables.
std::optional<Spec> optimize_trace_chart(const OptimizeResult& optimize,
                                         const PolicyColours& colours);

// One variable: the same runs within the flat range and as far again on either side (at
// least 2% of the runs' span), where the whole trace's axis is too coarse to show how the
// objective falls away from the optimum. std::nullopt when fewer than 3 runs fall there.
std::optional<Spec> optimize_zoom_chart(const OptimizeResult& optimize,
                                        const PolicyColours& colours);

// The stress curve: the figure against the multiplier, with the limit and the threshold.
std::optional<Spec> stress_chart(const StressFile& stress);

// Tornado of one policy: mean NPV with each input held at its 10th and 90th percentile,
// largest swing first; the policy's mean NPV marked when the summary gives it.
std::optional<Spec> tornado_chart(const std::vector<SensitivityRow>& rows,
                                  const std::string& policy, Figure mean_npv);

// Rank correlation of each input with one policy's NPV and with its difference to another.
std::optional<Spec> rank_correlation_chart(const std::vector<SensitivityRow>& rows,
                                           const std::string& policy);

// Observed against fitted survival of each tier's cohorts.
std::optional<Spec> fit_chart(const std::vector<FitTier>& tiers, const std::string& period);

}  // namespace tenure
