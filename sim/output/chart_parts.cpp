#include "sim/output/chart_parts.hpp"

#include <algorithm>

namespace tenure::chart {

Spec frame(const std::string& text, const std::string& subtitle, int height) {
  Spec s;
  s["title"] = {{"text", text}, {"anchor", "start"}};
  if (!subtitle.empty()) s["title"]["subtitle"] = subtitle;
  s["width"] = "container";
  s["height"] = height;
  s["autosize"] = {{"type", "fit-x"}, {"contains", "padding"}};
  return s;
}

std::string format_for(const std::string& unit) {
  if (unit == "share") return ".0%";
  if (unit == "currency units" || unit == "count") return ",.0f";
  return ",.4~g";
}

Spec quantitative(const std::string& field, const std::string& axis_title,
                  const std::string& unit) {
  return {{"field", field},
          {"type", "quantitative"},
          {"title", axis_title},
          {"axis", {{"format", format_for(unit)}}},
          {"scale", {{"zero", false}}}};
}

Spec tooltip(const std::string& field, const std::string& label, const std::string& unit) {
  Spec t = {{"field", field}, {"title", label}};
  if (!unit.empty()) {
    t["type"] = "quantitative";
    t["format"] = format_for(unit);
  }
  return t;
}

Spec colour_by_policy(const PolicyColours& colours, bool legend,
                      const std::vector<std::string>& shown) {
  Spec c = {{"field", "policy"},
            {"type", "nominal"},
            {"scale", shown.empty() ? colours.scale() : colours.scale_for(shown, {})},
            {"title", "policy"}};
  // An explicit legend keeps it when layers merge legends, with symbols at full strength even
  // where the marks are translucent.
  c["legend"] = legend ? Spec{{"symbolOpacity", 1}} : Spec(nullptr);
  return c;
}

Spec colour_by_category(const std::string& field, const std::string& legend_title,
                        const std::vector<std::string>& categories) {
  Spec range = Spec::array();
  for (std::size_t i = 0; i < categories.size(); ++i)
    range.push_back(kCategoryPalette[i % std::size(kCategoryPalette)]);
  return {{"field", field},
          {"type", "nominal"},
          {"title", legend_title},
          {"scale", {{"domain", categories}, {"range", range}}}};
}

Spec dash_by_statistic(const std::vector<std::string>& statistics) {
  // The first statistic is the chart's main line and is drawn solid.
  Spec range = Spec::array();
  for (std::size_t i = 0; i < statistics.size(); ++i)
    range.push_back(i == 0                   ? Spec::array({1, 0})
                    : statistics[i] == kMean ? Spec::array({6, 3})
                                             : Spec::array({2, 2}));
  // No legend: each chart's subtitle says which line is which, and a second legend beside the
  // policies' would not fit a half-width chart.
  return {{"field", "statistic"},
          {"type", "nominal"},
          {"scale", {{"domain", statistics}, {"range", range}}},
          {"legend", nullptr}};
}

std::string axis_title(const MetricLabel& label) {
  return label.unit.empty() ? label.name : label.name + " (" + label.unit + ")";
}

std::string period_axis(const std::string& period) {
  return period.empty() ? "period" : period + " (from the start)";
}

void add_unique(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

}  // namespace tenure::chart
