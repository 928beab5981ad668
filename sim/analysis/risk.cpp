#include "sim/analysis/risk.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace tenure {

namespace {

// The nearest-rank quantile of sorted values: the ceil(q m)-th smallest.
double nearest_rank(const std::vector<double>& sorted, double q) {
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace

Payback payback(const RunResults& r, std::size_t policy) {
  // Per world that went below: its payback period, infinite for one that never came back.
  const double never = std::numeric_limits<double>::infinity();
  std::vector<double> periods;
  for (const double period : r.payback(policy))
    if (period > 0.0) periods.push_back(period > r.horizon() ? never : period);
  Payback p;
  const double worlds = static_cast<double>(std::max<std::int64_t>(r.paths(), 1));
  p.share_below = static_cast<double>(periods.size()) / worlds;
  p.share_never = static_cast<double>(std::count(periods.begin(), periods.end(), never)) / worlds;
  if (periods.empty()) {
    p.p50 = p.p90 = std::numeric_limits<double>::quiet_NaN();
    return p;
  }
  std::sort(periods.begin(), periods.end());
  p.p50 = nearest_rank(periods, 0.5);
  p.p90 = nearest_rank(periods, 0.9);
  return p;
}

double prob_cash_below(const RunResults& r, std::size_t policy, double floor) {
  const auto trough = r.metric(policy, "cash_trough");
  const auto below =
      std::count_if(trough.begin(), trough.end(), [&](double x) { return x < floor; });
  return trough.empty() ? 0.0 : static_cast<double>(below) / static_cast<double>(trough.size());
}

}  // namespace tenure
