// The per-world figures of a run: for every policy, one value per world of each metric, and
// the series of each period for a fixed subset of the worlds (the first ones) with their sum
// over every other world. A table of numbers with names; it knows nothing of customers.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace tenure {

// Worlds whose every series value is kept, for the quantiles of the fan charts: the first
// this many of a run. A quantile at level q of K independent worlds misses the population's
// by sqrt(q (1 - q) / K) in rank (one standard error): 0.22 points at p05 and p95 and 0.5
// at p50 for K = 10,000, about the Monte Carlo error a run of that many worlds has anyway.
// The means of the series are over every world.
inline constexpr std::int64_t kSeriesWorlds = 10'000;

// The worlds beyond the kept ones are summed in fixed blocks of this many consecutive
// worlds: block b holds worlds [K + b B, K + (b + 1) B) for K kept worlds. Within a block
// each value is summed in world order starting from 0.0; the block totals are added to the
// run's total in block order, a last partial block last. The sum is thus a function of the
// worlds alone, whoever computed which block: threads in any number, or processes that each
// sum whole blocks and hand their totals to one that folds them (SeriesBlockSums).
inline constexpr std::int64_t kSeriesBlock = 1024;

// A series' values beyond the kept worlds: their sum, folded in blocks as above.
struct StreamedSum {
  double sum = 0.0;            // of the finite values
  std::int64_t nonfinite = 0;  // values that are NaN or infinite
};

// Totals of the series over consecutive blocks of worlds [first_world, last_world) beyond
// the kept ones; first_world starts a block, and only the last block may be partial. Each
// world brings, under each policy, `values` numbers (laid out [series][period - 1] by
// RunResults); the totals are laid out [block][policy][value], block counted from the first.
// Built by RunResults::series_blocks, filled with add(), folded by
// RunResults::fold_series_blocks; sums() and nonfinite() are what a process sends to the
// one that folds, which rebuilds the totals with the second constructor.
class SeriesBlockSums {
 public:
  SeriesBlockSums(std::size_t policies, std::size_t values, std::int64_t first_world,
                  std::int64_t last_world);
  // Totals computed elsewhere, every world of the range already in; throws
  // std::invalid_argument if the sizes do not match the range.
  SeriesBlockSums(std::size_t policies, std::size_t values, std::int64_t first_world,
                  std::int64_t last_world, std::vector<double> sums,
                  std::vector<std::int64_t> nonfinite);

  std::int64_t first_world() const { return first_world_; }
  std::int64_t last_world() const { return last_world_; }
  std::int64_t blocks() const;
  // Adds one world's values under one policy; each policy's worlds come in world order
  // (std::logic_error otherwise). Policies may interleave in any way.
  void add(std::int64_t world, std::size_t policy, std::span<const double> values);
  // Every policy has every world of the range.
  bool complete() const;
  // Worlds every policy has so far, from first_world; whether any policy has any.
  std::int64_t worlds_in() const;
  bool any_added() const;
  std::span<const double> sums() const { return sums_; }
  std::span<const std::int64_t> nonfinite() const { return nonfinite_; }
  // The totals of one block of the range (index from 0), as a range of its own.
  SeriesBlockSums block(std::int64_t index) const;
  // Moves the end of the range within its last block, for more worlds to come.
  void extend_to(std::int64_t last_world);

 private:
  std::size_t policies_, values_;
  std::int64_t first_world_, last_world_;
  std::vector<std::int64_t> next_;  // [policy]: the next world to add
  std::vector<double> sums_;
  std::vector<std::int64_t> nonfinite_;
};

// Per-world outcomes of every policy, stored by world index so results never depend on the
// order in which threads finished; sums over worlds are folded in fixed blocks (above).
// Worlds are appended in batches. The memory is that of every world's metrics, payback and
// inputs, the kept worlds' series, and one block's sums: nothing of worlds x horizon.
class RunResults {
 public:
  RunResults(std::vector<std::string> policies, std::vector<std::string> metrics,
             std::vector<std::string> series, int horizon, std::vector<std::string> inputs = {},
             std::int64_t series_worlds = kSeriesWorlds);

