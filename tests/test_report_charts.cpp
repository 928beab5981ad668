// The Vega-Lite specifications of report.html: each chart carries exactly the figures it was
// given, oriented and marked as its title says; the page inlines the libraries and the specs.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "sim/analysis/statistics.hpp"
#include "sim/output/report_charts.hpp"
#include "sim/output/report_html.hpp"
#include "sim/output/report_libraries.hpp"
#include "sim/output/report_page.hpp"

namespace tenure {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path kFixtures = fs::path(TENURE_SOURCE_DIR) / "tests/fixtures/report";

const ReportData& full() {
  static const ReportData data = parse_report_data(read_report_inputs(kFixtures / "full"));
  return data;
}

// The layer of `spec` whose mark is `mark` (the first one).
const Spec& layer(const Spec& spec, const std::string& mark) {
  for (const Spec& l : spec.at("layer")) {
    const Spec& m = l.at("mark");
    if ((m.is_string() ? m : m.at("type")) == mark) return l;
  }
  throw std::runtime_error("no " + mark + " layer");
}

TEST(ReportCharts, HistogramCountsAreTheInputsAndRulesMarkTheFigures) {
  const ReportData& d = full();
  const PolicyColours colours = policy_colours(d);
  const Spec spec = *distribution_chart(*d.summary, "npv", colours);
  const Spec& bins = layer(spec, "rect").at("data").at("values");
  for (const PolicyResult& p : d.summary->policies) {
    const Histogram& h = p.histograms.at("npv");
    std::vector<std::int64_t> counts;
    double shares = 0.0;
    for (const Spec& b : bins)
      if (b.at("policy") == p.name) {
        counts.push_back(b.at("worlds").get<std::int64_t>());
        shares += b.at("share").get<double>();
        EXPECT_DOUBLE_EQ(b.at("high").get<double>() - b.at("low").get<double>(), h.width);
      }
    EXPECT_EQ(counts, h.counts) << p.name;
    EXPECT_NEAR(shares, 1.0, 1e-12);
  }
  const Spec& rules = layer(spec, "rule").at("data").at("values");
  ASSERT_EQ(rules.size(), 3 * d.summary->policies.size());
  const MetricFigures& npv = d.summary->policies[0].metrics.at("npv");
  EXPECT_EQ(rules[0].at("value"), *npv.p05);
  EXPECT_EQ(rules[1].at("value"), *npv.mean);
  EXPECT_EQ(rules[2].at("value"), *npv.p95);
  // Every policy keeps its colour: the scale lists all policies in the report's order.
  EXPECT_EQ(layer(spec, "rect").at("encoding").at("color").at("scale").at("domain"),
            Spec(colours.policies()));
  EXPECT_FALSE(distribution_chart(*d.summary, "profit", colours));  // no histogram, no chart
}

TEST(ReportCharts, DifferencesReadOtherPolicyMinusReference) {
  SummaryData s;
  s.best_policy = "b";
  for (const char* name : {"a", "b", "c"}) s.policies.emplace_back().name = name;
  // a - b = -10 (CI -12..-8), b - c = 5 (CI 4..6): against b, a reads -10 and c reads -5.
  s.comparisons = {{"a", "b", "npv", -10.0, 1.0, -12.0, -8.0, 0.2, 0.7, std::nullopt},
                   {"b", "c", "npv", 5.0, 0.5, 4.0, 6.0, 0.9, 0.1, std::nullopt}};
  const PolicyColours colours({"a", "b", "c"});
  const Spec values = difference_chart(s, "npv", colours)->at("data").at("values");
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0],
            Spec({{"policy", "a"}, {"difference", -10.0}, {"low", -12.0}, {"high", -8.0}}));
  EXPECT_EQ(values[1],
            Spec({{"policy", "c"}, {"difference", -5.0}, {"low", -6.0}, {"high", -4.0}}));
  const Spec wins = win_share_chart(s, "npv", colours)->at("data").at("values");
  ASSERT_EQ(wins.size(), 6u);  // per pair: other better, tie, reference better
  EXPECT_EQ(wins[0].at("winner"), "a");
  EXPECT_DOUBLE_EQ(wins[0].at("share").get<double>(), 0.2);
  EXPECT_NEAR(wins[1].at("share").get<double>(), 0.1, 1e-15);  // ties: 1 - 0.2 - 0.7
  EXPECT_EQ(wins[5].at("winner"), "b");
  EXPECT_DOUBLE_EQ(wins[5].at("share").get<double>(), 0.9);
  s.baseline = "c";  // a named baseline wins over the best policy
  EXPECT_EQ(reference_policy(s, "npv"), "c");
}

