// One simulated world: everything fixed before its periods run, shared by every policy that
// is simulated in it (MODEL.md step 1, the environment).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/engine/model.hpp"

namespace tenure {

// Multipliers of one period's environment: the product of the shocks active in it.
struct Environment {
  double budget = 1.0;
  double churn = 1.0;
  double acquisition = 1.0;
  double margin = 1.0;
  double costs = 1.0;  // cost to serve and fixed costs
};

struct World {
  std::uint64_t seed = 0;   // the run's seed
  std::uint64_t index = 0;  // which world; its random numbers depend only on (seed, index)
  std::vector<Environment> environment;  // index t - 1 for period t

  const Environment& in_period(int t) const { return environment[t - 1]; }
};

// Builds world `index` of a run into `world`, reusing its storage (no allocation once sized).
void build_world(const Model& model, std::uint64_t seed, std::uint64_t index, World& world);

}  // namespace tenure
