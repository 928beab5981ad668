// The engine's vocabulary: plain numbers describing a business, its market, its environment
// and the policies to compare. The scenario layer fills these from YAML (scenario.hpp);
// tests fill them by hand. Nothing here knows about YAML or files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/distributions.hpp"

namespace tenure {

enum class PeriodUnit { month, quarter, year };

inline int periods_per_year(PeriodUnit unit) {
  switch (unit) {
    case PeriodUnit::month:
      return 12;
    case PeriodUnit::quarter:
      return 4;
    case PeriodUnit::year:
      return 1;
  }
  return 12;
}

inline const char* to_string(PeriodUnit unit) {
  switch (unit) {
    case PeriodUnit::month:
      return "month";
    case PeriodUnit::quarter:
      return "quarter";
    case PeriodUnit::year:
      return "year";
  }
  return "month";
}

// A name as it appears inside result column names (customers_end_<tier>, won_<source>):
// lower case, anything but ASCII letters and digits replaced by '_'.
inline std::string result_name(const std::string& name) {
  std::string out;
  for (char c : name) {
    const bool digit = c >= '0' && c <= '9', lower = c >= 'a' && c <= 'z',
               upper = c >= 'A' && c <= 'Z';
    out += digit || lower ? c : upper ? static_cast<char>(c - 'A' + 'a') : '_';
  }
  return out;
}

struct Move {
  int to_tier = 0;           // index into Scenario::tiers
  double probability = 0.0;  // per period, among survivors of churn
};

// Customers a tier starts with who have been customers for `tenure` periods.
struct TenureCohort {
  int tenure = 0;
  std::int64_t customers = 0;
};

struct Tier {
  std::string name;
  std::int64_t initial_customers = 0;  // customers at the start, of tenure `initial_tenure`
  double margin = 0.0;                 // per customer per period, at tenure 0
  double cost_to_serve = 0.0;          // per customer per period
  double churn = 0.0;                  // base churn probability per period (its mean)
  std::vector<Move> moves;             // migration to other tiers
  double margin_growth = 0.0;  // annual growth of margin with tenure (long-standing buy more)
  // The tenure of initial_customers; none: long-standing, at the loyalty floor (8
  // half-lives) with loyalty, new (0) without.
  std::optional<int> initial_tenure = std::nullopt;
  std::vector<TenureCohort> cohorts = {};              // more initial customers, by tenure
  std::optional<double> concentration = std::nullopt;  // heterogeneity's, for this tier
};

// Tenure effect on churn: floor + (1 - floor) * 0.5^(tenure / half_life).
struct Loyalty {
  double floor = 1.0;
  double half_life = 1.0;  // periods
};

// What a finance team does in a bad year: while cumulative cash is below a threshold at the
// start of a period, the budget is multiplied.
struct BudgetCut {
  double cash_below = 0.0;
  double multiplier = 1.0;
};

struct Budget {
  // Either a fixed amount per period growing at `growth` a year, or a share of the
  // previous period's revenue (period 1 uses the revenue of the initial customers), kept
  // between a floor and a cap.
  double per_period = 0.0;
  double growth = 0.0;  // annual
  std::optional<double> share_of_revenue;
  std::optional<double> floor = std::nullopt, cap = std::nullopt;  // with share_of_revenue
  std::optional<BudgetCut> cut = std::nullopt;
};

enum class ResponseShape { exponential, hill };

// Expected new customers from paid acquisition spend A in a period:
//   exponential: max * (1 - exp(-A / scale))
//   hill:        max * A^slope / (A^slope + half_saturation^slope)
struct AcquisitionResponse {
  ResponseShape shape = ResponseShape::exponential;
  double max_customers = 0.0;
  double scale = 1.0;            // exponential
  double half_saturation = 1.0;  // hill
  double slope = 1.0;            // hill
};

struct Acquisition {
  AcquisitionResponse response;
  std::vector<double> new_customer_mix;  // one share per tier, sums to 1
  double adstock = 0.0;  // share of last period's effective spend carried into this one
};

// retention_effect(r) = 1 - max_reduction * (1 - exp(-r / scale)), r = spend per customer.
struct RetentionResponse {
  double max_reduction = 0.0;
  double scale = 1.0;
};

// Expansion: upward moves (to a better tier) multiplied by
// 1 + max_uplift * (1 - exp(-r / scale)), r = retention spend per customer of the tier.
struct UpgradeResponse {
  double max_uplift = 0.0;
  double scale = 1.0;
};

// One line of a policy's split of the budget.
struct SpendLine {
  enum class Kind { share, amount, per_customer };
  Kind kind = Kind::share;
  double value = 0.0;
  // A share given as `rest`: what the other share lines of its step leave, 1 minus their sum
  // (resolve_rest in variables.hpp keeps `value` so when a variable changes them).
  bool rest = false;
};

struct PolicyStep {
  int from_period = 1;  // applies from this period until the next step's
  SpendLine acquisition;
  SpendLine retention;
  SpendLine recovery;                     // service-recovery fund
  SpendLine referral;                     // referral-program spend
  std::vector<bool> recovery_tiers;       // per tier: offered a concession; empty means every tier
  std::vector<double> retention_weights;  // one per tier, default 1 each
};

struct Policy {
  std::string name;
  std::vector<PolicyStep> steps;  // ordered by from_period, the first from period 1
};

// Multipliers of the environment: what shocks and regimes act on.
struct Multipliers {
  double budget = 1.0;
  double churn = 1.0;
  double acquisition = 1.0;
  double margin = 1.0;
  double costs = 1.0;  // cost to serve and fixed costs
};

// Each multiplier with its key in a scenario: the one list that the reader, the places of
// uncertain inputs and variables, and the stress search go by. M is Multipliers, or const.
template <class M, class Visit>
void for_each_multiplier(M& m, const Visit& visit) {
  visit("budget", m.budget);
  visit("churn", m.churn);
  visit("acquisition", m.acquisition);
  visit("margin", m.margin);
  visit("costs", m.costs);
}

// A scheduled environment change: from period `from` for `periods` periods, multiply.
struct Shock {
  std::string name;
  int from_period = 1;
  int periods = 1;
  Multipliers multipliers;
};

// Service failures and their recovery (MODEL step 5).
struct Service {
  std::vector<double> failure;    // per tier: probability of a failure per period
  double concession = 0.0;        // paid for each recovery offered
  double recovery_success = 1.0;  // probability an offered recovery resolves the failure
  std::vector<double> defection;  // per tier: defection probability if unresolved
};

// Negative word of mouth from unhappy defectors (needs a prospect pool).
struct WordOfMouth {
  double reach = 0.0;  // prospects each unhappy defector talks to
  double trust = 0.9;  // share of those reached who believe it and will not convert
  double decay = 0.0;  // share of the damage that fades each period
};

// Referrals by existing customers; referred customers join the referrer's tier.
struct CustomerReferrals {
  std::vector<double> rate;  // per tier: referred prospects per customer per period
  double conversion = 0.0;   // probability a referred prospect becomes a customer
  double reward = 0.0;       // paid per converted referral
  double max_uplift = 0.0;   // program spend f per customer multiplies the rate by
  double scale = 1.0;        // 1 + max_uplift * (1 - exp(-f / scale))
};

// A source of referred prospects outside the customer base (agents, accountants, staff...).
struct Intermediary {
  std::string name;
  double prospects = 0.0;   // expected referred prospects per period
  double conversion = 0.0;  // probability a prospect becomes a customer
  double commission = 0.0;  // paid per customer won
};

// Churn propensity varying within each tier: Beta with the tier's churn as mean and
// a + b = concentration (a tier's own, or this default), represented by churn classes.
struct Heterogeneity {
  int classes = 0;  // 0: as many as the tolerance needs (`classes: auto`)
  std::optional<double> concentration = 10.0;  // none: every tier gives its own
  double tolerance = 0.001;  // relative error allowed in a cohort's discounted lifetime
};

// A lever the scenario names under `variables:`: a decision, not an uncertain input. It holds
// one value per run (or per point of a sweep), the same in every world, and sets every number
// the scenario writes as $name (variables.hpp names these places and sets them).
struct Variable {
  std::string name;
  double value = 0.0, min = 0.0, max = 0.0;
  bool whole = false;               // it sets a period (a schedule's or a shock's from, periods)
  std::vector<std::string> places;  // policies[1].steps[0].acquisition, shocks[0].churn...
};

// A number the scenario does not know: drawn once per world, shared by every policy of it.
struct UncertainInput {
  std::string name;   // how the results name it: its place, or the name the scenario gave
  std::string place;  // the number it stands for: tiers.gold.churn, acquisition.response.scale
  Distribution distribution;
  Range range;  // the range of that number: draws are truncated to it
};

// The rank correlation (Spearman's) of two uncertain inputs, named.
struct InputCorrelation {
  std::string a, b;
  double rank = 0.0;
};

// A Markov chain of named regimes (normal, recession...), drawn once per world: the chain
// starts in `start` in period 1 and moves between periods by the transition probabilities.
struct RegimeState {
  std::string name;
  Multipliers multipliers;
};
struct Regimes {
  std::vector<RegimeState> states;
  int start = 0;
  std::vector<std::vector<double>> transitions;  // [from][to] per period; the rest stays
};

// Everything the engine is told: the business, its market and environment, and the
// policies to compare. build_model (model.hpp) turns it into the tables the kernel reads.
struct Parameters {
  int horizon = 12;
  PeriodUnit period = PeriodUnit::month;
  double discount_rate = 0.0;  // annual
  std::vector<Tier> tiers;
  std::optional<Loyalty> loyalty;
  Budget budget;
  double fixed_costs = 0.0;  // per period
  std::optional<Acquisition> acquisition;
  std::optional<RetentionResponse> retention;
  std::optional<UpgradeResponse> upgrade;  // under retention:
  std::vector<Policy> policies;
  std::vector<Shock> shocks;
  std::optional<double> prospect_pool;  // market: size of the addressable pool at the start
  std::optional<Service> service;
  std::optional<WordOfMouth> word_of_mouth;
  std::optional<CustomerReferrals> referrals;
  std::vector<Intermediary> intermediaries;
  std::optional<Heterogeneity> heterogeneity;
  std::vector<UncertainInput> inputs;
  std::vector<InputCorrelation> correlations;
  std::optional<Regimes> regimes;
  std::optional<double> cash_floor;  // risk: the chance the cash trough falls below it
  std::vector<Variable> variables;   // the levers, at the values the policies now hold
};

}  // namespace tenure
