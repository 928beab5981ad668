// The policies: spend lines, splits and schedules.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/scenario/sections.hpp"

namespace tenure::reader {

namespace {

// A spend line: a bare share, or {share: x}, {amount: x} or {per_customer: x}.
std::optional<SpendLine> read_spend_line(Problems& problems, const Item& item, bool acquisition) {
  const std::vector<std::string> kinds =
      acquisition ? std::vector<std::string>{"share", "amount"}
                  : std::vector<std::string>{"share", "amount", "per_customer"};
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
                          fmt::format("a share of the budget between 0 and 1, or a map with one "
                                      "of {}",
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

  bool spends() const { return line && line->value > 0.0; }
};

// Lines given as shares may add up to at most 1.
void check_shares(Problems& problems, const MapReader& r, const PolicyStep& step) {
  double shares = 0.0;
  std::vector<std::string> terms;
  for (const auto& [name, line] :
       {std::pair("acquisition", step.acquisition), std::pair("retention", step.retention),
        std::pair("recovery", step.recovery), std::pair("referral", step.referral)}) {
    if (line.kind != SpendLine::Kind::share || line.value == 0.0) continue;
    shares += line.value;
    terms.push_back(fmt::format("{} {}", name, format_sum(line.value)));
  }
  if (shares > 1.0 + kShareTolerance)
    problems.add(r.mark(), fmt::format("{}: the shares of the budget add up to {} ({}); they "
                                       "can add up to at most 1",
                                       r.path(), format_sum(shares), join(terms, " + ")));
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

// The four spend lines of a policy or step, with their checks.
void read_spend_lines(Problems& problems, MapReader& r, const PolicyContext& context,
                      PolicyStep& step) {
  const std::size_t before = problems.count();
  LineRead acquisition{"acquisition", r.item("acquisition"), {}},
      retention{"retention", r.item("retention"), {}}, recovery{"recovery", r.item("recovery"), {}},
      referral{"referral", r.item("referral"), {}};
  for (auto [read, target] :
       {std::pair(&recovery, &step.recovery), std::pair(&referral, &step.referral),
        std::pair(&acquisition, &step.acquisition), std::pair(&retention, &step.retention)}) {
    if (!read->item) continue;
    read->line = read_spend_line(problems, *read->item, read == &acquisition);
    if (read->line) *target = *read->line;
  }
  if (problems.count() == before) check_shares(problems, r, step);
  check_sections_for_spend(problems, context, acquisition, retention, recovery, referral);
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

// retention_weights: a map tier name -> weight, 1 for tiers not named.
void read_retention_weights(Problems& problems, MapReader& r, const PolicyContext& context,
                            PolicyStep& step) {
  step.retention_weights.assign(context.tiers.size(), 1.0);
  const auto weights = r.item("retention_weights");
  if (!weights) return;
  const auto map = read_tier_map(problems, *weights, context.tiers, kWeight);
  if (!map) return;
  for (const TierValue& weight : map->values) step.retention_weights[weight.tier] = weight.value;
  const bool all_zero = std::all_of(step.retention_weights.begin(), step.retention_weights.end(),
                                    [](double w) { return w == 0.0; });
  if (map->all_valid && all_zero && step.retention.value > 0.0)
    problems.add(weights->mark,
                 fmt::format("{}: every weight is 0, so the retention spend could not go to any "
                             "tier; give at least one tier a weight above 0",
                             weights->path));
}

// The split of a policy or of one schedule step.
void read_split(Problems& problems, MapReader& r, const PolicyContext& context, PolicyStep& step) {
  read_spend_lines(problems, r, context, step);
  read_recovery_tiers(problems, r, context, step);
  read_retention_weights(problems, r, context, step);
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
  std::optional<int> previous_from;
  for (std::size_t i = 0; i < steps->size(); ++i) {
    const Item& step_item = (*steps)[i];
    MapReader s(problems, step_item, keys_of("policies.schedule"));
    PolicyStep step;
    if (!s.valid()) continue;
    const IntegerRule from_rule =
        context.horizon ? between(1, static_cast<std::uint64_t>(*context.horizon))
                        : IntegerRule{1, kMaxHorizon, "an integer from 1 to the horizon"};
    const auto from = s.required_integer("from", from_rule);
    if (from) {
      step.from_period = static_cast<int>(*from);
      const YAML::Mark from_mark = s.item("from")->mark;
      if (i == 0 && *from != 1)
        problems.add(from_mark,
                     fmt::format("{}.from must be 1: the first step says what happens from the "
                                 "first period, got {}",
                                 step_item.path, *from));
      else if (previous_from && step.from_period <= *previous_from)
        problems.add(from_mark,
                     fmt::format("{}.from must be greater than the previous step's from ({}), "
                                 "got {}; steps go in increasing order",
                                 step_item.path, *previous_from, *from));
      previous_from = step.from_period;
    }
    read_split(problems, s, context, step);
    s.finish();
    policy.steps.push_back(std::move(step));
  }
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
