#include "sim/engine/model.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>

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

Quadrature beta_quadrature(double a, double b, int count) {
  // Golub-Welsch: the nodes are the eigenvalues of the Jacobi matrix of the polynomials
  // orthogonal under the Beta weight, the weights the squared first components of its
  // eigenvectors. On [-1, 1] the Beta(a, b) weight is a Jacobi weight with
  // alpha = b - 1, beta = a - 1 (p = (1 + x) / 2); the recurrence coefficients of the monic
  // Jacobi polynomials are
  //   diagonal   d_n = (beta^2 - alpha^2) / ((2n + s)(2n + s + 2)),   s = alpha + beta,
  //              d_0 = (beta - alpha) / (s + 2),
  //   off-diag.  e_n^2 = 4n (n + alpha)(n + beta)(n + s) / ((2n + s)^2 (2n + s + 1)(2n + s - 1)),
  //              e_1^2 = 4 (1 + alpha)(1 + beta) / ((2 + s)^2 (3 + s))  (the n = 1 case with
  //              the common factor (1 + s) cancelled, which is 0 / 0 when s = -1).
  const double alpha = b - 1.0, beta = a - 1.0, sum = alpha + beta;
  Eigen::MatrixXd jacobi = Eigen::MatrixXd::Zero(count, count);
  for (int n = 0; n < count; ++n) {
    const double two_n_s = 2.0 * n + sum;
    jacobi(n, n) = n == 0 ? (beta - alpha) / (sum + 2.0)
                          : (beta * beta - alpha * alpha) / (two_n_s * (two_n_s + 2.0));
    if (n + 1 < count) {
      const double m = n + 1.0, two_m_s = 2.0 * m + sum;
      const double e2 =
          m == 1.0 ? 4.0 * (1.0 + alpha) * (1.0 + beta) / ((2.0 + sum) * (2.0 + sum) * (3.0 + sum))
                   : 4.0 * m * (m + alpha) * (m + beta) * (m + sum) /
                         (two_m_s * two_m_s * (two_m_s + 1.0) * (two_m_s - 1.0));
      jacobi(n, n + 1) = jacobi(n + 1, n) = std::sqrt(e2);
    }
  }
  // Map [-1, 1] to [0, 1]: p = (1 + x) / 2.
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(
      (jacobi + Eigen::MatrixXd::Identity(count, count)) / 2.0);
  Quadrature q;
  for (int c = 0; c < count; ++c) {
    q.nodes.push_back(std::clamp(solver.eigenvalues()(c), 0.0, 1.0));
    const double first = solver.eigenvectors()(0, c);
    q.weights.push_back(first * first);
  }
  return q;
}

namespace {

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

}  // namespace

Model build_model(const Parameters& parameters) {
  Model m;
  m.parameters = parameters;
  const Parameters& s = m.parameters;
  m.horizon = s.horizon;
  m.tiers = static_cast<int>(s.tiers.size());
  m.classes = s.heterogeneity ? s.heterogeneity->classes : 1;
  m.segments = m.tiers * m.classes;
  m.rate = per_period_rate(s.discount_rate, s.period);

  // Churn classes: the tier's churn as the mean of a Beta(a, b) with a + b = concentration,
  // represented by its Gauss quadrature, so a cohort's survival E[(1 - p)^t] is exact for
  // t up to 2 classes - 1 periods.
  for (int tier = 0; tier < m.tiers; ++tier) {
    const double churn = s.tiers[tier].churn;
    Quadrature q{{churn}, {1.0}};
    if (s.heterogeneity && churn > 0.0 && churn < 1.0)
      q = beta_quadrature(churn * s.heterogeneity->concentration,
                          (1.0 - churn) * s.heterogeneity->concentration, m.classes);
    else if (s.heterogeneity)  // churn 0 or 1: no spread, every class the same
      q = {std::vector<double>(m.classes, churn), std::vector<double>(m.classes, 1.0 / m.classes)};
    for (int c = 0; c < m.classes; ++c) m.segment.push_back({tier, c, q.nodes[c]});
    m.class_share.push_back(q.weights);
  }

  const int per_year = periods_per_year(s.period);
  const bool margin_grows = std::any_of(s.tiers.begin(), s.tiers.end(),
                                        [](const Tier& t) { return t.margin_growth != 0.0; });
  // Tenure cells: one per period of tenure while the loyalty multiplier still changes, and
  // one pooled last cell at the floor. Only tenures reachable within the horizon matter;
  // with margin growth every reachable tenure keeps its own cell. (Held at the horizon as a
  // double first: 8 half-lives of a long half-life do not fit in an int.)
  const double changing = s.loyalty ? std::ceil(8.0 * s.loyalty->half_life) : 0.0;
  m.tenure_cells =
      (margin_grows ? s.horizon : static_cast<int>(std::min(changing, double(s.horizon)))) + 1;
  for (int tau = 0; tau < m.tenure_cells; ++tau) {
    const bool last = tau + 1 == m.tenure_cells;
    m.loyalty_by_cell.push_back(!s.loyalty ? 1.0
                                : last     ? s.loyalty->floor
                                           : loyalty_multiplier(*s.loyalty, tau));
  }
  for (const Tier& tier : s.tiers) {
    // Margin grows at an annual rate g: multiplier (1 + g)^(tenure / periods_per_year).
    std::vector<double> by_cell, initial;
    for (int tau = 0; tau < m.tenure_cells; ++tau)
      by_cell.push_back(std::pow(1.0 + tier.margin_growth, double(tau) / per_year));
    for (int t = 1; t <= s.horizon; ++t)
      initial.push_back(std::pow(1.0 + tier.margin_growth, (t - 1.0) / per_year));
    m.margin_growth_by_cell.push_back(std::move(by_cell));
    m.initial_margin_growth.push_back(std::move(initial));
  }

  for (int t = 1; t <= s.horizon; ++t) {
    m.discount_factor.push_back(std::pow(1.0 + m.rate, -t));
    // Annual growth compounds per period: the budget of period t is per_period * (1+g)^((t-1)/n).
    m.base_budget.push_back(s.budget.per_period *
                            std::pow(1.0 + s.budget.growth, (t - 1.0) / per_year));
  }

  m.move_to.resize(m.tiers);
  m.move_probability.resize(m.tiers);
  m.move_is_upgrade.resize(m.tiers);
  for (int tier = 0; tier < m.tiers; ++tier)
    for (const Move& move : s.tiers[tier].moves) {
      m.move_to[tier].push_back(move.to_tier);
      m.move_probability[tier].push_back(move.probability);
      m.move_is_upgrade[tier].push_back(move.to_tier < tier);
    }

  m.equity_per_customer = equity_per_customer(m);
  m.policies = resolve_policies(s);
  m.layout = MetricLayout(layout_members(s));
  for (const Tier& tier : s.tiers) m.tier_id.push_back(stable_id(tier.name));
  for (const Intermediary& source : s.intermediaries) m.source_id.push_back(stable_id(source.name));
  return m;
}

}  // namespace tenure
