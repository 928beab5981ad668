#include "sim/engine/places.hpp"

namespace tenure {

namespace {

using Visit = std::function<void(const std::string&, double&)>;

void visit_tiers(std::vector<Tier>& tiers, const Visit& visit) {
  for (Tier& tier : tiers) {
    const std::string at = "tiers." + tier.name + ".";
    visit(at + "margin", tier.margin);
    visit(at + "cost_to_serve", tier.cost_to_serve);
    visit(at + "churn", tier.churn);
    visit(at + "margin_growth", tier.margin_growth);
    if (tier.concentration) visit(at + "concentration", *tier.concentration);
    for (Move& move : tier.moves) visit(at + "moves." + tiers[move.to_tier].name, move.probability);
  }
}

// A value per tier, named by the tier.
void visit_per_tier(const std::string& at, const std::vector<Tier>& tiers,
                    std::vector<double>& values, const Visit& visit) {
  for (std::size_t i = 0; i < values.size() && i < tiers.size(); ++i)
    visit(at + "." + tiers[i].name, values[i]);
}

void visit_market(Parameters& p, const Visit& visit) {
  if (p.budget.share_of_revenue)
    visit("budget.share_of_revenue", *p.budget.share_of_revenue);
  else {
    visit("budget.per_period", p.budget.per_period);
    visit("budget.growth", p.budget.growth);
  }
  if (p.budget.floor) visit("budget.floor", *p.budget.floor);
  if (p.budget.cap) visit("budget.cap", *p.budget.cap);
  if (p.budget.cut) {
    visit("budget.cut.cash_below", p.budget.cut->cash_below);
    visit("budget.cut.multiplier", p.budget.cut->multiplier);
  }
  visit("fixed_costs", p.fixed_costs);
  visit("discount_rate", p.discount_rate);
  if (p.loyalty) {
    visit("loyalty.floor", p.loyalty->floor);
    visit("loyalty.half_life", p.loyalty->half_life);
  }
  if (p.acquisition) {
    AcquisitionResponse& r = p.acquisition->response;
    visit("acquisition.response.max_customers", r.max_customers);
    if (r.shape == ResponseShape::exponential)
      visit("acquisition.response.scale", r.scale);
    else {
      visit("acquisition.response.half_saturation", r.half_saturation);
      visit("acquisition.response.slope", r.slope);
    }
    visit("acquisition.adstock", p.acquisition->adstock);
  }
  if (p.retention) {
    visit("retention.response.max_reduction", p.retention->max_reduction);
    visit("retention.response.scale", p.retention->scale);
  }
  if (p.upgrade) {
    visit("retention.upgrade.max_uplift", p.upgrade->max_uplift);
    visit("retention.upgrade.scale", p.upgrade->scale);
  }
  if (p.prospect_pool) visit("market.prospects", *p.prospect_pool);
}

void visit_relationships(Parameters& p, const Visit& visit) {
  if (p.service) {
    visit_per_tier("service.failure", p.tiers, p.service->failure, visit);
    visit("service.concession", p.service->concession);
    visit("service.success", p.service->recovery_success);
    visit_per_tier("service.defection", p.tiers, p.service->defection, visit);
  }
  if (p.word_of_mouth) {
    visit("word_of_mouth.reach", p.word_of_mouth->reach);
    visit("word_of_mouth.trust", p.word_of_mouth->trust);
    visit("word_of_mouth.decay", p.word_of_mouth->decay);
  }
  if (p.referrals) {
    visit_per_tier("referrals.rate", p.tiers, p.referrals->rate, visit);
    visit("referrals.conversion", p.referrals->conversion);
    visit("referrals.reward", p.referrals->reward);
    visit("referrals.program.max_uplift", p.referrals->max_uplift);
    visit("referrals.program.scale", p.referrals->scale);
  }
  for (Intermediary& source : p.intermediaries) {
    const std::string at = "intermediaries." + source.name + ".";
    visit(at + "prospects", source.prospects);
    visit(at + "conversion", source.conversion);
    visit(at + "commission", source.commission);
  }
}

void visit_environment(Parameters& p, const Visit& visit) {
  for (std::size_t i = 0; i < p.shocks.size(); ++i) {
    const std::string at = shock_place(p.shocks, i) + ".";
    for_each_multiplier(p.shocks[i].multipliers,
                        [&](const char* key, double& multiplier) { visit(at + key, multiplier); });
  }
  if (p.heterogeneity && p.heterogeneity->concentration)
    visit("heterogeneity.concentration", *p.heterogeneity->concentration);
  if (p.regimes)
    for (RegimeState& state : p.regimes->states) {
      const std::string at = "regimes.states." + state.name + ".";
      for_each_multiplier(state.multipliers, [&](const char* key, double& multiplier) {
        visit(at + key, multiplier);
      });
    }
}

}  // namespace

std::string shock_place(const std::vector<Shock>& shocks, std::size_t index) {
  const std::string& name = shocks[index].name;
  int same = 0;
  for (const Shock& shock : shocks) same += shock.name == name;
  return !name.empty() && same == 1 ? "shocks." + name : "shocks[" + std::to_string(index) + "]";
}

bool sets_place(const std::string& input_place, const std::string& place) {
  return place == input_place || (place.size() > input_place.size() &&
                                  place.compare(0, input_place.size(), input_place) == 0 &&
                                  place[input_place.size()] == '.');
}

void for_each_quantity(Parameters& parameters, const Visit& visit) {
  visit_tiers(parameters.tiers, visit);
  visit_market(parameters, visit);
  visit_relationships(parameters, visit);
  visit_environment(parameters, visit);
}

}  // namespace tenure
