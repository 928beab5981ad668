#include "sim/engine/kernel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <cmath>
#include <limits>
#include <span>
#include <stdexcept>

#include "sim/engine/limits.hpp"
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

// Marks a cell as holding customers in some world of the block (BlockCells::occupied).
void mark(std::vector<std::uint64_t>& occupied, std::size_t cell) {
  occupied[cell / 64] |= std::uint64_t{1} << (cell % 64);
}

// Calls visit(i) for each set bit i of `bits`, lowest first.
template <typename Visit>
void for_each_bit(std::uint64_t bits, const Visit& visit) {
  for (; bits != 0; bits &= bits - 1) visit(static_cast<std::size_t>(std::countr_zero(bits)));
}

// Calls visit(cell) for each cell of [first, end) whose occupancy bit is set, in order.
template <typename Visit>
void for_each_occupied(const std::vector<std::uint64_t>& occupied, std::size_t first,
                       std::size_t end, const Visit& visit) {
  for (std::size_t word = first / 64; word * 64 < end; ++word) {
    std::uint64_t bits = occupied[word];
    if (word * 64 < first) bits &= ~std::uint64_t{0} << (first % 64);
    if (word * 64 + 64 > end) bits &= (std::uint64_t{1} << (end % 64)) - 1;
    for_each_bit(bits, [&](std::size_t bit) { visit(word * 64 + bit); });
  }
}

// One world's cells in its block's BlockCells.
struct LaneCells {
  BlockCells& block;
  std::size_t lane;

  std::int64_t& operator[](std::size_t cell) const { return block.count(cell, lane); }
  void add(std::size_t cell, std::int64_t n) const {
    block.count(cell, lane) += n;
    mark(block.occupied, cell);
  }
};

// One period of one path: what every step reads and writes.
struct Period {
  const Model& m;
  const World& world;
  const PolicyStep& split;  // the policy's step in force
  const Environment& env;   // this period's multipliers
  int t;
  Workspace& w;
  LaneCells cells;

  std::size_t ti() const { return static_cast<std::size_t>(t - 1); }
  std::size_t cell(int segment, int tau) const {
    return static_cast<std::size_t>(segment) * m.tenure_cells + tau;
  }
  RandomStream stream(Stream kind, Subject subject = {}) const {
    return RandomStream(world.seed, world.index, kind, static_cast<std::uint64_t>(t), subject);
  }
};

// A cell's draws are keyed by its tier, tenure and churn class, not by its index.
Subject cell_subject(const Model& m, int segment, int tau) {
  const Segment& s = m.segment[segment];
  const bool pooled = m.last_cell_pooled && tau == m.tenure_cells - 1;
  return {m.tier_id[s.tier], pooled ? kPooledTenure : static_cast<std::uint32_t>(tau),
          static_cast<std::uint32_t>(s.churn_class)};
}

// Records a period's value of a metric, folded as its declaration says.
void record(const Period& p, MetricId id, double value) {
  fold_into(p.w.result.metrics[MetricLayout::slot(id)], kMetricDecls[id.index].fold, value,
            p.m.discount_factor[p.ti()]);
}
void record(const Period& p, MetricFamilyId id, std::size_t member, double value) {
  fold_into(p.w.result.metrics[p.m.layout.slot(id, member)], kMetricFamilyDecls[id.index].fold,
            value, p.m.discount_factor[p.ti()]);
}
// Records a series' value for this period.
void record(const Period& p, SeriesId id, double value) {
  p.w.result.series[p.m.layout.slot(id) * p.m.horizon + p.ti()] = value;
}
void record(const Period& p, SeriesFamilyId id, std::size_t member, double value) {
  p.w.result.series[p.m.layout.slot(id, member) * p.m.horizon + p.ti()] = value;
}

