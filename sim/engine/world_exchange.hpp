// How the ranks of a cluster run share out worlds and hand each other their results, so that
// every rank ends up holding exactly what one process would have computed (docs/scaling.md).
//
// A run's worlds are cut into units: 64 worlds among the kept ones (whose series are stored
// whole), and RunResults' blocks beyond them (whose series are only summed, block by block).
// A round gives each rank a contiguous run of whole units. A rank sends, world by world, the
// metrics, payback and inputs of its worlds, the series of those whose series are stored or
// that complete a block begun before this call, and, for the whole blocks it simulated, only
// their series totals. Taken in rank order, that is world order, and each rank folds the
// totals exactly as one process folds its own blocks.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "sim/analysis/run_results.hpp"
#include "sim/cluster/cluster.hpp"

namespace tenure {

// Units of kept worlds in a cluster run.
inline constexpr std::int64_t kKeptWorldsPerUnit = 64;

// The unit boundaries of worlds [first, last): first, every unit start in between, last.
std::vector<std::int64_t> unit_bounds(const RunResults& results, std::int64_t first,
                                      std::int64_t last);

// One rank's share of a round, as it is sent: the worlds [first, last), of which those before
// `blocks_from` send their series one by one and the rest as block totals.
struct SharePlan {
  std::int64_t first = 0, blocks_from = 0, last = 0;
};
// `call_first`: the first world of the run_paths call, which may continue a block.
SharePlan share_plan(const RunResults& results, std::int64_t call_first, WorldRange share);

// What this rank computes of its share, collected while its worlds are simulated.
class ShareOutbox {
 public:
  ShareOutbox(const RunResults& results, SharePlan plan);
  // A simulated world's series (the runner's SeriesSink), each policy in world order.
  void take_series(std::int64_t world, std::size_t policy, std::span<const double> values);
  // Everything to send: per world its figures (from `results`, where the kernel wrote them)
  // and, before blocks_from, its series; then the block totals and their non-finite counts.
  std::vector<double> pack(const RunResults& results) const;

 private:
  SharePlan plan_;
  std::size_t series_per_world_;           // every policy's series of one world
  std::vector<double> series_;             // [world - first][policy][value], before blocks_from
  std::optional<SeriesBlockSums> blocks_;  // from blocks_from to last, when not empty
};

// Takes in one rank's share as packed by ShareOutbox::pack; returns the values it used, so
// that the next rank's share starts right after them.
std::size_t unpack_share(RunResults& results, SharePlan plan, std::span<const double> packed);

}  // namespace tenure
