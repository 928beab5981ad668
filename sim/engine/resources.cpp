#include "sim/engine/resources.hpp"

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>

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

}  // namespace

std::optional<std::uint64_t> run_bytes(const Model& model, std::int64_t worlds) {
  if (worlds < 0) return std::nullopt;
  const std::uint64_t series_values =
      static_cast<std::uint64_t>(model.layout.reported_series().size()) *
      static_cast<std::uint64_t>(model.horizon);
  const auto per_policy = checked_sum(model.layout.reported_metrics().size(), series_values);
  if (!per_policy) return std::nullopt;
  const auto per_world = checked_product(*per_policy, model.policies.size());
  // One more value per world: the sorted copy the statistics make of one figure at a time.
  const auto values = per_world
                          ? checked_product(*per_world + 1, static_cast<std::uint64_t>(worlds))
                          : std::nullopt;
  return values ? checked_product(*values, sizeof(double)) : std::nullopt;
}

std::optional<std::uint64_t> available_memory() {
  std::optional<std::uint64_t> available = kilobytes_field("/proc/meminfo", "MemAvailable:");
  for (const auto& room :
       {cgroup_room(), rlimit_room(RLIMIT_AS, "VmSize:"), rlimit_room(RLIMIT_DATA, "VmData:")})
    if (room) available = std::min(available.value_or(*room), *room);
  return available;
}

void check_memory(const Model& model, std::int64_t worlds, std::uint64_t kept_per_world) {
  const auto kept = checked_product(kept_per_world, static_cast<std::uint64_t>(worlds));
  auto needed = run_bytes(model, worlds);
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
      "{} worlds need about {} for their per-world results (kept for exact quantiles), more "
      "than 80% of the {} this process can use; run at most about {} worlds (--paths)",
      worlds, gib(*needed), gib(*available), fitting));
}

}  // namespace tenure