TEST(ReportCharts, FanChartCarriesBandsMediansAndMeans) {
  const std::vector<PeriodBand> periods = {{"p", "customers", 1, 10.0, 8.0, 9.5, 12.0},
                                           {"p", "customers", 2, 11.0, std::nullopt, 10.0, 13.0},
                                           {"p", "cash_cumulative", 1, 5.0, 1.0, 5.0, 9.0}};
  const Spec spec = *fan_chart(periods, "customers", {"Customers", "customers (count)", "month"},
                               PolicyColours({"p"}));
  const Spec& band = layer(spec, "area").at("data").at("values");
  ASSERT_EQ(band.size(), 1u);  // period 2 has no 5th percentile: no band there
  EXPECT_EQ(band[0], Spec({{"policy", "p"}, {"period", 1}, {"p05", 8.0}, {"p95", 12.0}}));
  const Spec& lines = layer(spec, "line").at("data").at("values");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].at("statistic"), "median");
  EXPECT_EQ(lines[0].at("value"), 9.5);
  EXPECT_EQ(lines[3].at("statistic"), "mean");
  EXPECT_EQ(lines[3].at("value"), 11.0);
  EXPECT_FALSE(fan_chart(periods, "prospect_pool", {"", "", ""}, PolicyColours({"p"})));
}

TEST(ReportCharts, RegimeSharesComeFromOnePolicy) {
  const Spec values = regime_chart(full().periods, "month")->at("data").at("values");
  ASSERT_EQ(values.size(), 2u * 24u);  // two regimes, 24 months, the first policy only
  for (std::size_t i = 0; i < values.size(); i += 2)
    EXPECT_NEAR(values[i].at("share").get<double>() + values[i + 1].at("share").get<double>(), 1.0,
                1e-12);
}

TEST(ReportCharts, SweepBandIsTheMeanPlusOrMinusItsInterval) {
  const ReportData& d = full();
  const Spec spec = *sweep_curve_chart(*d.sweep, "npv", &*d.optimize, policy_colours(d));
  const Spec& band = layer(spec, "area").at("data").at("values");
  const SweepRow& first = d.sweep->rows[0];
  EXPECT_DOUBLE_EQ(band[0].at("low").get<double>(), *first.mean - kZ95 * *first.se);
  EXPECT_DOUBLE_EQ(band[0].at("high").get<double>(), *first.mean + kZ95 * *first.se);
  EXPECT_EQ(band[0].at("x"), first.at[0]);
  // The flat range is shaded and the optimum ruled at their values.
  const std::string text = spec.dump();
  EXPECT_THAT(text, HasSubstr(R"j({"low":0.47,"high":0.63,)j"));
  EXPECT_THAT(text, HasSubstr(R"j({"x":0.55,"label":"optimum (balanced)"})j"));
  // Without optimize.json, or for another metric, nothing is marked.
  EXPECT_THAT(sweep_curve_chart(*d.sweep, "customers_end", &*d.optimize, policy_colours(d))->dump(),
              ::testing::Not(HasSubstr("optimum")));
}

