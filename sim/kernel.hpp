// One simulated world under one policy: the population of customers, counted per
// (segment, tenure) cell, stepped period by period through the steps of MODEL.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/model.hpp"
#include "sim/world.hpp"

namespace tenure {

// Per-path outcomes, by slot in PathResult::metrics. The first ten are always reported,
// in this order; the others only when the scenario uses the mechanism they measure.
// Per-tier and per-source slots follow kFixedMetricCount.
enum Metric : int {
  kNpv,                // discounted cash flow over the horizon
  kProfit,             // undiscounted cash flow over the horizon
  kCustomersEnd,       // customers after the last period's churn and migration
  kAcquired,           // new customers won over the horizon, from every source
  kChurned,            // customers lost over the horizon, defections included
  kCashTrough,         // lowest cumulative cash position, counting 0 before period 1
  kAcquisitionSpend,   // undiscounted paid-acquisition spend over the horizon
  kRetentionSpend,     // undiscounted retention spend over the horizon
  kEquityEnd,          // present value of the base left at the end (see Model)
  kNpvWithEquity,      // npv + equity_end: the horizon's cash and the value of the base left
  kFailures,           // service failures
  kRecoveriesOffered,  // failures offered a concession
  kConcessionsPaid,    // money paid in concessions
  kDefected,           // customers who defected after an unresolved failure
  kReferred,           // prospects referred by customers
  kReferralWon,        // customers won from customer referrals
  kReferralCost,       // referral-program spend plus rewards
  kIntermediaryWon,    // customers won through intermediaries
  kCommissions,        // commissions paid to intermediaries
  kPoolEnd,            // prospects left in the pool at the end
  kFixedMetricCount
};

// A reported metric: its name in the results and its slot in PathResult::metrics.
struct MetricSpec {
  std::string name;
  int slot = 0;
};

// The metrics a scenario reports: the ten always-on ones first (slot == index), then
// those of the mechanisms it uses, then customers_end_<tier>, npv_<tier> (the tier's
// discounted margins less cost to serve), then won_<source> and commission_<source> for
// each intermediary.
std::vector<MetricSpec> reported_metrics(const Model& model);

// Per-period series: customers of each tier at the end of the period, then the total,
// cumulative cash, and, when used, the reputation damage and the prospect pool.
std::vector<std::string> series_names(const Model& model);

// Where one path's results go; sized by the runner once per thread.
struct PathResult {
  std::vector<double> metrics;  // by slot: kFixedMetricCount + 2 * tiers + 2 * intermediaries
  std::vector<double> series;   // [series][period], series_names(model).size() * horizon
};

// The state of one world under one policy, carried from one period to the next.
struct PathState {
  std::vector<std::int64_t> counts;  // customers per [segment][tenure cell], start of period
  std::vector<std::int64_t> next;    // the same, being filled for the next period
  std::int64_t pool = 0;             // prospects left in the market (with a market)
  double reputation = 0.0;           // share of prospects put off by negative word of mouth
  double effective_spend = 0.0;      // acquisition spend with adstock carried over
  double previous_revenue = 0.0;     // for a budget that is a share of revenue
  double cash = 0.0;                 // cumulative cash flow
  // Totals over the periods so far.
  double npv = 0.0, profit = 0.0, trough = 0.0;
  double acquisition_spend = 0.0, retention_spend = 0.0;
  std::int64_t acquired = 0, churned = 0;
};

// What happens within one period, passed from step to step.
struct PeriodFlows {
  double budget = 0.0;
  std::int64_t existing = 0;  // customers at the start of the period: they refer
  std::int64_t active = 0;    // customers at the start plus those won in the period
  std::int64_t by_mix = 0;    // new customers to split over tiers by the new-customer mix
  double acquisition_spend = 0.0, retention_spend = 0.0, referral_cost = 0.0;
  double commissions = 0.0, concessions = 0.0;
  double revenue = 0.0, serve_cost = 0.0;
  std::int64_t unhappy_defectors = 0, lost = 0;
};

// Scratch memory for one thread, sized once so the per-period loop never allocates.
struct Workspace {
  explicit Workspace(const Model& model);
  PathState state;
  PeriodFlows flows;
  std::vector<std::int64_t> tier_active;
  std::vector<std::int64_t> tier_draw;      // new customers per tier from the mix
  std::vector<std::int64_t> tier_referred;  // new customers per tier from customer referrals
  std::vector<std::int64_t> move_draw;      // scratch for migration counts
  std::vector<double> move_now;             // this period's move probabilities of a tier
  std::vector<std::int64_t> class_draw;     // scratch for splits over churn classes
  std::vector<double> tier_effect;          // retention effect per tier this period
  std::vector<double> tier_upgrade;         // upgrade multiplier per tier this period
  std::uint64_t draws = 0;                  // sampler calls, for benchmarks
  PathResult result;
};

// Simulates `world` under `plan` (one of model.policies) and writes workspace.result.
void simulate_path(const Model& model, const World& world, const PolicyPlan& plan,
                   Workspace& workspace);

}  // namespace tenure
