// What the engine can simulate exactly, and the sizes it accepts. Every count and size a
// scenario gives is checked against these before any work (the scenario layer reports a
// value beyond them at its position); docs/scenario-format.md lists them.
#pragma once

#include <cstdint>
#include <stdexcept>

namespace tenure {

// A world that grew past what can be counted exactly (customer referrals compounding, say):
// the run stops rather than report wrong numbers.
class CountLimitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace tenure

namespace tenure::limits {

// Customers are counted in 64-bit integers and summed in doubles, which hold whole numbers
// exactly up to 2^53 (about 9e15): a world may hold at most this many customers, and the
// inputs that feed counts are bounded so that every sum stays below it.
inline constexpr double kCustomers = 1e15;
inline constexpr double kCustomersPerPeriod = 1e12;  // max_customers, intermediary prospects
inline constexpr double kMoney = 1e15;               // any amount of money a scenario gives
inline constexpr double kMultiplier = 1000.0;        // shocks, uplifts
inline constexpr double kReferralRate = 1000.0;      // prospects per customer per period
inline constexpr double kAnnualGrowth = 1.0;         // budget and margin growth, 100% a year

inline constexpr std::int64_t kWorlds = 100'000'000;
inline constexpr int kHorizon = 10'000;
inline constexpr int kTiers = 50;
inline constexpr int kChurnClasses = 20;
inline constexpr int kIntermediaries = 100;
inline constexpr int kPolicies = 100;
inline constexpr int kShocks = 1'000;
inline constexpr std::size_t kVariables = 100;
// Cells of one world (tiers x churn classes x tenure cells): the kernel's state per thread.
inline constexpr std::int64_t kCells = 10'000'000;

inline constexpr std::size_t kNameBytes = 200;  // tier, policy, source and scenario names

}  // namespace tenure::limits
