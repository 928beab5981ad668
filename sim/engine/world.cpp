#include "sim/engine/world.hpp"

#include <algorithm>

#include "sim/engine/uncertainty.hpp"

namespace tenure {

namespace {

void multiply(Environment& e, const Multipliers& m) {
  e.budget *= m.budget;
  e.churn *= m.churn;
  e.acquisition *= m.acquisition;
  e.margin *= m.margin;
  e.costs *= m.costs;
}

// The scheduled shocks: from period `from` for `periods` periods, multiply. Overlapping
// shocks compound.
void apply_shocks(const std::vector<Shock>& shocks, std::vector<Environment>& environment) {
  const int horizon = static_cast<int>(environment.size());
  for (const Shock& shock : shocks) {
    const int last = std::min(horizon, shock.from_period + shock.periods - 1);
    for (int t = shock.from_period; t <= last; ++t) multiply(environment[t - 1], shock.multipliers);
  }
}

// The tables of a world whose inputs were drawn: the run's parameters with the draws set,
// with as many churn classes as the run's model.
void draw_parameters(const Model& model, World& world) {
  draw_inputs(model.inputs, world.seed, world.index, world.inputs);
  Parameters drawn = model.parameters;
  apply_inputs(model.inputs, world.inputs, drawn);
  world.own = build_model(drawn, ModelOptions{model.classes, false});
  world.model = &*world.own;
}

}  // namespace

void build_world(const Model& model, std::uint64_t seed, std::uint64_t index, World& world) {
  world.seed = seed;
  world.index = index;
  world.model = &model;
  world.inputs.clear();
  if (!model.inputs.inputs.empty()) draw_parameters(model, world);
  const Parameters& p = world.model->parameters;
  world.environment.assign(model.horizon, Environment{});
  apply_shocks(p.shocks, world.environment);
  world.regime.clear();
  if (!p.regimes) return;
  draw_regimes(*p.regimes, model.horizon, seed, index, world.regime);
  for (int t = 1; t <= model.horizon; ++t)
    multiply(world.environment[t - 1], p.regimes->states[world.regime[t - 1]].multipliers);
}

}  // namespace tenure
