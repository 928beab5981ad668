// --set NAME=VALUE on the command line: the value of one of the scenario's variables for this
// run, or, for a sweep, NAME=LOW:HIGH:N, the N evenly spaced values from LOW to HIGH.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/parameters.hpp"

namespace tenure {

struct Setting {
  std::size_t variable = 0;    // its index in the scenario's variables
  std::vector<double> values;  // one, or a sweep's grid (at least 2)
};

// The most values one variable's grid may have.
inline constexpr int kMaxGridValues = 1001;

// Every --set checked against the scenario's variables (known, given once, every value a
// number within [min, max], whole for a variable that sets periods; a grid only when `grids`),
// in the order given. All problems are reported at once, as one std::invalid_argument (a
// usage error).
std::vector<Setting> read_settings(const std::vector<std::string>& texts,
                                   const Parameters& parameters, bool grids);

// Sets every setting's variable to its first value.
void apply_settings(Parameters& parameters, const std::vector<Setting>& settings);

// The index of the policy --baseline names; none for "". An unknown name is a usage error
// (std::invalid_argument) listing the policies.
std::optional<std::size_t> baseline_policy(const Parameters& parameters, const std::string& name);

// " --set a=0.3 --set b=2": the settings as the command line that reproduces a run gives them.
std::string settings_arguments(const std::vector<std::string>& texts);

}  // namespace tenure