TEST(ReportCharts, HeatMapCellsMeetHalfwayBetweenGridPoints) {
  const ReportData d = parse_report_data(read_report_inputs(kFixtures / "sweep-2d"));
  const Spec spec = *sweep_heatmap_chart(*d.sweep, "npv", "balanced", &*d.optimize);
  const Spec& cells = layer(spec, "rect").at("data").at("values");
  ASSERT_EQ(cells.size(), 20u);
  // Grid 0.2, 0.35, ...: the first cell spans 0.125..0.275; retention 5, 10, ...: 2.5..7.5.
  EXPECT_DOUBLE_EQ(cells[0].at("x_low").get<double>(), 0.125);
  EXPECT_DOUBLE_EQ(cells[0].at("x_high").get<double>(), 0.275);
  EXPECT_DOUBLE_EQ(cells[0].at("y_low").get<double>(), 2.5);
  EXPECT_DOUBLE_EQ(cells[0].at("y_high").get<double>(), 7.5);
  EXPECT_EQ(cells[0].at("mean"), *d.sweep->rows[0].mean);
  EXPECT_THAT(spec.dump(), HasSubstr(R"j({"x":0.55,"y":12.5})j"));  // the optimum's cross
  EXPECT_FALSE(sweep_heatmap_chart(*full().sweep, "npv", "balanced", nullptr));  // one variable
}

// One variable: a dot per run at (value, objective) in the order run; the flat range shaded,
// the optimum and the start ruled at their values.
TEST(ReportCharts, OptimizeTraceAlongOneVariable) {
  const ReportData d = parse_report_data(read_report_inputs(kFixtures / "optimize-1d"));
  const OptimizeResult& o = *d.optimize;
  const Spec spec = *optimize_trace_chart(o, policy_colours(d));
  const Spec& dots = layer(spec, "point").at("data").at("values");
  ASSERT_EQ(dots.size(), o.trace.size());
  for (std::size_t i = 0; i < dots.size(); ++i) {
    EXPECT_EQ(dots[i].at("run"), i + 1);
    EXPECT_EQ(dots[i].at("x"), o.trace[i].at[0]);
    EXPECT_EQ(dots[i].at("objective"), o.trace[i].objective);
  }
  const auto [low, high] = o.flat_range.at("a");
  const Spec& span = layer(spec, "rect").at("data").at("values")[0];
  EXPECT_EQ(span.at("low"), low);
  EXPECT_EQ(span.at("high"), high);
  const std::string text = spec.dump();
  EXPECT_THAT(text, HasSubstr(Spec({{"x", o.optimum.at("a")}, {"label", "optimum"}}).dump()));
  EXPECT_THAT(text, HasSubstr(Spec({{"x", o.start.at("a")}, {"what", "start"}}).dump()));
  EXPECT_EQ(layer(spec, "point").at("encoding").at("x").at("title"), "a");
  EXPECT_EQ(layer(spec, "point").at("mark").at("color"), policy_colours(d).colour(o.policy));
}

// Near the optimum: only the runs within the flat range and as far again on either side.
TEST(ReportCharts, OptimizeZoomKeepsTheRunsAroundTheFlatRange) {
  const ReportData d = parse_report_data(read_report_inputs(kFixtures / "optimize-1d"));
  const OptimizeResult& o = *d.optimize;
  const Spec spec = *optimize_zoom_chart(o, policy_colours(d));
  const auto [low, high] = o.flat_range.at("a");
  const double margin = high - low;  // wider than 2% of the runs' span from 0 to 1
  std::size_t inside = 0;
  for (const OptimizeTracePoint& p : o.trace)
    inside += p.at[0] >= low - margin && p.at[0] <= high + margin;
  const Spec& dots = layer(spec, "point").at("data").at("values");
  EXPECT_EQ(dots.size(), inside);
  EXPECT_LT(dots.size(), o.trace.size());
  for (const Spec& dot : dots) {
    EXPECT_GE(dot.at("x").get<double>(), low - margin);
    EXPECT_LE(dot.at("x").get<double>(), high + margin);
  }
  EXPECT_EQ(layer(spec, "rect").at("data").at("values")[0].at("low"), low);
  EXPECT_FALSE(optimize_zoom_chart(
      *parse_report_data(read_report_inputs(kFixtures / "optimize-2d")).optimize,
      policy_colours(d)));
}

