// The Philox words the block steps draw on (block_steps.hpp): each world's stream of a kind,
// period and subject, made for every world of a block at once in SIMD lanes (cell_lanes.hpp),
// and a segment's stream shared out over its cells (SegmentWords).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

#include "sim/engine/cell_lanes.hpp"
#include "sim/engine/period.hpp"

namespace tenure {

// Rows for the first `words` words of a stream: whole Philox blocks of 4.
constexpr std::size_t whole_blocks(std::size_t words) {
  return 4 * ((words + 3) / 4);
}

// The keys of the streams of a block's worlds; once a step, so that Philox finds the row
// long written.
StreamKeys stream_keys(std::span<const Lane> lanes);

// The first words of each world's stream `kind` of period t about `subject`, whole Philox
// blocks (word.size() a multiple of 4): word[i][l] is the i-th word of world l's stream
// (RandomStream::next_u64).
void stream_words(const StreamKeys& keys, Stream kind, int t, Subject subject,
                  std::span<WorldRow<std::uint64_t>> word);

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

}  // namespace tenure
