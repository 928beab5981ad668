#include "sim/output/report_data.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "sim/output/csv_table.hpp"

namespace tenure {

namespace {

using nlohmann::json;

// Bounds on the lists a result file may hold, so a corrupt file cannot ask for anything huge.
constexpr std::size_t kMaxListLength = 100'000;
constexpr std::int64_t kMaxPeriod = 1'000'000;

std::string join_problems(const std::vector<Diagnostic>& problems) {
  std::string text;
  for (const Diagnostic& d : problems) {
    if (!text.empty()) text += '\n';
    text += format_diagnostic(d);
  }
  return text;
}

// Reads fields of one JSON file, recording each problem with the path of the field at fault
// ("policies[1].metrics.npv.mean") so that every problem of the file is reported at once.
class JsonFields {
 public:
  JsonFields(std::string file, std::vector<Diagnostic>& problems)
      : file_(std::move(file)), problems_(problems) {}

  void problem(const std::string& path, const std::string& message) {
    problems_.push_back({file_, 0, 0, path.empty() ? message : path + ": " + message});
  }

  // The member `key` of `object`, or nullptr (a problem when `required`).
  const json* member(const json& object, const std::string& key, const std::string& path,
                     bool required) {
    if (!object.is_object()) {
      problem(path, "expected an object");
      return nullptr;
    }
    const auto found = object.find(key);
    if (found != object.end()) return &*found;
    if (required) problem(path, fmt::format("missing key '{}'", key));
    return nullptr;
  }

  // A number; null stands for an undefined figure.
  Figure figure(const json& object, const std::string& key, const std::string& path,
                bool required = true) {
    const json* value = member(object, key, path, required);
    if (value == nullptr || value->is_null()) return std::nullopt;
    if (value->is_number() && std::isfinite(value->get<double>())) return value->get<double>();
    problem(join(path, key), "expected a number or null");
    return std::nullopt;
  }

  std::string text(const json& object, const std::string& key, const std::string& path,
                   bool required = true) {
    const json* value = member(object, key, path, required);
    if (value == nullptr || (!required && value->is_null())) return {};  // null: none
    if (value->is_string()) return value->get<std::string>();
    problem(join(path, key), "expected a string");
    return {};
  }

  std::optional<std::int64_t> integer(const json& object, const std::string& key,
                                      const std::string& path, bool required = true) {
    const json* value = member(object, key, path, required);
    if (value == nullptr) return std::nullopt;
    if (value->is_number_integer()) return value->get<std::int64_t>();
    problem(join(path, key), "expected a whole number");
    return std::nullopt;
  }

  // An array of at most kMaxListLength elements, or nullptr.
  const json* list(const json& object, const std::string& key, const std::string& path,
                   bool required) {
    const json* value = member(object, key, path, required);
    if (value == nullptr) return nullptr;
    if (!value->is_array()) {
      problem(join(path, key), "expected a list");
      return nullptr;
    }
    if (value->size() > kMaxListLength) {
      problem(join(path, key), fmt::format("more than {} elements", kMaxListLength));
      return nullptr;
    }
    return value;
  }

  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }
  static std::string index(const std::string& path, std::size_t i) {
    return fmt::format("{}[{}]", path, i);
  }

 private:
  std::string file_;
  std::vector<Diagnostic>& problems_;
};

// Parses JSON text, recording a syntax error at its line and column.
std::optional<json> parse_json(const std::string& text, const std::string& file,
                               std::vector<Diagnostic>& problems) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& error) {
    int line = 1, column = 1;
    for (std::size_t i = 0; i + 1 < error.byte && i < text.size(); ++i) {
      column = text[i] == '\n' ? 1 : column + 1;
      line += text[i] == '\n' ? 1 : 0;
    }
    problems.push_back({file, line, column, "not valid JSON"});
    return std::nullopt;
  }
}

