// worlds.csv: every simulated world, for an analyst to check or re-plot anything.
#pragma once

#include <ostream>

#include "sim/analysis/run_results.hpp"

namespace tenure {

// One row per world and policy: `world`, `policy`, each uncertain input's drawn value under
// its name, then every metric under its name (periods_in_<regime> among them).
void write_worlds_csv(std::ostream& out, const RunResults& results);

}  // namespace tenure
