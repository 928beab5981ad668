#include "sim/output/assumptions.hpp"

#include <fmt/format.h>

#include "sim/output/formatting.hpp"

namespace tenure {

namespace {

std::string money(double x) {
  return std::abs(x) >= 100 ? grouped(x) : fmt::format("{:.4g}", x);
}

std::string line_text(const SpendLine& line) {
  switch (line.kind) {
    case SpendLine::Kind::share:
      return percent(line.value) + " of the budget";
    case SpendLine::Kind::amount:
      return money(line.value) + " a period";
    case SpendLine::Kind::per_customer:
      return money(line.value) + " per customer";
  }
  return "";
}

std::string step_text(const PolicyStep& step) {
  std::string text =
      "acquisition " + line_text(step.acquisition) + ", retention " + line_text(step.retention);
  if (step.recovery.value > 0) text += ", recovery " + line_text(step.recovery);
  if (step.referral.value > 0) text += ", referral programme " + line_text(step.referral);
  return text;
}

void add_tiers(const Scenario& s, std::vector<AssumptionRow>& rows) {
  const std::string unit = to_string(s.period);
  for (const Tier& tier : s.tiers)
    rows.push_back(
        {"Tiers", tier.name,
         fmt::format("{} customers at the start; margin {} and cost to serve {} a {}; "
                     "churn {} a {}",
                     grouped(static_cast<double>(tier.initial_customers)), money(tier.margin),
                     money(tier.cost_to_serve), unit, percent(tier.churn), unit)});
  if (s.loyalty)
    rows.push_back({"Tiers", "loyalty",
                    fmt::format("churn falls to {} of its base, half-way after {} {}s",
                                percent(s.loyalty->floor), s.loyalty->half_life, unit)});
  if (s.heterogeneity)
    rows.push_back({"Tiers", "heterogeneity",
                    s.heterogeneity->concentration
                        ? fmt::format("churn varies within tiers (concentration {})",
                                      *s.heterogeneity->concentration)
                        : std::string("churn varies within tiers (each tier's concentration)")});
}

void add_marketing(const Scenario& s, std::vector<AssumptionRow>& rows) {
  rows.push_back({"Budget", "budget",
                  s.budget.share_of_revenue
                      ? percent(*s.budget.share_of_revenue) + " of last period's revenue"
                      : fmt::format("{} a {}{}", money(s.budget.per_period), to_string(s.period),
                                    s.budget.growth == 0.0
                                        ? ""
                                        : ", growing " + percent(s.budget.growth) + " a year")});
  if (s.fixed_costs > 0) rows.push_back({"Budget", "fixed costs", money(s.fixed_costs)});
  if (s.acquisition) {
    const AcquisitionResponse& r = s.acquisition->response;
    rows.push_back(
        {"Acquisition", "response",
         r.shape == ResponseShape::exponential
             ? fmt::format("at most {} customers a period, max * (1 - exp(-spend / {}))",
                           money(r.max_customers), money(r.scale))
             : fmt::format("at most {} customers a period, half of it at spend {} (slope {})",
                           money(r.max_customers), money(r.half_saturation), r.slope)});
  }
  if (s.retention)
    rows.push_back({"Retention", "response",
                    fmt::format("churn cut by up to {}, by about 63% of that at {} per customer",
                                percent(s.retention->max_reduction), money(s.retention->scale))});
  for (const Policy& policy : s.policies)
    for (const PolicyStep& step : policy.steps)
      rows.push_back({"Policies",
                      policy.steps.size() == 1
                          ? policy.name
                          : fmt::format("{} from period {}", policy.name, step.from_period),
                      step_text(step)});
}

void add_environment(const Scenario& s, std::vector<AssumptionRow>& rows) {
  for (const Shock& shock : s.shocks)
    rows.push_back(
        {"Shocks", shock.name.empty() ? "shock" : shock.name,
         fmt::format("periods {} to {}: budget x{}, churn x{}, acquisition x{}, margin x{}, "
                     "costs x{}",
                     shock.from_period, std::min(s.horizon, shock.from_period + shock.periods - 1),
                     shock.multipliers.budget, shock.multipliers.churn,
                     shock.multipliers.acquisition, shock.multipliers.margin,
                     shock.multipliers.costs)});
  const std::pair<bool, const char*> mechanisms[] = {
      {s.prospect_pool.has_value(), "a market of prospects"},
      {s.service.has_value(), "service failures and recovery"},
      {s.word_of_mouth.has_value(), "word of mouth"},
      {s.referrals.has_value(), "customer referrals"},
      {!s.intermediaries.empty(), "intermediaries"}};
  for (const auto& [used, name] : mechanisms)
    if (used) rows.push_back({"Mechanisms", name, "on"});
}

}  // namespace

std::vector<AssumptionRow> assumptions(const Scenario& s) {
  std::vector<AssumptionRow> rows = {
      {"Run", "horizon",
       fmt::format("{} {}{}", s.horizon, to_string(s.period), s.horizon == 1 ? "" : "s")},
      {"Run", "discount rate", percent(s.discount_rate) + " a year"}};
  add_tiers(s, rows);
  add_marketing(s, rows);
  add_environment(s, rows);
  return rows;
}

}  // namespace tenure
