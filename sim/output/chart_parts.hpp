// Pieces the Vega-Lite chart specifications of report.html share: frames, axes, tooltips,
// colours and line styles, so every chart reads the same way.
#pragma once

#include <iterator>
#include <string>
#include <vector>

#include "sim/analysis/statistics.hpp"  // kZ95
#include "sim/output/report_charts.hpp"

namespace tenure::chart {

// Colour-blind-friendly categorical colours (Tableau 10), cycled past ten policies.
inline constexpr const char* kPolicyPalette[] = {"#4c78a8", "#f58518", "#54a24b", "#e45756",
                                                 "#72b7b2", "#b279a2", "#eeca3b", "#9d755d",
                                                 "#ff9da6", "#bab0ac"};
// Regimes and tiers are not policies: they get a palette of their own (ColorBrewer Dark2).
inline constexpr const char* kCategoryPalette[] = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a",
                                                   "#66a61e", "#e6ab02", "#a6761d", "#666666"};
inline constexpr const char* kNeutral = "#9e9e9e";
inline constexpr const char* kMarker = "#333333";

inline constexpr int kChartHeight = 260;

// Names of the statistics drawn as lines, shown in the line-style legends.
inline constexpr const char* kMean = "mean";
inline constexpr const char* kMedian = "median";
inline constexpr const char* kP05 = "5th percentile";
inline constexpr const char* kTails = "5th or 95th percentile";

// The frame every chart shares: titled, as wide as its container, a fixed height.
Spec frame(const std::string& text, const std::string& subtitle, int height = kChartHeight);

// A d3 format for figures of this unit: thousands separators for amounts and counts.
std::string format_for(const std::string& unit);

// A quantitative position channel with its axis title and number format; zero not forced.
Spec quantitative(const std::string& field, const std::string& axis_title, const std::string& unit);

// A tooltip entry; `unit` empty for text fields.
Spec tooltip(const std::string& field, const std::string& label, const std::string& unit);

// Colour channel by the `policy` field, with the report's fixed policy colours; the legend lists
// the policies in `shown` (all by default).
Spec colour_by_policy(const PolicyColours& colours, bool legend = true,
                      const std::vector<std::string>& shown = {});

// Colour channel by `field` for categories that are not policies (regimes, tiers).
Spec colour_by_category(const std::string& field, const std::string& legend_title,
                        const std::vector<std::string>& categories);

// Stroke-dash channel by the `statistic` field: the first one solid (the main line), a mean
// dashed, percentiles dotted.
Spec dash_by_statistic(const std::vector<std::string>& statistics);

// "NPV (currency units)"
std::string axis_title(const MetricLabel& label);

// "month (from the start)"
std::string period_axis(const std::string& period);

// Adds `name` to `names` unless it is there already (keeps first-seen order).
void add_unique(std::vector<std::string>& names, const std::string& name);

}  // namespace tenure::chart
