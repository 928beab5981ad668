// What the one-process and the MPI builds share.
#include <algorithm>

#include "sim/cluster/cluster.hpp"

namespace tenure {

WorldRange rank_share(WorldRange worlds, int rank, int ranks) {
  const std::int64_t each = worlds.size() / ranks;
  const std::int64_t extra = worlds.size() % ranks;  // the first `extra` ranks take one more
  const std::int64_t first = worlds.first + rank * each + std::min<std::int64_t>(rank, extra);
  return {first, first + each + (rank < extra ? 1 : 0)};
}

}  // namespace tenure