  const std::vector<std::string>& policies() const { return policies_; }
  const std::vector<std::string>& metrics() const { return metrics_; }
  const std::vector<std::string>& series() const { return series_; }
  // The uncertain inputs, drawn once per world (the same for every policy).
  const std::vector<std::string>& inputs() const { return inputs_; }
  std::int64_t paths() const { return paths_; }
  int horizon() const { return horizon_; }
  std::uint64_t draws = 0;  // sampler calls over the whole run

  // Makes room for worlds up to `paths` (values 0 until written): every world's metrics,
  // payback and inputs; series values only for the kept worlds.
  void grow_to(std::int64_t paths);

  // One value per world.
  std::span<double> metric(std::size_t policy, std::size_t metric);
  std::span<const double> metric(std::size_t policy, std::size_t metric) const;
  // By name; throws std::out_of_range for a metric this run does not report.
  std::span<const double> metric(std::size_t policy, const std::string& name) const;
  std::size_t metric_index(const std::string& name) const;
  std::span<double> input(std::size_t input) { return input_values_[input]; }
  std::span<const double> input(std::size_t input) const { return input_values_[input]; }

  // Per world, the payback period: 0 when the world's cumulative cash never went below zero;
  // else the first period it was back at or above zero after going below, horizon + 1 when
  // it never came back within the horizon. A number in every world, so never NaN.
  std::span<double> payback(std::size_t policy) { return payback_values_[policy]; }
  std::span<const double> payback(std::size_t policy) const { return payback_values_[policy]; }

  // The worlds whose series are kept: the first min(paths, series_worlds) of the run.
  std::int64_t series_worlds() const;
  // A series' value in one period, per kept world.
  std::span<const double> series(std::size_t policy, std::size_t series, int period) const;
  // One kept world's series under one policy, laid out [series][period - 1] (to send it).
  void copy_series(std::int64_t world, std::size_t policy, std::span<double> out) const;
  // The same series over the worlds beyond the kept ones: the block totals folded so far,
  // then the open block's partial sum.
  StreamedSum series_beyond(std::size_t policy, std::size_t series, int period) const;

  // Adds one world's series under one policy, laid out [series][period - 1]: a kept world's
  // are stored (in any order, also to set a world gathered from elsewhere); the others are
  // summed into their block, each policy's worlds in world order, and every policy's worlds
  // of a block before any of the next block's (std::logic_error otherwise).
  void add_series(std::int64_t world, std::size_t policy, std::span<const double> values);

  // Block folding for runs split over processes. Block b starts at world
  // series_block_start(b). series_blocks(first, last, worlds) gives empty totals for the
  // blocks [first, last) of a run of `worlds` worlds (the last clipped to the run) for a
  // process to fill with SeriesBlockSums::add. fold_series_blocks adds complete totals in
  // block order; they must start at the next block to fold (series_blocks_folded()) with
  // no world of it added here yet (std::logic_error otherwise), and lie within paths(). A
  // partial last block stays open: its later worlds may be added here with add_series.
  std::int64_t series_block_start(std::int64_t block) const;
  SeriesBlockSums series_blocks(std::int64_t first_block, std::int64_t last_block,
                                std::int64_t worlds) const;
  std::int64_t series_blocks_folded() const { return blocks_folded_; }
  void fold_series_blocks(const SeriesBlockSums& totals);

 private:
  std::size_t series_index(std::size_t policy, std::size_t series, int period) const {
    return (policy * series_.size() + series) * horizon_ + (period - 1);
  }

  std::size_t series_per_policy() const { return series_.size() * horizon_; }
  // Adds a whole block's totals to the run's.
  void fold_block(const SeriesBlockSums& block);

  std::vector<std::string> policies_, metrics_, series_, inputs_;
  std::int64_t paths_ = 0;
  int horizon_;
  std::int64_t series_limit_;                        // worlds whose series are kept
  std::vector<std::vector<double>> metric_values_;   // [policy][metric] -> per world
  std::vector<std::vector<double>> payback_values_;  // [policy] -> per world
  std::vector<std::vector<double>> input_values_;    // [input] -> per world
  std::vector<std::vector<double>> series_values_;   // [policy][series][period] -> per kept world
  // Beyond the kept worlds: the totals of the whole blocks folded so far, and the open one.
  std::int64_t blocks_folded_ = 0;
  std::vector<double> beyond_sums_;             // [policy][series][period]
  std::vector<std::int64_t> beyond_nonfinite_;  // [policy][series][period]
  SeriesBlockSums open_block_;
};

}  // namespace tenure
