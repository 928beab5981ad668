// The budget and what spend does: acquisition and retention responses.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/scenario/sections.hpp"

namespace tenure::reader {

namespace {

AcquisitionResponse read_acquisition_response(Problems& problems, const Item& item) {
  AcquisitionResponse response;
  MapReader r(problems, item, keys_of("acquisition.response"));
  if (!r.valid()) return response;
  const Choices<ResponseShape> shapes = {{"exponential", ResponseShape::exponential},
                                         {"hill", ResponseShape::hill}};
  const auto shape = r.required_one_of("shape", shapes);
  response.max_customers = r.required_number("max_customers", kCustomerCount).value_or(0.0);
  if (shape == ResponseShape::exponential) {
    response.shape = ResponseShape::exponential;
    response.scale = r.required_number("scale", kPositive).value_or(1.0);
    for (const char* key : {"half_saturation", "slope"})
      r.reject(key, fmt::format("{} belongs to shape hill, not exponential (exponential takes "
                                "max_customers and scale)",
                                child_path(r.path(), key)));
  } else if (shape == ResponseShape::hill) {
    response.shape = ResponseShape::hill;
    response.half_saturation = r.required_number("half_saturation", kPositive).value_or(1.0);
    response.slope = r.required_number("slope", kPositive).value_or(1.0);
    r.reject("scale", fmt::format("{} belongs to shape exponential, not hill (hill takes "
                                  "max_customers, half_saturation and slope)",
                                  child_path(r.path(), "scale")));
  }
  r.finish();
  return response;
}

}  // namespace

namespace {

// A share-of-revenue budget's floor and cap, and the cash rule of either form.
void read_budget_rules(Problems& problems, MapReader& r, bool share, Budget& budget) {
  for (const char* key : {"floor", "cap"}) {
    if (!share) {
      r.reject(key, fmt::format("budget.{} applies only with share_of_revenue (it bounds a "
                                "budget that follows revenue)",
                                key));
      continue;
    }
    if (r.has(key)) (key[0] == 'f' ? budget.floor : budget.cap) = r.optional_money(key, 0.0);
  }
  if (budget.floor && budget.cap && *budget.cap < *budget.floor)
    problems.add(r.key_mark("cap"),
                 fmt::format("budget.cap ({}) must not be below budget.floor "
                             "({})",
                             format_sum(*budget.cap), format_sum(*budget.floor)));
  const auto cut = r.item("cut");
  if (!cut) return;
  MapReader c(problems, *cut, keys_of("budget.cut"));
  BudgetCut rule;
  rule.cash_below =
      c.required_number("cash_below", NumberRule{-limits::kMoney, true, limits::kMoney, true,
                                                 "an amount of money from -1e15 to 1e15"})
          .value_or(0.0);
  rule.multiplier = c.required_number("multiplier", kMultiplier).value_or(1.0);
  c.finish();
  budget.cut = rule;
}

}  // namespace

Budget read_budget(Problems& problems, MapReader& top) {
  Budget budget;
  const auto item =
      top.require("budget", "a map with per_period (and optional growth) or share_of_revenue");
  if (!item) return budget;
  MapReader r(problems, *item, keys_of("budget"));
  if (!r.valid()) return budget;
  const bool fixed = r.has("per_period"), share = r.has("share_of_revenue");
  if (fixed && share)
    problems.add(r.key_mark("share_of_revenue"),
                 "budget takes either per_period or share_of_revenue, not both");
  if (!fixed && !share)
    problems.add(r.mark(),
                 "budget needs one of per_period (an amount of money per period) or "
                 "share_of_revenue (a share of the previous period's revenue, 0 to 1)");
  if (fixed) budget.per_period = r.required_money("per_period").value_or(0.0);
  if (share) budget.share_of_revenue = r.required_probability("share_of_revenue");
  if (share && !fixed)
    r.reject("growth",
             "budget.growth applies only with per_period; a budget given as share_of_revenue "
             "follows revenue");
  else
    budget.growth = r.optional_number("growth", kGrowth, 0.0);
  read_budget_rules(problems, r, share, budget);
  r.finish();
  return budget;
}

std::optional<Acquisition> read_acquisition(Problems& problems, MapReader& top,
                                            const TierNames& tiers) {
  const auto item = top.item("acquisition");
  if (!item) return std::nullopt;
  Acquisition acquisition;
  acquisition.new_customer_mix.assign(tiers.size(), 0.0);
  MapReader r(problems, *item, keys_of("acquisition"));
  acquisition.adstock = r.optional_number(
      "adstock",
      NumberRule{0.0, true, 1.0, false, "a carry-over share from 0 up to (not including) 1"}, 0.0);
  if (const auto response =
          r.require("response", "a map with shape, max_customers and the shape's parameters"))
    acquisition.response = read_acquisition_response(problems, *response);
  if (const auto mix =
          r.require("new_customer_mix", "a map from tier name to share of new customers")) {
    if (const auto map = read_tier_map(problems, *mix, tiers, kProbability)) {
      double sum = 0.0;
      for (const TierValue& share : map->values) {
        acquisition.new_customer_mix[share.tier] = share.value;
        sum += share.value;
      }
      if (map->all_valid && std::abs(sum - 1.0) > kMixTolerance)
        problems.add(mix->mark, fmt::format("{}: the shares add up to {}; they must add up to 1 "
                                            "(tiers not named get 0)",
                                            mix->path, format_sum(sum)));
    }
  }
  r.finish();
  return acquisition;
}

// {max_uplift, scale} of a saturating uplift 1 + max_uplift (1 - exp(-spend / scale)).
std::pair<double, double> read_uplift(Problems& problems, const Item& item) {
  MapReader r(problems, item, keys_of("uplift"));
  const double max_uplift =
      r.required_number("max_uplift",
                        NumberRule{0.0, true, limits::kMultiplier, true, "a number from 0 to 1000"})
          .value_or(0.0);
  const double scale = r.required_number("scale", kPositive).value_or(1.0);
  r.finish();
  return {max_uplift, scale};
}

std::optional<RetentionResponse> read_retention(Problems& problems, MapReader& top,
                                                std::optional<UpgradeResponse>& upgrade) {
  const auto item = top.item("retention");
  if (!item) return std::nullopt;
  RetentionResponse response;
  MapReader r(problems, *item, keys_of("retention"));
  if (const auto up = r.item("upgrade")) {
    const auto [max_uplift, scale] = read_uplift(problems, *up);
    upgrade = UpgradeResponse{max_uplift, scale};
  }
  if (const auto inner = r.require("response", "a map with max_reduction and scale")) {
    MapReader in(problems, *inner, keys_of("retention.response"));
    response.max_reduction = in.required_probability("max_reduction").value_or(0.0);
    response.scale = in.required_number("scale", kPositive).value_or(1.0);
    in.finish();
  }
  r.finish();
  return response;
}

}  // namespace tenure::reader
