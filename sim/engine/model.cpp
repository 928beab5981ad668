#include "sim/engine/model.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/engine/limits.hpp"
#include "sim/engine/random.hpp"

namespace tenure {

double expected_new_customers(const AcquisitionResponse& response, double spend) {
  if (spend <= 0.0) return 0.0;
  switch (response.shape) {
    case ResponseShape::exponential:
      // max * (1 - exp(-A / scale)); expm1 keeps precision for small spend.
      return -response.max_customers * std::expm1(-spend / response.scale);
    case ResponseShape::hill: {
      // max * A^s / (A^s + K^s), written as max / (1 + (K / A)^s) to avoid overflow.
      const double ratio = std::pow(response.half_saturation / spend, response.slope);
      return response.max_customers / (1.0 + ratio);
    }
  }
  return 0.0;
}

double retention_effect(const RetentionResponse& response, double spend_per_customer) {
  if (spend_per_customer <= 0.0) return 1.0;
  // 1 - max_reduction * (1 - exp(-r / scale))
  return 1.0 + response.max_reduction * std::expm1(-spend_per_customer / response.scale);
}

double loyalty_multiplier(const Loyalty& loyalty, double tenure) {
  if (tenure >= 8.0 * loyalty.half_life) return loyalty.floor;
  // floor + (1 - floor) * 0.5^(tenure / half_life)
  return loyalty.floor + (1.0 - loyalty.floor) * std::exp2(-tenure / loyalty.half_life);
}

double per_period_rate(double annual_rate, PeriodUnit unit) {
  // (1 + annual)^(1 / periods_per_year) - 1
  return std::pow(1.0 + annual_rate, 1.0 / periods_per_year(unit)) - 1.0;
}

double uplift(double max_uplift, double scale, double spend) {
  if (spend <= 0.0) return 1.0;
  // 1 + max_uplift * (1 - exp(-spend / scale))
  return 1.0 - max_uplift * std::expm1(-spend / scale);
}

int default_initial_tenure(const Parameters& s) {
  // 8 half-lives, held at the longest tenure a scenario may give (a half-life of 1e10 periods
  // would not fit in an int; its floor is never reached anyway).
  return s.loyalty ? static_cast<int>(
                         std::min(std::ceil(8.0 * s.loyalty->half_life), double(limits::kHorizon)))
                   : 0;
}

namespace {

// The probabilities a multinomial draw of these shares is given: all but the last category,
// which takes what is left (PreparedMultinomial, samplers.hpp).
std::span<const double> all_but_last(const std::vector<double>& shares) {
  return {shares.data(), shares.empty() ? 0 : shares.size() - 1};
}

std::vector<PolicyPlan> resolve_policies(const Parameters& s) {
  std::vector<PolicyPlan> plans;
  for (const Policy& policy : s.policies) {
    PolicyPlan plan{policy.name, policy.steps, std::vector<std::size_t>(s.horizon)};
    std::size_t step = 0;
    for (int t = 1; t <= s.horizon; ++t) {
      while (step + 1 < policy.steps.size() && policy.steps[step + 1].from_period <= t) ++step;
      plan.step_of_period[t - 1] = step;
    }
    plans.push_back(std::move(plan));
  }
  return plans;
}

// Present value of a customer of each segment from the next period on (see Model).
std::vector<double> equity_per_customer(const Model& m) {
  const Parameters& s = m.parameters;
  const double floor = s.loyalty ? s.loyalty->floor : 1.0;
  const double growth = 1.0 + m.rate;
  Eigen::MatrixXd survive_and_move = Eigen::MatrixXd::Zero(m.segments, m.segments);
  Eigen::VectorXd net_margin(m.segments);
  for (int seg = 0; seg < m.segments; ++seg) {
    const int tier = m.segment[seg].tier;
    const double survive = 1.0 - std::min(1.0, m.segment[seg].churn * floor);
    double stay = 1.0;
    for (std::size_t j = 0; j < m.move_to[tier].size(); ++j) {
      const int to = m.move_to[tier][j] * m.classes + m.segment[seg].churn_class;
      survive_and_move(seg, to) += survive * m.move_probability[tier][j];
      stay -= m.move_probability[tier][j];
    }
    survive_and_move(seg, seg) += survive * std::max(0.0, stay);
    net_margin(seg) = s.tiers[tier].margin - s.tiers[tier].cost_to_serve;
  }
  const Eigen::MatrixXd system =
      Eigen::MatrixXd::Identity(m.segments, m.segments) - survive_and_move / growth;
  const Eigen::FullPivLU<Eigen::MatrixXd> lu(system);
  std::vector<double> value(m.segments, std::numeric_limits<double>::quiet_NaN());
  // Customers who never leave, undiscounted, have no finite value: report NaN, not a guess.
  if (!lu.isInvertible()) return value;
  const Eigen::VectorXd v = lu.solve(net_margin / growth);
  for (int seg = 0; seg < m.segments; ++seg) value[seg] = v(seg);
  return value;
}

// The members and mechanisms the metric layout reports.
LayoutMembers layout_members(const Parameters& s) {
  LayoutMembers members;
  for (const Tier& tier : s.tiers) members.tiers.push_back(result_name(tier.name));
  for (const Intermediary& source : s.intermediaries)
    members.sources.push_back(result_name(source.name));
  if (s.regimes)
    for (const RegimeState& state : s.regimes->states)
      members.regimes.push_back(result_name(state.name));
  auto use = [&](Mechanism mechanism, bool used) {
    members.uses[static_cast<std::size_t>(mechanism)] = used;
  };
  use(Mechanism::service, s.service.has_value());
  use(Mechanism::referrals, s.referrals.has_value());
  use(Mechanism::intermediaries, !s.intermediaries.empty());
  use(Mechanism::market, s.prospect_pool.has_value());
  use(Mechanism::word_of_mouth, s.word_of_mouth.has_value());
  return members;
}

// The initial cohorts of a tier, by tenure (the default tenure for initial_customers).
std::vector<TenureCohort> initial_cohorts(const Parameters& s, const Tier& tier) {
  std::vector<TenureCohort> cohorts;
  if (tier.initial_customers > 0)
    cohorts.push_back(
        {tier.initial_tenure.value_or(default_initial_tenure(s)), tier.initial_customers});
  for (const TenureCohort& cohort : tier.cohorts)
    if (cohort.customers > 0) cohorts.push_back(cohort);
  return cohorts;
}

// Churn classes: each tier's churn as the mean of a Beta with its concentration, represented
// by as many classes as the tolerance needs (the most any tier needs, for all tiers), or by
// the Gauss rule of as many as the scenario says (which then holds whatever the horizon).
void set_churn_classes(Model& m, int fixed_classes) {
  const Parameters& s = m.parameters;
  std::vector<ClassCriteria> criteria;
  for (const Tier& tier : s.tiers) {
    ClassCriteria c{m.rate, s.horizon, {}};
    for (const TenureCohort& cohort : initial_cohorts(s, tier)) c.survived.push_back(cohort.tenure);
    criteria.push_back(std::move(c));
  }
  const Heterogeneity h = s.heterogeneity.value_or(Heterogeneity{1, 1.0, 1.0});
  auto concentration = [&](int tier) {
    return s.tiers[tier].concentration ? *s.tiers[tier].concentration : h.concentration.value();
  };
  m.classes = fixed_classes > 0 ? fixed_classes : h.classes;
  if (m.classes == 0)
    for (int tier = 0; tier < m.tiers; ++tier)
      m.classes =
          std::max(m.classes, classes_needed(s.tiers[tier].churn, concentration(tier),
                                             criteria[tier], h.tolerance, limits::kChurnClasses));
  m.classes = std::max(m.classes, 1);
  m.segments = m.tiers * m.classes;
  for (int tier = 0; tier < m.tiers; ++tier) {
    ChurnClasses classes = s.heterogeneity
                               ? churn_classes(s.tiers[tier].churn, concentration(tier), m.classes,
                                               criteria[tier], h.tolerance, h.classes > 0)
                               : ChurnClasses{{s.tiers[tier].churn}, {1.0}, "none"};
    for (int c = 0; c < m.classes; ++c) m.segment.push_back({tier, c, classes.nodes[c]});
    m.class_share.push_back(classes.shares);
    m.new_customer_classes.emplace_back(all_but_last(classes.shares));
    m.churn_classes.push_back(std::move(classes));
  }
}

// Tenure cells: one per period of tenure while the loyalty multiplier still changes (or, with
// margin growth, for every tenure reachable within the horizon), and without margin growth
// a last cell that pools the longer tenures at the floor. Initial cohorts whose tenure is
// below the pooled one age through the cells from their tenure on.
void set_tenure_cells(Model& m) {
  const Parameters& s = m.parameters;
  const bool margin_grows = std::any_of(s.tiers.begin(), s.tiers.end(),
                                        [](const Tier& t) { return t.margin_growth != 0.0; });
  const int changing = default_initial_tenure(s);  // 8 half-lives, or 0 without loyalty
  int oldest_start = 0;  // the longest tenure an initial cohort starts with, below the pool
  for (const Tier& tier : s.tiers)
    for (const TenureCohort& cohort : initial_cohorts(s, tier))
      if (margin_grows || cohort.tenure < changing)
        oldest_start = std::max(oldest_start, cohort.tenure);
  m.last_cell_pooled = !margin_grows;
  m.tenure_cells =
      (margin_grows ? oldest_start + s.horizon : std::min(changing, oldest_start + s.horizon)) + 1;
  for (int tau = 0; tau < m.tenure_cells; ++tau) {
    const bool pooled = m.last_cell_pooled && tau + 1 == m.tenure_cells;
    m.loyalty_by_cell.push_back(!s.loyalty ? 1.0
                                : pooled   ? s.loyalty->floor
                                           : loyalty_multiplier(*s.loyalty, tau));
  }
  for (const Tier& tier : s.tiers) {
    // Margin grows at an annual rate g: multiplier (1 + g)^(tenure / periods_per_year).
    std::vector<double> by_cell;
    for (int tau = 0; tau < m.tenure_cells; ++tau)
      by_cell.push_back(
          std::pow(1.0 + tier.margin_growth, double(tau) / periods_per_year(s.period)));
    m.margin_grows.push_back(std::ranges::any_of(by_cell, [](double g) { return g != 1.0; }));
    m.margin_growth_by_cell.push_back(std::move(by_cell));
  }
}

// Each initial cohort's cell and class shares: the posterior after staying its tenure with
// hazard p_c times the loyalty multiplier of each tenure it went through.
void set_initial_cohorts(Model& m) {
  const Parameters& s = m.parameters;
  const auto loyalty = [&](int tau) {
    return s.loyalty ? loyalty_multiplier(*s.loyalty, tau) : 1.0;
  };
  for (int tier = 0; tier < m.tiers; ++tier) {
    std::vector<Model::InitialCohort> cohorts;
    for (const TenureCohort& cohort : initial_cohorts(s, s.tiers[tier])) {
      std::vector<double> shares = survivor_shares(m.churn_classes[tier], cohort.tenure, loyalty);
      const PreparedMultinomial classes(all_but_last(shares));
      cohorts.push_back({cohort.tenure, std::min(cohort.tenure, m.tenure_cells - 1),
                         cohort.customers, std::move(shares), classes});
    }
    m.initial.push_back(std::move(cohorts));
  }
}

void set_migration(Model& m) {
  m.move_to.resize(m.tiers);
  m.move_probability.resize(m.tiers);
  m.move_is_upgrade.resize(m.tiers);
  m.fixed_moves.resize(m.tiers);
  for (int tier = 0; tier < m.tiers; ++tier) {
    for (const Move& move : m.parameters.tiers[tier].moves) {
      m.move_to[tier].push_back(move.to_tier);
      m.move_probability[tier].push_back(move.probability);
      m.move_is_upgrade[tier].push_back(move.to_tier < tier);
    }
    const auto& upgrades = m.move_is_upgrade[tier];
    const bool fixed = !m.parameters.upgrade ||
                       std::none_of(upgrades.begin(), upgrades.end(), [](bool up) { return up; });
    if (!fixed || upgrades.empty()) continue;
    // The kernel's own computation with no uplift, so the same probabilities, bit for bit.
    std::vector<double> moves(upgrades.size());
    tier_moves(m, tier, 1.0, moves);
    m.fixed_moves[tier].emplace(moves);
  }
}

}  // namespace

void tier_moves(const Model& m, int tier, double upgrade, std::span<double> out) {
  const std::size_t count = m.move_probability[tier].size();
  double total = 0.0;
  for (std::size_t j = 0; j < count; ++j) {
    out[j] = m.move_probability[tier][j] * (m.move_is_upgrade[tier][j] ? upgrade : 1.0);
    total += out[j];
  }
  if (total > 1.0)
    for (std::size_t j = 0; j < count; ++j) out[j] /= total;
}

Model build_model(const Parameters& parameters, const ModelOptions& options) {
  Model m;
  m.parameters = parameters;
  const Parameters& s = m.parameters;
  m.horizon = s.horizon;
  m.tiers = static_cast<int>(s.tiers.size());
  m.rate = per_period_rate(s.discount_rate, s.period);
  for (int t = 1; t <= s.horizon; ++t) {
    m.discount_factor.push_back(std::pow(1.0 + m.rate, -t));
    // Annual growth compounds per period: the budget of period t is per_period * (1+g)^((t-1)/n).
    m.base_budget.push_back(s.budget.per_period * std::pow(1.0 + s.budget.growth,
                                                           (t - 1.0) / periods_per_year(s.period)));
  }
  set_churn_classes(m, options.classes);
  if (s.acquisition) m.new_customer_mix.prepare(all_but_last(s.acquisition->new_customer_mix));
  set_tenure_cells(m);
  set_initial_cohorts(m);
  set_migration(m);
  m.equity_per_customer = equity_per_customer(m);
  m.policies = resolve_policies(s);
  m.layout = MetricLayout(layout_members(s));
  for (const Tier& tier : s.tiers) m.tier_id.push_back(stable_id(tier.name));
  for (const Intermediary& source : s.intermediaries) m.source_id.push_back(stable_id(source.name));
  if (options.prepare_inputs) m.inputs = prepare_inputs(s);
  return m;
}

}  // namespace tenure
