// What a run prints on the terminal: a ranked table of the policies, the means of every
// metric, and the best policy against each other one.
#pragma once

#include <string>

#include "sim/analysis/run_results.hpp"
#include "sim/analysis/summary.hpp"
#include "sim/output/result_files.hpp"
#include "sim/scenario/scenario.hpp"

namespace tenure {

// Notes on the model's representation of the scenario: churn classes whose lifetime error
// is above the tolerance; "" when there is nothing to say.
std::string model_notes(const Scenario& scenario, const RunContext& context);

std::string text_report(const Scenario& scenario, const RunResults& results,
                        const RunSummary& summary);

}  // namespace tenure