// Two variables: a dot per run in the plane coloured by the objective, the first variable
// across; the optimum a cross, its flat range an outline. None without a trace or past two.
TEST(ReportCharts, OptimizeTraceInThePlane) {
  const ReportData d = parse_report_data(read_report_inputs(kFixtures / "optimize-2d"));
  const OptimizeResult& o = *d.optimize;
  const Spec spec = *optimize_trace_chart(o, policy_colours(d));
  const Spec& dots = layer(spec, "circle");
  ASSERT_EQ(dots.at("data").at("values").size(), o.trace.size());
  const Spec& last = dots.at("data").at("values").back();
  EXPECT_EQ(last.at("x"), o.trace.back().at[0]);
  EXPECT_EQ(last.at("y"), o.trace.back().at[1]);
  // Coloured by the shortfall from the best run, so the best run is 0.
  EXPECT_EQ(dots.at("encoding").at("color").at("field"), "below_best");
  double best = 0.0;
  for (const OptimizeTracePoint& p : o.trace) best = std::max(best, p.objective);
  EXPECT_EQ(last.at("below_best"), best - o.trace.back().objective);
  // Legend ticks: 0, then a power of ten per decade from about one standard error.
  const Spec& ticks = dots.at("encoding").at("color").at("legend").at("values");
  ASSERT_GE(ticks.size(), 3u);
  EXPECT_EQ(ticks[0], 0);
  EXPECT_EQ(ticks[1], std::pow(10.0, std::floor(std::log10(*o.objective.se))));
  EXPECT_EQ(ticks[2], 10 * ticks[1].get<double>());
  EXPECT_EQ(dots.at("encoding").at("x").at("title"), "share");
  EXPECT_EQ(dots.at("encoding").at("y").at("title"), "platinum_weight");
  EXPECT_THAT(
      spec.dump(),
      HasSubstr(
          Spec({{"x", o.optimum.at("share")}, {"y", o.optimum.at("platinum_weight")}}).dump()));
  const Spec& outline = layer(spec, "rect").at("data").at("values")[0];
  EXPECT_EQ(outline.at("x"), o.flat_range.at("share").first);
  EXPECT_EQ(outline.at("y2"), o.flat_range.at("platinum_weight").second);
  OptimizeResult three = o;
  three.variables.push_back("third");
  EXPECT_FALSE(optimize_trace_chart(three, policy_colours(d)));
  EXPECT_FALSE(optimize_trace_chart(*full().optimize, policy_colours(full())));  // no trace
}

// The optimum's section: the verdict with both intervals, a row per variable, and the chart.
TEST(ReportCharts, OptimizeSectionGivesTheOptimumItsIntervalsAndFlatRanges) {
  const std::string html = render_report(read_report_inputs(kFixtures / "optimize-1d"));
  const auto o = *parse_report_data(read_report_inputs(kFixtures / "optimize-1d")).optimize;
  const std::size_t at = html.find("<section id=\"optimum\">");
  ASSERT_NE(at, std::string::npos);
  const std::string section = html.substr(at, html.find("</section>", at) - at);
  EXPECT_THAT(section, HasSubstr("<strong>" + page::thousands(*o.objective.value) +
                                 "</strong> on fresh worlds (95% CI " +
                                 page::thousands(*o.objective.ci95_low) + " to " +
                                 page::thousands(*o.objective.ci95_high) + ")"));
  EXPECT_THAT(section, HasSubstr(page::thousands(*o.start_difference.value) +
                                 " more than at the start, paired on the same worlds (95% CI"));
  EXPECT_THAT(section, HasSubstr(fmt::format("Found in {} runs of {} worlds by", *o.evaluations,
                                             page::thousands(static_cast<double>(*o.worlds)))));
  EXPECT_THAT(
      section,
      HasSubstr(fmt::format(
          "<th scope=\"row\">a</th><td>{:.4g}</td><td><strong>{:.4g}</strong></td><td>{:.4g} to "
          "{:.4g}</td>",
          o.start.at("a"), o.optimum.at("a"), o.flat_range.at("a").first,
          o.flat_range.at("a").second)));
  EXPECT_THAT(section, HasSubstr("id=\"chart-1\""));
  EXPECT_THAT(html, HasSubstr(fmt::format("<dt>seed</dt><dd>{}</dd>", *o.seed)));
}

