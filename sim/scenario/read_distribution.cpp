// Numbers given as distributions: {dist: KIND, ...parameters, name: optional}.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/scenario/sections.hpp"

namespace tenure::reader {

namespace {

const Choices<DistributionKind> kKinds = {
    {"normal", DistributionKind::normal},   {"lognormal", DistributionKind::lognormal},
    {"beta", DistributionKind::beta},       {"gamma", DistributionKind::gamma},
    {"uniform", DistributionKind::uniform}, {"triangular", DistributionKind::triangular},
    {"pert", DistributionKind::pert},       {"discrete", DistributionKind::discrete}};

// The parameters each kind takes.
std::vector<std::string> parameters_of(DistributionKind kind) {
  switch (kind) {
    case DistributionKind::normal:
    case DistributionKind::lognormal:
    case DistributionKind::beta:
    case DistributionKind::gamma:
      return {"mean", "sd"};
    case DistributionKind::uniform:
      return {"low", "high"};
    case DistributionKind::triangular:
    case DistributionKind::pert:
      return {"low", "mode", "high"};
    case DistributionKind::discrete:
      return {"values", "weights"};
  }
  return {};
}

// The kinds whose values can stay within a rule's range.
std::string kinds_that_fit(const NumberRule& rule) {
  if (rule.min >= 0.0 && rule.max <= 1.0)
    return "beta (for probabilities), or uniform, triangular, pert or discrete within the range";
  if (rule.min >= 0.0)
    return "lognormal or gamma (for positive values), or uniform, triangular, pert or discrete "
           "within the range";
  return "uniform, triangular, pert or discrete within the range";
}

// values and weights of a discrete distribution, sorted by value, weights normalised.
void read_discrete(Problems& problems, MapReader& r, Distribution& d) {
  std::vector<double> weights;
  for (const auto& [key, target] : {std::pair("values", &d.values), std::pair("weights", &weights)})
    if (const auto list = r.require(key, "a list of numbers"))
      if (const auto items = list_items(problems, *list, "numbers", true, 1000))
        for (const Item& element : *items)
          target->push_back(read_quantity(problems, element,
                                          NumberRule{-limits::kMoney, true, limits::kMoney, true,
                                                     "a number from -1e15 to 1e15"})
                                .value_or(0.0));
  if (weights.empty() || weights.size() != d.values.size()) {
    if (r.has("values") && r.has("weights"))
      problems.add(r.key_mark("weights"), fmt::format("{}: values and weights must be lists of "
                                                      "the same length",
                                                      r.path()));
    d.values.clear();
    return;
  }
  double total = 0.0;
  for (double w : weights) total += std::max(0.0, w);
  std::vector<std::size_t> order(d.values.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return d.values[a] < d.values[b]; });
  std::vector<double> values;
  for (std::size_t i : order) {
    values.push_back(d.values[i]);
    d.weights.push_back(total > 0.0 ? std::max(0.0, weights[i]) / total : 0.0);
  }
  d.values = std::move(values);
  if (!(total > 0.0))
    problems.add(r.key_mark("weights"),
                 fmt::format("{}.weights must add up to more than 0", r.path()));
}

// The parameters of `kind`, each a plain number.
Distribution read_parameters(Problems& problems, MapReader& r, DistributionKind kind) {
  Distribution d;
  d.kind = kind;
  if (kind == DistributionKind::discrete) {
    read_discrete(problems, r, d);
    return d;
  }
  const NumberRule any{-limits::kMoney, true, limits::kMoney, true, "a number from -1e15 to 1e15"};
  for (const std::string& key : parameters_of(kind)) {
    const double value = r.required_number(key, any).value_or(0.0);
    if (key == "mean") d.mean = value;
    if (key == "sd") d.sd = value;
    if (key == "low") d.low = value;
    if (key == "mode") d.mode = value;
    if (key == "high") d.high = value;
  }
  return d;
}

}  // namespace

std::optional<double> read_uncertain(Problems& problems, const Item& item, const NumberRule& rule) {
  MapReader r(problems, item, keys_of("distribution"));
  const std::size_t before = problems.count();
  if (rule.decision) {
    problems.add(item.mark, fmt::format("{} is a policy's decision, not an uncertain input; give "
                                        "a number (a variable compares several)",
                                        item.path));
    return std::nullopt;
  }
  const auto kind = r.required_one_of("dist", kKinds);
  if (!kind) return std::nullopt;
  std::vector<std::string> allowed = parameters_of(*kind);
  for (const std::string& key : keys_of("distribution"))
    if (key != "dist" && key != "name" &&
        std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      r.reject(key, fmt::format("{}: a {} takes {}, not {}", r.path(), to_string(*kind),
                                join(allowed), key));
  Distribution d = read_parameters(problems, r, *kind);
  const std::string name = r.has("name") ? r.required_name("name").value_or("") : "";
  r.finish();
  if (problems.count() != before) return std::nullopt;
  if (const std::string problem = parameter_problem(d); !problem.empty()) {
    problems.add(item.mark, fmt::format("{}: this {} {}", item.path, to_string(*kind), problem));
    return std::nullopt;
  }
  const Range range{rule.min, rule.max};
  const double outside = mass_outside(d, range);
  if (outside > 1e-9) {
    problems.add(
        item.mark,
        fmt::format("{} must be {}, but this {} falls outside with probability {:.2g}; "
                    "use a distribution whose values stay within it: {}",
                    item.path, rule.text, to_string(*kind), outside, kinds_that_fit(rule)));
    return std::nullopt;
  }
  problems.uncertain.push_back({item.path, item.mark, name, d, range});
  return std::clamp(distribution_mean(d), rule.min, rule.max);
}

}  // namespace tenure::reader
