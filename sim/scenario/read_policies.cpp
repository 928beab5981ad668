// The policies: spend lines, splits and schedules.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "sim/engine/variables.hpp"
#include "sim/scenario/sections.hpp"

namespace tenure::reader {

namespace {

// A spend line: a bare share, or {share: x}, {amount: x} or {per_customer: x}.
std::optional<SpendLine> read_spend_line(Problems& problems, const Item& item, bool acquisition) {
  const std::vector<std::string> kinds =
      acquisition ? std::vector<std::string>{"share", "amount"}
                  : std::vector<std::string>{"share", "amount", "per_customer"};
  if (item.node.IsScalar() && !is_quoted(item.node) && item.node.Scalar() == "rest")
    return SpendLine{SpendLine::Kind::share, 0.0, true};
  if (item.node.IsMap() && item.node["dist"]) {
    problems.add(item.mark, fmt::format("{} is a policy's decision, not an uncertain input; give "
                                        "a number (a variable compares several)",
                                        item.path));
    return std::nullopt;
  }
  if (!item.node.IsMap()) {
    const NumberRule bare{0.0,
                          true,
                          1.0,
                          true,
                          fmt::format("a share of the budget between 0 and 1, rest, or a map "
                                      "with one of {}",
                                      join(kinds)),
                          true};
    const auto value = read_quantity(problems, item, bare);
    if (!value) return std::nullopt;
    return SpendLine{SpendLine::Kind::share, *value};
  }
  MapReader r(problems, item, kinds);
  if (acquisition)
    r.reject("per_customer",
             fmt::format("{}: acquisition cannot be spent per customer (per_customer is for "
                         "retention, recovery and referral lines); use {{share: x}} or "
                         "{{amount: x}}",
                         child_path(item.path, "per_customer")));
  std::vector<std::string> given;
  for (const auto& kind : kinds)
    if (r.has(kind)) given.push_back(kind);
  std::optional<SpendLine> line;
  const std::size_t before = problems.count();
  if (given.size() > 1) {
    problems.add(r.key_mark(given[1]),
                 fmt::format("{} takes exactly one of {}; found both '{}' and '{}'", item.path,
                             join(kinds), given[0], given[1]));
  } else if (given.empty() && !r.has("per_customer")) {
    problems.add(item.mark, fmt::format("{} needs exactly one of {}", item.path, join(kinds)));
  }
  for (const auto& kind : given) {
    std::optional<double> value;
    SpendLine::Kind k = SpendLine::Kind::share;
    if (kind == "share") {
      value = r.required_number(
          kind, NumberRule{0.0, true, 1.0, true, "a share of the budget between 0 and 1", true});
    } else if (kind == "amount") {
      k = SpendLine::Kind::amount;
      value =
          r.required_number(kind, NumberRule{0.0, true, limits::kMoney, true, kMoney.text, true});
    } else {
      k = SpendLine::Kind::per_customer;
      value = r.required_number(kind, NumberRule{0.0, true, limits::kMoney, true,
                                                 "an amount of money per customer from 0 to "
                                                 "1e15",
                                                 true});
    }
    if (value) line = SpendLine{k, *value};
  }
  r.finish();
  if (problems.count() != before) return std::nullopt;
  return line;
}

// One spend line of a policy or step, as read.
struct LineRead {
  std::string_view key;
  std::optional<Item> item;
  std::optional<SpendLine> line;
  const DeclaredVariable* variable = nullptr;  // the line's number is $name

