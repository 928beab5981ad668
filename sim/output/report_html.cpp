#include "sim/output/report_html.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "sim/output/atomic_file.hpp"
#include "sim/output/report_libraries.hpp"
#include "sim/output/report_page.hpp"

namespace tenure {

namespace page {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string thousands(double x, int decimals) {
  const std::string digits = fmt::format("{:.{}f}", std::abs(x), decimals);
  const std::size_t point = digits.find('.');
  const std::size_t whole = point == std::string::npos ? digits.size() : point;
  std::string out;
  for (std::size_t i = 0; i < whole; ++i) {
    if (i > 0 && (whole - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  out += digits.substr(whole);
  // No "-0": a figure that rounds to zero is shown without a sign.
  const bool negative = x < 0 && out.find_first_not_of("0.,") != std::string::npos;
  return negative ? "\u2212" + out : out;
}

std::string percent(double share, int decimals) {
  return fmt::format("{:.{}f}%", 100.0 * share, decimals);
}

std::string amount(const Figure& f) {
  return f ? thousands(*f) : "\u2013";
}

}  // namespace page

namespace {

using page::escape;

// The files a report reads, and where each goes in ReportInputs.
const std::pair<const char*, std::optional<std::string> ReportInputs::*> kResultFiles[] = {
    {"summary.json", &ReportInputs::summary_json},
    {"periods.csv", &ReportInputs::periods_csv},
    {"sweep.csv", &ReportInputs::sweep_csv},
    {"sweep.json", &ReportInputs::sweep_json},
    {"optimize.json", &ReportInputs::optimize_json},
    {"stress.json", &ReportInputs::stress_json},
    {"stress.csv", &ReportInputs::stress_csv},
    {"sensitivity.csv", &ReportInputs::sensitivity_csv},
    {"fit.json", &ReportInputs::fit_json}};

std::string read_bounded(const std::filesystem::path& path) {
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error)
    throw std::runtime_error(fmt::format("{}: cannot read: {}", path.string(), error.message()));
  if (size > kMaxReportInputBytes)
    throw std::runtime_error(fmt::format("{}: {} bytes, more than the {} MiB a report reads",
                                         path.string(), size, kMaxReportInputBytes >> 20));
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) throw std::runtime_error(path.string() + ": cannot read");
  return text.str();
}

// JSON for a <script type="application/json"> element: '<', '>' and '&' only occur inside
// JSON strings, where their \u escapes mean the same, and then no "</script>" can end the
// element early.
std::string script_json(const Spec& spec) {
  std::string out;
  for (char c : spec.dump()) {
    if (c == '<')
      out += "\\u003c";
    else if (c == '>')
      out += "\\u003e";
    else if (c == '&')
      out += "\\u0026";
    else
      out += c;
  }
  return out;
}

std::string header(const ReportData& data, const PolicyColours& colours) {
  const SummaryData* s = data.summary ? &*data.summary : nullptr;
  std::string out = "<header>\n<p class=\"kicker\">tenure report</p>\n<h1>" +
                    escape(s ? s->scenario : data.folder) + "</h1>\n";
  if (s && !s->description.empty())
    out += "<p class=\"description\">" + escape(s->description) + "</p>\n";
  std::vector<std::string> facts;
  if (s && s->paths)
    facts.push_back(page::thousands(static_cast<double>(*s->paths)) + " simulated worlds");
  if (s && s->horizon) facts.push_back(fmt::format("{} {}s", *s->horizon, escape(s->period)));
  if (s && s->discount_rate)
    facts.push_back("discount rate " + page::percent(*s->discount_rate) + " a year");
  if (s && s->seed) facts.push_back(fmt::format("seed {}", *s->seed));
  if (!facts.empty()) {
    out += "<p class=\"meta\">";
    for (std::size_t i = 0; i < facts.size(); ++i) out += (i ? " · " : "") + facts[i];
    out += "</p>\n";
  }
  out +=
      "<p class=\"how\">How to read: every policy is simulated on the same random worlds. "
      "Shaded bands hold 90% of the worlds (5th to 95th percentile); ± figures and error bars "
      "are 95% confidence intervals of a mean. Hover over a chart for exact figures.</p>\n";
  if (!colours.policies().empty()) {
    out += "<ul class=\"key\" aria-label=\"policy colours\">";
    for (const std::string& p : colours.policies())
      out += "<li><span class=\"swatch\" style=\"background:" + colours.colour(p) + "\"></span>" +
             escape(p) + "</li>";
    out += "</ul>\n";
  }
  return out + "</header>\n";
}

std::string navigation(const std::vector<page::Section>& sections) {
  std::string out = "<nav aria-label=\"sections\"><ul>";
  for (const page::Section& s : sections)
    out += "<li><a href=\"#" + s.id + "\">" + escape(s.heading) + "</a></li>";
  return out + "</ul></nav>\n";
}

// The sections' HTML, with one placeholder per chart and its spec in `specs`.
std::string body(const std::vector<page::Section>& sections, std::string& specs) {
  std::string out = "<main>\n";
  int chart = 0;
  for (const page::Section& s : sections) {
    out += "<section id=\"" + s.id + "\">\n<h2>" + escape(s.heading) +
           "</h2>\n<p class=\"intro\">" + escape(s.intro) + "</p>\n" + s.html;
    if (!s.charts.empty()) out += "<div class=\"charts\">\n";
    for (const page::Chart& c : s.charts) {
      ++chart;
      out += fmt::format(
          "<figure class=\"{}\"><div class=\"chart\" id=\"chart-{}\" "
          "data-spec=\"spec-{}\"></div></figure>\n",
          c.wide ? "wide" : "", chart, chart);
      specs += fmt::format("<script type=\"application/json\" id=\"spec-{}\">{}</script>\n", chart,
                           script_json(c.spec));
    }
    if (!s.charts.empty()) out += "</div>\n";
    out += "</section>\n";
  }
  return out + "</main>\n";
}

std::vector<page::Section> sections(const ReportData& data, const PolicyColours& colours) {
  std::vector<page::Section> out;
  for (auto section : {page::glance_section(data, colours), page::outcomes_section(data, colours),
                       page::comparison_section(data, colours), page::time_section(data, colours),
                       page::sweep_section(data, colours), page::optimize_section(data, colours),
                       page::stress_section(data), page::sensitivity_section(data),
                       page::fit_section(data), page::assumptions_section(data)})
    if (section) out.push_back(std::move(*section));
  return out;
}

std::string footer() {
  std::string libraries;
  for (const InlinedScript& script : report_scripts())
    if (script.name.starts_with("vega"))
      libraries += (libraries.empty() ? "" : ", ") + std::string(script.name);
  return "<footer>Rendered by tenure " TENURE_VERSION ". Charts drawn with " + escape(libraries) +
         " (BSD-3-Clause), inlined with their licences in this file: it opens offline.</footer>\n";
}

}  // namespace

std::string report_folder_name(const std::filesystem::path& folder) {
  std::filesystem::path path = std::filesystem::absolute(folder).lexically_normal();
  if (!path.has_filename()) path = path.parent_path();  // "results/baseline/"
  return path.filename().string();
}

ReportInputs read_report_inputs(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir))
    throw std::runtime_error(fmt::format("{}: no such results folder", dir.string()));
  ReportInputs inputs;
  inputs.folder = report_folder_name(dir);
  for (const auto& [name, slot] : kResultFiles)
    if (std::filesystem::exists(dir / name)) inputs.*slot = read_bounded(dir / name);
  if (!inputs.summary_json && !inputs.sweep_csv && !inputs.optimize_json && !inputs.stress_json &&
      !inputs.fit_json)
    throw std::runtime_error(fmt::format(
        "{}: no results to report on: expected summary.json (from run), sweep.csv (from sweep), "
        "optimize.json (from optimize), stress.json (from stress) or fit.json (from fit)",
        dir.string()));
  return inputs;
}

std::string render_report(const ReportInputs& inputs) {
  const ReportData data = parse_report_data(inputs);
  const PolicyColours colours = policy_colours(data);
  const std::vector<page::Section> parts = sections(data, colours);
  const std::string title = data.summary ? data.summary->scenario : data.folder;
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>" +
      escape(title) + " \u2013 tenure report</title>\n<style>\n" + std::string(page::stylesheet()) +
      "</style>\n";
  for (const InlinedScript& script : report_scripts())
    html += "<script>" + std::string(script.text) + "</script>\n";
  html += "</head>\n<body>\n" + header(data, colours) + navigation(parts);
  std::string specs;
  html += body(parts, specs) + footer() + specs;
  html += "<script type=\"application/json\" id=\"chart-theme\">" + script_json(chart_theme()) +
          "</script>\n<script>\n" + std::string(page::chart_runner()) +
          "</script>\n</body>\n</html>\n";
  return html;
}

std::filesystem::path write_report(const std::filesystem::path& dir) {
  const std::string html = render_report(read_report_inputs(dir));
  const std::filesystem::path path = dir / "report.html";
  write_file_atomically(path, html);
  return path;
}

}  // namespace tenure
