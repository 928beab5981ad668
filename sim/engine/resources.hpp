// How much memory a run needs and whether this machine (or this container, or this
// process's limits) can give it, checked before any work starts.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "sim/engine/model.hpp"

namespace tenure {

// A run the machine cannot carry; the message says what to do instead.
class ResourceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// a * b, or nullopt when it does not fit in 64 bits.
std::optional<std::uint64_t> checked_product(std::uint64_t a, std::uint64_t b);

// Bytes a run of `worlds` worlds on `threads` threads (0: all cores) keeps at its peak: every
// world's reported metrics and payback period (kept for exact quantiles) and inputs; the
// series of the kept worlds (kSeriesWorlds), of the chunks in flight and their streamed
// sums; each thread's kernel state; the statistics' scratch (a sorted copy of one figure,
// or four values a world with uncertain inputs, whose sensitivity study runs again on the
// kept worlds). nullopt when the size does not even fit in 64 bits.
std::optional<std::uint64_t> run_bytes(const Model& model, std::int64_t worlds, int threads = 0);

// Memory this process can still take: the least of the kernel's estimate of available
// memory (MemAvailable), the room left under the memory cgroup's limit, and the room left
// under the address-space and data-segment limits (ulimit -v, -d). nullopt when none is
// known.
std::optional<std::uint64_t> available_memory();

// Throws ResourceError when a run of `worlds` worlds would need more than 80% of the
// available memory, saying how much it needs, how much there is, and what to do.
// `threads` as given to the run (0: all cores); `kept_per_world`: bytes per world a study
// keeps beyond the run (a sweep's every point).
void check_memory(const Model& model, std::int64_t worlds, int threads,
                  std::uint64_t kept_per_world = 0);

}  // namespace tenure