MetricFigures read_metric(JsonFields& in, const json& m, const std::string& path) {
  MetricFigures f;
  f.mean = in.figure(m, "mean", path);
  f.se = in.figure(m, "se", path);
  f.ci95_low = in.figure(m, "ci95_low", path);
  f.ci95_high = in.figure(m, "ci95_high", path);
  f.p05 = in.figure(m, "p05", path);
  f.p50 = in.figure(m, "p50", path);
  f.p95 = in.figure(m, "p95", path);
  f.p01 = in.figure(m, "p01", path, false);
  f.p25 = in.figure(m, "p25", path, false);
  f.p75 = in.figure(m, "p75", path, false);
  f.p99 = in.figure(m, "p99", path, false);
  f.es05 = in.figure(m, "es05", path, false);
  f.prob_negative = in.figure(m, "prob_negative", path, false);
  return f;
}

std::optional<Histogram> read_histogram(JsonFields& in, const json& h, const std::string& path) {
  Histogram out;
  const Figure low = in.figure(h, "low", path), width = in.figure(h, "width", path);
  const json* counts = in.list(h, "counts", path, true);
  if (!low || !width || counts == nullptr) return std::nullopt;
  if (*width <= 0.0) {
    in.problem(JsonFields::join(path, "width"), "expected a positive bin width");
    return std::nullopt;
  }
  out.low = *low;
  out.width = *width;
  for (const json& c : *counts) {
    if (!c.is_number_integer() || c.get<std::int64_t>() < 0) {
      in.problem(JsonFields::join(path, "counts"), "expected whole numbers of worlds, 0 or more");
      return std::nullopt;
    }
    out.counts.push_back(c.get<std::int64_t>());
  }
  return out;
}

// Metric name -> share in [0, 1].
std::map<std::string, double> read_shares(JsonFields& in, const json& object,
                                          const std::string& path) {
  std::map<std::string, double> out;
  if (!object.is_object()) {
    in.problem(path, "expected an object of shares by metric");
    return out;
  }
  for (const auto& [metric, value] : object.items()) {
    const Figure share = in.figure(object, metric, path);
    if (share && (*share < 0.0 || *share > 1.0))
      in.problem(JsonFields::join(path, metric), "expected a share between 0 and 1");
    else if (share)
      out[metric] = *share;
  }
  return out;
}

PolicyResult read_policy(JsonFields& in, const json& p, const std::string& path) {
  PolicyResult out;
  out.name = in.text(p, "name", path);
  if (const json* metrics = in.member(p, "metrics", path, true); metrics && metrics->is_object())
    for (const auto& [name, m] : metrics->items())
      out.metrics[name] = read_metric(in, m, JsonFields::join(path, "metrics." + name));
  if (const json* histograms = in.member(p, "histograms", path, false))
    for (const auto& [name, h] : histograms->items())
      if (auto histogram = read_histogram(in, h, JsonFields::join(path, "histograms." + name)))
        out.histograms[name] = std::move(*histogram);
  if (const json* shares = in.member(p, "prob_best", path, false))
    out.prob_best = read_shares(in, *shares, JsonFields::join(path, "prob_best"));
  return out;
}

PairedDifference read_comparison(JsonFields& in, const json& c, const std::string& path) {
  PairedDifference d;
  d.a = in.text(c, "a", path);
  d.b = in.text(c, "b", path);
  d.metric = in.text(c, "metric", path);
  d.mean_difference = in.figure(c, "mean_difference", path);
  d.se = in.figure(c, "se", path);
  d.ci95_low = in.figure(c, "ci95_low", path);
  d.ci95_high = in.figure(c, "ci95_high", path);
  d.share_a_better = in.figure(c, "share_a_better", path);
  d.share_b_better = in.figure(c, "share_b_better", path);
  d.variance_reduction = in.figure(c, "variance_reduction", path, false);
  return d;
}

// The "run" object of summary.json, stress.json and optimize.json: the program's version,
// the command that reproduces the results, their seed and worlds. Optional (older files).
std::optional<RunRecord> read_run_record(JsonFields& in, const json& j) {
  const json* run = in.member(j, "run", "", false);
  if (run == nullptr) return std::nullopt;
  RunRecord r;
  r.version = in.text(*run, "version", "run");
  r.command = in.text(*run, "command", "run");
  if (auto seed = in.integer(*run, "seed", "run")) r.seed = static_cast<std::uint64_t>(*seed);
  r.worlds = in.integer(*run, "worlds", "run");
  return r;
}

