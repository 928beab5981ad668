// tenure plan: a pilot run, then how many worlds (and about how long) each precision target
// would take. Nothing is written.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <stdexcept>

#include "sim/cluster/cluster.hpp"
#include "sim/commands/commands.hpp"
#include "sim/commands/progress.hpp"
#include "sim/commands/settings.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/precision.hpp"
#include "sim/engine/resources.hpp"
#include "sim/output/formatting.hpp"
#include "sim/scenario/scenario_yaml.hpp"

namespace tenure {

namespace {

// The worlds a 95% half-width `now` over `worlds` worlds needs to reach `target`: it shrinks
// as 1 / sqrt(worlds).
double worlds_to_reach(double now, double target, std::int64_t worlds) {
  return std::ceil(static_cast<double>(worlds) * (now / target) * (now / target));
}

// "about 12,000 worlds, about 0:15": a target's cost at the pilot's pace.
std::string cost_text(double worlds, double worlds_per_second) {
  if (!std::isfinite(worlds)) return "not estimable (the pilot's spread is undefined)";
  return fmt::format("about {} worlds, about {}", grouped(worlds),
                     clock_text(worlds / worlds_per_second));
}

std::string plan_text(const RunResults& r, const PrecisionTargets& targets,
                      const PrecisionStatus& status, double seconds) {
  const double pace = static_cast<double>(status.worlds) / std::max(seconds, 1e-3);
  std::string out =
      fmt::format("pilot: {} worlds in {:.1f} s ({} worlds/s)\n",
                  grouped(static_cast<double>(status.worlds)), seconds, grouped(pace));
  double most = 0.0;
  if (targets.mean) {
    const double worlds = worlds_to_reach(status.mean_half_width, *targets.mean, status.worlds);
    most = std::max(most, worlds);
    out += fmt::format("every policy's mean NPV within +/- {} (95%): {} (+/- {} now)\n",
                       grouped(*targets.mean), cost_text(worlds, pace),
                       grouped(status.mean_half_width));
  }
  if (targets.difference) {
    const double worlds =
        worlds_to_reach(status.difference_half_width, *targets.difference, status.worlds);
    most = std::max(most, worlds);
    out += fmt::format("every NPV difference against {} within +/- {} (95%): {}\n",
                       r.policies()[status.reference], grouped(*targets.difference),
                       cost_text(worlds, pace));
    for (const PrecisionStatus::Difference& d : status.differences)
      out += fmt::format(
          "  {} minus {}: +/- {} now, {}\n", r.policies()[d.policy], r.policies()[status.reference],
          grouped(d.half_width),
          cost_text(worlds_to_reach(d.half_width, *targets.difference, status.worlds), pace));
  }
  if (std::isfinite(most))
    out += fmt::format(
        "a run to these targets stops by itself; give it a cap (--paths) above {} worlds\n",
        grouped(std::ceil(1.2 * most)));
  return out;
}

}  // namespace

int plan_command(const PlanArguments& a, const Cluster& cluster) {
  if (!a.precision && !a.precision_diff)
    throw std::invalid_argument("plan needs a target: --precision X, --precision-diff X or both");
  Scenario scenario = load_scenario_file(a.file);
  apply_settings(scenario, read_settings(a.set, scenario, false));
  if (a.seed) scenario.seed = *a.seed;
  const Model model = build_model(scenario);
  const PrecisionTargets targets{a.precision, a.precision_diff,
                                 baseline_policy(scenario, a.baseline)};
  cluster.on_every_rank([&] { check_memory(model, a.pilot, a.threads); });
  Simulation simulation(model, scenario.seed, Workers(a.threads, &cluster));
  const auto start = std::chrono::steady_clock::now();
  {
    ProgressDisplay display(a.quiet, "worlds");
    simulation.run_paths(0, a.pilot, display.callback());
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  const PrecisionStatus status = precision_status(simulation.results(), targets);
  if (cluster.leader()) std::cout << plan_text(simulation.results(), targets, status, took.count());
  return kSuccess;
}

}  // namespace tenure
