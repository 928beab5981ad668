#include "sim/engine/kernel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <stdexcept>

#include "sim/engine/block_steps.hpp"
#include "sim/engine/limits.hpp"
#include "sim/engine/period.hpp"
#include "sim/engine/random.hpp"
#include "sim/engine/samplers.hpp"

namespace tenure {

Workspace::Workspace(const Model& model) {
  fit(model);
}

void Workspace::fit(const Model& model) {
  for (auto* v : {&tier_active, &tier_draw, &tier_referred}) v->resize(model.tiers);
  for (auto* v : {&tier_effect, &tier_upgrade}) v->resize(model.tiers);
  class_draw.resize(model.classes);
  state.tier_customers.resize(model.tiers);
  std::size_t most_moves = 0;
  for (const auto& moves : model.move_probability) most_moves = std::max(most_moves, moves.size());
  move_now.resize(most_moves);
  moves_prepared.prepare(move_now);  // room for the most moves, so preparing never allocates
  result.metrics.resize(model.layout.metric_slots());
  result.series.resize(model.layout.series_slots() * model.horizon);
}

void BlockCells::fit(const Model& model) {
  const std::size_t cells = static_cast<std::size_t>(model.segments) * model.tenure_cells;
  counts.resize(cells * kBlockWorlds);
  next.resize(counts.size());
  occupied.resize((cells + 63) / 64);
  occupied_next.resize(occupied.size());
}

void BlockCells::clear() {
  for (auto* rows : {&counts, &next}) std::ranges::fill(*rows, 0);
  for (auto* bits : {&occupied, &occupied_next}) std::ranges::fill(*bits, 0);
}

namespace {

// A world whose counts outgrow what can be counted exactly ends the run with a clear message.
[[noreturn]] void stop_counting(const Period& p, const char* what, double count) {
  throw CountLimitError(fmt::format(
      "world {}, period {}: {:.3g} {}, more than the 1e15 that can be counted exactly; the "
      "scenario grows without bound (look at referral rates, the market or the horizon)",
      p.world.index, p.t, count, what));
}

std::int64_t customers_in_tier(const PathState& state, int tier) {
  return state.tier_customers[tier];
}

double weight_of(const std::vector<double>& weights, int tier) {
  return weights.empty() ? 1.0 : weights[tier];
}

// Adds n customers of a tier at tenure cell tau, split over the churn classes by their
// shares (a multinomial, prepared; no draw without heterogeneity).
void place(const Model& m, Workspace& w, const LaneCells& cells, RandomStream& rng, int tier,
           std::int64_t n, int tau, const PreparedMultinomial& classes) {
  if (n == 0) return;
  w.state.tier_customers[tier] += n;
  if (m.classes == 1) {
    cells.add(cell_index(m, tier, tau), n);
    return;
  }
  const std::size_t drawn = classes.categories();  // the last class takes the rest
  w.class_draw[drawn] = classes.draw(rng, n, {w.class_draw.data(), drawn});
  w.draws += drawn;
  for (int c = 0; c < m.classes; ++c)
    if (w.class_draw[c] > 0) cells.add(cell_index(m, tier * m.classes + c, tau), w.class_draw[c]);
}

// Initial customers: each cohort in the cell of its tenure, split across the churn classes
// at random by the shares of those who stayed that long.
// The block's cells are empty (BlockCells::clear).
void start_path(const Model& m, const World& world, Workspace& w, const LaneCells& cells) {
  const Parameters& s = m.parameters;
  PathState& state = w.state;
  std::fill(w.result.metrics.begin(), w.result.metrics.end(), 0.0);
  w.result.payback = 0.0;
  // Every value back to its start; the tier totals keep their storage, emptied (the cells are
  // the block's, emptied by BlockCells::clear).
  PathState fresh;
  fresh.tier_customers = std::move(state.tier_customers);
  std::ranges::fill(fresh.tier_customers, 0);
  state = std::move(fresh);
  for (int tier = 0; tier < m.tiers; ++tier)
    for (const Model::InitialCohort& cohort : m.initial[tier]) {
      const bool pooled = m.last_cell_pooled && cohort.cell == m.tenure_cells - 1;
      const Subject subject{m.tier_id[tier],
                            pooled ? kPooledTenure : static_cast<std::uint32_t>(cohort.cell)};
      RandomStream rng(world.seed, world.index, Stream::churn_classes, 0, subject);
      place(m, w, cells, rng, tier, cohort.customers, cohort.cell, cohort.classes);
    }
  for (int tier = 0; tier < m.tiers; ++tier)
    state.previous_revenue +=
        static_cast<double>(s.tiers[tier].initial_customers) * s.tiers[tier].margin;
  state.pool = static_cast<std::int64_t>(s.prospect_pool.value_or(0.0));
}

// 2. Budget and split: B_t is a fixed amount (with growth) or a share of last period's
// revenue kept between its floor and cap, times the budget multiplier: the shocks' and
// regime's, and the cash rule's while cumulative cash is below its threshold. Counts the
// customers at the start of the period.
void set_budget(Period& p) {
  const Budget& rule = p.m.parameters.budget;
  PeriodFlows& f = p.w.flows;
  f = PeriodFlows{};
  double base = p.m.base_budget[p.ti()];
  if (rule.share_of_revenue) {
    base = *rule.share_of_revenue * p.w.state.previous_revenue;
    if (rule.floor) base = std::max(base, *rule.floor);
    if (rule.cap) base = std::min(base, *rule.cap);
  }
  f.budget_multiplier = p.env.budget;
  if (rule.cut && p.w.state.cash < rule.cut->cash_below)
    f.budget_multiplier *= rule.cut->multiplier;
  f.budget = f.budget_multiplier * base;
  for (int tier = 0; tier < p.m.tiers; ++tier) {
    p.w.tier_active[tier] = customers_in_tier(p.w.state, tier);
    f.existing += p.w.tier_active[tier];
  }
  f.acquisition_spend = line_spend(p.split.acquisition, f.budget, f.budget_multiplier, 0);
  std::fill(p.w.tier_draw.begin(), p.w.tier_draw.end(), 0);
  std::fill(p.w.tier_referred.begin(), p.w.tier_referred.end(), 0);
}

// 3a. Paid marketing: expected new customers response(effective spend), scaled by what is
// left of the pool, by reputation damage and by the acquisition shock; a Poisson draw, or a
// binomial from the pool when there is one (so it never exceeds the pool).
void acquire_paid(Period& p) {
  const Parameters& s = p.m.parameters;
  if (!s.acquisition) return;
  PathState& state = p.w.state;
  // Geometric adstock: effective_t = A_t + adstock * effective_{t-1}.
  state.effective_spend =
      p.w.flows.acquisition_spend + s.acquisition->adstock * state.effective_spend;
  double mean = expected_new_customers(s.acquisition->response, state.effective_spend) *
                p.env.acquisition * (1.0 - state.reputation);
  if (s.prospect_pool) mean *= static_cast<double>(state.pool) / *s.prospect_pool;
  if (mean > 0.0) {
    RandomStream rng = p.stream(Stream::acquisition);
    p.w.flows.by_mix = s.prospect_pool
                           ? binomial(rng, state.pool, mean / static_cast<double>(state.pool))
                           : poisson(rng, mean);
    ++p.w.draws;
  }
  if (s.prospect_pool) state.pool -= p.w.flows.by_mix;
}

// Caps conversions by what is left of the pool (with a market) and takes them out of it.
std::int64_t take_from_pool(const Parameters& s, PathState& state, std::int64_t won) {
  if (!s.prospect_pool) return won;
  won = std::min(won, state.pool);
  state.pool -= won;
  return won;
}

// 3b. Customer referrals: each customer of tier k refers Poisson(rate_k * uplift(f))
// prospects, f the referral-program spend per existing customer; each converts with its
// own probability and joins the referrer's tier.
void acquire_referrals(Period& p) {
  const Parameters& s = p.m.parameters;
  if (!s.referrals) return;
  const CustomerReferrals& r = *s.referrals;
  PeriodFlows& f = p.w.flows;
  const double program =
      f.existing > 0 ? line_spend(p.split.referral, f.budget, f.budget_multiplier, f.existing)
                     : 0.0;
  const double multiplier = uplift(
      r.max_uplift, r.scale, f.existing > 0 ? program / static_cast<double>(f.existing) : 0.0);
  std::int64_t won_total = 0;
  for (int tier = 0; tier < p.m.tiers; ++tier) {
    const double mean = static_cast<double>(p.w.tier_active[tier]) * r.rate[tier] * multiplier;
    if (mean <= 0.0) continue;
    if (mean > limits::kCustomers) stop_counting(p, "referred prospects", mean);
    RandomStream rng = p.stream(Stream::referrals, Subject{p.m.tier_id[tier]});
    const std::int64_t prospects = poisson(rng, mean);
    const std::int64_t won = take_from_pool(s, p.w.state, binomial(rng, prospects, r.conversion));
    p.w.draws += 2;
    p.w.tier_referred[tier] = won;
    won_total += won;
    record(p, metric("referred"), static_cast<double>(prospects));
  }
  record(p, metric("referral_won"), static_cast<double>(won_total));
  f.referral_cost = program + static_cast<double>(won_total) * r.reward;
  record(p, metric("referral_cost"), f.referral_cost);
  record(p, metric("acquired"), static_cast<double>(won_total));
}

// 3c. Intermediaries: Poisson referred prospects, binomial conversions, a commission each.
void acquire_intermediaries(Period& p) {
  const std::vector<Intermediary>& sources = p.m.parameters.intermediaries;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    RandomStream rng = p.stream(Stream::intermediaries, Subject{p.m.source_id[i]});
    const std::int64_t prospects = poisson(rng, sources[i].prospects);
    const std::int64_t won =
        take_from_pool(p.m.parameters, p.w.state, binomial(rng, prospects, sources[i].conversion));
    p.w.draws += 2;
    p.w.flows.by_mix += won;
    const double commission = static_cast<double>(won) * sources[i].commission;
    p.w.flows.commissions += commission;
    record(p, metric_family("won_"), i, static_cast<double>(won));
    record(p, metric_family("commission_"), i, commission);
    record(p, metric("intermediary_won"), static_cast<double>(won));
  }
  record(p, metric("commissions"), p.w.flows.commissions);
}

// 4. Revenue and cost to serve of the active customers (start of period plus new); margins
// grow with tenure where the scenario says so. Also each tier's own contribution to NPV,
// before marketing: its margins less its cost to serve.
void earn_margins(Period& p) {
  const Model& m = p.m;
  Workspace& w = p.w;
  for (int tier = 0; tier < m.tiers; ++tier) {
    const std::int64_t n = customers_in_tier(w.state, tier);
    // Customers weighted by their margin growth; without growth, the customers (exactly:
    // every partial sum is an integer below 2^53).
    double margin_units = static_cast<double>(n);
    if (m.margin_grows[tier]) {
      const std::vector<double>& growth = m.margin_growth_by_cell[tier];
      margin_units = 0.0;
      for (int c = 0; c < m.classes; ++c)
        for (int tau = 0; tau < m.tenure_cells; ++tau)
          margin_units +=
              static_cast<double>(p.cells[p.cell(tier * m.classes + c, tau)]) * growth[tau];
    }
    w.tier_active[tier] = n;
    w.flows.active += n;
    const Tier& parameters = m.parameters.tiers[tier];
    const double tier_revenue = margin_units * parameters.margin * p.env.margin;
    const double tier_cost = static_cast<double>(n) * parameters.cost_to_serve * p.env.costs;
    w.flows.revenue += tier_revenue;
    w.flows.serve_cost += tier_cost;
    record(p, metric_family("npv_"), tier, tier_revenue - tier_cost);
  }
}

// Retention: the total is spread so spend per customer is proportional to the tier's
// weight, r_k = R w_k / sum_j w_j N_j; with nobody to spend on, nothing is spent. Sets each
// tier's retention effect on churn and upgrade multiplier for this period.
void spend_on_retention(Period& p) {
  const Parameters& s = p.m.parameters;
  Workspace& w = p.w;
  const std::vector<double>& weights = p.split.retention_weights;
  const double budget =
      line_spend(p.split.retention, w.flows.budget, w.flows.budget_multiplier, w.flows.active);
  double weighted_customers = 0.0;
  for (int tier = 0; tier < p.m.tiers; ++tier)
    weighted_customers += weight_of(weights, tier) * static_cast<double>(w.tier_active[tier]);
  const bool spend = s.retention && budget > 0.0 && weighted_customers > 0.0;
  w.flows.retention_spend = spend ? budget : 0.0;
  for (int tier = 0; tier < p.m.tiers; ++tier) {
    const double per_customer =
        spend ? budget * weight_of(weights, tier) / weighted_customers : 0.0;
    w.tier_effect[tier] = s.retention ? retention_effect(*s.retention, per_customer) : 1.0;
    w.tier_upgrade[tier] =
        s.upgrade ? uplift(s.upgrade->max_uplift, s.upgrade->scale, per_customer) : 1.0;
  }
}

// 8. Pool and reputation: everyone who left returns to the pool; each unhappy defector
// reaches `reach` prospects, a `trust` share of whom are put off, and the damage decays:
// damage_t = min(1, (1 - decay) damage_{t-1} + trust * min(1, reach * D_t / pool_t)).
void update_pool_and_reputation(Period& p) {
  const Parameters& s = p.m.parameters;
  PathState& state = p.w.state;
  if (s.prospect_pool) state.pool += p.w.flows.lost;
  if (!s.word_of_mouth) return;
  const WordOfMouth& wom = *s.word_of_mouth;
  const double reached =
      state.pool > 0 ? std::min(1.0, wom.reach * static_cast<double>(p.w.flows.unhappy_defectors) /
                                         static_cast<double>(state.pool))
                     : 0.0;
  state.reputation = std::min(1.0, (1.0 - wom.decay) * state.reputation + wom.trust * reached);
}

// 9. Cash flow, discounted at the end of the period (the npv metric's fold).
void book_cash_flow(Period& p) {
  const PeriodFlows& f = p.w.flows;
  PathState& state = p.w.state;
  const double cash_flow = f.revenue - f.serve_cost - f.acquisition_spend - f.retention_spend -
                           f.concessions - f.referral_cost - f.commissions -
                           p.m.parameters.fixed_costs * p.env.costs;
  record(p, metric("npv"), cash_flow);
  record(p, metric("profit"), cash_flow);
  state.cash += cash_flow;
  record(p, metric("cash_trough"), state.cash);
  // Payback: the first period cash is back at or above zero after it went below.
  if (state.cash_went_below && p.w.result.payback == 0.0 && state.cash >= 0.0)
    p.w.result.payback = p.t;
  state.cash_went_below = state.cash_went_below || state.cash < 0.0;
  record(p, metric("acquisition_spend"), f.acquisition_spend);
  record(p, metric("retention_spend"), f.retention_spend);
  state.previous_revenue = f.revenue;
}

// Per-period series: customers per tier at the end of the period, total, cash, reputation
// damage and prospect pool.
void record_series(Period& p) {
  std::int64_t total = 0;
  for (int tier = 0; tier < p.m.tiers; ++tier) {
    const std::int64_t n = customers_in_tier(p.w.state, tier);
    record(p, series_family("customers_"), tier, static_cast<double>(n));
    total += n;
  }
  if (static_cast<double>(total) > limits::kCustomers)
    stop_counting(p, "customers", static_cast<double>(total));
  record(p, series("customers"), static_cast<double>(total));
  record(p, series("cash_cumulative"), p.w.state.cash);
  record(p, series("reputation_damage"), p.w.state.reputation);
  // The world's regime: an indicator per regime, whose mean over worlds is its share.
  for (std::size_t r = 0; r < p.m.layout.members(Members::regimes); ++r) {
    const double in = p.world.regime[p.ti()] == static_cast<int>(r) ? 1.0 : 0.0;
    record(p, series_family("regime_"), r, in);
    record(p, metric_family("periods_in_"), r, in);
  }
  record(p, series("prospect_pool"), static_cast<double>(p.w.state.pool));
}

// At the end of the horizon: customers left, per tier and in total, and their equity (the
// present value of the base left, in today's money).
void finish_path(Period& p) {
  const Model& m = p.m;
  const PathState& state = p.w.state;
  double equity = 0.0;
  std::int64_t customers_end = 0;
  for (int segment = 0; segment < m.segments; ++segment) {
    std::int64_t n = 0;
    for (int tau = 0; tau < m.tenure_cells; ++tau) n += p.cells[p.cell(segment, tau)];
    customers_end += n;
    if (n > 0) equity += static_cast<double>(n) * m.equity_per_customer[segment];
  }
  equity *= m.discount_factor[m.horizon - 1];
  for (int tier = 0; tier < m.tiers; ++tier)
    record(p, metric_family("customers_end_"), tier,
           static_cast<double>(customers_in_tier(state, tier)));
  record(p, metric("customers_end"), static_cast<double>(customers_end));
  record(p, metric("equity_end"), equity);
  record(p, metric("npv_with_equity"),
         p.w.result.metrics[MetricLayout::slot(metric("npv"))] + equity);
  record(p, metric("pool_end"), static_cast<double>(state.pool));
  if (state.cash_went_below && p.w.result.payback == 0.0) p.w.result.payback = m.horizon + 1;
}

}  // namespace

