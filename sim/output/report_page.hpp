// The parts report.html is assembled from: its sections (each a heading, a line on how to
// read it, HTML tables and charts), text formatting and the page's own CSS and script.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/output/report_charts.hpp"
#include "sim/output/report_data.hpp"

namespace tenure::page {

struct Chart {
  Spec spec;
  bool wide = false;  // spans the page's full width rather than one column
};

struct Section {
  Section(std::string id, std::string heading, std::string intro)
      : id(std::move(id)), heading(std::move(heading)), intro(std::move(intro)) {}
  std::string id, heading, intro;
  std::string html;  // tables and notes shown before the charts (already escaped)
  std::vector<Chart> charts;
};

// Text made safe for HTML element content and attribute values.
std::string escape(std::string_view text);

// 1234567.8 -> "1,234,568"; with `decimals`, "1,234,567.80".
std::string thousands(double x, int decimals = 0);
// 0.6345 -> "63.5%"
std::string percent(double share, int decimals = 1);
// A figure, or an en dash when undefined.
std::string amount(const Figure& f);

// Adds the chart if there is one.
void add(Section& section, std::optional<Spec> spec, bool wide = false);
// The section, or std::nullopt if it has neither charts nor tables.
std::optional<Section> unless_empty(Section section);
// A table row of cells already escaped; the first cell is the row's header.
std::string row(const std::vector<std::string>& cells, const std::string& row_class = "");
// A header row of plain-text column titles.
std::string header_row(const std::vector<std::string>& cells);

// Sections, each std::nullopt when the results hold nothing for it.
std::optional<Section> glance_section(const ReportData& data, const PolicyColours& colours);
std::optional<Section> outcomes_section(const ReportData& data, const PolicyColours& colours);
std::optional<Section> comparison_section(const ReportData& data, const PolicyColours& colours);
std::optional<Section> time_section(const ReportData& data, const PolicyColours& colours);
std::optional<Section> sweep_section(const ReportData& data, const PolicyColours& colours);
std::optional<Section> optimize_section(const ReportData& data, const PolicyColours& colours);
std::optional<Section> stress_section(const ReportData& data);
std::optional<Section> sensitivity_section(const ReportData& data);
std::optional<Section> fit_section(const ReportData& data);
std::optional<Section> assumptions_section(const ReportData& data);

// The page's CSS, and the script that draws every chart once the libraries are loaded.
std::string_view stylesheet();
std::string_view chart_runner();

}  // namespace tenure::page
