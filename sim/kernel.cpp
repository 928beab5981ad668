#include "sim/kernel.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <span>

#include "sim/random.hpp"
#include "sim/samplers.hpp"

namespace tenure {

std::vector<MetricSpec> reported_metrics(const Model& model) {
  const Scenario& s = *model.scenario;
  std::vector<MetricSpec> out = {{"npv", kNpv},
                                 {"profit", kProfit},
                                 {"customers_end", kCustomersEnd},
                                 {"acquired", kAcquired},
                                 {"churned", kChurned},
                                 {"cash_trough", kCashTrough},
                                 {"acquisition_spend", kAcquisitionSpend},
                                 {"retention_spend", kRetentionSpend},
                                 {"equity_end", kEquityEnd},
                                 {"npv_with_equity", kNpvWithEquity}};
  if (s.service)
    out.insert(out.end(), {{"failures", kFailures},
                           {"recoveries_offered", kRecoveriesOffered},
                           {"concessions_paid", kConcessionsPaid},
                           {"defected", kDefected}});
  if (s.referrals)
    out.insert(out.end(), {{"referred", kReferred},
                           {"referral_won", kReferralWon},
                           {"referral_cost", kReferralCost}});
  if (!s.intermediaries.empty())
    out.insert(out.end(), {{"intermediary_won", kIntermediaryWon}, {"commissions", kCommissions}});
  if (s.prospect_pool) out.push_back({"pool_end", kPoolEnd});
  for (int tier = 0; tier < model.tiers; ++tier)
    out.push_back({"customers_end_" + result_name(s.tiers[tier].name), kFixedMetricCount + tier});
  for (int tier = 0; tier < model.tiers; ++tier)
    out.push_back(
        {"npv_" + result_name(s.tiers[tier].name), kFixedMetricCount + model.tiers + tier});
  for (std::size_t i = 0; i < s.intermediaries.size(); ++i) {
    const int slot = kFixedMetricCount + 2 * model.tiers + 2 * static_cast<int>(i);
    out.push_back({"won_" + result_name(s.intermediaries[i].name), slot});
    out.push_back({"commission_" + result_name(s.intermediaries[i].name), slot + 1});
  }
  return out;
}

std::vector<std::string> series_names(const Model& model) {
  std::vector<std::string> names;
  for (const Tier& tier : model.scenario->tiers)
    names.push_back("customers_" + result_name(tier.name));
  names.push_back("customers");
  names.push_back("cash_cumulative");
  if (model.scenario->word_of_mouth) names.push_back("reputation_damage");
  if (model.scenario->prospect_pool) names.push_back("prospect_pool");
  return names;
}

Workspace::Workspace(const Model& model)
    : counts(static_cast<std::size_t>(model.segments) * model.tenure_cells),
      next(counts.size()),
      tier_active(model.tiers),
      tier_draw(model.tiers),
      tier_referred(model.tiers),
      class_draw(model.classes),
      tier_effect(model.tiers),
      tier_upgrade(model.tiers) {
  std::size_t most_moves = 0;
  for (const auto& moves : model.move_probability) most_moves = std::max(most_moves, moves.size());
  move_draw.resize(most_moves);
  move_now.resize(most_moves);
  result.metrics.resize(kFixedMetricCount + 2 * model.tiers +
                        2 * model.scenario->intermediaries.size());
  result.series.resize(series_names(model).size() * model.horizon);
}

namespace {

// Money spent on a policy line this period. `budget` already carries the budget shock;
// amounts and per-customer lines are scaled by the same shock, so a budget cut cuts them too.
double line_spend(const SpendLine& line, double budget, double budget_multiplier,
                  std::int64_t active_customers) {
  switch (line.kind) {
    case SpendLine::Kind::share:
      return line.value * budget;
    case SpendLine::Kind::amount:
      return line.value * budget_multiplier;
    case SpendLine::Kind::per_customer:
      return line.value * budget_multiplier * static_cast<double>(active_customers);
  }
  return 0.0;
}

double weight_of(const std::vector<double>* weights, int tier) {
  return (weights == nullptr || weights->empty()) ? 1.0 : (*weights)[tier];
}

}  // namespace

void simulate_path(const Model& m, std::size_t policy, std::uint64_t seed, std::uint64_t path,
                   Workspace& w) {
  const Scenario& s = *m.scenario;
  const PolicyPlan& plan = m.policies[policy];
  const int cells = m.tenure_cells;
  const int last_cell = cells - 1;
  auto cell_index = [cells](int segment, int tau) {
    return static_cast<std::size_t>(segment) * cells + tau;
  };
  auto customers_in_tier = [&](int tier) {
    const std::int64_t* first = &w.counts[cell_index(tier * m.classes, 0)];
    std::int64_t n = 0;
    for (int i = 0; i < m.classes * cells; ++i) n += first[i];
    return n;
  };
  // Adds n customers of a tier at tenure cell tau, split over the churn classes by their
  // shares (a multinomial; no draw without heterogeneity).
  auto place = [&](RandomStream& rng, int tier, std::int64_t n, int tau) {
    if (n == 0) return;
    if (m.classes == 1) {
      w.counts[cell_index(tier, tau)] += n;
      return;
    }
    const std::vector<double>& share = m.class_share[tier];
    const std::span<const double> first(share.data(), share.size() - 1);
    w.class_draw[share.size() - 1] =
        multinomial(rng, n, first, {w.class_draw.data(), first.size()});
    w.draws += first.size();
    for (int c = 0; c < m.classes; ++c)
      w.counts[cell_index(tier * m.classes + c, tau)] += w.class_draw[c];
  };
  double* out = w.result.metrics.data();
  std::fill(w.result.metrics.begin(), w.result.metrics.end(), 0.0);

  // Initial customers: tenure unknown, so they sit in the pooled last cell at the loyalty
  // floor; with churn classes they are split across classes at random.
  std::fill(w.counts.begin(), w.counts.end(), 0);
  for (int tier = 0; tier < m.tiers; ++tier) {
    RandomStream rng(seed, path, Stream::churn_classes, 0, tier);
    place(rng, tier, s.tiers[tier].initial_customers, last_cell);
  }

  const double* discount = m.discount_factor.data();
  double npv = 0.0, profit = 0.0, cash = 0.0, trough = 0.0;
  double acquisition_total = 0.0, retention_total = 0.0;
  std::int64_t acquired = 0, churned = 0;
  double previous_revenue = 0.0;
  for (int tier = 0; tier < m.tiers; ++tier)
    previous_revenue += static_cast<double>(s.tiers[tier].initial_customers) * s.tiers[tier].margin;
  double effective_spend = 0.0;  // acquisition spend with adstock carried over
  double reputation = 0.0;       // share of prospects put off by negative word of mouth
  const double initial_pool = s.prospect_pool.value_or(0.0);
  std::int64_t pool = static_cast<std::int64_t>(initial_pool);

  for (int t = 1; t <= m.horizon; ++t) {
    const std::size_t ti = t - 1;
    // 1. Environment for this period.
    const double budget_mult = m.budget_multiplier[ti];
    const double margin_mult = m.margin_multiplier[ti];
    const double cost_mult = m.cost_multiplier[ti];

    // 2. Budget and split.
    const double budget =
        budget_mult * (s.budget.share_of_revenue ? *s.budget.share_of_revenue * previous_revenue
                                                 : m.base_budget[ti]);
    const PeriodSplit& split = plan.by_period[ti];
    std::int64_t existing = 0;  // customers at the start of the period: they refer
    for (int tier = 0; tier < m.tiers; ++tier) {
      w.tier_active[tier] = customers_in_tier(tier);
      existing += w.tier_active[tier];
    }

    // 3. Acquisition; new customers join at tenure 0 at the start of the period. Paid
    // marketing: expected response(effective spend), scaled by what is left of the pool,
    // by reputation damage and by the period's acquisition multiplier; a Poisson draw, or a
    // binomial from the pool when there is one (so it never exceeds the pool).
    const double acquisition_spend = line_spend(split.acquisition, budget, budget_mult, 0);
    std::fill(w.tier_draw.begin(), w.tier_draw.end(), 0);
    std::fill(w.tier_referred.begin(), w.tier_referred.end(), 0);
    std::int64_t by_mix = 0;  // new customers to split by the new-customer mix
    if (s.acquisition) {
      // Geometric adstock: effective_t = A_t + adstock * effective_{t-1}.
      effective_spend = acquisition_spend + s.acquisition->adstock * effective_spend;
      double mean = expected_new_customers(s.acquisition->response, effective_spend) *
                    m.acquisition_multiplier[ti] * (1.0 - reputation);
      if (s.prospect_pool) mean *= static_cast<double>(pool) / initial_pool;
      if (mean > 0.0) {
        RandomStream rng(seed, path, Stream::acquisition, t, 0);
        by_mix = s.prospect_pool ? binomial(rng, pool, mean / static_cast<double>(pool))
                                 : poisson(rng, mean);
        ++w.draws;
      }
      if (s.prospect_pool) pool -= by_mix;
    }

    // Customer referrals: each customer of tier k refers Poisson(rate_k * uplift(f)) prospects,
    // f the referral-program spend per existing customer; each converts with its own
    // probability and joins the referrer's tier.
    double referral_cost = 0.0;
    if (s.referrals) {
      const CustomerReferrals& r = *s.referrals;
      const double program =
          existing > 0 ? line_spend(split.referral, budget, budget_mult, existing) : 0.0;
      const double multiplier = uplift(
          r.max_uplift, r.scale, existing > 0 ? program / static_cast<double>(existing) : 0.0);
      std::int64_t won_total = 0;
      for (int tier = 0; tier < m.tiers; ++tier) {
        const double mean = static_cast<double>(w.tier_active[tier]) * r.rate[tier] * multiplier;
        if (mean <= 0.0) continue;
        RandomStream rng(seed, path, Stream::referrals, t, tier);
        const std::int64_t prospects = poisson(rng, mean);
        std::int64_t won = binomial(rng, prospects, r.conversion);
        w.draws += 2;
        if (s.prospect_pool) won = std::min(won, pool);
        pool -= s.prospect_pool ? won : 0;
        w.tier_referred[tier] = won;
        won_total += won;
        out[kReferred] += static_cast<double>(prospects);
      }
      out[kReferralWon] += static_cast<double>(won_total);
      referral_cost = program + static_cast<double>(won_total) * r.reward;
      out[kReferralCost] += referral_cost;
      acquired += won_total;
    }

    // Intermediaries: Poisson referred prospects, binomial conversions, a commission each.
    double commissions = 0.0;
    for (std::size_t i = 0; i < s.intermediaries.size(); ++i) {
      const Intermediary& source = s.intermediaries[i];
      RandomStream rng(seed, path, Stream::intermediaries, t, i);
      const std::int64_t prospects = poisson(rng, source.prospects);
      std::int64_t won = binomial(rng, prospects, source.conversion);
      w.draws += 2;
      if (s.prospect_pool) won = std::min(won, pool);
      pool -= s.prospect_pool ? won : 0;
      by_mix += won;
      const double commission = static_cast<double>(won) * source.commission;
      commissions += commission;
      out[kFixedMetricCount + 2 * m.tiers + 2 * i] += static_cast<double>(won);
      out[kFixedMetricCount + 2 * m.tiers + 2 * i + 1] += commission;
      out[kIntermediaryWon] += static_cast<double>(won);
    }
    out[kCommissions] += commissions;

    if (by_mix > 0) {
      // Tiers of the new customers (paid and intermediary): multinomial over the mix.
      RandomStream mix_rng(seed, path, Stream::new_customer_mix, t, 0);
      const std::span<const double> mix(s.acquisition->new_customer_mix.data(), m.tiers - 1);
      w.tier_draw[m.tiers - 1] =
          multinomial(mix_rng, by_mix, mix, {w.tier_draw.data(), mix.size()});
      w.draws += mix.size();
      acquired += by_mix;
    }
    if (by_mix > 0 || s.referrals) {
      RandomStream class_rng(seed, path, Stream::churn_classes, t, 0);
      for (int tier = 0; tier < m.tiers; ++tier)
        place(class_rng, tier, w.tier_draw[tier] + w.tier_referred[tier], 0);
    }

    // 4. Revenue and cost to serve of the active customers (start of period plus new);
    // margins grow with tenure where the scenario says so.
    double revenue = 0.0, serve_cost = 0.0;
    std::int64_t active = 0;
    for (int tier = 0; tier < m.tiers; ++tier) {
      const std::vector<double>& growth = m.margin_growth_by_cell[tier];
      const double initial_growth = m.initial_margin_growth[tier][ti];
      double margin_units = 0.0;  // customers weighted by their margin growth
      std::int64_t n = 0;
      for (int c = 0; c < m.classes; ++c) {
        const std::int64_t* row = &w.counts[cell_index(tier * m.classes + c, 0)];
        for (int tau = 0; tau < last_cell; ++tau) {
          n += row[tau];
          margin_units += static_cast<double>(row[tau]) * growth[tau];
        }
        n += row[last_cell];
        margin_units += static_cast<double>(row[last_cell]) * initial_growth;
      }
      w.tier_active[tier] = n;
      active += n;
      const double tier_revenue = margin_units * s.tiers[tier].margin * margin_mult;
      const double tier_cost = static_cast<double>(n) * s.tiers[tier].cost_to_serve * cost_mult;
      revenue += tier_revenue;
      serve_cost += tier_cost;
      // The tier's own contribution to NPV, before marketing: margins less cost to serve.
      out[kFixedMetricCount + m.tiers + tier] += (tier_revenue - tier_cost) * discount[ti];
    }

    // Retention: the total is spread so spend per customer is proportional to the tier's
    // weight, r_k = R w_k / sum_j w_j N_j; with nobody to spend on, nothing is spent.
    const double retention_budget = line_spend(split.retention, budget, budget_mult, active);
    double weighted_customers = 0.0;
    for (int tier = 0; tier < m.tiers; ++tier)
      weighted_customers +=
          weight_of(split.retention_weights, tier) * static_cast<double>(w.tier_active[tier]);
    const bool spend_retention = s.retention && retention_budget > 0.0 && weighted_customers > 0.0;
    const double retention_spend = spend_retention ? retention_budget : 0.0;
    for (int tier = 0; tier < m.tiers; ++tier) {
      const double per_customer =
          spend_retention
              ? retention_budget * weight_of(split.retention_weights, tier) / weighted_customers
              : 0.0;
      w.tier_effect[tier] = s.retention ? retention_effect(*s.retention, per_customer) : 1.0;
      w.tier_upgrade[tier] =
          s.upgrade ? uplift(s.upgrade->max_uplift, s.upgrade->scale, per_customer) : 1.0;
    }

    // 5. Service failures, in tier order (best first) and, within a tier, longest-standing
    // customers first, so the recovery fund goes to the best customers while it lasts.
    double concessions = 0.0;
    std::int64_t unhappy_defectors = 0;
    if (s.service) {
      const Service& service = *s.service;
      const double fund = line_spend(split.recovery, budget, budget_mult, active);
      // Offers the fund can pay for; a zero concession is never limited by the fund.
      std::int64_t offers_left =
          service.concession > 0.0
              ? static_cast<std::int64_t>(std::floor(fund / service.concession + 1e-9))
              : std::numeric_limits<std::int64_t>::max();
      for (int seg = 0; seg < m.segments; ++seg) {
        const int tier = m.segment[seg].tier;
        for (int tau = last_cell; tau >= 0; --tau) {
          const std::size_t cell = cell_index(seg, tau);
          const std::int64_t n = w.counts[cell];
          if (n == 0) continue;
          RandomStream fail_rng(seed, path, Stream::failures, t, cell);
          const std::int64_t failures = binomial(fail_rng, n, service.failure[tier]);
          ++w.draws;
          if (failures == 0) continue;
          const bool eligible = split.recovery_tiers == nullptr || split.recovery_tiers->empty() ||
                                (*split.recovery_tiers)[tier];
          const std::int64_t offered = eligible ? std::min(failures, offers_left) : 0;
          offers_left -= offered;
          RandomStream recover_rng(seed, path, Stream::recovery, t, cell);
          const std::int64_t resolved = binomial(recover_rng, offered, service.recovery_success);
          RandomStream defect_rng(seed, path, Stream::defection, t, cell);
          const std::int64_t defected =
              binomial(defect_rng, failures - resolved, service.defection[tier]);
          w.draws += 2;
          w.counts[cell] -= defected;
          unhappy_defectors += defected;
          concessions += static_cast<double>(offered) * service.concession;
          out[kFailures] += static_cast<double>(failures);
          out[kRecoveriesOffered] += static_cast<double>(offered);
        }
      }
      out[kConcessionsPaid] += concessions;
      out[kDefected] += static_cast<double>(unhappy_defectors);
    }

    // 6-7. Churn at the end of the period, then migration of the survivors, then ageing:
    // h = base churn * loyalty(tenure) * retention effect * churn shock, capped at 1.
    // Upward moves are raised by the upgrade response; if a tier's moves then sum above 1
    // they are scaled back to 1.
    std::fill(w.next.begin(), w.next.end(), 0);
    const double churn_mult = m.churn_multiplier[ti];
    std::int64_t lost_this_period = unhappy_defectors;
    for (int tier = 0; tier < m.tiers; ++tier) {
      const std::size_t move_count = m.move_probability[tier].size();
      double total = 0.0;
      for (std::size_t j = 0; j < move_count; ++j) {
        w.move_now[j] =
            m.move_probability[tier][j] * (m.move_is_upgrade[tier][j] ? w.tier_upgrade[tier] : 1.0);
        total += w.move_now[j];
      }
      if (total > 1.0)
        for (std::size_t j = 0; j < move_count; ++j) w.move_now[j] /= total;
      const std::span<const double> moves(w.move_now.data(), move_count);
      const std::vector<int>& move_to = m.move_to[tier];
      for (int c = 0; c < m.classes; ++c) {
        const int seg = tier * m.classes + c;
        const double hazard_base = m.segment[seg].churn * w.tier_effect[tier] * churn_mult;
        for (int tau = 0; tau < cells; ++tau) {
          const std::size_t cell = cell_index(seg, tau);
          const std::int64_t n = w.counts[cell];
          if (n == 0) continue;  // most cells are empty early in the horizon
          RandomStream churn_rng(seed, path, Stream::churn_and_migration, t, cell);
          const std::int64_t lost =
              binomial(churn_rng, n, std::min(1.0, hazard_base * m.loyalty_by_cell[tau]));
          ++w.draws;
          lost_this_period += lost;
          std::int64_t stay = n - lost;
          const int aged = std::min(tau + 1, last_cell);
          if (stay > 0 && move_count > 0) {
            // Migration continues the cell's churn stream: one Philox block usually serves both.
            stay = multinomial(churn_rng, stay, moves, {w.move_draw.data(), move_count});
            w.draws += move_count;
            for (std::size_t j = 0; j < move_count; ++j)
              w.next[cell_index(move_to[j] * m.classes + c, aged)] += w.move_draw[j];
          }
          w.next[cell_index(seg, aged)] += stay;
        }
      }
    }
    std::swap(w.counts, w.next);
    churned += lost_this_period;

    // 8. Pool and reputation: everyone who left returns to the pool; each unhappy defector
    // reaches `reach` prospects, a `trust` share of whom are put off, and the damage decays:
    // damage_t = min(1, (1 - decay) damage_{t-1} + trust * min(1, reach * D_t / pool_t)).
    if (s.prospect_pool) pool += lost_this_period;
    if (s.word_of_mouth) {
      const WordOfMouth& wom = *s.word_of_mouth;
      const double reached =
          pool > 0 ? std::min(1.0, wom.reach * static_cast<double>(unhappy_defectors) /
                                       static_cast<double>(pool))
                   : 0.0;
      reputation = std::min(1.0, (1.0 - wom.decay) * reputation + wom.trust * reached);
    }

    // 9. Cash flow, discounted at the end of the period.
    const double cash_flow = revenue - serve_cost - acquisition_spend - retention_spend -
                             concessions - referral_cost - commissions - s.fixed_costs * cost_mult;
    npv += cash_flow * discount[ti];
    profit += cash_flow;
    cash += cash_flow;
    trough = std::min(trough, cash);
    acquisition_total += acquisition_spend;
    retention_total += retention_spend;
    previous_revenue = revenue;

    // Per-period series: customers per tier at the end of the period, total, cash, and the
    // optional reputation damage and prospect pool.
    std::int64_t total = 0;
    for (int tier = 0; tier < m.tiers; ++tier) {
      const std::int64_t n = customers_in_tier(tier);
      w.result.series[tier * m.horizon + ti] = static_cast<double>(n);
      total += n;
    }
    std::size_t next_series = m.tiers;
    w.result.series[next_series++ * m.horizon + ti] = static_cast<double>(total);
    w.result.series[next_series++ * m.horizon + ti] = cash;
    if (s.word_of_mouth) w.result.series[next_series++ * m.horizon + ti] = reputation;
    if (s.prospect_pool)
      w.result.series[next_series++ * m.horizon + ti] = static_cast<double>(pool);
  }

  // Customer equity of the base left at the end, in today's money.
  double equity = 0.0;
  std::int64_t customers_end = 0;
  for (int seg = 0; seg < m.segments; ++seg) {
    std::int64_t n = 0;
    for (int tau = 0; tau < cells; ++tau) n += w.counts[cell_index(seg, tau)];
    customers_end += n;
    if (n > 0) equity += static_cast<double>(n) * m.equity_per_customer[seg];
  }
  equity *= discount[m.horizon - 1];

  out[kNpv] = npv;
  out[kProfit] = profit;
  out[kCustomersEnd] = static_cast<double>(customers_end);
  out[kAcquired] = static_cast<double>(acquired);
  out[kChurned] = static_cast<double>(churned);
  out[kCashTrough] = trough;
  out[kAcquisitionSpend] = acquisition_total;
  out[kRetentionSpend] = retention_total;
  out[kEquityEnd] = equity;
  out[kNpvWithEquity] = npv + equity;
  out[kPoolEnd] = static_cast<double>(pool);
  for (int tier = 0; tier < m.tiers; ++tier)
    out[kFixedMetricCount + tier] = w.result.series[tier * m.horizon + (m.horizon - 1)];
}

}  // namespace tenure
