// The numbers of the parameters that may be uncertain, each named by its place in a scenario
// (tiers.gold.churn, acquisition.response.scale, service.failure.gold, shocks.recession.churn),
// so that a value drawn for a world can be put where it belongs. The scenario layer names the
// numbers a scenario gives as distributions by the same places (a test holds the two
// together).
#pragma once

#include <functional>
#include <string>

#include "sim/engine/parameters.hpp"

namespace tenure {

// Calls `visit` with every number of `parameters` that may be uncertain and its place.
// Optional sections are visited only when present; per-tier values by tier name.
void for_each_quantity(Parameters& parameters,
                       const std::function<void(const std::string& place, double& value)>& visit);

// How a shock is named in places: by its name when it has one no other shock has, else
// by its position, shocks[i].
std::string shock_place(const std::vector<Shock>& shocks, std::size_t index);

// Whether an input at `input_place` sets the number at `place`: the same place, or a place
// below it (service.failure set for every tier at once).
bool sets_place(const std::string& input_place, const std::string& place);

}  // namespace tenure
