// What a run prints on the terminal: a ranked table of the policies, the means of every
// metric, and the best policy against each other one.
#pragma once

#include <string>

#include "sim/analysis/run_results.hpp"
#include "sim/analysis/summary.hpp"
#include "sim/scenario/scenario.hpp"

namespace tenure {

std::string text_report(const Scenario& scenario, const RunResults& results,
                        const RunSummary& summary);

}  // namespace tenure
