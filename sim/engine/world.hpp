// One simulated world: everything fixed before its periods run, shared by every policy that
// is simulated in it (MODEL.md step 1, the environment): the values of the uncertain inputs
// (and the tables they give), the path of the regime chain, and each period's multipliers.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/engine/model.hpp"

namespace tenure {

// Multipliers of one period's environment: the shocks active in it and the world's regime.
using Environment = Multipliers;

struct World {
  std::uint64_t seed = 0;   // the run's seed
  std::uint64_t index = 0;  // which world; its random numbers depend only on (seed, index)
  // The tables this world lives by: the run's model, or, when inputs are uncertain, one
  // built from this world's draws (own).
  const Model* model = nullptr;
  std::optional<Model> own;
  std::vector<double> inputs;            // the drawn value of each uncertain input
  std::vector<int> regime;               // the regime of each period, index t - 1 (none: empty)
  std::vector<Environment> environment;  // index t - 1 for period t

  const Environment& in_period(int t) const { return environment[t - 1]; }
};

// Builds world `index` of a run of `model` into `world`, reusing its storage.
void build_world(const Model& model, std::uint64_t seed, std::uint64_t index, World& world);

}  // namespace tenure