TEST(ReportCharts, StressMarksLimitThresholdAndItsInterval) {
  const StressFile& s = *full().stress;
  const Spec spec = *stress_chart(s);
  ASSERT_EQ(spec.at("data").at("values").size(), s.curve.size());
  EXPECT_EQ(spec.at("data").at("values")[3].at("value"), *s.curve[3].value);
  const std::string text = spec.dump();
  EXPECT_THAT(text, HasSubstr(R"j({"limit":0.1})j"));
  EXPECT_THAT(text, HasSubstr(R"j({"x":1.62,"label":"threshold"})j"));
  EXPECT_THAT(text, HasSubstr(R"j({"low":1.55,"high":1.7,)j"));
}

TEST(ReportCharts, TornadoPutsTheWidestSwingFirst) {
  const std::vector<SensitivityRow> rows = {{"small", "p", "", 0.1, std::nullopt, 99.0, 101.0},
                                            {"large", "p", "", 0.5, std::nullopt, 120.0, 80.0},
                                            {"other policy", "q", "", 0.5, std::nullopt, 0.0, 1e9}};
  const Spec spec = *tornado_chart(rows, "p", 100.0);
  EXPECT_EQ(layer(spec, "bar").at("encoding").at("y").at("sort"), Spec({"large", "small"}));
  const Spec& bars = layer(spec, "bar").at("data").at("values");
  EXPECT_EQ(bars[0], Spec({{"input", "large"}, {"low", 80.0}, {"high", 120.0}}));
  const Spec& ends = layer(spec, "point").at("data").at("values");
  EXPECT_EQ(ends[0].at("npv"), 120.0);  // input at its 10th percentile
  EXPECT_EQ(ends[1].at("npv"), 80.0);   // at its 90th
  EXPECT_EQ(layer(spec, "rule").at("data").at("values")[0].at("mean"), 100.0);
  // The best policy has no difference to correlate with.
  const Spec corr = rank_correlation_chart(rows, "p")->at("data").at("values");
  EXPECT_EQ(corr.size(), 2u);
}

TEST(ReportCharts, FitShowsObservedAndFittedSurvival) {
  const std::vector<FitTier>& tiers = full().fit;
  const Spec spec = *fit_chart(tiers, "month");
  const Spec& observed = layer(spec, "point").at("data").at("values");
  const Spec& fitted = layer(spec, "line").at("data").at("values");
  ASSERT_EQ(observed.size(), tiers[0].table.size() + tiers[1].table.size());
  EXPECT_EQ(observed[4].at("survival"), *tiers[0].table[4].observed);
  EXPECT_EQ(fitted[4].at("survival"), *tiers[0].table[4].fitted);
  EXPECT_EQ(observed[4].at("active"), *tiers[0].table[4].active);
}