void read_summary_lists(JsonFields& in, const json& j, SummaryData& s) {
  if (const json* policies = in.list(j, "policies", "", true))
    for (std::size_t i = 0; i < policies->size(); ++i)
      s.policies.push_back(read_policy(in, (*policies)[i], JsonFields::index("policies", i)));
  if (const json* comparisons = in.list(j, "comparisons", "", false))
    for (std::size_t i = 0; i < comparisons->size(); ++i)
      s.comparisons.push_back(
          read_comparison(in, (*comparisons)[i], JsonFields::index("comparisons", i)));
  if (const json* assumptions = in.list(j, "assumptions", "", false))
    for (std::size_t i = 0; i < assumptions->size(); ++i) {
      const std::string path = JsonFields::index("assumptions", i);
      const json& a = (*assumptions)[i];
      s.assumptions.push_back(
          {in.text(a, "group", path), in.text(a, "item", path), in.text(a, "value", path)});
    }
  s.run = read_run_record(in, j);
}

std::optional<SummaryData> read_summary(const std::string& text,
                                        std::vector<Diagnostic>& problems) {
  const std::string file = "summary.json";
  const std::optional<json> j = parse_json(text, file, problems);
  if (!j) return std::nullopt;
  JsonFields in(file, problems);
  SummaryData s;
  s.scenario = in.text(*j, "scenario", "");
  s.description = in.text(*j, "description", "", false);
  s.paths = in.integer(*j, "paths", "");
  s.horizon = in.integer(*j, "horizon", "", false);
  s.period = in.text(*j, "period", "", false);
  s.discount_rate = in.figure(*j, "discount_rate", "", false);
  if (const json* seed = in.member(*j, "seed", "", false); seed && seed->is_number_unsigned())
    s.seed = seed->get<std::uint64_t>();
  s.best_policy = in.text(*j, "best_policy", "", false);
  s.best_policy_with_equity = in.text(*j, "best_policy_with_equity", "", false);
  s.baseline = in.text(*j, "baseline", "", false);
  read_summary_lists(in, *j, s);
  return s;
}

// Reads the columns of a CSV table by name, recording each problem at its line and column.
class CsvFields {
 public:
  CsvFields(const CsvTable& table, std::string file, std::vector<Diagnostic>& problems)
      : table_(table), file_(std::move(file)), problems_(problems) {}

  // True if every column in `names` is present; records one problem per missing column.
  bool require(const std::vector<std::string>& names) {
    bool ok = true;
    for (const std::string& name : names)
      if (!table_.column(name)) {
        problems_.push_back({file_, 1, 1, fmt::format("missing column '{}'", name)});
        ok = false;
      }
    return ok;
  }

  const std::string& text(std::size_t row, const std::string& name) const {
    return table_.rows[row][*table_.column(name)];
  }

  Figure figure(std::size_t row, const std::string& name) {
    const std::size_t column = *table_.column(name);
    try {
      return parse_csv_number(table_.rows[row][column]);
    } catch (const std::invalid_argument& error) {
      problem(row, column, fmt::format("column '{}': {}", name, error.what()));
      return std::nullopt;
    }
  }

  // A whole number in [0, kMaxPeriod] (a period or a point index).
  int index(std::size_t row, const std::string& name) {
    const Figure value = figure(row, name);
    if (value && *value == std::floor(*value) && *value >= 0 && *value <= kMaxPeriod)
      return static_cast<int>(*value);
    problem(row, *table_.column(name),
            fmt::format("column '{}': expected a whole number from 0 to {}", name, kMaxPeriod));
    return 0;
  }

  void problem(std::size_t row, std::size_t column, const std::string& message) {
    problems_.push_back({file_, table_.lines[row], table_.columns[row][column], message});
  }

 private:
  const CsvTable& table_;
  std::string file_;
  std::vector<Diagnostic>& problems_;
};

std::vector<PeriodBand> read_periods(const std::string& text, std::vector<Diagnostic>& problems) {
  const std::string file = "periods.csv";
  const CsvTable table = parse_csv(text, file, problems);
  CsvFields in(table, file, problems);
  std::vector<PeriodBand> out;
  if (!in.require({"policy", "period", "series", "mean", "p05", "p50", "p95"})) return out;
  for (std::size_t r = 0; r < table.rows.size(); ++r)
    out.push_back({in.text(r, "policy"), in.text(r, "series"), in.index(r, "period"),
                   in.figure(r, "mean"), in.figure(r, "p05"), in.figure(r, "p50"),
                   in.figure(r, "p95")});
  return out;
}

