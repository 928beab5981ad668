// Properties of the kernel that hold exactly, path by path.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "sim/analysis/statistics.hpp"
#include "sim/analysis/summary.hpp"
#include "sim/engine/block_steps.hpp"
#include "sim/engine/kernel.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/runner.hpp"
#include "sim/engine/segment_words.hpp"
#include "sim/output/result_files.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/scenario_yaml.hpp"

namespace tenure {
namespace {

Scenario small_business() {
  Scenario s;
  s.name = "small";
  s.horizon = 24;
  s.discount_rate = 0.1;
  s.tiers.push_back({"top", 100, 300.0, 40.0, 0.01, {{1, 0.02}}});
  s.tiers.push_back({"mid", 800, 60.0, 10.0, 0.03, {{0, 0.01}, {2, 0.02}}});
  s.tiers.push_back({"low", 1500, 10.0, 12.0, 0.06, {{1, 0.01}}});
  s.loyalty = Loyalty{0.6, 6.0};
  s.budget.per_period = 50000.0;
  s.acquisition =
      Acquisition{{ResponseShape::exponential, 400.0, 40000.0, 1.0, 1.0}, {0.05, 0.35, 0.60}};
  s.retention = RetentionResponse{0.5, 20.0};
  PolicyStep grow;
  grow.acquisition = {SpendLine::Kind::share, 0.8};
  grow.retention = {SpendLine::Kind::share, 0.2};
  PolicyStep keep;
  keep.acquisition = {SpendLine::Kind::share, 0.2};
  keep.retention = {SpendLine::Kind::share, 0.8};
  keep.retention_weights = {4.0, 2.0, 0.0};
  s.policies = {{"grow", {grow}}, {"keep", {keep}}, {"grow-again", {grow}}};
  return s;
}

RunResults run(const Scenario& s, std::int64_t paths, int threads = 0) {
  const Model model = build_model(s);
  RunOptions options;
  options.paths = paths;
  options.seed = 5;
  options.threads = threads;
  return run_simulation(model, options);
}

// Found by fuzzing (docs/hardening.md): with a half-life of 1e10 periods, 8 half-lives did
// not fit in the int count of tenure cells (undefined behaviour, a negative count in practice).
TEST(Kernel, AHalfLifeBeyondAnyIntKeepsOneCellPerReachableTenure) {
  Scenario s = small_business();
  s.loyalty->half_life = 1e10;
  const Model model = build_model(s);
  EXPECT_EQ(model.tenure_cells, s.horizon + 1);
  EXPECT_EQ(run_simulation(model, {.paths = 4, .seed = 1, .threads = 1}).paths(), 4);
}

// A cell's words are the words tau w onwards of its segment's stream of the period (the
// pooled cell's: the first of its own stream), each world's from its own key, whatever order
// the cells come in and whichever are left out.
TEST(Kernel, ACellDrawsOnItsShareOfItsSegmentsStream) {
  const Model model = build_model(small_business());
  ASSERT_TRUE(model.last_cell_pooled);
  const int segment = model.classes, t = 7;  // tier "mid", whose cells draw churn and 2 moves
  const std::size_t w = 3;
  const Segment& mid = model.segment[segment];
  const StreamKeys keys{5, {3, 1, 4, 1, 5, 9, 2, 6}};
  const auto check = [&](SegmentWords& words, int tau) {
    SCOPED_TRACE(tau);
    std::array<WorldRow<std::uint64_t>, 4> word;
    words.cell(tau, word);
    const bool pooled = tau == model.tenure_cells - 1;
    const Subject subject{model.tier_id[mid.tier], pooled ? kPooledTenure : 0,
                          static_cast<std::uint32_t>(mid.churn_class)};
    for (std::size_t l = 0; l < kBlockWorlds; ++l) {
      RandomStream stream(keys.seed, keys.world[l], Stream::churn_and_migration, t, subject);
      for (std::size_t skip = pooled ? 0 : static_cast<std::size_t>(tau) * w; skip > 0; --skip)
        stream.next_u64();
      for (std::size_t i = 0; i < w; ++i) EXPECT_EQ(word[i][l], stream.next_u64()) << l << " " << i;
    }
  };
  SegmentWords up(keys, model, Stream::churn_and_migration, t, segment, w);
  for (int tau = 0; tau < model.tenure_cells; ++tau) check(up, tau);
  SegmentWords down(keys, model, Stream::churn_and_migration, t, segment, w);
  for (int tau = model.tenure_cells - 1; tau >= 0; tau -= 3) check(down, tau);
}

TEST(Kernel, CustomersAreConserved) {
  const Scenario s = small_business();
  const RunResults r = run(s, 200);
  std::int64_t initial = 0;
  for (const Tier& t : s.tiers) initial += t.initial_customers;
  for (std::size_t p = 0; p < r.policies().size(); ++p)
    for (std::int64_t path = 0; path < r.paths(); ++path) {
      const double end = r.metric(p, "customers_end")[path];
      EXPECT_EQ(end, initial + r.metric(p, "acquired")[path] - r.metric(p, "churned")[path]);
      double tiers = 0;
      for (std::size_t k = 0; k < s.tiers.size(); ++k)
        tiers += r.metric(p, "customers_end_" + s.tiers[k].name)[path];
      EXPECT_EQ(tiers, end);
      EXPECT_LE(r.metric(p, "cash_trough")[path], 0.0);
    }
}

// Policies of a run see the same worlds: two identical policies give identical paths.
TEST(Kernel, CommonRandomNumbersAcrossPolicies) {
  const RunResults r = run(small_business(), 100);
  for (std::size_t k = 0; k < r.metrics().size(); ++k)
    for (std::int64_t path = 0; path < r.paths(); ++path)
      EXPECT_EQ(r.metric(0, k)[path], r.metric(2, k)[path]) << r.metrics()[k];
}

TEST(Kernel, SummaryIsBitIdenticalForAnyThreadCount) {
  const Scenario s = small_business();
  std::string reference;
  for (int threads : {1, 2, 8}) {
    const RunResults r = run(s, 300, threads);
    const std::string json = summary_json(s, r, summarize_run(r), {"tenure run small"});
    if (reference.empty())
      reference = json;
    else
      EXPECT_EQ(json, reference) << "threads " << threads;
  }
}

TEST(Kernel, UnspentBudgetIsNotACost) {
  // No customers to retain and no acquisition response: nothing is spent, nothing earned.
  Scenario s;
  s.name = "empty";
  s.horizon = 6;
  s.tiers.push_back({"only", 0, 10.0, 1.0, 0.1, {}});
  s.budget.per_period = 1000.0;
  s.retention = RetentionResponse{0.5, 10.0};
  PolicyStep step;
  step.retention = {SpendLine::Kind::share, 1.0};
  s.policies = {{"keep", {step}}};
  const RunResults r = run(s, 10);
  for (std::int64_t path = 0; path < r.paths(); ++path) {
    EXPECT_EQ(r.metric(0, "npv")[path], 0.0);
    EXPECT_EQ(r.metric(0, "retention_spend")[path], 0.0);
  }
}

TEST(Kernel, CashFlowIdentityWithoutRandomness) {
  // Churn 0 and no acquisition: every path is the same, and the NPV is an annuity.
  Scenario s;
  s.name = "annuity";
  s.horizon = 10;
  s.period = PeriodUnit::year;
  s.discount_rate = 0.05;
  s.tiers.push_back({"only", 100, 50.0, 20.0, 0.0, {}});
  s.fixed_costs = 500.0;
  s.budget.per_period = 1000.0;
  s.retention = RetentionResponse{0.5, 10.0};
  PolicyStep step;
  step.retention = {SpendLine::Kind::amount, 200.0};
  s.policies = {{"p", {step}}};
  s.shocks.push_back({"cut", 3, 2, {0.5, 1.0, 1.0, 2.0, 1.5}});
  double expected = 0.0, cash = 0.0, trough = 0.0;
  for (int t = 1; t <= 10; ++t) {
    const bool shocked = t == 3 || t == 4;
    const double cf = 100 * 50.0 * (shocked ? 2.0 : 1.0) - 100 * 20.0 * (shocked ? 1.5 : 1.0) -
                      200.0 * (shocked ? 0.5 : 1.0) - 500.0 * (shocked ? 1.5 : 1.0);
    expected += cf * std::pow(1.05, -t);
    cash += cf;
    trough = std::min(trough, cash);
  }
  const RunResults r = run(s, 3);
  EXPECT_NEAR(r.metric(0, "npv")[0], expected, 1e-9 * std::abs(expected));
  EXPECT_EQ(r.metric(0, "customers_end")[2], 100.0);
  EXPECT_EQ(r.metric(0, "cash_trough")[1], trough);
}

}  // namespace
}  // namespace tenure