bool same_cells(const Model& a, const Model& b) {
  return &a == &b ||
         (a.tiers == b.tiers && a.classes == b.classes && a.tenure_cells == b.tenure_cells &&
          a.horizon == b.horizon && a.last_cell_pooled == b.last_cell_pooled &&
          a.move_to == b.move_to && a.tier_id == b.tier_id);
}

namespace {

// A period's steps before the new customers join (2-3), in one world of a block.
void open_period(Period& p) {
  set_budget(p);              // 2. budget and split
  acquire_paid(p);            // 3. acquisition: paid marketing,
  acquire_referrals(p);       //    customer referrals,
  acquire_intermediaries(p);  //    intermediaries
}

// A period's steps after the new customers joined, before the service failures (4), in one
// world.
void serve_period(Period& p) {
  earn_margins(p);        // 4. revenue and cost to serve
  spend_on_retention(p);  //    retention spend and its effects
}

// A period's steps after churn (8-9), in one world of a block.
void close_period(Period& p) {
  record(p, metric("churned"), static_cast<double>(p.w.flows.lost));
  update_pool_and_reputation(p);  // 8. pool and reputation
  book_cash_flow(p);              // 9. cash flow, discounted
  record_series(p);
  if (p.t == p.m.horizon) finish_path(p);
}

}  // namespace

