// The reader of cohort retention tables (CSV): how many customers of each acquisition cohort
// are still active after each period. The format is documented in docs/fitting.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/diagnostics.hpp"

namespace tenure {

// Limits of the reader; each is checked and reported, never exceeded silently.
inline constexpr std::size_t kMaxCohortFileBytes = 64u << 20;  // 64 MiB
inline constexpr std::size_t kMaxCohortRows = 1'000'000;       // data rows, header excluded
inline constexpr std::int64_t kMaxCustomerCount = 1'000'000'000'000'000;  // 1e15
inline constexpr int kMaxCohortPeriod = 10'000;
inline constexpr std::size_t kMaxCohortNameBytes = 200;  // a cohort id or a tier name
// Without a tier column, every cohort belongs to one tier of this name.
inline constexpr std::string_view kDefaultTierName = "all";

// One acquisition cohort: active[t] customers still active at period t = 0..last, where
// active[0] is the cohort's size when acquired. Never empty, never growing, active[0] > 0.
struct Cohort {
  std::string id;
  std::vector<std::int64_t> active;
  int line = 0;  // line of the cohort's period-0 row, for messages
};

struct CohortTier {
  std::string name;
  std::vector<Cohort> cohorts;  // in the order they first appear in the file
};

struct CohortData {
  std::string file;
  bool has_tier_column = false;
  std::vector<CohortTier> tiers;  // in the order they first appear; never empty
};

// Thrown when a cohort file has problems (or its tiers cannot be fitted). The diagnostics
// have no column: each reads FILE:LINE: message, or FILE: message without a line.
class CohortDataError : public ScenarioError {
 public:
  using ScenarioError::ScenarioError;
};

// Reads a cohort table from text; `file` names it in messages. Throws CohortDataError
// listing every problem in line order (at most 100, then a count of the rest).
CohortData parse_cohort_csv(std::string_view text, const std::string& file);

// Reads the file at `path` (at most kMaxCohortFileBytes) and parses it.
CohortData load_cohort_file(const std::string& path);

}  // namespace tenure