TEST(ReportPage, InlinesTheLibrariesWithTheirLicences) {
  const auto scripts = report_scripts();
  ASSERT_EQ(scripts.size(), 4u);
  EXPECT_THAT(std::string(scripts[0].text), HasSubstr("d3-array"));
  for (std::size_t i = 1; i < scripts.size(); ++i) {
    EXPECT_TRUE(scripts[i].text.starts_with("/*!\n" + std::string(scripts[i].name)));
    EXPECT_THAT(std::string(scripts[i].text), HasSubstr("Redistribution and use in source"));
    EXPECT_GT(scripts[i].text.size(), 50'000u);
    EXPECT_EQ(scripts[i].text.find("</script"), std::string_view::npos);
  }
  EXPECT_TRUE(scripts[1].name.starts_with("vega "));
  EXPECT_TRUE(scripts[3].name.starts_with("vega-embed "));
}

TEST(ReportPage, EverySpecIsValidJsonAndNothingIsLoadedFromOutside) {
  const std::string html = render_report(read_report_inputs(kFixtures / "full"));
  const std::string opening = "<script type=\"application/json\" id=\"spec-";
  int specs = 0;
  for (std::size_t at = html.find(opening); at != std::string::npos; at = html.find(opening, at)) {
    const std::size_t id_end = html.find('"', at + opening.size());
    const std::string id = "spec-" + html.substr(at + opening.size(), id_end - at - opening.size());
    const std::size_t end = html.find("</script>", id_end);
    const Spec spec = Spec::parse(html.substr(id_end + 2, end - id_end - 2));
    EXPECT_TRUE(spec.contains("title")) << id;
    EXPECT_NE(html.find("data-spec=\"" + id + "\""), std::string::npos) << id;
    at = end;
    ++specs;
  }
  EXPECT_GE(specs, 20);
  // The policy name with quotes is escaped in HTML and in the JSON (no raw '<' anywhere).
  EXPECT_THAT(html, HasSubstr("cut &quot;deep&quot;, then grow"));
  EXPECT_THAT(html, HasSubstr("normal / recession &lt;Markov&gt;"));
  // Outside the inlined scripts, the page refers to nothing: no link, source or CSS url().
  std::string markup;
  for (std::size_t at = 0; at < html.size();) {
    const std::size_t script = std::min(html.find("<script", at), html.size());
    markup += html.substr(at, script - at);
    const std::size_t end = html.find("</script>", script);
    at = end == std::string::npos ? html.size() : end + 9;
  }
  EXPECT_LT(markup.size(), 100'000u);  // the libraries were all inside script elements
  for (const char* reference : {"<link", "src=", "<img", "url(", "@import", "<iframe"})
    EXPECT_EQ(markup.find(reference), std::string::npos) << reference;
  for (const char* id : {"glance", "outcomes", "comparison", "time", "sweep", "stress",
                         "sensitivity", "fit", "assumptions"})
    EXPECT_THAT(html, HasSubstr(std::string("<section id=\"") + id + "\">"));
}

TEST(ReportPage, SectionsWithoutDataAreLeftOut) {
  const std::string html = render_report(read_report_inputs(kFixtures / "stress-only"));
  EXPECT_THAT(html, HasSubstr("<section id=\"stress\">"));
  for (const char* id : {"glance", "outcomes", "time", "sweep", "fit", "assumptions"})
    EXPECT_THAT(html, ::testing::Not(HasSubstr(std::string("<section id=\"") + id + "\">")));
  EXPECT_THAT(html, HasSubstr("<h1>stress-only</h1>"));  // no summary: the folder names it
}

}  // namespace
}  // namespace tenure

namespace tenure::page {
namespace {

TEST(ReportText, NumbersHaveThousandsSeparatorsAndATrueMinus) {
  EXPECT_EQ(thousands(13938578.9999), "13,938,579");
  EXPECT_EQ(thousands(999.5), "1,000");
  EXPECT_EQ(thousands(-52279.97), "\u221252,280");
  EXPECT_EQ(thousands(-0.4), "0");  // no "-0"
  EXPECT_EQ(thousands(1234.5678, 2), "1,234.57");
  EXPECT_EQ(percent(0.635), "63.5%");
  EXPECT_EQ(amount(std::nullopt), "\u2013");
  EXPECT_EQ(escape("<a href='x'>\"&\""), "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;");
}

}  // namespace
}  // namespace tenure::page
