// The Philox words of the block steps (segment_words.hpp).
#include "sim/engine/segment_words.hpp"

#include <algorithm>
#include <stdexcept>

namespace tenure {

StreamKeys stream_keys(std::span<const Lane> lanes) {
  StreamKeys keys{lanes.front().world->seed, {}};
  for (std::size_t l = 0; l < lanes.size(); ++l) keys.world[l] = lanes[l].world->index;
  return keys;
}

void stream_words(const StreamKeys& keys, Stream kind, int t, Subject subject,
                  std::span<WorldRow<std::uint64_t>> word) {
  if (word.size() % 4 != 0) throw std::logic_error("stream_words makes whole Philox blocks");
  std::array<std::uint64_t, 4> counter =
      RandomStream::counter(kind, static_cast<std::uint64_t>(t), subject);
  for (std::size_t block = 0; 4 * block < word.size(); ++block) {
    counter[3] = block;  // RandomStream's blocks 0, 1, ...
    philox_row(counter, keys, word.subspan(4 * block).first<4>());
  }
}

SegmentWords::SegmentWords(const StreamKeys& keys, const Model& shape, Stream kind, int t,
                           int segment, std::size_t w)
    : keys_(keys),
      shape_(shape),
      kind_(kind),
      t_(t),
      segment_(segment),
      w_(w),
      // The segment's stream is its tenure-0 cell's, whose words are as they were when each
      // cell had a stream of its own. (Where that cell is the pooled one, its own stream
      // serves it and this one is never drawn on.)
      counter_(RandomStream::counter(kind, static_cast<std::uint64_t>(t),
                                     cell_subject(shape, segment, 0))) {}

void SegmentWords::cell(int tau, std::span<WorldRow<std::uint64_t>> word) {
  if (shape_.last_cell_pooled && tau == shape_.tenure_cells - 1) {
    stream_words(keys_, kind_, t_, cell_subject(shape_, segment_, tau),
                 word.first(whole_blocks(w_)));
    return;
  }
  const std::size_t first = static_cast<std::size_t>(tau) * w_, end = first + w_;
  for (std::size_t block = first / 4; 4 * block < end; ++block) {
    if (block != block_) {
      block_ = block;
      counter_[3] = block;
      philox_row(counter_, keys_, block_words_);
    }
    for (std::size_t at = std::max(first, 4 * block); at < std::min(end, 4 * block + 4); ++at)
      word[at - first] = block_words_[at % 4];
  }
}

}  // namespace tenure