  // Whether it may spend anything: at some value of its variable, or as the rest.
  bool spends() const {
    return line && (line->value > 0.0 || line->rest || (variable && variable->max > 0.0));
  }
  bool is_share() const { return line && line->kind == SpendLine::Kind::share; }
};

using StepLines = std::array<LineRead*, 4>;  // acquisition, retention, recovery, referral

// Lines given as shares may add up to at most 1, at every value of their variables (a rest
// line takes what they leave); then the rest line's share is set.
void check_shares(Problems& problems, const MapReader& r, const StepLines& lines,
                  PolicyStep& step) {
  std::vector<const DeclaredVariable*> variables;
  const LineRead* rest = nullptr;
  for (const LineRead* read : lines)
    if (read->is_share() && read->line->rest)
      rest = read;
    else if (read->is_share())
      variables.push_back(read->variable);
  const Corners corners(variables);
  for (std::size_t corner = 0; corner < corners.count(); ++corner) {
    double shares = 0.0;
    std::vector<std::string> terms;
    for (const LineRead* read : lines) {
      if (!read->is_share() || read->line->rest) continue;
      const double value = corners.value(corner, read->variable, read->line->value);
      if (value == 0.0) continue;
      shares += value;
      terms.push_back(fmt::format("{} {}", read->key, format_sum(value)));
    }
    if (shares > 1.0 + kShareTolerance) {
      problems.add(r.mark(), fmt::format("{}: the shares of the budget add up to {} ({}){}; they "
                                         "can add up to at most 1{}",
                                         r.path(), format_sum(shares), join(terms, " + "),
                                         corners.describe(corner),
                                         rest ? fmt::format(", and {}: rest takes what they "
                                                            "leave",
                                                            rest->key)
                                              : ""));
      return;
    }
  }
  resolve_rest(step);
}

// At most one line of a step is `rest`; a second is reported and read as no line.
void check_one_rest(Problems& problems, const StepLines& lines) {
  const LineRead* first = nullptr;
  for (LineRead* read : lines) {
    if (!read->line || !read->line->rest) continue;
    if (first == nullptr) {
      first = read;
      continue;
    }
    problems.add(read->item->mark,
                 fmt::format("{}: only one line of a policy or step can be rest (the share the "
                             "others leave); {} already is",
                             read->item->path, first->key));
    read->line.reset();
  }
}

// A line that spends anything needs the section that says what the money does.
void check_sections_for_spend(Problems& problems, const PolicyContext& context,
                              const LineRead& acquisition, const LineRead& retention,
                              const LineRead& recovery, const LineRead& referral) {
  auto missing = [&](const LineRead& read, std::string_view what) {
    problems.add(read.item->mark, fmt::format("{} {}", read.item->path, what));
  };
  if (acquisition.spends() && !context.has_acquisition)
    missing(acquisition,
            "spends on acquisition, but the scenario has no 'acquisition' section (add one with "
            "response and new_customer_mix, or spend 0)");
  if (retention.spends() && !context.has_retention)
    missing(retention,
            "spends on retention, but the scenario has no 'retention' section (add one with a "
            "response, or spend 0)");
  if (recovery.spends() && !context.has_service)
    missing(recovery,
            "funds service recovery, but the scenario has no 'service' section (add one with "
            "failure, concession and defection, or spend 0)");
  if (referral.spends() && !context.has_referrals)
    missing(referral,
            "spends on a referral programme, but the scenario has no 'referrals' section (add "
            "one with rate and conversion, or spend 0)");
  else if (referral.spends() && !context.has_referral_program)
    missing(referral,
            "spends on a referral programme, but referrals has no 'program' saying what the "
            "spend does (add program: {max_uplift: x, scale: y}, or spend 0)");
}

// The four spend lines of a policy or step, with their checks; whether retention may spend.
bool read_spend_lines(Problems& problems, MapReader& r, const PolicyContext& context,
                      PolicyStep& step) {
  const std::size_t before = problems.count();
  LineRead acquisition{"acquisition", r.item("acquisition"), {}},
      retention{"retention", r.item("retention"), {}}, recovery{"recovery", r.item("recovery"), {}},
      referral{"referral", r.item("referral"), {}};
  for (LineRead* read : {&recovery, &referral, &acquisition, &retention}) {
    if (!read->item) continue;
    read->line = read_spend_line(problems, *read->item, read == &acquisition);
    read->variable = problems.variable_at(read->item->path);
  }
  const StepLines lines = {&acquisition, &retention, &recovery, &referral};
  check_one_rest(problems, lines);
  for (auto [read, target] :
       {std::pair(&acquisition, &step.acquisition), std::pair(&retention, &step.retention),
        std::pair(&recovery, &step.recovery), std::pair(&referral, &step.referral)})
    if (read->line) *target = *read->line;
  if (problems.count() == before) check_shares(problems, r, lines, step);
  check_sections_for_spend(problems, context, acquisition, retention, recovery, referral);
  return retention.spends();
}

// recovery_tiers: `all` or a list of tier names.
void read_recovery_tiers(Problems& problems, MapReader& r, const PolicyContext& context,
                         PolicyStep& step) {
  const auto eligible = r.item("recovery_tiers");
  if (!eligible) return;
  if (eligible->node.IsScalar() && eligible->node.Scalar() == "all") {
    step.recovery_tiers.clear();
    return;
  }
  const auto names = list_items(problems, *eligible, "tier names", true, limits::kTiers);
  if (!names) return;
  step.recovery_tiers.assign(context.tiers.size(), false);
  for (const Item& name_item : *names) {
    const auto name = read_string(problems, name_item);
    if (!name) continue;
    const auto found = context.tiers.index.find(*name);
    if (found != context.tiers.index.end())
      step.recovery_tiers[found->second] = true;
    else if (context.tiers.complete)
      problems.add(name_item.mark,
                   fmt::format("unknown tier '{}' in {}{} (tiers: {}; or write recovery_tiers: "
                               "all)",
                               *name, name_item.path, did_you_mean(*name, context.tiers.distinct()),
                               join(context.tiers.distinct())));
  }
}

// retention_weights: a map tier name -> weight, 1 for tiers not named. They may not all be 0
// (at their variables' least) when retention spends.
void read_retention_weights(Problems& problems, MapReader& r, const PolicyContext& context,
                            PolicyStep& step, bool retention_spends) {
  step.retention_weights.assign(context.tiers.size(), 1.0);
  const auto weights = r.item("retention_weights");
  if (!weights) return;
  const auto map = read_tier_map(problems, *weights, context.tiers, kWeight);
  if (!map) return;
  std::vector<double> least = step.retention_weights;
  for (const TierValue& weight : map->values) {
    step.retention_weights[weight.tier] = weight.value;
    const DeclaredVariable* variable = problems.variable_at(weight.path);
    least[weight.tier] = variable ? variable->min : weight.value;
  }
  const bool all_zero = std::all_of(least.begin(), least.end(), [](double w) { return w == 0.0; });
  if (map->all_valid && all_zero && retention_spends)
    problems.add(weights->mark,
                 fmt::format("{}: every weight is 0, so the retention spend could not go to any "
                             "tier; give at least one tier a weight above 0",
                             weights->path));
}

// The split of a policy or of one schedule step.
void read_split(Problems& problems, MapReader& r, const PolicyContext& context, PolicyStep& step) {
  const bool retention_spends = read_spend_lines(problems, r, context, step);
  read_recovery_tiers(problems, r, context, step);
  read_retention_weights(problems, r, context, step, retention_spends);
}

// A schedule step's `from`, as read.
struct FromRead {
  std::size_t index = 0;  // of the step
  std::string step_path;
  YAML::Mark mark;
  int value = 1;
  const DeclaredVariable* variable = nullptr;
};

// The first step starts in period 1 and each later one after the one before, at every value
// of the variables their `from`s are given as.
void check_step_order(Problems& problems, const std::vector<FromRead>& froms) {
  const FromRead* previous = nullptr;
  for (const FromRead& from : froms) {
    const Corners corners(previous ? std::vector{previous->variable, from.variable}
                                   : std::vector{from.variable});
    for (std::size_t c = 0; c < corners.count(); ++c) {
      const double now = corners.value(c, from.variable, from.value);
      if (from.index == 0 && now != 1) {
        problems.add(from.mark, fmt::format("{}.from must be 1: the first step says what happens "
                                            "from the first period, got {}{}",
                                            from.step_path, now, corners.describe(c)));
        break;
      }
      const double before = previous ? corners.value(c, previous->variable, previous->value) : 0;
      if (previous != nullptr && now <= before) {
        problems.add(from.mark, fmt::format("{}.from must be greater than the previous step's "
                                            "from ({}), got {}{}; steps go in increasing order",
                                            from.step_path, before, now, corners.describe(c)));
        break;
      }
    }
    previous = &from;
  }
}

Policy read_policy(Problems& problems, const Item& item, const PolicyContext& context,
                   UniqueNames& unique) {
  Policy policy;
  MapReader r(problems, item, keys_of("policies"));
  if (!r.valid()) return policy;
  if (const auto name = r.required_name("name")) {
    policy.name = *name;
    unique.check(problems, *name, item.path, r.item("name")->mark);
  }
  const auto schedule = r.item("schedule");
  if (!schedule) {
    PolicyStep step;
    step.from_period = 1;
    read_split(problems, r, context, step);
    policy.steps.push_back(std::move(step));
    r.finish();
    return policy;
  }
  for (const char* key :
       {"acquisition", "retention", "retention_weights", "recovery", "recovery_tiers", "referral"})
    r.reject(key, fmt::format("{} cannot be combined with schedule; give it in each schedule "
                              "step instead",
                              child_path(item.path, key)));
  r.finish();

  const auto steps = list_items(problems, *schedule, "steps", true);
  if (!steps) return policy;
  std::vector<FromRead> froms;
  for (std::size_t i = 0; i < steps->size(); ++i) {
    const Item& step_item = (*steps)[i];
    MapReader s(problems, step_item, keys_of("policies.schedule"));
    PolicyStep step;
    if (!s.valid()) continue;
    const IntegerRule from_rule =
        context.horizon ? between(1, static_cast<std::uint64_t>(*context.horizon))
                        : IntegerRule{1, kMaxHorizon, "an integer from 1 to the horizon"};
    if (const auto from = s.required_integer("from", from_rule)) {
      step.from_period = static_cast<int>(*from);
      const Item from_item = *s.item("from");
      froms.push_back({i, step_item.path, from_item.mark, step.from_period,
                       problems.variable_at(from_item.path)});
    }
    read_split(problems, s, context, step);
    s.finish();
    policy.steps.push_back(std::move(step));
  }
  check_step_order(problems, froms);
  return policy;
}

}  // namespace

std::vector<Policy> read_policies(Problems& problems, MapReader& top,
                                  const PolicyContext& context) {
  std::vector<Policy> policies;
  const auto list = top.require("policies", "a non-empty list of policies to compare");
  if (!list) return policies;
  const auto items = list_items(problems, *list, "policy", true, limits::kPolicies);
  if (!items) return policies;
  UniqueNames unique("policy");
  for (const Item& item : *items) policies.push_back(read_policy(problems, item, context, unique));
  return policies;
}

}  // namespace tenure::reader