namespace tenure {
namespace {

// Run to a precision: reached with fewer worlds than the cap when the target is loose, the
// cap reported when it is not; the worlds are appended to the pilot's, and the result is the
// same as a fixed-size run of as many worlds.
TEST(Kernel, RunToPrecisionStopsAtTargetOrCap) {
  const Scenario s = small_business();
  const Model model = build_model(s);
  const RunResults pilot = run_simulation(model, {1000, 5, 0, {}});
  const double pilot_half_width = kZ95 * summarize(pilot.metric(0, "npv")).se;

  Simulation loose(model, 5);
  const PrecisionRun reached = run_to_precision(loose, 0.5 * pilot_half_width, 20000);
  EXPECT_TRUE(reached.reached);
  EXPECT_LE(reached.achieved, reached.target);
  const std::int64_t worlds = loose.results().paths();
  EXPECT_GT(worlds, 1000);
  EXPECT_LT(worlds, 20000);
  const RunResults fixed = run_simulation(model, {worlds, 5, 0, {}});
  for (std::size_t k = 0; k < fixed.metrics().size(); ++k)
    for (std::size_t p = 0; p < fixed.policies().size(); ++p)
      EXPECT_TRUE(std::ranges::equal(loose.results().metric(p, k), fixed.metric(p, k)))
          << fixed.metrics()[k];

  Simulation tight(model, 5);
  const PrecisionRun capped = run_to_precision(tight, 0.01 * pilot_half_width, 2000);
  EXPECT_FALSE(capped.reached);
  EXPECT_EQ(tight.results().paths(), 2000);
  EXPECT_GT(capped.achieved, capped.target);
}

// A tier's moves are prepared once for the run (or the world) unless an upgrade response can
// raise them; the draws are the same either way (Mechanisms,
// NeutralMechanismsLeaveOtherResultsBitIdentical runs both).
TEST(Kernel, MovesNothingChangesArePreparedOnceForTheRun) {
  Scenario s = small_business();
  const Model plain = build_model(s);
  for (int tier = 0; tier < plain.tiers; ++tier) EXPECT_TRUE(plain.fixed_moves[tier]) << tier;
  s.upgrade = UpgradeResponse{0.5, 20.0};
  const Model upgrading = build_model(s);
  EXPECT_TRUE(upgrading.fixed_moves[0]);   // top: moves down only
  EXPECT_FALSE(upgrading.fixed_moves[1]);  // mid: moves up too
}

// The kernel steps blocks of worlds together (its lanes); a world's results are the same,
// bit for bit, whichever block it is in and however many worlds that block holds. Checked
// with moves that change every period (an upgrade response), with uncertain inputs, where
// every world has its own model, with new customers split over churn classes, and with
// service failures and a recovery fund that can run out (concession.yaml).
void expect_blocks_do_not_matter(const Model& model) {
  constexpr std::size_t worlds = kBlockWorlds + 3;  // a full block and a part of one
  std::vector<World> built(worlds);
  for (std::size_t i = 0; i < worlds; ++i) build_world(model, 8, i, built[i]);
  const PolicyPlan& plan = model.policies.back();
  std::vector<PathResult> alone;
  for (const World& world : built) {
    Workspace workspace(*world.model);
    BlockCells cells(*world.model);
    simulate_path(*world.model, world, plan, workspace, cells);
    alone.push_back(workspace.result);
  }
  for (const std::size_t size : {2ul, 3ul, 8ul, kBlockWorlds}) {
    std::vector<Workspace> workspaces;
    for (const World& world : built) workspaces.emplace_back(*world.model);
    for (std::size_t first = 0; first < worlds; first += size) {
      const std::size_t count = std::min(size, worlds - first);
      std::vector<const World*> block;
      std::vector<Workspace*> scratch;
      for (std::size_t i = first; i < first + count; ++i) {
        block.push_back(&built[i]);
        scratch.push_back(&workspaces[i]);
      }
      BlockCells cells(*block.front()->model);
      simulate_paths(block, plan, scratch, cells);
    }
    for (std::size_t i = 0; i < worlds; ++i) {
      EXPECT_EQ(workspaces[i].result.metrics, alone[i].metrics)
          << "block " << size << ", world " << i;
      EXPECT_EQ(workspaces[i].result.series, alone[i].series)
          << "block " << size << ", world " << i;
      EXPECT_EQ(workspaces[i].result.payback, alone[i].payback);
    }
  }
}

TEST(Kernel, AWorldsResultsDoNotDependOnItsBlock) {
  Scenario s = small_business();
  s.upgrade = UpgradeResponse{0.5, 20.0};
  expect_blocks_do_not_matter(build_model(s));
  for (const char* name : {"recession-stress.yaml", "fitted-churn.yaml", "concession.yaml"})
    expect_blocks_do_not_matter(build_model(
        load_scenario_file(std::string(TENURE_SOURCE_DIR) + "/scenarios/" + std::string(name))));
}

TEST(Kernel, ABlockRefusesWorldsWhoseCellsDoNotLineUp) {
  Scenario s = small_business();
  const Model three_tiers = build_model(s);
  s.tiers.pop_back();
  s.tiers[1].moves = {{0, 0.01}};
  for (Policy& policy : s.policies) policy.steps[0].retention_weights.resize(2);
  const Model two_tiers = build_model(s);
  World a, b;
  build_world(three_tiers, 1, 0, a);
  build_world(two_tiers, 1, 1, b);
  Workspace wa(three_tiers), wb(two_tiers);
  const World* const block[] = {&a, &b};
  Workspace* const scratch[] = {&wa, &wb};
  EXPECT_FALSE(same_cells(three_tiers, two_tiers));
  // The same cells, but customers moving elsewhere: a cell's row could not be moved as one.
  Scenario elsewhere = small_business();
  elsewhere.tiers[1].moves = {{0, 0.01}};
  EXPECT_FALSE(same_cells(three_tiers, build_model(elsewhere)));
  EXPECT_TRUE(same_cells(three_tiers, build_model(small_business())));
  BlockCells cells(three_tiers);
  EXPECT_THROW(simulate_paths(block, three_tiers.policies[0], scratch, cells), std::logic_error);
}

// Worlds appended block by block are the worlds of one run of them all.
TEST(Kernel, AppendingWorldsGivesTheSameWorlds) {
  const Model model = build_model(small_business());
  Simulation blocks(model, 9, 2);
  blocks.run_paths(0, 37);
  blocks.run_paths(37, 200);
  const RunResults whole = run_simulation(model, {200, 9, 1, {}});
  for (std::size_t k = 0; k < whole.series().size(); ++k)
    for (int t = 1; t <= whole.horizon(); ++t)
      EXPECT_TRUE(std::ranges::equal(blocks.results().series(1, k, t), whole.series(1, k, t)));
  EXPECT_THROW(blocks.run_paths(100, 300), std::logic_error);
}

// Beyond the kept worlds the series are summed in fixed blocks of worlds: the bits do not
// depend on the thread count or on how the worlds were appended, and the means over every
// world agree with those of a run that keeps every world, to rounding.
TEST(Kernel, SeriesBeyondTheKeptWorldsAreTheSameForAnyThreadsAndBatches) {
  const Model model = build_model(small_business());
  constexpr std::int64_t kept = 10, worlds = kept + kSeriesBlock + 300;
  Simulation two(model, 4, 2, kept);
  two.run_paths(0, 333);
  two.run_paths(333, worlds);
  Simulation one(model, 4, 1, kept);
  one.run_paths(0, worlds);
  const RunResults& a = two.results();
  const RunResults& b = one.results();
  ASSERT_EQ(a.series_worlds(), kept);
  EXPECT_EQ(a.series_blocks_folded(), 1);
  const RunSummary all_kept = summarize_run(run_simulation(model, {worlds, 4, 2, {}}));
  const RunSummary subset = summarize_run(a);
  for (std::size_t p = 0; p < a.policies().size(); ++p)
    for (std::size_t k = 0; k < a.series().size(); ++k)
      for (int t = 1; t <= a.horizon(); ++t) {
        EXPECT_EQ(a.series_beyond(p, k, t).sum, b.series_beyond(p, k, t).sum);
        EXPECT_TRUE(std::ranges::equal(a.series(p, k, t), b.series(p, k, t)));
        // Rounding is relative to the size of the values summed, not of their mean.
        const Band& band = all_kept.series[p][k][t - 1];
        const double size = std::max({std::abs(band.p05), std::abs(band.p95), 1.0});
        EXPECT_NEAR(subset.series[p][k][t - 1].mean, band.mean, 1e-12 * size)
            << a.series()[k] << " " << t;
      }
}

}  // namespace
}  // namespace tenure
