// The tenure command line: parse arguments, then hand over to the library.
#include <fmt/format.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "sim/analysis/summary.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/resources.hpp"
#include "sim/engine/runner.hpp"
#include "sim/output/result_files.hpp"
#include "sim/output/terminal.hpp"
#include "sim/scenario/scenario_yaml.hpp"

namespace {

struct RunArguments {
  std::string file;
  std::optional<std::int64_t> paths;
  std::optional<std::uint64_t> seed;
  int threads = 0;
  std::string out;
  std::optional<double> precision;  // 95% half-width of mean NPV to reach, paths as the cap
};

int run_command(const RunArguments& args) {
  tenure::Scenario scenario = tenure::load_scenario_file(args.file);
  if (args.paths) scenario.paths = *args.paths;
  if (args.seed) scenario.seed = *args.seed;
  const tenure::Model model = tenure::build_model(scenario);
  // Every world's outcomes are kept (quantiles need them): refuse a run that cannot fit
  // rather than fail half-way. With a precision target, the cap must fit.
  tenure::check_memory(model, scenario.paths);

  tenure::Progress progress;
  const bool show_progress = ::isatty(::fileno(stderr)) != 0;
  if (show_progress)
    progress = [](std::int64_t done, std::int64_t total) {
      std::fprintf(stderr, "\r  simulated %lld / %lld paths", static_cast<long long>(done),
                   static_cast<long long>(total));
    };
  tenure::Simulation simulation(model, scenario.seed, args.threads);
  std::optional<tenure::PrecisionRun> precise;
  if (args.precision)
    precise = tenure::run_to_precision(simulation, *args.precision, scenario.paths, progress);
  else
    simulation.run_paths(0, scenario.paths, progress);
  if (show_progress) std::fprintf(stderr, "\r%60s\r", "");

  const tenure::RunResults& results = simulation.results();
  tenure::RunSummary summary = tenure::summarize_run(results);
  if (precise)
    summary.precision = {precise->target, precise->achieved, precise->reached, results.paths()};
  const std::filesystem::path out = args.out.empty()
                                        ? std::filesystem::path("results") / scenario.name
                                        : std::filesystem::path(args.out);
  tenure::write_results(out, scenario, results, summary);
  std::cout << tenure::text_report(scenario, results, summary);
  std::cout << fmt::format("\nresults written to {}/\n", out.string());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tenure: Monte Carlo simulation of acquisition versus retention spending"};
  app.set_version_flag("--version", std::string("tenure ") + TENURE_VERSION);
  app.require_subcommand(1);

  RunArguments run_args;
  CLI::App* run = app.add_subcommand("run", "Simulate a scenario and write results");
  run->add_option("file", run_args.file, "Scenario YAML file")->required();
  run->add_option("--paths", run_args.paths, "Number of simulated worlds (overrides the file)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}));
  run->add_option("--seed", run_args.seed, "Random seed (overrides the file)");
  run->add_option("--threads", run_args.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  run->add_option("--out", run_args.out, "Results folder (default: results/<scenario name>)");
  run->add_option("--precision", run_args.precision,
                  "Run until every policy's mean NPV is known to +/- this amount (95% CI); "
                  "--paths (or the file's paths) is then the cap")
      ->check(CLI::PositiveNumber);

  std::string validate_file;
  CLI::App* validate = app.add_subcommand("validate", "Check a scenario file without running it");
  validate->add_option("file", validate_file, "Scenario YAML file")->required();

  CLI11_PARSE(app, argc, argv);

  try {
    if (*validate) {
      const tenure::Scenario scenario = tenure::load_scenario_file(validate_file);
      std::cout << fmt::format("{}: ok ({} tiers, {} policies, {} {}s)\n", validate_file,
                               scenario.tiers.size(), scenario.policies.size(), scenario.horizon,
                               tenure::to_string(scenario.period));
      return 0;
    }
    return run_command(run_args);
  } catch (const tenure::ScenarioError& error) {
    std::cerr << error.what() << '\n';
    std::cerr << fmt::format("{} problem{} found; nothing was run.\n", error.diagnostics().size(),
                             error.diagnostics().size() == 1 ? "" : "s");
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << '\n';
    return 1;
  }
}
