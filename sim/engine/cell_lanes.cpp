// Compiled once per instruction set by Highway's foreach_target; the dispatch at the end
// calls the best one the processor has.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "sim/engine/cell_lanes.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
// clang-format: the includes above must come first.
#include <hwy/highway.h>

#include "sim/engine/cell_lanes-inl.hpp"

HWY_BEFORE_NAMESPACE();
namespace tenure {
namespace HWY_NAMESPACE {

const char* LanesTarget() {
  return hwy::TargetName(HWY_TARGET);
}

}  // namespace HWY_NAMESPACE
}  // namespace tenure
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace tenure {

HWY_EXPORT(PhiloxRow);
HWY_EXPORT(BinomialRow);
HWY_EXPORT(LanesTarget);

void philox_row(const std::array<std::uint64_t, 4>& counter, const StreamKeys& keys,
                std::span<WorldRow<std::uint64_t>, 4> word) {
  HWY_DYNAMIC_DISPATCH(PhiloxRow)(counter, keys, word);
}

std::uint64_t binomial_row(const WorldRow<std::uint64_t>& word, const WorldRow<std::int64_t>& n,
                           const WorldRow<double>& probability, const WorldRow<double>* log_q,
                           WorldRow<std::int64_t>& count) {
  return HWY_DYNAMIC_DISPATCH(BinomialRow)(word, n, probability, log_q, count);
}

std::string lanes_target() {
  return HWY_DYNAMIC_DISPATCH(LanesTarget)();
}

}  // namespace tenure
#endif
