#include "sim/engine/world.hpp"

#include <algorithm>

namespace tenure {

namespace {

// The scheduled shocks: from period `from` for `periods` periods, multiply. Overlapping
// shocks compound.
void apply_shocks(const std::vector<Shock>& shocks, std::vector<Environment>& environment) {
  const int horizon = static_cast<int>(environment.size());
  for (const Shock& shock : shocks) {
    const int last = std::min(horizon, shock.from_period + shock.periods - 1);
    for (int t = shock.from_period; t <= last; ++t) {
      Environment& e = environment[t - 1];
      e.budget *= shock.budget;
      e.churn *= shock.churn;
      e.acquisition *= shock.acquisition;
      e.margin *= shock.margin;
      e.costs *= shock.costs;
    }
  }
}

}  // namespace

void build_world(const Model& model, std::uint64_t seed, std::uint64_t index, World& world) {
  world.seed = seed;
  world.index = index;
  world.environment.assign(model.horizon, Environment{});
  apply_shocks(model.parameters.shocks, world.environment);
}

}  // namespace tenure
