// The steps of a period that run across the worlds of a block (kernel.hpp, simulate_paths):
// cell by cell, each world drawing on its own streams of the cell's segment (segment_words.hpp),
// the draws in SIMD lanes (cell_lanes.hpp). A world's results do not depend on the others in
// its block. Compiled for each instruction set, like the lanes, so that the steps' own work on
// a block's rows runs in vectors as wide as the processor's; the best is chosen at start.
#pragma once

#include <span>

#include "sim/engine/period.hpp"

namespace tenure {

// 3d. The paid and intermediary customers (Flows::by_mix) split over the tiers by the
// new-customer mix (Workspace::tier_draw).
void split_new_customers(std::span<const Lane> lanes, BlockCells& cells, int t);

// 3d. Each tier's new customers (Workspace::tier_draw and tier_referred) join at tenure 0,
// split over the churn classes by their shares.
void place_new_customers(std::span<const Lane> lanes, BlockCells& cells, int t);

// 5. Service failures, recovery offers while each world's fund lasts, and defections.
void fail_and_recover(std::span<const Lane> lanes, BlockCells& cells, int t);

// 6-7. Churn, migration and ageing of every cell, into the next period's cells.
void churn_and_migrate(std::span<const Lane> lanes, BlockCells& cells, int t);

}  // namespace tenure