std::optional<SweepData> read_sweep(const std::string& text, std::vector<Diagnostic>& problems) {
  const std::string file = "sweep.csv";
  const CsvTable table = parse_csv(text, file, problems);
  CsvFields in(table, file, problems);
  const std::vector<std::string> fixed = {
      "point", "policy", "metric", "mean",          "se",           "p05",
      "p50",   "p95",    "es05",   "prob_negative", "diff_to_best", "diff_to_best_se"};
  if (!in.require(fixed)) return std::nullopt;
  SweepData out;
  // The swept variables are the columns between 'point' and 'policy'.
  for (std::size_t c = *table.column("point") + 1; c < *table.column("policy"); ++c)
    out.variables.push_back(table.header[c]);
  if (out.variables.empty()) {
    problems.push_back({file, 1, 1, "no variable columns between 'point' and 'policy'"});
    return std::nullopt;
  }
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    SweepRow row;
    row.point = in.index(r, "point");
    row.policy = in.text(r, "policy");
    row.metric = in.text(r, "metric");
    for (const std::string& v : out.variables) {
      const Figure at = in.figure(r, v);
      if (!at) in.problem(r, *table.column(v), fmt::format("column '{}': value missing", v));
      row.at.push_back(at.value_or(0.0));
    }
    row.mean = in.figure(r, "mean");
    row.se = in.figure(r, "se");
    row.p05 = in.figure(r, "p05");
    row.p50 = in.figure(r, "p50");
    row.p95 = in.figure(r, "p95");
    row.es05 = in.figure(r, "es05");
    row.prob_negative = in.figure(r, "prob_negative");
    row.diff_to_best = in.figure(r, "diff_to_best");
    row.diff_to_best_se = in.figure(r, "diff_to_best_se");
    out.rows.push_back(std::move(row));
  }
  return out;
}

Estimate read_estimate(JsonFields& in, const json& object, const std::string& key,
                       const std::string& value_key) {
  Estimate e;
  const json* found = in.member(object, key, "", true);
  if (found == nullptr) return e;
  e.value = in.figure(*found, value_key, key);
  e.se = in.figure(*found, "se", key);
  e.ci95_low = in.figure(*found, "ci95_low", key);
  e.ci95_high = in.figure(*found, "ci95_high", key);
  return e;
}

// The keys of `key`'s object in the order the file writes them (the parsed json sorts them):
// the order of the variables as given to --over, the first along a chart's x axis.
std::vector<std::string> keys_in_file_order(const std::string& text, const std::string& key) {
  std::vector<std::string> out;
  const auto j = nlohmann::ordered_json::parse(text, nullptr, false);
  if (j.is_object() && j.contains(key) && j[key].is_object())
    for (const auto& item : j[key].items()) out.push_back(item.key());
  return out;
}

// trace: [{<each variable>: value, "objective": value}, ...]; optional, as files written
// before it existed lack it.
std::vector<OptimizeTracePoint> read_trace(JsonFields& in, const json& j,
                                           const std::vector<std::string>& variables) {
  std::vector<OptimizeTracePoint> out;
  const json* trace = in.list(j, "trace", "", false);
  if (trace == nullptr) return out;
  for (std::size_t i = 0; i < trace->size(); ++i) {
    const std::string path = JsonFields::index("trace", i);
    OptimizeTracePoint point;
    for (const std::string& v : variables)
      point.at.push_back(in.figure((*trace)[i], v, path).value_or(0.0));
    const Figure objective = in.figure((*trace)[i], "objective", path);
    if (!objective) continue;  // undefined there: nothing to draw (a problem if it was missing)
    point.objective = *objective;
    out.push_back(std::move(point));
  }
  return out;
}

std::map<std::string, double> by_variable(JsonFields& in, const json& j, const std::string& key,
                                          bool required) {
  std::map<std::string, double> out;
  if (const json* values = in.member(j, key, "", required))
    for (const auto& [name, value] : values->items())
      if (const Figure v = in.figure(*values, name, key)) out[name] = *v;
  return out;
}

