#include "sim/engine/resources.hpp"

#include <fmt/format.h>
#include <sys/resource.h>
#include <tbb/info.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>

#include "sim/analysis/run_results.hpp"
#include "sim/engine/kernel.hpp"
#include "sim/engine/runner.hpp"

namespace tenure {

std::optional<std::uint64_t> checked_product(std::uint64_t a, std::uint64_t b) {
  std::uint64_t product = 0;
  if (__builtin_mul_overflow(a, b, &product)) return std::nullopt;
  return product;
}

namespace {

std::optional<std::uint64_t> checked_sum(std::uint64_t a, std::uint64_t b) {
  std::uint64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return std::nullopt;
  return sum;
}

// The number after `key` in a "key: value kB" file such as /proc/meminfo, in bytes.
std::optional<std::uint64_t> kilobytes_field(const std::string& file, const std::string& key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) != 0) continue;
    std::istringstream fields(line.substr(key.size()));
    std::uint64_t kilobytes = 0;
    if (fields >> kilobytes) return checked_product(kilobytes, 1024);
  }
  return std::nullopt;
}

// A single number in a file (cgroup files); nullopt for "max" or a missing file.
std::optional<std::uint64_t> number_in(const std::string& file) {
  std::ifstream in(file);
  std::uint64_t value = 0;
  if (in >> value) return value;
  return std::nullopt;
}

// Room left under the memory cgroup (v2) this process is in.
std::optional<std::uint64_t> cgroup_room() {
  std::ifstream self("/proc/self/cgroup");
  std::string line, path;
  while (std::getline(self, line))
    if (line.rfind("0::", 0) == 0) path = line.substr(3);
  std::optional<std::uint64_t> room;
  for (const std::string& dir : {"/sys/fs/cgroup" + path, std::string("/sys/fs/cgroup")}) {
    const auto limit = number_in(dir + "/memory.max");
    const auto used = number_in(dir + "/memory.current");
    if (limit && used) room = std::min(room.value_or(*limit), *limit > *used ? *limit - *used : 0);
  }
  return room;
}

// Room left under a resource limit, given what the process has mapped already.
std::optional<std::uint64_t> rlimit_room(int resource, const std::string& mapped_key) {
  rlimit limit{};
  if (::getrlimit(resource, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return std::nullopt;
  const std::uint64_t used = kilobytes_field("/proc/self/status", mapped_key).value_or(0);
  return limit.rlim_cur > used ? limit.rlim_cur - used : 0;
}

std::string gib(std::uint64_t bytes) {
  return fmt::format("{:.2f} GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
}

// a * b + c, or nullopt on overflow.
std::optional<std::uint64_t> product_plus(std::optional<std::uint64_t> a, std::uint64_t b,
                                          std::optional<std::uint64_t> c) {
  const auto product = a ? checked_product(*a, b) : std::nullopt;
  return product && c ? checked_sum(*product, *c) : std::nullopt;
}

// Values (of 8 bytes) a run of `worlds` worlds keeps at its peak, besides the threads' own.
// One simulation of `worlds` worlds: what it keeps and holds at its peak.
std::optional<std::uint64_t> simulation_values(const Model& model, std::uint64_t worlds,
                                               int threads) {
  const std::uint64_t policies = model.policies.size(), inputs = model.inputs.inputs.size();
  // A world's series under every policy: kept for the first worlds, held in chunks in flight.
  const auto series =
      checked_product(policies, static_cast<std::uint64_t>(model.layout.reported_series().size()) *
                                    static_cast<std::uint64_t>(model.horizon));
  // Every world's metrics and payback under each policy, and its inputs.
  const auto per_world = product_plus(policies, model.layout.reported_metrics().size() + 1, inputs);
  // The statistics' scratch: a sorted copy of one figure; with uncertain inputs, the rank
  // correlations' ranks, order and paired differences.
  const std::uint64_t scratch = inputs > 0 ? 4 : 1;
  const std::uint64_t kept = std::min<std::uint64_t>(worlds, kSeriesWorlds);
  const std::uint64_t in_flight = static_cast<std::uint64_t>(chunks_in_flight(threads)) *
                                  static_cast<std::uint64_t>(kWorldsPerChunk);
  // Beyond the kept worlds: the sums of the blocks folded and of the open block, each a sum
  // and a count of values that were not finite.
  auto values = product_plus(per_world ? checked_sum(*per_world, scratch) : std::nullopt, worlds,
                             product_plus(series, kept + in_flight + 4, std::uint64_t{0}));
  return values;
}

// The run, and with uncertain inputs its sensitivity study, which simulates again on fewer
// worlds than are kept (kSwingWorlds), counted as if on the kept ones.
std::optional<std::uint64_t> run_values(const Model& model, std::uint64_t worlds, int threads) {
  auto values = simulation_values(model, worlds, threads);
  if (model.inputs.inputs.empty() || !values) return values;
  const auto again =
      simulation_values(model, std::min<std::uint64_t>(worlds, kSeriesWorlds), threads);
  return again ? checked_sum(*values, *again) : std::nullopt;
}

// Values each thread's kernel keeps for each world of the block it steps (kBlockWorlds):
// the counts of every cell (this period and the next) and one path's metrics and series.
std::uint64_t thread_values(const Model& model) {
  const auto cells =
      static_cast<std::uint64_t>(model.segments) * static_cast<std::uint64_t>(model.tenure_cells);
  return kBlockWorlds * (2 * cells + model.layout.metric_slots() +
                         model.layout.series_slots() * static_cast<std::uint64_t>(model.horizon));
}

}  // namespace

std::optional<std::uint64_t> run_bytes(const Model& model, std::int64_t worlds, int threads) {
  if (worlds < 0) return std::nullopt;
  if (threads <= 0) threads = tbb::info::default_concurrency();
  const auto values = product_plus(thread_values(model), static_cast<std::uint64_t>(threads),
                                   run_values(model, static_cast<std::uint64_t>(worlds), threads));
  return values ? checked_product(*values, sizeof(double)) : std::nullopt;
}

std::optional<std::uint64_t> available_memory() {
  std::optional<std::uint64_t> available = kilobytes_field("/proc/meminfo", "MemAvailable:");
  for (const auto& room :
       {cgroup_room(), rlimit_room(RLIMIT_AS, "VmSize:"), rlimit_room(RLIMIT_DATA, "VmData:")})
    if (room) available = std::min(available.value_or(*room), *room);
  return available;
}

void check_memory(const Model& model, std::int64_t worlds, int threads,
                  std::uint64_t kept_per_world) {
  const auto kept = checked_product(kept_per_world, static_cast<std::uint64_t>(worlds));
  auto needed = run_bytes(model, worlds, threads);
  if (needed && kept && *needed <= std::numeric_limits<std::uint64_t>::max() - *kept)
    *needed += *kept;
  else
    needed.reset();
  if (!needed)
    throw ResourceError(fmt::format(
        "{} worlds are more than any machine can hold the results of; run fewer (--paths)",
        worlds));
  const auto available = available_memory();
  if (!available || static_cast<double>(*needed) <= 0.8 * static_cast<double>(*available)) return;
  const auto fitting = *available / 10 * 8 / std::max<std::uint64_t>(1, *needed / worlds);
  throw ResourceError(fmt::format(
      "{} worlds need about {} for their results (every world's metrics are kept for exact "
      "quantiles), more "
      "than 80% of the {} this process can use; run at most about {} worlds (--paths)",
      worlds, gib(*needed), gib(*available), fitting));
}

}  // namespace tenure
