// The scenario's key assumptions in words, for the report's table: one row per group
// (run, tiers, budget, acquisition, retention, policies, shocks, mechanisms) and item.
#pragma once

#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace tenure {

struct AssumptionRow {
  std::string group, item, value;
};

std::vector<AssumptionRow> assumptions(const Scenario& scenario);

}  // namespace tenure