std::optional<OptimizeResult> read_optimize(const std::string& text,
                                            std::vector<Diagnostic>& problems) {
  const std::string file = "optimize.json";
  const std::optional<json> j = parse_json(text, file, problems);
  if (!j) return std::nullopt;
  JsonFields in(file, problems);
  OptimizeResult out;
  out.optimum = by_variable(in, *j, "optimum", true);
  out.start = by_variable(in, *j, "start", false);
  out.variables = keys_in_file_order(text, "optimum");
  if (const json* flat = in.member(*j, "flat_range", "", false))
    for (const auto& [name, range] : flat->items()) {
      if (range.is_array() && range.size() == 2 && range[0].is_number() && range[1].is_number())
        out.flat_range[name] = {range[0].get<double>(), range[1].get<double>()};
      else
        in.problem("flat_range." + name, "expected [low, high]");
    }
  out.objective = read_estimate(in, *j, "objective", "value");
  out.start_difference = read_estimate(in, *j, "start_difference", "mean");
  out.algorithm = in.text(*j, "algorithm", "");
  out.evaluations = in.integer(*j, "evaluations", "");
  out.metric = in.text(*j, "metric", "");
  out.objective_kind = in.text(*j, "objective_kind", "");
  out.policy = in.text(*j, "policy", "");
  out.constraint = in.text(*j, "constraint", "", false);
  if (const json* feasible = in.member(*j, "feasible", "", false)) {
    if (feasible->is_boolean())
      out.feasible = feasible->get<bool>();
    else
      in.problem("feasible", "expected true or false");
  }
  out.prob_negative = in.figure(*j, "prob_negative", "", false);
  out.worlds = in.integer(*j, "worlds", "", false);
  if (const json* seed = in.member(*j, "seed", "", false); seed && seed->is_number_unsigned())
    out.seed = seed->get<std::uint64_t>();
  out.trace = read_trace(in, *j, out.variables);
  out.run = read_run_record(in, *j);
  return out;
}

std::optional<StressFile> read_stress(const std::string& text, std::vector<Diagnostic>& problems) {
  const std::string file = "stress.json";
  const std::optional<json> j = parse_json(text, file, problems);
  if (!j) return std::nullopt;
  JsonFields in(file, problems);
  StressFile out;
  out.vary = in.text(*j, "vary", "");
  out.metric = in.text(*j, "metric", "");
  out.policy = in.text(*j, "policy", "");
  out.limit = in.figure(*j, "limit", "");
  out.threshold = in.figure(*j, "threshold", "");
  out.ci95_low = in.figure(*j, "ci95_low", "");
  out.ci95_high = in.figure(*j, "ci95_high", "");
  if (const json* found = in.member(*j, "found", "", true)) {
    if (found->is_boolean())
      out.found = found->get<bool>();
    else
      in.problem("found", "expected true or false");
  }
  out.run = read_run_record(in, *j);
  return out;
}

std::vector<StressCurvePoint> read_stress_curve(const std::string& text,
                                                std::vector<Diagnostic>& problems) {
  const std::string file = "stress.csv";
  const CsvTable table = parse_csv(text, file, problems);
  CsvFields in(table, file, problems);
  std::vector<StressCurvePoint> out;
  if (!in.require({"multiplier", "value", "se"})) return out;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const Figure multiplier = in.figure(r, "multiplier");
    if (!multiplier) in.problem(r, *table.column("multiplier"), "column 'multiplier': missing");
    out.push_back({multiplier.value_or(0.0), in.figure(r, "value"), in.figure(r, "se")});
  }
  return out;
}

std::vector<SensitivityRow> read_sensitivity(const std::string& text,
                                             std::vector<Diagnostic>& problems) {
  const std::string file = "sensitivity.csv";
  const CsvTable table = parse_csv(text, file, problems);
  CsvFields in(table, file, problems);
  std::vector<SensitivityRow> out;
  if (!in.require({"input", "policy", "rank_corr_npv", "rank_corr_difference", "versus", "npv_low",
                   "npv_high"}))
    return out;
  for (std::size_t r = 0; r < table.rows.size(); ++r)
    out.push_back({in.text(r, "input"), in.text(r, "policy"), in.text(r, "versus"),
                   in.figure(r, "rank_corr_npv"), in.figure(r, "rank_corr_difference"),
                   in.figure(r, "npv_low"), in.figure(r, "npv_high")});
  return out;
}

