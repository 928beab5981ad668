#include "sim/engine/variables.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

namespace tenure {

namespace {

using NumberVisit = std::function<void(const std::string&, double&)>;
using PeriodVisit = std::function<void(const std::string&, int&)>;

void visit_step(const std::string& at, const std::vector<Tier>& tiers, PolicyStep& step,
                const NumberVisit& number, const PeriodVisit& period) {
  period(at + "from", step.from_period);
  number(at + "acquisition", step.acquisition.value);
  number(at + "retention", step.retention.value);
  number(at + "recovery", step.recovery.value);
  number(at + "referral", step.referral.value);
  for (std::size_t k = 0; k < step.retention_weights.size() && k < tiers.size(); ++k)
    number(at + "retention_weights." + tiers[k].name, step.retention_weights[k]);
}

void visit_shock(const std::string& at, Shock& shock, const NumberVisit& number,
                 const PeriodVisit& period) {
  period(at + "from", shock.from_period);
  period(at + "periods", shock.periods);
  for_each_multiplier(shock.multipliers,
                      [&](const char* key, double& multiplier) { number(at + key, multiplier); });
}

// The index of the policy a place is in ("policies[3].steps..." -> 3), if it is in one.
std::optional<std::size_t> policy_of(const std::string& place) {
  if (place.rfind("policies[", 0) != 0) return std::nullopt;
  return std::stoul(place.substr(9, place.find(']') - 9));
}

}  // namespace

void for_each_lever(Parameters& p, const NumberVisit& number, const PeriodVisit& period) {
  for (std::size_t i = 0; i < p.policies.size(); ++i)
    for (std::size_t j = 0; j < p.policies[i].steps.size(); ++j)
      visit_step(fmt::format("policies[{}].steps[{}].", i, j), p.tiers, p.policies[i].steps[j],
                 number, period);
  for (std::size_t i = 0; i < p.shocks.size(); ++i)
    visit_shock(fmt::format("shocks[{}].", i), p.shocks[i], number, period);
}

void resolve_rest(PolicyStep& step) {
  SpendLine* lines[] = {&step.acquisition, &step.retention, &step.recovery, &step.referral};
  for (SpendLine* rest : lines) {
    if (!rest->rest) continue;
    double others = 0.0;
    for (const SpendLine* line : lines)
      if (line != rest && line->kind == SpendLine::Kind::share) others += line->value;
    rest->value = std::max(0.0, 1.0 - others);
  }
}

std::string variable_value_problem(const Variable& variable, double value) {
  if (!std::isfinite(value) || value < variable.min || value > variable.max)
    return fmt::format("{} must be from {} to {} (its min and max), got {}", variable.name,
                       variable.min, variable.max, value);
  if (variable.whole && value != std::floor(value))
    return fmt::format("{} sets a number of periods, so it takes whole numbers, got {}",
                       variable.name, value);
  return "";
}

void set_variable(Parameters& p, std::size_t index, double value) {
  Variable& variable = p.variables.at(index);
  variable.value = value;
  auto uses = [&](const std::string& place) {
    return std::find(variable.places.begin(), variable.places.end(), place) !=
           variable.places.end();
  };
  for_each_lever(
      p,
      [&](const std::string& place, double& number) {
        if (uses(place)) number = value;
      },
      [&](const std::string& place, int& period) {
        if (uses(place)) period = static_cast<int>(value);
      });
  for (Policy& policy : p.policies)
    for (PolicyStep& step : policy.steps) resolve_rest(step);
}

std::size_t variable_index(const Parameters& p, const std::string& name) {
  std::size_t k = 0;
  while (k < p.variables.size() && p.variables[k].name != name) ++k;
  return k;
}

std::vector<std::size_t> policies_moved_by(const Parameters& p,
                                           const std::vector<std::string>& variables) {
  std::vector<bool> moved(p.policies.size(), false);
  for (const std::string& name : variables) {
    const std::size_t k = variable_index(p, name);
    if (k == p.variables.size()) continue;
    for (const std::string& place : p.variables[k].places) {
      const auto policy = policy_of(place);
      if (!policy)
        moved.assign(p.policies.size(), true);  // a shock: every policy
      else if (*policy < moved.size())
        moved[*policy] = true;
    }
  }
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < moved.size(); ++i)
    if (moved[i]) out.push_back(i);
  return out;
}

}  // namespace tenure
