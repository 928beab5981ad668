// The program's commands, each a function of its parsed arguments. main.cpp only parses the
// command line (CLI11) and calls these; they call the library.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tenure {

class Cluster;

// The exit codes of the program, few and stable (documented in the README).
enum ExitCode : int {
  kSuccess = 0,
  kFailed = 1,    // the run could not be done or its results not written (files, memory)
  kBadInput = 2,  // a scenario or data file has problems; nothing was run
  kUsage = 64,    // the command line is wrong (as sysexits' EX_USAGE)
};

// How much the program says on the terminal while it works.
struct Chatter {
  bool quiet = false;  // no progress, no tables: only errors (and --json output)
  bool json = false;   // print the summary as JSON on stdout, for scripts
};

// What every command that simulates a scenario reads.
struct ScenarioArguments {
  std::string file;
  std::vector<std::string> set;  // --set NAME=VALUE: a variable's value (settings.hpp)
  std::optional<std::uint64_t> seed;
  int threads = 0;
};

// ... and those that write a results folder: how many worlds, and where.
struct SimulationArguments : ScenarioArguments {
  std::optional<std::int64_t> paths;
  std::string out;
};

struct RunArguments : SimulationArguments {
  std::optional<double> precision;       // 95% half-width of mean NPV to reach, paths as the cap
  std::optional<double> precision_diff;  // 95% half-width of every paired NPV difference against
                                         // the baseline (else the best policy) to reach
  std::string baseline;                  // the policy the others are compared with ("" : all pairs)
  bool worlds = false;                   // also write worlds.csv
  Chatter chatter;
};

struct StressArguments : SimulationArguments {
  std::string vary;    // budget, churn, acquisition, margin, costs, or SHOCK.KEY
  std::string metric;  // a statistic (prob_negative, p05, mean...), or METRIC.STATISTIC
  double limit = 0.0;
  std::string policy;  // default: the first
  std::string range = "0.5:2";
  Chatter chatter;
};

// tenure sweep: every point of a grid of one or two variables, on the same worlds; its --set
// takes NAME=LOW:HIGH:N for the swept ones, NAME=VALUE for others.
struct SweepArguments : SimulationArguments {
  Chatter chatter;
};

// tenure plan: a pilot, then the worlds and time each precision target would take.
struct PlanArguments : ScenarioArguments {
  std::optional<double> precision, precision_diff;  // as for run; at least one
  std::string baseline;
  std::int64_t pilot = 1000;  // worlds of the pilot
  bool quiet = false;         // no progress
};

// tenure optimize: the variables' values that maximise an objective of one policy.
// Its --set gives the start, NAME=VALUE.
struct OptimizeArguments : SimulationArguments {
  std::string over;                // a[,b...]
  std::string objective = "mean";  // mean, p05, es05, mean-es:LAMBDA
  std::string metric = "npv";      // npv, npv_with_equity
  std::string constraint;          // prob_negative<=X, or ""
  std::string policy;              // default: the first the variables move
  bool quiet = false;
};

struct FitArguments {
  std::string file;
  std::string out;
  bool uncertain = false;  // the fit.yaml snippet gives distributions, not point estimates
  Chatter chatter;
};

// Each returns the exit code; errors are reported on stderr. Those that simulate take the
// cluster they run on (one process, or the ranks of an MPI job): every rank calls them alike,
// the leader alone writes files and the terminal.
int run_command(const RunArguments& arguments, const Cluster& cluster);
int validate_command(const std::string& file);
int fit_command(const FitArguments& arguments);
int stress_command(const StressArguments& arguments, const Cluster& cluster);
int sweep_command(const SweepArguments& arguments, const Cluster& cluster);
int plan_command(const PlanArguments& arguments, const Cluster& cluster);
int optimize_command(const OptimizeArguments& arguments, const Cluster& cluster);
int report_command(const std::string& folder);

// Runs a command, turning every error it throws into its message on stderr and its exit
// code: problems in an input file kBadInput, anything else kFailed.
int with_error_reporting(const std::function<int()>& command);

// Checks of command-line values, each returning "" when fine or what is wrong.
std::string whole_number_problem(const std::string& text, std::uint64_t min, std::uint64_t max);
std::string positive_number_problem(const std::string& text);

}  // namespace tenure