FitTier read_fit_tier(JsonFields& in, const json& t, const std::string& path) {
  FitTier out;
  out.tier = in.text(t, "tier", path);
  out.churn = in.figure(t, "churn", path);
  out.concentration = in.figure(t, "concentration", path);
  out.churn_se = in.figure(t, "churn_se", path);
  out.concentration_se = in.figure(t, "concentration_se", path);
  out.log_likelihood = in.figure(t, "log_likelihood", path);
  if (const json* table = in.list(t, "table", path, true))
    for (std::size_t i = 0; i < table->size(); ++i) {
      const std::string row_path = JsonFields::index(JsonFields::join(path, "table"), i);
      const json& row = (*table)[i];
      const auto period = in.integer(row, "period", row_path);
      if (period && (*period < 0 || *period > kMaxPeriod))
        in.problem(row_path + ".period", "expected a period from 0 to 1,000,000");
      out.table.push_back({static_cast<int>(period.value_or(0)),
                           in.figure(row, "observed", row_path), in.figure(row, "fitted", row_path),
                           in.figure(row, "active", row_path)});
    }
  return out;
}

// sweep.json: the sweep's run record.
std::optional<RunRecord> read_sweep_run(const std::string& text,
                                        std::vector<Diagnostic>& problems) {
  const std::string file = "sweep.json";
  const std::optional<json> j = parse_json(text, file, problems);
  if (!j) return std::nullopt;
  JsonFields in(file, problems);
  return read_run_record(in, *j);
}

std::vector<FitTier> read_fit(const std::string& text, std::vector<Diagnostic>& problems) {
  const std::string file = "fit.json";
  std::vector<FitTier> out;
  const std::optional<json> j = parse_json(text, file, problems);
  if (!j) return out;
  JsonFields in(file, problems);
  if (const json* tiers = in.list(*j, "tiers", "", true))
    for (std::size_t i = 0; i < tiers->size(); ++i)
      out.push_back(read_fit_tier(in, (*tiers)[i], JsonFields::index("tiers", i)));
  return out;
}

}  // namespace

ReportInputError::ReportInputError(std::vector<Diagnostic> problems)
    : std::runtime_error(join_problems(problems)), problems_(std::move(problems)) {}

const PolicyResult* SummaryData::policy(const std::string& name) const {
  for (const PolicyResult& p : policies)
    if (p.name == name) return &p;
  return nullptr;
}

ReportData parse_report_data(const ReportInputs& inputs) {
  std::vector<Diagnostic> problems;
  ReportData data;
  data.folder = inputs.folder;
  if (inputs.summary_json) data.summary = read_summary(*inputs.summary_json, problems);
  if (inputs.periods_csv) data.periods = read_periods(*inputs.periods_csv, problems);
  if (inputs.sweep_csv) data.sweep = read_sweep(*inputs.sweep_csv, problems);
  if (inputs.sweep_json && data.sweep)
    data.sweep->run = read_sweep_run(*inputs.sweep_json, problems);
  if (inputs.optimize_json) data.optimize = read_optimize(*inputs.optimize_json, problems);
  if (inputs.stress_json) data.stress = read_stress(*inputs.stress_json, problems);
  if (inputs.stress_csv && data.stress)
    data.stress->curve = read_stress_curve(*inputs.stress_csv, problems);
  if (inputs.sensitivity_csv)
    data.sensitivity = read_sensitivity(*inputs.sensitivity_csv, problems);
  if (inputs.fit_json) data.fit = read_fit(*inputs.fit_json, problems);
  if (!inputs.summary_json && !inputs.sweep_csv && !inputs.optimize_json && !inputs.stress_json &&
      !inputs.fit_json)
    problems.push_back({inputs.folder, 0, 0,
                        "no results to report on: expected summary.json, sweep.csv, "
                        "optimize.json, stress.json or fit.json"});
  if (!problems.empty()) throw ReportInputError(std::move(problems));
  return data;
}

}  // namespace tenure
