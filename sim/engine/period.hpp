// The kernel's own parts, shared by the steps of one world's period (kernel.cpp) and the
// steps that run across a block of worlds (block_steps.cpp): what a step is told (Period,
// Lane), where it records, and the cells' indices and occupancy bits. Not for other code.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/engine/kernel.hpp"
#include "sim/engine/metrics.hpp"
#include "sim/engine/random.hpp"

namespace tenure {

// Marks a cell as holding customers in some world of the block (BlockCells::occupied).
inline void mark(std::vector<std::uint64_t>& occupied, std::size_t cell) {
  occupied[cell / 64] |= std::uint64_t{1} << (cell % 64);
}

// Calls visit(i) for each set bit i of `bits`, lowest first.
template <typename Visit>
void for_each_bit(std::uint64_t bits, const Visit& visit) {
  for (; bits != 0; bits &= bits - 1) visit(static_cast<std::size_t>(std::countr_zero(bits)));
}

// Calls visit(cell) for each cell of [first, end) whose occupancy bit is set, in order.
template <typename Visit>
void for_each_occupied(const std::vector<std::uint64_t>& occupied, std::size_t first,
                       std::size_t end, const Visit& visit) {
  for (std::size_t word = first / 64; word * 64 < end; ++word) {
    std::uint64_t bits = occupied[word];
    if (word * 64 < first) bits &= ~std::uint64_t{0} << (first % 64);
    if (word * 64 + 64 > end) bits &= (std::uint64_t{1} << (end % 64)) - 1;
    for_each_bit(bits, [&](std::size_t bit) { visit(word * 64 + bit); });
  }
}

// One world's cells in its block's BlockCells.
struct LaneCells {
  BlockCells& block;
  std::size_t lane;

  std::int64_t& operator[](std::size_t cell) const { return block.count(cell, lane); }
  void add(std::size_t cell, std::int64_t n) const {
    block.count(cell, lane) += n;
    mark(block.occupied, cell);
  }
};

// The index of a (segment, tenure) cell.
inline std::size_t cell_index(const Model& m, int segment, int tau) {
  return static_cast<std::size_t>(segment) * m.tenure_cells + tau;
}

// One period of one path: what every step reads and writes.
struct Period {
  const Model& m;
  const World& world;
  const PolicyStep& split;  // the policy's step in force
  const Environment& env;   // this period's multipliers
  int t;
  Workspace& w;
  LaneCells cells;

  std::size_t ti() const { return static_cast<std::size_t>(t - 1); }
  std::size_t cell(int segment, int tau) const { return cell_index(m, segment, tau); }
  RandomStream stream(Stream kind, Subject subject = {}) const {
    return RandomStream(world.seed, world.index, kind, static_cast<std::uint64_t>(t), subject);
  }
};

// A cell's draws are keyed by its tier, tenure and churn class, not by its index.
inline Subject cell_subject(const Model& m, int segment, int tau) {
  const Segment& s = m.segment[segment];
  const bool pooled = m.last_cell_pooled && tau == m.tenure_cells - 1;
  return {m.tier_id[s.tier], pooled ? kPooledTenure : static_cast<std::uint32_t>(tau),
          static_cast<std::uint32_t>(s.churn_class)};
}

// Records a period's value of a metric, folded as its declaration says.
inline void record(const Period& p, MetricId id, double value) {
  fold_into(p.w.result.metrics[MetricLayout::slot(id)], kMetricDecls[id.index].fold, value,
            p.m.discount_factor[p.ti()]);
}
inline void record(const Period& p, MetricFamilyId id, std::size_t member, double value) {
  fold_into(p.w.result.metrics[p.m.layout.slot(id, member)], kMetricFamilyDecls[id.index].fold,
            value, p.m.discount_factor[p.ti()]);
}
// Records a series' value for this period.
inline void record(const Period& p, SeriesId id, double value) {
  p.w.result.series[p.m.layout.slot(id) * p.m.horizon + p.ti()] = value;
}
inline void record(const Period& p, SeriesFamilyId id, std::size_t member, double value) {
  p.w.result.series[p.m.layout.slot(id, member) * p.m.horizon + p.ti()] = value;
}

// Money spent on a policy line this period. `budget` already carries the budget shock;
// amounts and per-customer lines are scaled by the same shock, so a budget cut cuts them too.
inline double line_spend(const SpendLine& line, double budget, double budget_multiplier,
                         std::int64_t active_customers) {
  switch (line.kind) {
    case SpendLine::Kind::share:
      return line.value * budget;
    case SpendLine::Kind::amount:
      return line.value * budget_multiplier;
    case SpendLine::Kind::per_customer:
      return line.value * budget_multiplier * static_cast<double>(active_customers);
  }
  return 0.0;
}

// One world of a block in the steps that run across the block (block_steps.hpp).
struct Lane {
  const Model* m;
  const World* world;
  const PolicyStep* split;  // the policy's step in force
  const Environment* env;
  Workspace* w;
};

// World l of a block as its period's steps see it.
inline Period lane_period(const Lane& lane, BlockCells& cells, std::size_t l, int t) {
  return Period{*lane.m, *lane.world, *lane.split, *lane.env, t, *lane.w, {cells, l}};
}

}  // namespace tenure
