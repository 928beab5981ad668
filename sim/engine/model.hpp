// The scenario turned into the constant tables the kernel reads: per-period multipliers,
// discount factors, the loyalty curve by tenure, each policy resolved period by period.
// Built once before the run, so the per-period loop only looks things up.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/engine/churn_classes.hpp"
#include "sim/engine/metrics.hpp"
#include "sim/engine/parameters.hpp"
#include "sim/engine/samplers.hpp"
#include "sim/engine/uncertainty.hpp"

namespace tenure {

// Acquisition response, MODEL step 3.
double expected_new_customers(const AcquisitionResponse& response, double spend);

// Retention effect on churn: 1 - max_reduction * (1 - exp(-r / scale)), r per customer.
double retention_effect(const RetentionResponse& response, double spend_per_customer);

// Loyalty multiplier at a tenure: floor + (1 - floor) * 0.5^(tenure / half_life), exactly
// the floor from tenure 8 * half_life on.
double loyalty_multiplier(const Loyalty& loyalty, double tenure);

// Per-period discount rate from an annual one: (1 + annual)^(1 / periods_per_year) - 1.
double per_period_rate(double annual_rate, PeriodUnit unit);

// Rate multiplier of a saturating response: 1 + max_uplift * (1 - exp(-spend / scale)).
double uplift(double max_uplift, double scale, double spend);

// The tenure initial customers have when the scenario gives none: long-standing, at the
// loyalty floor (8 half-lives) with loyalty; new (0) without.
int default_initial_tenure(const Parameters& parameters);

// A policy resolved period by period: which of its steps applies in each period.
struct PolicyPlan {
  std::string name;
  std::vector<PolicyStep> steps;
  std::vector<std::size_t> step_of_period;  // index t - 1 for period t

  const PolicyStep& in_period(int t) const { return steps[step_of_period[t - 1]]; }
};

// What the kernel needs to know about a tier, per segment of the population. A segment is
// a (tier, churn class) pair; without heterogeneity there is one class per tier.
struct Segment {
  int tier = 0;
  int churn_class = 0;
  double churn = 0.0;  // base churn probability of this class in this tier
};

struct Model {
  Parameters parameters;  // a copy: the model does not depend on where they came from
  int horizon = 0;
  int tiers = 0;
  int classes = 1;
  int segments = 0;      // tiers * classes; segment index = tier * classes + class
  int tenure_cells = 1;  // a cell per tenure 0 .. tenure_cells - 1
  // Whether the last cell pools every tenure from it on (at the loyalty floor, where churn
  // no longer changes with tenure); without margin growth it does.
  bool last_cell_pooled = true;
  double rate = 0.0;  // per-period discount rate

  std::vector<Segment> segment;
  // Stable ids of the tiers and intermediary sources (from their names): random streams are
  // keyed by them, so a draw does not depend on where a tier is listed.
  std::vector<std::uint64_t> tier_id, source_id;
  std::vector<ChurnClasses> churn_classes;       // [tier]: nodes, shares and their errors
  std::vector<std::vector<double>> class_share;  // [tier][class]: share of new customers
  // The same shares prepared for the draw that splits a tier's new customers (all classes but
  // the last, which takes the rest), and the new-customer mix over the tiers likewise: the
  // draws are PreparedMultinomial::draw's, without preparing every period.
  std::vector<PreparedMultinomial> new_customer_classes;  // [tier]
  PreparedMultinomial new_customer_mix;                   // empty without paid acquisition
  std::vector<double> loyalty_by_cell;                    // churn multiplier for each tenure cell
  // Margin multiplier (growth with tenure) per [tier][tenure cell]; with margin growth every
  // tenure reachable within the horizon has its own cell.
  std::vector<std::vector<double>> margin_growth_by_cell;
  std::vector<bool> margin_grows;       // [tier]: any multiplier of margin_growth_by_cell is not 1
  std::vector<double> discount_factor;  // (1 + rate)^-t, index t - 1

  // The customers a tier starts with, by tenure: their cell, and their shares of the churn
  // classes (those who have already stayed `tenure` periods are the less flighty).
  struct InitialCohort {
    int tenure = 0;
    int cell = 0;
    std::int64_t customers = 0;
    std::vector<double> class_share;
    PreparedMultinomial classes;  // class_share prepared as new_customer_classes are
  };
  std::vector<std::vector<InitialCohort>> initial;  // [tier]
  std::vector<double> base_budget;  // fixed budget of period t (with growth), index t - 1

  // Migration of tier k: destinations and probabilities, the rest stay.
  std::vector<std::vector<int>> move_to;
  std::vector<std::vector<double>> move_probability;
  std::vector<std::vector<bool>> move_is_upgrade;  // to a better (earlier) tier
  // Per tier, its moves prepared once for the run when nothing can change them (no upgrade
  // response moves them); empty otherwise, and the kernel prepares them each period.
  std::vector<std::optional<PreparedMultinomial>> fixed_moves;

  // Present value, one period before its first cash flow, of a customer of each segment
  // left at the end: v = (1+i)^-1 (I - P/(1+i))^-1 (margin - cost_to_serve), with P the
  // per-period survival-and-migration matrix at the loyalty floor without retention spend.
  std::vector<double> equity_per_customer;

  std::vector<PolicyPlan> policies;
  MetricLayout layout;    // the slots of the metrics and series the kernel records
  PreparedInputs inputs;  // the uncertain inputs, drawn per world (build_world)
};

// How to build: as the scenario says, or (for the tables of one world whose inputs were
// drawn) with the run's number of churn classes and without preparing the inputs again.
struct ModelOptions {
  int classes = 0;  // 0: as the scenario says
  bool prepare_inputs = true;
};

// The move probabilities of a tier in a period whose upgrade response multiplies its upward
// moves by `upgrade`: if they then sum above 1 they are scaled back to 1. Writes out[j] for
// each move of the tier.
void tier_moves(const Model& m, int tier, double upgrade, std::span<double> out);

// Builds the tables.
Model build_model(const Parameters& parameters, const ModelOptions& options = {});

}  // namespace tenure
