// Where variables go. A scenario's variables (parameters.hpp, Variable) set the numbers it
// writes as $name in policies, schedule steps and shocks; this is the one place that knows
// those numbers, each named by a place:
//   policies[i].steps[j].acquisition (retention, recovery, referral)   a spend line's value
//   policies[i].steps[j].retention_weights.<tier>                       a retention weight
//   policies[i].steps[j].from                                           a step's first period
//   shocks[i].budget (churn, acquisition, margin, costs, from, periods) a shock's numbers
// A policy without a schedule has one step, j = 0. Places use list positions, not names: they
// are the program's own bookkeeping, never shown to a user.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sim/engine/parameters.hpp"

namespace tenure {

// Calls `number` with every number a variable may set and its place, and `period` with every
// whole number of periods (a step's or a shock's from, a shock's periods).
void for_each_lever(Parameters& parameters,
                    const std::function<void(const std::string& place, double& value)>& number,
                    const std::function<void(const std::string& place, int& value)>& period);

// A rest line's share: 1 minus the step's other share lines, never below 0.
void resolve_rest(PolicyStep& step);

// Why `value` cannot be the value of `variable` ("" when it can): outside [min, max], or not a
// whole number for a variable that sets periods.
std::string variable_value_problem(const Variable& variable, double value);

// Sets variable `index` to `value` wherever it is used, then every rest line again. The
// value must be one variable_value_problem accepts.
void set_variable(Parameters& parameters, std::size_t index, double value);

// The index of the variable named `name`, or parameters.variables.size() when there is none.
std::size_t variable_index(const Parameters& parameters, const std::string& name);

// The policies whose results a change of the named variables can move: those using them, or
// every policy when one of them sets a shock (the environment every policy lives in).
std::vector<std::size_t> policies_moved_by(const Parameters& parameters,
                                           const std::vector<std::string>& variables);

}  // namespace tenure