void simulate_paths(std::span<const World* const> worlds, const PolicyPlan& plan,
                    std::span<Workspace* const> workspaces, BlockCells& cells) {
  if (worlds.empty() || worlds.size() > kBlockWorlds || workspaces.size() != worlds.size())
    throw std::logic_error("a block holds 1 to kBlockWorlds worlds, each with its workspace");
  const Model& shape = *worlds.front()->model;
  cells.clear();
  for (std::size_t l = 0; l < worlds.size(); ++l) {
    if (!same_cells(shape, *worlds[l]->model) || worlds[l]->seed != worlds[0]->seed)
      throw std::logic_error("the worlds of a block must have the same cells and seed");
    start_path(*worlds[l]->model, *worlds[l], *workspaces[l], LaneCells{cells, l});
  }
  std::array<Lane, kBlockWorlds> lanes;
  const std::span<Lane> block(lanes.data(), worlds.size());
  const auto each_world = [&](int t, const auto& step) {
    for (std::size_t l = 0; l < block.size(); ++l) {
      Period period = lane_period(block[l], cells, l, t);
      step(period);
    }
  };
  for (int t = 1; t <= shape.horizon; ++t) {
    for (std::size_t l = 0; l < block.size(); ++l) {
      const World& world = *worlds[l];
      block[l] = {world.model, &world, &plan.in_period(t), &world.in_period(t), workspaces[l]};
    }
    each_world(t, open_period);            // 2-3. budget, acquisition
    split_new_customers(block, cells, t);  // 3. new customers into tiers,
    place_new_customers(block, cells, t);  //    and into churn classes
    each_world(t, serve_period);           // 4. margins, retention
    fail_and_recover(block, cells, t);     // 5. service failures and recovery
    churn_and_migrate(block, cells, t);    // 6-7. churn, migration, ageing
    each_world(t, close_period);           // 8-9. pool, reputation, cash flow
  }
}

void simulate_path(const Model& model, const World& world, const PolicyPlan& plan,
                   Workspace& workspace, BlockCells& cells) {
  if (world.model != &model) throw std::logic_error("the world belongs to another model");
  const World* const worlds[] = {&world};
  Workspace* const workspaces[] = {&workspace};
  simulate_paths(worlds, plan, workspaces, cells);
}

}  // namespace tenure
