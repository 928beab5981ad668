// One simulated world under one policy: the population of customers, counted per
// (segment, tenure) cell, stepped period by period through the steps of MODEL.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/engine/cell_lanes.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/samplers.hpp"
#include "sim/engine/world.hpp"

namespace tenure {

// Where one path's results go, by the slots of model.layout; sized once per thread.
struct PathResult {
  std::vector<double> metrics;  // by metric slot
  std::vector<double> series;   // [series slot][period - 1]
  // The payback period, encoded as RunResults::payback says: 0 when cash never went below
  // zero, the first period back at or above zero after it did, horizon + 1 if never back.
  double payback = 0.0;
};

// The state of one world under one policy, carried from one period to the next.
// Its customers per cell are in the block's BlockCells.
struct PathState {
  // Customers per tier: the sum of its cells, kept as they change (no pass over the cells).
  std::vector<std::int64_t> tier_customers;
  std::int64_t pool = 0;          // prospects left in the market (with a market)
  double reputation = 0.0;        // share of prospects put off by negative word of mouth
  double effective_spend = 0.0;   // acquisition spend with adstock carried over
  double previous_revenue = 0.0;  // for a budget that is a share of revenue
  double cash = 0.0;              // cumulative cash flow
  bool cash_went_below = false;   // cumulative cash has been below zero
  // The totals over the periods so far are the path's metrics, in PathResult.
};

// What happens within one period, passed from step to step.
struct PeriodFlows {
  double budget = 0.0;
  double budget_multiplier = 1.0;  // the shocks', regime's and cash rule's, on every line
  std::int64_t existing = 0;       // customers at the start of the period: they refer
  std::int64_t active = 0;         // customers at the start plus those won in the period
  std::int64_t by_mix = 0;         // new customers to split over tiers by the new-customer mix
  double acquisition_spend = 0.0, retention_spend = 0.0, referral_cost = 0.0;
  double commissions = 0.0, concessions = 0.0;
  double revenue = 0.0, serve_cost = 0.0;
  std::int64_t unhappy_defectors = 0, lost = 0;
};

// Scratch memory for one thread, sized once so the per-period loop never allocates.
struct Workspace {
  explicit Workspace(const Model& model);
  // Sizes the scratch for a model (a world whose drawn inputs changed its cells); allocates
  // only when it grows.
  void fit(const Model& model);
  PathState state;
  PeriodFlows flows;
  std::vector<std::int64_t> tier_active;
  std::vector<std::int64_t> tier_draw;      // new customers per tier from the mix
  std::vector<std::int64_t> tier_referred;  // new customers per tier from customer referrals
  std::vector<double> move_now;             // this period's move probabilities of a tier
  PreparedMultinomial moves_prepared;       // the same, prepared once for every cell of it
  std::vector<std::int64_t> class_draw;     // scratch for splits over churn classes
  std::vector<double> tier_effect;          // retention effect per tier this period
  std::vector<double> tier_upgrade;         // upgrade multiplier per tier this period
  std::uint64_t draws = 0;                  // sampler calls, for benchmarks
  PathResult result;
};

// The customers of a block's worlds per (segment, tenure) cell, the worlds side by side: a
// cell's counts in every world of the block are one row, so the step that runs across the
// block reads and writes a row at a time, and what it works out for a cell (its streams'
// subject, where its customers go) serves every world.
struct BlockCells {
  explicit BlockCells(const Model& model) { fit(model); }
  // Sizes the rows for a model's cells; allocates only when they grow.
  void fit(const Model& model);
  // Empties every cell (a new path of each world).
  void clear();
  std::int64_t& count(std::size_t cell, std::size_t lane) {
    return counts[cell * kBlockWorlds + lane];
  }
  std::vector<std::int64_t> counts;  // [cell][world of the block], start of period
  std::vector<std::int64_t> next;    // the same, being filled for the next period
  // A bit per cell (cell c is bit c % 64 of word c / 64), set when customers enter it in
  // some world: the churn step visits only these, as most tenure cells are empty. A set bit
  // may cover an emptied cell; a clear one never has customers.
  std::vector<std::uint64_t> occupied;
  std::vector<std::uint64_t> occupied_next;  // the same for `next`
};

// Whether two worlds' cells line up, so they can be stepped together: a world whose drawn
// inputs rebuilt its model may differ in its tiers, classes or tenure cells.
bool same_cells(const Model& a, const Model& b);

// Simulates each world of a block under `plan` (one of model.policies) and writes each
// workspace's result. A world's results depend only on the world, never on the others in
// its block or on their number. The worlds must have the same cells (same_cells).
void simulate_paths(std::span<const World* const> worlds, const PolicyPlan& plan,
                    std::span<Workspace* const> workspaces, BlockCells& cells);

// The same for one world; `world.model` must be `model`.
void simulate_path(const Model& model, const World& world, const PolicyPlan& plan,
                   Workspace& workspace, BlockCells& cells);

}  // namespace tenure
