// The keys of every map of the scenario format, in one place.
#include <stdexcept>

#include "sim/scenario/sections.hpp"

namespace tenure::reader {

const std::vector<KeyTable>& key_tables() {
  static const std::vector<KeyTable> tables = {
      {"top", {"name",          "description",  "horizon",       "period",    "discount_rate",
               "paths",         "seed",         "tiers",         "loyalty",   "budget",
               "fixed_costs",   "acquisition",  "retention",     "policies",  "shocks",
               "market",        "service",      "word_of_mouth", "referrals", "intermediaries",
               "heterogeneity", "correlations", "regimes",       "risk",      "variables"}},
      {"tiers",
       {"name", "initial_customers", "initial_tenure", "margin", "cost_to_serve", "churn", "moves",
        "margin_growth", "concentration"}},
      {"tiers.initial_customers", {"tenure", "customers"}},
      {"loyalty", {"floor", "half_life"}},
      {"budget", {"per_period", "growth", "share_of_revenue", "floor", "cap", "cut"}},
      {"budget.cut", {"cash_below", "multiplier"}},
      {"acquisition", {"response", "new_customer_mix", "adstock"}},
      {"acquisition.response", {"shape", "max_customers", "scale", "half_saturation", "slope"}},
      {"retention", {"response", "upgrade"}},
      {"retention.response", {"max_reduction", "scale"}},
      {"uplift", {"max_uplift", "scale"}},  // retention.upgrade and referrals.program
      {"policies",
       {"name", "acquisition", "retention", "retention_weights", "recovery", "recovery_tiers",
        "referral", "schedule"}},
      {"policies.schedule",
       {"from", "acquisition", "retention", "retention_weights", "recovery", "recovery_tiers",
        "referral"}},
      {"shocks", {"name", "from", "periods", "budget", "churn", "acquisition", "margin", "costs"}},
      {"market", {"prospects"}},
      {"service", {"failure", "concession", "success", "defection"}},
      {"word_of_mouth", {"reach", "trust", "decay"}},
      {"referrals", {"rate", "conversion", "reward", "program"}},
      {"intermediaries", {"name", "prospects", "conversion", "commission"}},
      {"heterogeneity", {"classes", "concentration", "tolerance"}},
      {"correlations", {"between", "rank"}},
      {"correlations.matrix", {"inputs", "matrix"}},
      {"regimes", {"start", "states", "transitions"}},
      {"regimes.states", {"budget", "churn", "acquisition", "margin", "costs"}},
      {"risk", {"cash_floor"}},
      {"variables", {"value", "min", "max"}},
      {"distribution", {"dist", "mean", "sd", "low", "mode", "high", "values", "weights", "name"}},
  };
  return tables;
}

const std::vector<std::string>& keys_of(std::string_view section) {
  for (const KeyTable& table : key_tables())
    if (table.section == section) return table.keys;
  throw std::logic_error("no key table for section " + std::string(section));
}

}  // namespace tenure::reader
