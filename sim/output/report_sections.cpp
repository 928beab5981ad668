// The sections of report.html, each built from the results it needs and left out without them.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "sim/output/chart_parts.hpp"
#include "sim/output/report_page.hpp"

namespace tenure::page {

void add(Section& section, std::optional<Spec> spec, bool wide) {
  if (spec) section.charts.push_back({std::move(*spec), wide});
}

std::optional<Section> unless_empty(Section section) {
  if (section.charts.empty() && section.html.empty()) return std::nullopt;
  return section;
}

std::string row(const std::vector<std::string>& cells, const std::string& row_class) {
  std::string out = row_class.empty() ? "<tr>" : "<tr class=\"" + row_class + "\">";
  for (std::size_t i = 0; i < cells.size(); ++i)
    out += (i == 0 ? "<th scope=\"row\">" : "<td>") + cells[i] + (i == 0 ? "</th>" : "</td>");
  return out + "</tr>\n";
}

std::string header_row(const std::vector<std::string>& cells) {
  std::string out = "<tr>";
  for (const std::string& c : cells) out += "<th scope=\"col\">" + escape(c) + "</th>";
  return out + "</tr>\n";
}

namespace {

std::string swatch(const PolicyColours& colours, const std::string& policy) {
  return "<span class=\"swatch\" style=\"background:" + colours.colour(policy) + "\"></span>" +
         escape(policy);
}

const MetricFigures* find_metric(const PolicyResult& p, const std::string& metric) {
  const auto found = p.metrics.find(metric);
  return found == p.metrics.end() ? nullptr : &found->second;
}

// "13,938,579 ± 22,292": a mean and the half-width of its 95% interval.
std::string mean_with_interval(const MetricFigures* m) {
  if (m == nullptr || !m->mean) return amount(std::nullopt);
  if (!m->ci95_low || !m->ci95_high) return thousands(*m->mean);
  return thousands(*m->mean) + " <span class=\"pm\">± " +
         thousands((*m->ci95_high - *m->ci95_low) / 2) + "</span>";
}

std::string figure_of(const MetricFigures* m, Figure MetricFigures::*field, bool share = false) {
  if (m == nullptr || !(m->*field)) return amount(std::nullopt);
  return share ? percent(*(m->*field)) : thousands(*(m->*field));
}

std::string key_figures_table(const SummaryData& s, const PolicyColours& colours) {
  const bool with_prob_best = std::any_of(s.policies.begin(), s.policies.end(),
                                          [](const auto& p) { return p.prob_best.count("npv"); });
  std::vector<std::string> head = {
      "policy",           "mean NPV ± 95% CI",    "NPV, 5th percentile", "NPV, worst 5% (mean)",
      "chance of a loss", "mean NPV with equity", "customers at the end"};
  if (with_prob_best) head.push_back("chance of being best");
  std::string out = "<div class=\"table-wrap\"><table class=\"figures\">\n<thead>" +
                    header_row(head) + "</thead>\n<tbody>\n";
  for (const PolicyResult& p : s.policies) {
    const MetricFigures* npv = find_metric(p, "npv");
    std::string name = swatch(colours, p.name);
    if (p.name == s.best_policy) name += " <span class=\"badge\">best NPV</span>";
    if (p.name == s.best_policy_with_equity && s.best_policy_with_equity != s.best_policy)
      name += " <span class=\"badge\">best with equity</span>";
    std::vector<std::string> cells = {
        name,
        mean_with_interval(npv),
        figure_of(npv, &MetricFigures::p05),
        figure_of(npv, &MetricFigures::es05),
        figure_of(npv, &MetricFigures::prob_negative, true),
        figure_of(find_metric(p, "npv_with_equity"), &MetricFigures::mean),
        figure_of(find_metric(p, "customers_end"), &MetricFigures::mean)};
    if (with_prob_best)
      cells.push_back(p.prob_best.count("npv") ? percent(p.prob_best.at("npv")) : amount({}));
    out += row(cells, p.name == s.best_policy ? "best" : "");
  }
  return out + "</tbody></table></div>\n";
}

// One sentence on the best policy and its margin over the runner-up, from the comparisons.
std::string verdict(const SummaryData& s) {
  if (s.best_policy.empty()) return {};
  std::string text =
      "<p class=\"verdict\">Highest mean NPV: <strong>" + escape(s.best_policy) + "</strong>";
  const PairedDifference* closest = nullptr;
  for (const PairedDifference& c : s.comparisons) {
    if (c.metric != "npv" || (c.a != s.best_policy && c.b != s.best_policy) || !c.mean_difference)
      continue;
    if (closest == nullptr || std::abs(*c.mean_difference) < std::abs(*closest->mean_difference))
      closest = &c;
  }
  if (closest != nullptr && closest->ci95_low && closest->ci95_high) {
    const bool best_is_a = closest->a == s.best_policy;
    const double sign = best_is_a ? 1.0 : -1.0;
    const Figure wins = best_is_a ? closest->share_a_better : closest->share_b_better;
    text += fmt::format(", ahead of {} by {} (95% CI {} to {}){}",
                        escape(best_is_a ? closest->b : closest->a),
                        thousands(sign * *closest->mean_difference),
                        thousands(best_is_a ? *closest->ci95_low : -*closest->ci95_high),
                        thousands(best_is_a ? *closest->ci95_high : -*closest->ci95_low),
                        wins ? ", better in " + percent(*wins) + " of worlds" : "");
  }
  text += ".";
  if (!s.best_policy_with_equity.empty() && s.best_policy_with_equity != s.best_policy)
    text += " Counting the value of the customers left at the end, <strong>" +
            escape(s.best_policy_with_equity) + "</strong> comes first.";
  return text + "</p>\n";
}

}  // namespace

std::optional<Section> glance_section(const ReportData& data, const PolicyColours& colours) {
  if (!data.summary || data.summary->policies.empty()) return std::nullopt;
  Section section("glance", "At a glance",
                  "Figures per policy across all simulated worlds. NPV is in the scenario's "
                  "currency, discounted; ± gives the 95% confidence interval of the mean.");
  section.html = verdict(*data.summary) + key_figures_table(*data.summary, colours);
  return section;
}

std::optional<Section> outcomes_section(const ReportData& data, const PolicyColours& colours) {
  if (!data.summary) return std::nullopt;
  Section section("outcomes", "Outcomes across worlds",
                  "How the result spreads over the simulated worlds: wide, overlapping shapes "
                  "mean the choice is a bet; separate, narrow ones mean it is not. NPV with "
                  "equity adds the value of the customers left at the end of the horizon.");
  add(section, distribution_chart(*data.summary, "npv", colours));
  add(section, distribution_chart(*data.summary, "npv_with_equity", colours));
  return unless_empty(std::move(section));
}

std::optional<Section> comparison_section(const ReportData& data, const PolicyColours& colours) {
  if (!data.summary) return std::nullopt;
  const SummaryData& s = *data.summary;
  const std::string against =
      s.baseline.empty() ? "the best policy" : "the baseline, " + s.baseline;
  Section section("comparison", "Comparing the policies",
                  "Every policy is run on the same worlds, so differences are paired: their "
                  "intervals are much narrower than those of the means. Each policy is compared "
                  "with " +
                      against + "; an interval clear of zero is a real difference.");
  for (const char* metric : {"npv", "npv_with_equity"})
    add(section, difference_chart(s, metric, colours));
  for (const char* metric : {"npv", "npv_with_equity"})
    add(section, win_share_chart(s, metric, colours));
  add(section, prob_best_chart(s, colours));
  return unless_empty(std::move(section));
}

std::optional<Section> time_section(const ReportData& data, const PolicyColours& colours) {
  if (data.periods.empty()) return std::nullopt;
  const std::string period = data.summary ? data.summary->period : "";
  Section section("time", "Over time",
                  "Fan charts: how each figure moves period by period. The band holds 90% of the "
                  "simulated worlds; a wide band means an uncertain path.");
  add(section,
      fan_chart(data.periods, "customers", {"Customers", "customers (count)", period}, colours));
  add(section,
      fan_chart(data.periods, "cash_cumulative",
                {"Cumulative cash", "cumulative cash, undiscounted (currency units)", period},
                colours));
  std::vector<std::string> tiers;
  for (const PeriodBand& b : data.periods)
    if (b.series.starts_with("customers_")) chart::add_unique(tiers, b.series.substr(10));
  for (const std::string& tier : tiers)
    add(section, fan_chart(data.periods, "customers_" + tier,
                           {"Customers in tier " + tier, "customers (count)", period}, colours));
  add(section, regime_chart(data.periods, period));
  add(section,
      fan_chart(data.periods, "reputation_damage",
                {"Reputation damage", "damage (share of acquisition lost)", period}, colours));
  add(section, fan_chart(data.periods, "prospect_pool",
                         {"Prospects left in the market", "prospects (count)", period}, colours));
  return unless_empty(std::move(section));
}

}  // namespace tenure::page
