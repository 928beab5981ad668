// The steps of a period that run across a block's worlds (block_steps.hpp), compiled once per
// instruction set by Highway's foreach_target; the dispatch at the end calls the best one the
// processor has. The file rounds alike on every one: no product and sum is fused into a
// multiply-add (CMakeLists.txt).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "sim/engine/block_steps.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
// clang-format: the includes above must come first, and every other header before the
// target's namespace opens (HWY_BEFORE_NAMESPACE).
#include <hwy/highway.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <span>

#include "sim/engine/block_steps.hpp"
#include "sim/engine/cell_lanes-inl.hpp"
#include "sim/engine/cell_lanes.hpp"
#include "sim/engine/limits.hpp"
#include "sim/engine/samplers.hpp"
#include "sim/engine/segment_words.hpp"

HWY_BEFORE_NAMESPACE();
namespace tenure {
namespace HWY_NAMESPACE {
namespace {

// 5. The recovery offers the fund can pay for this period; a zero concession is never limited
// by the fund, nor is a fund paying for more than 1e18 (no count gets there; converting more
// overflows).
std::int64_t affordable_offers(const Period& p) {
  const Service& service = *p.m.parameters.service;
  const double fund =
      line_spend(p.split.recovery, p.w.flows.budget, p.w.flows.budget_multiplier, p.w.flows.active);
  const double affordable =
      service.concession > 0.0 ? std::floor(fund / service.concession + 1e-9) : 1e18;
  return affordable < 1e18 ? static_cast<std::int64_t>(affordable)
                           : std::numeric_limits<std::int64_t>::max();
}

// 5. A cell's service failures in one world, once drawn (fail_in_cell): the offers made
// while the fund lasts and the unresolved who defect.
void settle_failures(Period& p, std::size_t cell, int tier, std::int64_t failures,
                     std::int64_t offered, std::int64_t defected) {
  Workspace& w = p.w;
  w.draws += 2;
  p.cells[cell] -= defected;
  w.state.tier_customers[tier] -= defected;
  w.flows.unhappy_defectors += defected;
  w.flows.concessions += static_cast<double>(offered) * p.m.parameters.service->concession;
  record(p, metric("failures"), static_cast<double>(failures));
  record(p, metric("recoveries_offered"), static_cast<double>(offered));
}

// This period's moves of a tier in one world (tier_moves, model.hpp): prepared once for the
// run when nothing changes them, else once for every cell of the tier.
const PreparedMultinomial& moves_now(const Lane& lane, int tier) {
  const Model& m = *lane.m;
  Workspace& w = *lane.w;
  const std::optional<PreparedMultinomial>& fixed = m.fixed_moves[tier];
  if (fixed) return *fixed;
  const std::span<double> now(w.move_now.data(), m.move_probability[tier].size());
  tier_moves(m, tier, w.tier_upgrade[tier], now);
  w.moves_prepared.prepare(now);
  return w.moves_prepared;
}

// A tier's moves this period in every world of a block: for move j, each world's
// conditional probability and its log_q (PreparedMultinomial::conditional).
struct TierMoves {
  std::array<WorldRow<double>, limits::kTiers> p{}, log_q{};
};

// What the step adds up in every world of a block, kept as rows and handed to each world's
// workspace when the step is done: draws made, customers lost, each tier's customers after.
struct BlockTotals {
  WorldRow<std::uint64_t> draws{};
  WorldRow<std::int64_t> lost{};
  std::array<WorldRow<std::int64_t>, limits::kTiers> tier{};
};

// Each world's value(l) in a row, and `past` in the lanes past the block's last world. Every
// lane is written rather than the row zeroed first: GCC zeroes a row of 16 with `rep stos`,
// slow to start, which on a cell's path took a twentieth of the run.
template <typename T, typename Value>
WorldRow<T> each_world(std::span<const Lane> lanes, const Value& value, T past = T{}) {
  WorldRow<T> row;
  for (std::size_t l = 0; l < kBlockWorlds; ++l) row[l] = l < lanes.size() ? value(l) : past;
  return row;
}

// A cell's draws in every world of a block: the customers, the cell's words of each world's
// stream (churn, then each move; SegmentWords), and what is left after each draw.
// Not zeroed when made (each_world): every row is written in full before it is read.
struct CellRow {
  static constexpr std::size_t kWords = whole_blocks(limits::kTiers);  // churn + moves
  WorldRow<std::int64_t> n, stay, drawn;
  std::array<WorldRow<std::uint64_t>, kWords> word;
};

// Binomial draws in every world of a row: world l's from n[l] trials with probability p[l] at
// the uniform of word[l], binomial_quantile's counts. Those of small mean in lanes (this
// instruction set's binomial_row, which takes log_q as it says), the others by the scalar
// sampler.
void draw_binomials(const WorldRow<std::uint64_t>& word, const WorldRow<std::int64_t>& n,
                    const WorldRow<double>& p, const WorldRow<double>* log_q,
                    WorldRow<std::int64_t>& drawn) {
  for_each_bit(BinomialRow(word, n, p, log_q, drawn), [&](std::size_t l) {
    drawn[l] = binomial_quantile(RandomStream::to_uniform(word[l]), n[l], p[l]);
  });
}

// A segment's churn this period in every world of a block, before the loyalty of the tenure
// (0 past the block's last world), and the loyalty by cell when every world has the same
// (Model::loyalty_by_cell; null when worlds have models of their own).
struct SegmentChurn {
  WorldRow<double> hazard_base;
  const double* shared_loyalty = nullptr;
};

// Churn in every world: binomial(stream, n, min(1, h)) with h the world's hazard, its
// segment's churn this period times the loyalty of the tenure. The draws of small mean in
// lanes, the others one by one.
void draw_churn(std::span<const Lane> lanes, const SegmentChurn& churn, CellRow& d, int tau) {
  WorldRow<double> p;
  if (churn.shared_loyalty) {  // as std::min(1.0, h): 1 where h is 1 or more, or NaN
    const hn::ScalableTag<double> dd;
    const auto loyalty = hn::Set(dd, churn.shared_loyalty[tau]), one = hn::Set(dd, 1.0);
    for (std::size_t first = 0; first < kBlockWorlds; first += hn::Lanes(dd)) {
      const auto hazard = hn::Mul(hn::LoadU(dd, churn.hazard_base.data() + first), loyalty);
      hn::StoreU(hn::Min(hazard, one), dd, p.data() + first);
    }
  } else {
    p = each_world<double>(lanes, [&](std::size_t l) {
      return std::min(1.0, churn.hazard_base[l] * lanes[l].m->loyalty_by_cell[tau]);
    });
  }
  draw_binomials(d.word[0], d.n, p, nullptr, d.drawn);
  for (std::size_t l = 0; l < kBlockWorlds; ++l) d.stay[l] = d.n[l] - d.drawn[l];
}

// Move j of the survivors in every world: its conditional binomial among those not yet
// moved (PreparedMultinomial::draw), from word 1 + j of the stream.
void draw_move(CellRow& d, std::size_t j, const TierMoves& moves) {
  draw_binomials(d.word[1 + j], d.stay, moves.p[j], &moves.log_q[j], d.drawn);
  for (std::size_t l = 0; l < kBlockWorlds; ++l) d.stay[l] -= d.drawn[l];
}

// Rows of counts added and taken in vectors of this instruction set. (GCC leaves such a loop
// over a cell's row and a row of the stack lane by lane, as it cannot tell they do not overlap.)
using DI = hn::ScalableTag<std::int64_t>;

// total += add; true if any of add is above 0.
bool add_counts(std::int64_t* total, const WorldRow<std::int64_t>& add) {
  const DI d;
  const auto zero = hn::Zero(d);
  auto above = hn::Lt(zero, zero);  // none yet
  for (std::size_t first = 0; first < kBlockWorlds; first += hn::Lanes(d)) {
    const auto counts = hn::LoadU(d, add.data() + first);
    hn::StoreU(hn::Add(hn::LoadU(d, total + first), counts), d, total + first);
    above = hn::Or(above, hn::Gt(counts, zero));
  }
  return !hn::AllFalse(d, above);
}

// A cell's row of counts, and the row left at 0.
WorldRow<std::int64_t> take_counts(std::int64_t* row) {
  const DI d;
  WorldRow<std::int64_t> taken;
  for (std::size_t first = 0; first < kBlockWorlds; first += hn::Lanes(d)) {
    hn::StoreU(hn::LoadU(d, row + first), d, taken.data() + first);
    hn::StoreU(hn::Zero(d), d, row + first);
  }
  return taken;
}

// Adds a row of counts to a cell, of this period's cells (counts, occupied) or the next's
// (next, occupied_next), and marks it if any is above 0.
void add_row(std::vector<std::int64_t>& rows, std::vector<std::uint64_t>& occupied,
             std::size_t cell, const WorldRow<std::int64_t>& counts) {
  if (add_counts(&rows[cell * kBlockWorlds], counts)) mark(occupied, cell);
}

// A binomial draw in every world of a row, each from cell tau's word of its own stream
// (`words`): those of small mean in lanes, the others one by one.
WorldRow<std::int64_t> draw_row(SegmentWords& words, int tau, const WorldRow<std::int64_t>& n,
                                const WorldRow<double>& p) {
  std::array<WorldRow<std::uint64_t>, 4> word;
  words.cell(tau, word);
  WorldRow<std::int64_t> drawn;
  draw_binomials(word[0], n, p, nullptr, drawn);
  return drawn;
}

// The words of a segment's service failures, one a cell in each of three streams.
struct FailureWords {
  SegmentWords failures, recovery, defection;
  FailureWords(const StreamKeys& keys, const Model& shape, int t, int segment)
      : failures(keys, shape, Stream::failures, t, segment, 1),
        recovery(keys, shape, Stream::recovery, t, segment, 1),
        defection(keys, shape, Stream::defection, t, segment, 1) {}
};

// 5. Service failures of one cell in every world of the block: failures, offers while each
// world's fund lasts (offers_left), recoveries, and defections of the unresolved; each
// world's draws from its own streams of the cell's segment.
void fail_in_cell(std::span<const Lane> lanes, FailureWords& words, BlockCells& cells, int t,
                  int segment, int tau, WorldRow<std::int64_t>& offers_left) {
  const Model& shape = *lanes.front().m;
  const int tier = shape.segment[segment].tier;
  const std::size_t cell = cell_index(shape, segment, tau);
  const auto service = [&](std::size_t l) -> const Service& {
    return *lanes[l].m->parameters.service;
  };
  const WorldRow<std::int64_t> n =
      each_world<std::int64_t>(lanes, [&](std::size_t l) { return cells.count(cell, l); });
  for (std::size_t l = 0; l < lanes.size(); ++l) lanes[l].w->draws += n[l] > 0 ? 1 : 0;
  const WorldRow<double> failure =
      each_world<double>(lanes, [&](std::size_t l) { return service(l).failure[tier]; });
  const WorldRow<double> success =
      each_world<double>(lanes, [&](std::size_t l) { return service(l).recovery_success; });
  const WorldRow<double> defection =
      each_world<double>(lanes, [&](std::size_t l) { return service(l).defection[tier]; });
  const WorldRow<std::int64_t> failures = draw_row(words.failures, tau, n, failure);
  if (std::ranges::all_of(failures, [](std::int64_t f) { return f == 0; })) return;
  const std::vector<bool>& eligible_tiers = lanes.front().split->recovery_tiers;
  const bool eligible = eligible_tiers.empty() || eligible_tiers[tier];
  WorldRow<std::int64_t> offered, unresolved;
  for (std::size_t l = 0; l < kBlockWorlds; ++l)
    offered[l] = eligible ? std::min(failures[l], offers_left[l]) : 0;
  const WorldRow<std::int64_t> resolved = draw_row(words.recovery, tau, offered, success);
  for (std::size_t l = 0; l < kBlockWorlds; ++l) unresolved[l] = failures[l] - resolved[l];
  const WorldRow<std::int64_t> defected = draw_row(words.defection, tau, unresolved, defection);
  for (std::size_t l = 0; l < lanes.size(); ++l) {
    if (failures[l] == 0) continue;
    Period p = lane_period(lanes[l], cells, l, t);
    settle_failures(p, cell, tier, failures[l], offered[l], defected[l]);
    offers_left[l] -= offered[l];
  }
}

// 6-7. Churn of one cell at the end of the period in every world of the block, then
// migration of the survivors, then ageing:
// h = base churn * loyalty(tenure) * retention effect * churn shock, capped at 1.
// Each world draws on its own stream of the cell's segment, so its counts do not depend on the
// others; the cell's subject and where its customers go are worked out once for all.
void churn_cell(std::span<const Lane> lanes, SegmentWords& words, const TierMoves& moves,
                const SegmentChurn& churn, BlockCells& cells, BlockTotals& totals, int segment,
                int tau) {
  const Model& shape = *lanes.front().m;
  const int tier = shape.segment[segment].tier, churn_class = shape.segment[segment].churn_class;
  const int aged = std::min(tau + 1, shape.tenure_cells - 1);
  const std::vector<int>& move_to = shape.move_to[tier];
  CellRow d;
  // Emptied as read: it is the next period's `next`.
  d.n = take_counts(&cells.counts[cell_index(shape, segment, tau) * kBlockWorlds]);
  words.cell(tau, d.word);
  draw_churn(lanes, churn, d, tau);
  // The worlds past the block's last hold no customers: they add 0.
  for (std::size_t l = 0; l < kBlockWorlds; ++l)
    totals.draws[l] +=
        static_cast<std::uint64_t>(d.n[l] > 0) * (1 + (d.stay[l] > 0) * move_to.size());
  add_counts(totals.lost.data(), d.drawn);
  for (std::size_t j = 0; j < move_to.size(); ++j) {
    draw_move(d, j, moves);
    add_row(cells.next, cells.occupied_next,
            cell_index(shape, move_to[j] * shape.classes + churn_class, aged), d.drawn);
    add_counts(totals.tier[move_to[j]].data(), d.drawn);
  }
  add_row(cells.next, cells.occupied_next, cell_index(shape, segment, aged), d.stay);
  add_counts(totals.tier[tier].data(), d.stay);
}

// A multinomial in every world of a block, as PreparedMultinomial::draw makes it: category i
// is a binomial of what is left, at word i of each world's stream, with world l's prepared
// conditional probability conditional(lane l, i); take(i, drawn) is given each category's
// row. Returns what is left, the last category's.
template <typename Conditional, typename Take>
WorldRow<std::int64_t> draw_multinomial(std::span<const Lane> lanes,
                                        std::span<const WorldRow<std::uint64_t>> word,
                                        std::size_t categories, WorldRow<std::int64_t> left,
                                        const Conditional& conditional, const Take& take) {
  for (std::size_t i = 0; i < categories; ++i) {
    const auto share = [&](std::size_t l) -> const PreparedBinomial& {
      return conditional(lanes[l], i);
    };
    const WorldRow<double> p =
        each_world<double>(lanes, [&](std::size_t l) { return share(l).probability(); });
    const WorldRow<double> log_q =
        each_world<double>(lanes, [&](std::size_t l) { return share(l).log_q(); });
    WorldRow<std::int64_t> drawn;
    draw_binomials(word[i], left, p, &log_q, drawn);
    take(i, drawn);
    for (std::size_t l = 0; l < kBlockWorlds; ++l) left[l] -= drawn[l];
  }
  return left;
}

}  // namespace

// 3d, in every world of the block: the paid and intermediary customers are split over the
// tiers by the new-customer mix, a multinomial from the period's stream new_customer_mix
// (Workspace::tier_draw).
void SplitNewCustomers(std::span<const Lane> lanes, BlockCells& cells, int t) {
  const Model& shape = *lanes.front().m;
  const std::size_t drawn_tiers = shape.new_customer_mix.categories();  // the last takes the rest
  const WorldRow<std::int64_t> by_mix =
      each_world<std::int64_t>(lanes, [&](std::size_t l) { return lanes[l].w->flows.by_mix; });
  if (std::ranges::all_of(by_mix, [](std::int64_t n) { return n <= 0; })) return;
  std::array<WorldRow<std::uint64_t>, whole_blocks(limits::kTiers)> word;
  stream_words(stream_keys(lanes), Stream::new_customer_mix, t, Subject{},
               {word.data(), whole_blocks(drawn_tiers)});
  const auto share = [](const Lane& lane, std::size_t tier) -> const PreparedBinomial& {
    return lane.m->new_customer_mix.conditional(tier);
  };
  const auto take = [&](std::size_t tier, const WorldRow<std::int64_t>& drawn) {
    for (std::size_t l = 0; l < lanes.size(); ++l) lanes[l].w->tier_draw[tier] = drawn[l];
  };
  const WorldRow<std::int64_t> rest =
      draw_multinomial(lanes, word, drawn_tiers, by_mix, share, take);
  for (std::size_t l = 0; l < lanes.size(); ++l) {
    if (by_mix[l] <= 0) continue;
    lanes[l].w->tier_draw[drawn_tiers] = rest[l];
    lanes[l].w->draws += drawn_tiers;
    record(lane_period(lanes[l], cells, l, t), metric("acquired"), static_cast<double>(by_mix[l]));
  }
}

// 3d, in every world of the block: each tier's new customers join at tenure 0, split over the
// churn classes by their shares, a multinomial (PreparedMultinomial::draw) from the tier's
// stream of the period, its conditional binomials drawn in lanes.
void PlaceNewCustomers(std::span<const Lane> lanes, BlockCells& cells, int t) {
  const Model& shape = *lanes.front().m;
  const auto classes = static_cast<std::size_t>(shape.classes);
  const StreamKeys keys = stream_keys(lanes);
  for (int tier = 0; tier < shape.tiers; ++tier) {
    WorldRow<std::int64_t> left{};  // not yet placed
    for (std::size_t l = 0; l < lanes.size(); ++l) {
      Workspace& w = *lanes[l].w;
      left[l] = w.tier_draw[tier] + w.tier_referred[tier];
      w.state.tier_customers[tier] += left[l];
      w.draws += left[l] > 0 ? classes - 1 : 0;
    }
    if (std::ranges::all_of(left, [](std::int64_t n) { return n == 0; })) continue;
    const int first = tier * shape.classes;  // the tier's first segment
    std::array<WorldRow<std::uint64_t>, whole_blocks(limits::kChurnClasses)> word;
    stream_words(keys, Stream::churn_classes, t, Subject{shape.tier_id[tier]},
                 {word.data(), whole_blocks(classes - 1)});
    const auto share = [tier](const Lane& lane, std::size_t c) -> const PreparedBinomial& {
      return lane.m->new_customer_classes[tier].conditional(c);
    };
    const auto take = [&](std::size_t c, const WorldRow<std::int64_t>& drawn) {
      add_row(cells.counts, cells.occupied, cell_index(shape, first + static_cast<int>(c), 0),
              drawn);
    };
    left = draw_multinomial(lanes, word, classes - 1, left, share, take);
    // The last class takes the rest.
    add_row(cells.counts, cells.occupied, cell_index(shape, first + shape.classes - 1, 0), left);
  }
}

// 5. Service failures in every world of the block, in tier order (best first) and, within a
// tier, longest-standing customers first, so each world's recovery fund goes to its best
// customers while it lasts.
void FailAndRecover(std::span<const Lane> lanes, BlockCells& cells, int t) {
  const Model& shape = *lanes.front().m;
  if (!shape.parameters.service) return;
  const StreamKeys keys = stream_keys(lanes);
  WorldRow<std::int64_t> offers_left = each_world<std::int64_t>(
      lanes, [&](std::size_t l) { return affordable_offers(lane_period(lanes[l], cells, l, t)); });
  for (int segment = 0; segment < shape.segments; ++segment) {
    FailureWords words(keys, shape, t, segment);
    for (int tau = shape.tenure_cells - 1; tau >= 0; --tau) {
      const std::size_t cell = cell_index(shape, segment, tau);
      if ((cells.occupied[cell / 64] >> (cell % 64) & 1) != 0)
        fail_in_cell(lanes, words, cells, t, segment, tau, offers_left);
    }
  }
  for (std::size_t l = 0; l < lanes.size(); ++l) {
    Period p = lane_period(lanes[l], cells, l, t);
    record(p, metric("concessions_paid"), p.w.flows.concessions);
    record(p, metric("defected"), static_cast<double>(p.w.flows.unhappy_defectors));
  }
}

// 6-7 for every cell, in every world of the block; the cells of the block's worlds line up
// (same_cells).
// `next` is empty: the cells were emptied as they were read the period before (or at the
// start of the path), so only the cells that receive customers are written.
void ChurnAndMigrate(std::span<const Lane> lanes, BlockCells& cells, int t) {
  const Model& shape = *lanes.front().m;
  const StreamKeys keys = stream_keys(lanes);
  BlockTotals totals;
  TierMoves moves;
  SegmentChurn churn;
  if (std::ranges::all_of(lanes, [&](const Lane& lane) { return lane.m == &shape; }))
    churn.shared_loyalty = shape.loyalty_by_cell.data();
  for (int tier = 0; tier < shape.tiers; ++tier) {
    for (std::size_t l = 0; l < lanes.size(); ++l) {
      const PreparedMultinomial& prepared = moves_now(lanes[l], tier);
      for (std::size_t j = 0; j < prepared.categories(); ++j) {
        moves.p[j][l] = prepared.conditional(j).probability();
        moves.log_q[j][l] = prepared.conditional(j).log_q();
      }
    }
    for (int segment = tier * shape.classes; segment < (tier + 1) * shape.classes; ++segment) {
      churn.hazard_base = each_world<double>(lanes, [&](std::size_t l) {
        return lanes[l].m->segment[segment].churn * lanes[l].w->tier_effect[tier] *
               lanes[l].env->churn;
      });
      const std::size_t first = cell_index(shape, segment, 0);
      SegmentWords words(keys, shape, Stream::churn_and_migration, t, segment,
                         1 + shape.move_to[tier].size());
      for_each_occupied(cells.occupied, first, first + shape.tenure_cells, [&](std::size_t cell) {
        churn_cell(lanes, words, moves, churn, cells, totals, segment,
                   static_cast<int>(cell - first));
      });
    }
  }
  std::swap(cells.counts, cells.next);
  std::ranges::fill(cells.occupied, 0);  // every cell was emptied as it was read
  std::swap(cells.occupied, cells.occupied_next);
  for (std::size_t l = 0; l < lanes.size(); ++l) {
    Workspace& w = *lanes[l].w;
    w.draws += totals.draws[l];
    w.flows.lost = w.flows.unhappy_defectors + totals.lost[l];
    for (int tier = 0; tier < shape.tiers; ++tier)
      w.state.tier_customers[tier] = totals.tier[tier][l];
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace tenure
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace tenure {

HWY_EXPORT(SplitNewCustomers);
HWY_EXPORT(PlaceNewCustomers);
HWY_EXPORT(FailAndRecover);
HWY_EXPORT(ChurnAndMigrate);

void split_new_customers(std::span<const Lane> lanes, BlockCells& cells, int t) {
  HWY_DYNAMIC_DISPATCH(SplitNewCustomers)(lanes, cells, t);
}

void place_new_customers(std::span<const Lane> lanes, BlockCells& cells, int t) {
  HWY_DYNAMIC_DISPATCH(PlaceNewCustomers)(lanes, cells, t);
}

void fail_and_recover(std::span<const Lane> lanes, BlockCells& cells, int t) {
  HWY_DYNAMIC_DISPATCH(FailAndRecover)(lanes, cells, t);
}

void churn_and_migrate(std::span<const Lane> lanes, BlockCells& cells, int t) {
  HWY_DYNAMIC_DISPATCH(ChurnAndMigrate)(lanes, cells, t);
}

}  // namespace tenure
#endif