// A world whose counts outgrow what can be counted exactly ends the run with a clear message.
[[noreturn]] void stop_counting(const Period& p, const char* what, double count) {
  throw CountLimitError(fmt::format(
      "world {}, period {}: {:.3g} {}, more than the 1e15 that can be counted exactly; the "
      "scenario grows without bound (look at referral rates, the market or the horizon)",
      p.world.index, p.t, count, what));
}

std::size_t cell_index(const Model& m, int segment, int tau) {
  return static_cast<std::size_t>(segment) * m.tenure_cells + tau;
}

std::int64_t customers_in_tier(const PathState& state, int tier) {
  return state.tier_customers[tier];
}

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

// 3d. Paid and intermediary customers are split over tiers by the mix (multinomial); they
// join with the referred at tenure 0 (place_new_customers, across the block).
void split_new_customers(Period& p) {
  Workspace& w = p.w;
  if (w.flows.by_mix > 0) {
    RandomStream mix_rng = p.stream(Stream::new_customer_mix);
    const std::size_t drawn = p.m.new_customer_mix.categories();  // the last tier takes the rest
    w.tier_draw[drawn] =
        p.m.new_customer_mix.draw(mix_rng, w.flows.by_mix, {w.tier_draw.data(), drawn});
    w.draws += drawn;
    record(p, metric("acquired"), static_cast<double>(w.flows.by_mix));
  }
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

// 5. The recovery offers the fund can pay for this period; a zero concession is never limited
// by the fund, nor is a fund paying for more than 1e18 (no count gets there; converting more
// overflows).
std::int64_t affordable_offers(const Period& p) {
  const Service& service = *p.m.parameters.service;
  const double fund =
      line_spend(p.split.recovery, p.w.flows.budget, p.w.flows.budget_multiplier, p.w.flows.active);
  const double affordable =
      service.concession > 0.0 ? std::floor(fund / service.concession + 1e-9) : 1e18;
  return affordable < 1e18 ? static_cast<std::int64_t>(affordable)
                           : std::numeric_limits<std::int64_t>::max();
}

// 5. A cell's service failures in one world, once drawn (fail_in_cell): the offers made
// while the fund lasts and the unresolved who defect.
void settle_failures(Period& p, std::size_t cell, int tier, std::int64_t failures,
                     std::int64_t offered, std::int64_t defected) {
  Workspace& w = p.w;
  w.draws += 2;
  p.cells[cell] -= defected;
  w.state.tier_customers[tier] -= defected;
  w.flows.unhappy_defectors += defected;
  w.flows.concessions += static_cast<double>(offered) * p.m.parameters.service->concession;
  record(p, metric("failures"), static_cast<double>(failures));
  record(p, metric("recoveries_offered"), static_cast<double>(offered));
}

// One world of a block in the step that runs across the block (churn_and_migrate).
struct Lane {
  const Model* m;
  const World* world;
  const PolicyStep* split;  // the policy's step in force
  const Environment* env;
  Workspace* w;
  const PreparedMultinomial* moves = nullptr;  // its tier's moves this period
};

// World l of a block as its period's steps see it.
Period lane_period(const Lane& lane, BlockCells& cells, std::size_t l, int t) {
  return Period{*lane.m, *lane.world, *lane.split, *lane.env, t, *lane.w, {cells, l}};
}

// This period's moves of a tier in one world (tier_moves, model.hpp): prepared once for the
// run when nothing changes them, else once for every cell of the tier.
const PreparedMultinomial& moves_now(const Lane& lane, int tier) {
  const Model& m = *lane.m;
  Workspace& w = *lane.w;
  const std::optional<PreparedMultinomial>& fixed = m.fixed_moves[tier];
  if (fixed) return *fixed;
  const std::span<double> now(w.move_now.data(), m.move_probability[tier].size());
  tier_moves(m, tier, w.tier_upgrade[tier], now);
  w.moves_prepared.prepare(now);
  return w.moves_prepared;
}

// A tier's moves this period in every world of a block: for move j, each world's
// conditional probability and its log_q (PreparedMultinomial::conditional).
struct TierMoves {
  std::array<WorldRow<double>, limits::kTiers> p{}, log_q{};
};

// What the step adds up in every world of a block, kept as rows and handed to each world's
// workspace when the step is done: draws made, customers lost, each tier's customers after.
struct BlockTotals {
  WorldRow<std::uint64_t> draws{};
  WorldRow<std::int64_t> lost{};
  std::array<WorldRow<std::int64_t>, limits::kTiers> tier{};
};

// A cell's draws in every world of a block: the customers, the words of each world's stream
// of the cell (churn, then each move), and what is left after each draw.
struct CellRow {
  static constexpr std::size_t kWords = 4 * ((limits::kTiers + 3) / 4);  // churn + moves
  WorldRow<std::int64_t> n{}, stay{}, drawn{};
  std::array<WorldRow<std::uint64_t>, kWords> word;
};

// The first words of each world's stream `kind` of period t about `subject`, as many as
// `word` has rows: word[i][l] is the i-th word of world l's stream (RandomStream::next_u64).
void stream_words(std::span<const Lane> lanes, Stream kind, int t, Subject subject,
                  std::span<WorldRow<std::uint64_t>> word) {
  WorldRow<std::uint64_t> world{};
  for (std::size_t l = 0; l < lanes.size(); ++l) world[l] = lanes[l].world->index;
  std::array<std::uint64_t, 4> counter =
      RandomStream::counter(kind, static_cast<std::uint64_t>(t), subject);
  for (std::size_t block = 0; 4 * block < word.size(); ++block) {
    counter[3] = block;  // RandomStream's blocks 0, 1, ...
    std::array<WorldRow<std::uint64_t>, 4> out;
    philox_row(counter, lanes.front().world->seed, world, out);
    for (std::size_t k = 0; k < 4 && 4 * block + k < word.size(); ++k) word[4 * block + k] = out[k];
  }
}

// Churn in every world: binomial(stream, n, min(1, h)) with h the world's hazard, its
// segment's churn this period (hazard_base) times the loyalty of the tenure. The draws of
// small mean in lanes, the others one by one.
void draw_churn(std::span<const Lane> lanes, const WorldRow<double>& hazard_base, CellRow& d,
                int tau) {
  WorldRow<double> p{};
  for (std::size_t l = 0; l < lanes.size(); ++l)
    p[l] = std::min(1.0, hazard_base[l] * lanes[l].m->loyalty_by_cell[tau]);
  for_each_bit(binomial_row(d.word[0], d.n, p, nullptr, d.drawn), [&](std::size_t l) {
    d.drawn[l] = binomial_quantile(RandomStream::to_uniform(d.word[0][l]), d.n[l], p[l]);
  });
  for (std::size_t l = 0; l < kBlockWorlds; ++l) d.stay[l] = d.n[l] - d.drawn[l];
}

// Move j of the survivors in every world: its conditional binomial among those not yet
// moved (PreparedMultinomial::draw), from word 1 + j of the stream.
void draw_move(std::span<const Lane> lanes, CellRow& d, std::size_t j, const TierMoves& moves) {
  const std::uint64_t left =
      binomial_row(d.word[1 + j], d.stay, moves.p[j], &moves.log_q[j], d.drawn);
  for_each_bit(left, [&](std::size_t l) {
    d.drawn[l] = lanes[l].moves->conditional(j).quantile(RandomStream::to_uniform(d.word[1 + j][l]),
                                                         d.stay[l]);
  });
  for (std::size_t l = 0; l < kBlockWorlds; ++l) d.stay[l] -= d.drawn[l];
}

// Adds a row of counts to a cell, of this period's cells (counts, occupied) or the next's
// (next, occupied_next), and marks it if any is above 0.
void add_row(std::vector<std::int64_t>& rows, std::vector<std::uint64_t>& occupied,
             std::size_t cell, const WorldRow<std::int64_t>& counts) {
  std::int64_t* row = &rows[cell * kBlockWorlds];
  bool any = false;
  for (std::size_t l = 0; l < kBlockWorlds; ++l) {
    row[l] += counts[l];
    any |= counts[l] > 0;
  }
  if (any) mark(occupied, cell);
}

// 3d, in every world of the block: each tier's new customers join at tenure 0, split over the
// churn classes by their shares, a multinomial (PreparedMultinomial::draw) from the tier's
// stream of the period, its conditional binomials drawn in lanes.
void place_new_customers(std::span<const Lane> lanes, BlockCells& cells, int t) {
  const Model& shape = *lanes.front().m;
  const auto classes = static_cast<std::size_t>(shape.classes);
  for (int tier = 0; tier < shape.tiers; ++tier) {
    WorldRow<std::int64_t> left{};  // not yet placed
    for (std::size_t l = 0; l < lanes.size(); ++l) {
      Workspace& w = *lanes[l].w;
      left[l] = w.tier_draw[tier] + w.tier_referred[tier];
      w.state.tier_customers[tier] += left[l];
      w.draws += left[l] > 0 ? classes - 1 : 0;
    }
    if (std::ranges::all_of(left, [](std::int64_t n) { return n == 0; })) continue;
    const int first = tier * shape.classes;  // the tier's first segment
    std::array<WorldRow<std::uint64_t>, limits::kChurnClasses> word;
    stream_words(lanes, Stream::churn_classes, t, Subject{shape.tier_id[tier]},
                 {word.data(), classes - 1});
    for (std::size_t c = 0; c + 1 < classes; ++c) {  // the last class takes the rest
      WorldRow<double> p{}, log_q{};
      for (std::size_t l = 0; l < lanes.size(); ++l) {
        const PreparedBinomial& share = lanes[l].m->new_customer_classes[tier].conditional(c);
        p[l] = share.probability();
        log_q[l] = share.log_q();
      }
      WorldRow<std::int64_t> drawn;
      for_each_bit(binomial_row(word[c], left, p, &log_q, drawn), [&](std::size_t l) {
        drawn[l] = lanes[l].m->new_customer_classes[tier].conditional(c).quantile(
            RandomStream::to_uniform(word[c][l]), left[l]);
      });
      add_row(cells.counts, cells.occupied, cell_index(shape, first + static_cast<int>(c), 0),
              drawn);
      for (std::size_t l = 0; l < kBlockWorlds; ++l) left[l] -= drawn[l];
    }
    add_row(cells.counts, cells.occupied, cell_index(shape, first + shape.classes - 1, 0), left);
  }
}

// A binomial draw in every world of a row, each from the first word of its own stream `kind`
// of the period about `subject`: those of small mean in lanes, the others one by one.
WorldRow<std::int64_t> draw_row(std::span<const Lane> lanes, Stream kind, int t, Subject subject,
                                const WorldRow<std::int64_t>& n, const WorldRow<double>& p) {
  std::array<WorldRow<std::uint64_t>, 1> word;
  stream_words(lanes, kind, t, subject, word);
  WorldRow<std::int64_t> drawn;
  for_each_bit(binomial_row(word[0], n, p, nullptr, drawn), [&](std::size_t l) {
    drawn[l] = binomial_quantile(RandomStream::to_uniform(word[0][l]), n[l], p[l]);
  });
  return drawn;
}

// 5. Service failures of one cell in every world of the block: failures, offers while each
// world's fund lasts (offers_left), recoveries, and defections of the unresolved; each
// world's draws from its own streams of the cell.
void fail_in_cell(std::span<const Lane> lanes, BlockCells& cells, int t, int segment, int tau,
                  WorldRow<std::int64_t>& offers_left) {
  const Model& shape = *lanes.front().m;
  const int tier = shape.segment[segment].tier;
  const std::size_t cell = cell_index(shape, segment, tau);
  const Subject subject = cell_subject(shape, segment, tau);
  WorldRow<std::int64_t> n{};
  WorldRow<double> failure{}, success{}, defection{};
  for (std::size_t l = 0; l < lanes.size(); ++l) {
    const Service& service = *lanes[l].m->parameters.service;
    n[l] = cells.count(cell, l);
    lanes[l].w->draws += n[l] > 0 ? 1 : 0;
    failure[l] = service.failure[tier];
    success[l] = service.recovery_success;
    defection[l] = service.defection[tier];
  }
  const WorldRow<std::int64_t> failures = draw_row(lanes, Stream::failures, t, subject, n, failure);
  if (std::ranges::all_of(failures, [](std::int64_t f) { return f == 0; })) return;
  const std::vector<bool>& eligible_tiers = lanes.front().split->recovery_tiers;
  const bool eligible = eligible_tiers.empty() || eligible_tiers[tier];
  WorldRow<std::int64_t> offered{}, unresolved{};
  for (std::size_t l = 0; l < kBlockWorlds; ++l)
    offered[l] = eligible ? std::min(failures[l], offers_left[l]) : 0;
  const WorldRow<std::int64_t> resolved =
      draw_row(lanes, Stream::recovery, t, subject, offered, success);
  for (std::size_t l = 0; l < kBlockWorlds; ++l) unresolved[l] = failures[l] - resolved[l];
  const WorldRow<std::int64_t> defected =
      draw_row(lanes, Stream::defection, t, subject, unresolved, defection);
  for (std::size_t l = 0; l < lanes.size(); ++l) {
    if (failures[l] == 0) continue;
    Period p = lane_period(lanes[l], cells, l, t);
    settle_failures(p, cell, tier, failures[l], offered[l], defected[l]);
    offers_left[l] -= offered[l];
  }
}

// 5. Service failures in every world of the block, in tier order (best first) and, within a
// tier, longest-standing customers first, so each world's recovery fund goes to its best
// customers while it lasts.
void fail_and_recover(std::span<const Lane> lanes, BlockCells& cells, int t) {
  const Model& shape = *lanes.front().m;
  if (!shape.parameters.service) return;
  WorldRow<std::int64_t> offers_left{};
  for (std::size_t l = 0; l < lanes.size(); ++l)
    offers_left[l] = affordable_offers(lane_period(lanes[l], cells, l, t));
  for (int segment = 0; segment < shape.segments; ++segment)
    for (int tau = shape.tenure_cells - 1; tau >= 0; --tau) {
      const std::size_t cell = cell_index(shape, segment, tau);
      if ((cells.occupied[cell / 64] >> (cell % 64) & 1) != 0)
        fail_in_cell(lanes, cells, t, segment, tau, offers_left);
    }
  for (std::size_t l = 0; l < lanes.size(); ++l) {
    Period p = lane_period(lanes[l], cells, l, t);
    record(p, metric("concessions_paid"), p.w.flows.concessions);
    record(p, metric("defected"), static_cast<double>(p.w.flows.unhappy_defectors));
  }
}

// 6-7. Churn of one cell at the end of the period in every world of the block, then
// migration of the survivors, then ageing:
// h = base churn * loyalty(tenure) * retention effect * churn shock, capped at 1.
// Each world draws from its own stream of the cell, so its counts do not depend on the
// others; the cell's subject and where its customers go are worked out once for all.
void churn_cell(std::span<const Lane> lanes, const TierMoves& moves,
                const WorldRow<double>& hazard_base, BlockCells& cells, BlockTotals& totals, int t,
                int segment, int tau) {
  const Model& shape = *lanes.front().m;
  const int tier = shape.segment[segment].tier, churn_class = shape.segment[segment].churn_class;
  const int aged = std::min(tau + 1, shape.tenure_cells - 1);
  const std::vector<int>& move_to = shape.move_to[tier];
  std::int64_t* row = &cells.counts[cell_index(shape, segment, tau) * kBlockWorlds];
  CellRow d;
  for (std::size_t l = 0; l < kBlockWorlds; ++l) {
    d.n[l] = row[l];
    row[l] = 0;  // emptied as read: it is the next period's `next`
  }
  stream_words(lanes, Stream::churn_and_migration, t, cell_subject(shape, segment, tau),
               {d.word.data(), 1 + move_to.size()});
  draw_churn(lanes, hazard_base, d, tau);
  // The worlds past the block's last hold no customers: they add 0.
  for (std::size_t l = 0; l < kBlockWorlds; ++l) {
    totals.draws[l] +=
        static_cast<std::uint64_t>(d.n[l] > 0) * (1 + (d.stay[l] > 0) * move_to.size());
    totals.lost[l] += d.drawn[l];
  }
  for (std::size_t j = 0; j < move_to.size(); ++j) {
    draw_move(lanes, d, j, moves);
    add_row(cells.next, cells.occupied_next,
            cell_index(shape, move_to[j] * shape.classes + churn_class, aged), d.drawn);
    for (std::size_t l = 0; l < kBlockWorlds; ++l) totals.tier[move_to[j]][l] += d.drawn[l];
  }
  add_row(cells.next, cells.occupied_next, cell_index(shape, segment, aged), d.stay);
  for (std::size_t l = 0; l < kBlockWorlds; ++l) totals.tier[tier][l] += d.stay[l];
}

// 6-7 for every cell, in every world of the block; the cells of the block's worlds line up
// (same_cells).
// `next` is empty: the cells were emptied as they were read the period before (or at the
// start of the path), so only the cells that receive customers are written.
void churn_and_migrate(std::span<Lane> lanes, BlockCells& cells, int t) {
  const Model& shape = *lanes.front().m;
  BlockTotals totals;
  TierMoves moves;
  WorldRow<double> hazard_base{};  // a segment's churn this period, before loyalty
  for (int tier = 0; tier < shape.tiers; ++tier) {
    for (std::size_t l = 0; l < lanes.size(); ++l) {
      lanes[l].moves = &moves_now(lanes[l], tier);
      for (std::size_t j = 0; j < lanes[l].moves->categories(); ++j) {
        moves.p[j][l] = lanes[l].moves->conditional(j).probability();
        moves.log_q[j][l] = lanes[l].moves->conditional(j).log_q();
      }
    }
    for (int segment = tier * shape.classes; segment < (tier + 1) * shape.classes; ++segment) {
      for (std::size_t l = 0; l < lanes.size(); ++l)
        hazard_base[l] = lanes[l].m->segment[segment].churn * lanes[l].w->tier_effect[tier] *
                         lanes[l].env->churn;
      const std::size_t first = cell_index(shape, segment, 0);
      for_each_occupied(cells.occupied, first, first + shape.tenure_cells, [&](std::size_t cell) {
        churn_cell(lanes, moves, hazard_base, cells, totals, t, segment,
                   static_cast<int>(cell - first));
      });
    }
  }
  std::swap(cells.counts, cells.next);
  std::ranges::fill(cells.occupied, 0);  // every cell was emptied as it was read
  std::swap(cells.occupied, cells.occupied_next);
  for (std::size_t l = 0; l < lanes.size(); ++l) {
    Workspace& w = *lanes[l].w;
    w.draws += totals.draws[l];
    w.flows.lost = w.flows.unhappy_defectors + totals.lost[l];
    for (int tier = 0; tier < shape.tiers; ++tier)
      w.state.tier_customers[tier] = totals.tier[tier][l];
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
  acquire_intermediaries(p);  //    intermediaries,
  split_new_customers(p);     //    new customers into tiers
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
    each_world(t, open_period);            // 2-3. budget, acquisition, new customers' tiers
    place_new_customers(block, cells, t);  // 3. new customers into churn classes
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
