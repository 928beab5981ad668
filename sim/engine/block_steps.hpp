// The steps of a period that run across the worlds of a block (kernel.hpp, simulate_paths):
// cell by cell, each world drawing on its own streams of the cell's segment, the draws in
// SIMD lanes (cell_lanes.hpp). A world's results do not depend on the others in its block.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

#include "sim/engine/cell_lanes.hpp"
#include "sim/engine/period.hpp"

namespace tenure {

// The words of a segment's cells in one kind of stream, in every world of a block. Each cell
// draws w words (churn: its churn, then each move; service failures: one) and cell tau takes
// words tau w to tau w + w - 1 of the segment's stream of the period, so that every word of
// every Philox block is drawn on. The cells come in order of tenure (up or down), so a block a
// cell shares with the one before is made once. A cell's words depend only on its segment and
// tenure, never on which other cells hold customers, so policies and sweep points keep
// drawing on the same numbers. The pooled cell has a stream of its own (cell_subject) and
// takes its first w words, so that its draws do not move with the number of tenure cells
// (the horizon, the half-life).
class SegmentWords {
 public:
  SegmentWords(const StreamKeys& keys, const Model& shape, Stream kind, int t, int segment,
               std::size_t w);

  // Cell tau's w words: word[i][l] is world l's i-th. `word` holds whole Philox blocks (a
  // multiple of 4 rows, at least w).
  void cell(int tau, std::span<WorldRow<std::uint64_t>> word);

 private:
  const StreamKeys& keys_;
  const Model& shape_;
  Stream kind_;
  int t_, segment_;
  std::size_t w_;
  std::array<std::uint64_t, 4> counter_;
  std::size_t block_ = std::numeric_limits<std::size_t>::max();  // the block made last
  std::array<WorldRow<std::uint64_t>, 4> block_words_;
};

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
