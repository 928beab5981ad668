// The terminal's view of the decision: every metric of each policy against the reference (the
// baseline, else the best policy by mean NPV), paired on the same worlds, with what pairing
// bought; and each policy's chance of being the best.
#pragma once

#include <string>

#include "sim/analysis/run_results.hpp"
#include "sim/analysis/summary.hpp"

namespace tenure {

// "" with one policy: there is nothing to compare.
std::string comparison_text(const RunResults& results, const RunSummary& summary);

}  // namespace tenure
