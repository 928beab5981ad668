// The relationship mechanisms: market, service and recovery, word of mouth, referrals,
// intermediaries.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/scenario/sections.hpp"

namespace tenure::reader {

std::optional<double> read_market(Problems& problems, MapReader& top) {
  const auto item = top.item("market");
  if (!item) return std::nullopt;
  MapReader r(problems, *item, keys_of("market"));
  const auto prospects = r.required_number(
      "prospects", NumberRule{1.0, true, 1e15, true, "a number of prospects from 1 to 1e15"});
  r.finish();
  return prospects ? std::optional<double>(std::floor(*prospects)) : std::optional<double>(1.0);
}

std::optional<Service> read_service(Problems& problems, MapReader& top, const TierNames& tiers) {
  const auto item = top.item("service");
  if (!item) return std::nullopt;
  Service service;
  MapReader r(problems, *item, keys_of("service"));
  if (!r.valid()) return service;
  if (const auto failure = r.require(
          "failure", "a probability of a failure per period, or a map from tier to probability"))
    service.failure = read_per_tier(problems, *failure, tiers, kProbability, 0.0);
  service.concession = r.optional_money("concession", 0.0);
  service.recovery_success = r.optional_probability("success", 1.0);
  if (const auto defection =
          r.require("defection",
                    "a probability of defecting after an unresolved failure, or a map from "
                    "tier to probability"))
    service.defection = read_per_tier(problems, *defection, tiers, kProbability, 0.0);
  r.finish();
  return service;
}

std::optional<WordOfMouth> read_word_of_mouth(Problems& problems, MapReader& top) {
  const auto item = top.item("word_of_mouth");
  if (!item) return std::nullopt;
  WordOfMouth wom;
  MapReader r(problems, *item, keys_of("word_of_mouth"));
  wom.reach = r.required_number("reach", NumberRule{0.0, true, limits::kCustomersPerPeriod, true,
                                                    "a number of prospects from 0 to 1e12"})
                  .value_or(0.0);
  wom.trust = r.optional_probability("trust", 0.9);
  wom.decay = r.optional_probability("decay", 0.0);
  r.finish();
  if (!top.has("market"))
    problems.add(item->mark,
                 "word_of_mouth damages the prospect pool, so it needs a 'market' "
                 "section with prospects (the size of the pool)");
  if (!top.has("service"))
    problems.add(item->mark,
                 "word_of_mouth spreads from customers who defect after an "
                 "unresolved service failure, so it needs a 'service' section");
  return wom;
}

std::optional<CustomerReferrals> read_referrals(Problems& problems, MapReader& top,
                                                const TierNames& tiers) {
  const auto item = top.item("referrals");
  if (!item) return std::nullopt;
  CustomerReferrals referrals;
  MapReader r(problems, *item, keys_of("referrals"));
  if (!r.valid()) return referrals;
  if (const auto rate = r.require(
          "rate", "referred prospects per customer per period, or a map from tier to that"))
    referrals.rate = read_per_tier(
        problems, *rate, tiers,
        NumberRule{0.0, true, limits::kReferralRate, true, "a rate from 0 to 1000"}, 0.0);
  referrals.conversion = r.required_probability("conversion").value_or(0.0);
  referrals.reward = r.optional_money("reward", 0.0);
  if (const auto program = r.item("program")) {
    const auto [max_uplift, scale] = read_uplift(problems, *program);
    referrals.max_uplift = max_uplift;
    referrals.scale = scale;
  }
  r.finish();
  return referrals;
}

// Whether referrals (when given as a map) has a program; a broken section counts as having
// one, so its own problems are not followed by a second, derived one.
bool has_referral_program(MapReader& top) {
  const auto referrals = top.item("referrals");
  if (!referrals || !referrals->node.IsMap()) return true;
  for (auto it = referrals->node.begin(); it != referrals->node.end(); ++it) {
    const YAML::Node key = it->first;
    if (key.IsScalar() && key.Scalar() == "program") return true;
  }
  return false;
}

std::vector<Intermediary> read_intermediaries(Problems& problems, MapReader& top) {
  std::vector<Intermediary> sources;
  const auto list = top.item("intermediaries");
  if (!list) return sources;
  const auto items = list_items(problems, *list, "intermediaries", false, limits::kIntermediaries);
  if (!items) return sources;
  if (!top.has("acquisition"))
    problems.add(list->mark,
                 "intermediaries' customers are split over tiers by "
                 "acquisition.new_customer_mix, so they need an 'acquisition' section");
  UniqueNames unique("intermediary", true);
  for (const Item& item : *items) {
    MapReader r(problems, item, keys_of("intermediaries"));
    if (!r.valid()) continue;
    Intermediary source;
    if (const auto name = r.required_name("name")) {
      source.name = *name;
      unique.check(problems, *name, item.path, r.item("name")->mark);
    }
    source.prospects =
        r.required_number("prospects", NumberRule{0.0, true, limits::kCustomersPerPeriod, true,
                                                  "prospects per period from 0 to 1e12"})
            .value_or(0.0);
    source.conversion = r.required_probability("conversion").value_or(0.0);
    source.commission = r.optional_money("commission", 0.0);
    r.finish();
    sources.push_back(std::move(source));
  }
  return sources;
}

}  // namespace tenure::reader
