// The metrics (one figure per world) and series (one value per world and period) that a run
// reports, declared once. The kernel records into slots through these declarations, the
// runner copies the reported slots, and the writers take the names; adding a metric is one
// declaration here plus the code that computes it.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tenure {

// How the values recorded in each period make a world's figure.
enum class Fold {
  sum,             // added over the periods
  discounted_sum,  // added over the periods, each discounted at the end of its period
  minimum,         // the lowest value recorded, counting 0 before period 1
  last,            // the value recorded last
};

enum class Unit { money, customers, prospects, share };

// What a figure measures; figures of a mechanism the scenario does not use are not reported.
enum class Mechanism { always, service, referrals, intermediaries, market, word_of_mouth };

// What a family of figures has one member for.
enum class Members { tiers, sources, regimes };

struct MetricDecl {
  std::string_view name;
  Fold fold;
  Unit unit;
  Mechanism needs;
  std::string_view meaning;
};

// A figure per member: named prefix + the member's result name (customers_end_gold).
struct FamilyDecl {
  std::string_view prefix;
  Members over;
  Fold fold;
  Unit unit;
  std::string_view meaning;
};

// The per-world metrics, in the order they are reported.
inline constexpr std::array kMetricDecls = {
    MetricDecl{"npv", Fold::discounted_sum, Unit::money, Mechanism::always,
               "cash flows of periods 1..T, each discounted at the end of its period"},
    MetricDecl{"profit", Fold::sum, Unit::money, Mechanism::always,
               "the same cash flows, undiscounted"},
    MetricDecl{"customers_end", Fold::last, Unit::customers, Mechanism::always,
               "customers after the last period's churn and migration"},
    MetricDecl{"acquired", Fold::sum, Unit::customers, Mechanism::always,
               "customers won over the horizon, from every source"},
    MetricDecl{"churned", Fold::sum, Unit::customers, Mechanism::always,
               "customers lost over the horizon, defections included"},
    MetricDecl{"cash_trough", Fold::minimum, Unit::money, Mechanism::always,
               "lowest cumulative cash position, counting 0 before period 1"},
    MetricDecl{"acquisition_spend", Fold::sum, Unit::money, Mechanism::always,
               "paid-acquisition spend, undiscounted"},
    MetricDecl{"retention_spend", Fold::sum, Unit::money, Mechanism::always,
               "retention spend, undiscounted"},
    MetricDecl{"equity_end", Fold::last, Unit::money, Mechanism::always,
               "present value of the customers left at the end"},
    MetricDecl{"npv_with_equity", Fold::last, Unit::money, Mechanism::always, "npv + equity_end"},
    MetricDecl{"failures", Fold::sum, Unit::customers, Mechanism::service, "service failures"},
    MetricDecl{"recoveries_offered", Fold::sum, Unit::customers, Mechanism::service,
               "failures offered a concession"},
    MetricDecl{"concessions_paid", Fold::sum, Unit::money, Mechanism::service,
               "money paid in concessions"},
    MetricDecl{"defected", Fold::sum, Unit::customers, Mechanism::service,
               "customers who defected after an unresolved failure"},
    MetricDecl{"referred", Fold::sum, Unit::prospects, Mechanism::referrals,
               "prospects referred by customers"},
    MetricDecl{"referral_won", Fold::sum, Unit::customers, Mechanism::referrals,
               "customers won from customer referrals"},
    MetricDecl{"referral_cost", Fold::sum, Unit::money, Mechanism::referrals,
               "referral-programme spend plus rewards"},
    MetricDecl{"intermediary_won", Fold::sum, Unit::customers, Mechanism::intermediaries,
               "customers won through intermediaries"},
    MetricDecl{"commissions", Fold::sum, Unit::money, Mechanism::intermediaries,
               "commissions paid to intermediaries"},
    MetricDecl{"pool_end", Fold::last, Unit::prospects, Mechanism::market,
               "prospects left in the pool at the end"},
};

// Per-member metrics, reported after the others: families over tiers one family after the
// other, families over sources source by source (a source's figures side by side).
inline constexpr std::array kMetricFamilyDecls = {
    FamilyDecl{"customers_end_", Members::tiers, Fold::last, Unit::customers,
               "the tier's customers at the end"},
    FamilyDecl{"npv_", Members::tiers, Fold::discounted_sum, Unit::money,
               "the tier's discounted margins less cost to serve, before marketing"},
    FamilyDecl{"won_", Members::sources, Fold::sum, Unit::customers,
               "customers won through the intermediary"},
    FamilyDecl{"commission_", Members::sources, Fold::sum, Unit::money,
               "commissions paid to the intermediary"},
    FamilyDecl{"periods_in_", Members::regimes, Fold::sum, Unit::customers,
               "periods the world spent in the regime"},
};

// The per-period series: per-tier families first, then the others, in this order.
inline constexpr std::array kSeriesFamilyDecls = {
    FamilyDecl{"customers_", Members::tiers, Fold::last, Unit::customers,
               "the tier's customers at the end of the period"},
    FamilyDecl{"regime_", Members::regimes, Fold::last, Unit::share,
               "1 when the world is in the regime in the period, else 0: its mean over worlds "
               "is the share of worlds in it"},
};
inline constexpr std::array kSeriesDecls = {
    MetricDecl{"customers", Fold::last, Unit::customers, Mechanism::always,
               "customers at the end of the period"},
    MetricDecl{"cash_cumulative", Fold::last, Unit::money, Mechanism::always,
               "cumulative cash flow up to the period, undiscounted"},
    MetricDecl{"reputation_damage", Fold::last, Unit::share, Mechanism::word_of_mouth,
               "share of prospects put off by negative word of mouth"},
    MetricDecl{"prospect_pool", Fold::last, Unit::prospects, Mechanism::market,
               "prospects left in the pool"},
};

// Compile-time handles: metric("npv") is an error at compile time for an undeclared name.
template <typename Tag>
struct DeclId {
  std::size_t index;
};
using MetricId = DeclId<struct MetricTag>;
using MetricFamilyId = DeclId<struct MetricFamilyTag>;
using SeriesId = DeclId<struct SeriesTag>;
using SeriesFamilyId = DeclId<struct SeriesFamilyTag>;

template <typename Id, typename Decls>
consteval Id find_decl(const Decls& decls, std::string_view name) {
  for (std::size_t i = 0; i < decls.size(); ++i) {
    const auto& d = decls[i];
    if constexpr (requires { d.prefix; }) {
      if (d.prefix == name) return Id{i};
    } else {
      if (d.name == name) return Id{i};
    }
  }
  throw "no metric or series declared under this name";
}
consteval MetricId metric(std::string_view name) {
  return find_decl<MetricId>(kMetricDecls, name);
}
consteval MetricFamilyId metric_family(std::string_view prefix) {
  return find_decl<MetricFamilyId>(kMetricFamilyDecls, prefix);
}
consteval SeriesId series(std::string_view name) {
  return find_decl<SeriesId>(kSeriesDecls, name);
}
consteval SeriesFamilyId series_family(std::string_view prefix) {
  return find_decl<SeriesFamilyId>(kSeriesFamilyDecls, prefix);
}

// A reported figure: its name in the results and its slot in the kernel's output.
struct ReportedSlot {
  std::string name;
  std::size_t slot = 0;
};

// What a layout needs to know of a model: its members and the mechanisms it uses.
struct LayoutMembers {
  std::vector<std::string> tiers;    // result names
  std::vector<std::string> sources;  // result names
  std::vector<std::string> regimes;  // result names
  std::array<bool, 6> uses{};        // by Mechanism; `always` is always true
};

// The slots of one model's metrics and series. Every declared figure has a slot (the kernel
// records all of them); only those of the mechanisms in use are reported.
class MetricLayout {
 public:
  MetricLayout() = default;
  explicit MetricLayout(LayoutMembers members);

  std::size_t metric_slots() const { return metric_slots_; }
  std::size_t series_slots() const { return series_slots_; }
  static constexpr std::size_t slot(MetricId id) { return id.index; }
  std::size_t slot(MetricFamilyId id, std::size_t member) const {
    return metric_family_base_[id.index] + member;
  }
  std::size_t slot(SeriesId id) const { return series_base_ + id.index; }
  std::size_t slot(SeriesFamilyId id, std::size_t member) const {
    return series_family_base_[id.index] + member;
  }

  // The members of a family: tier, source or regime result names.
  const std::vector<std::string>& names(Members over) const;
  std::size_t members(Members over) const;

  const std::vector<ReportedSlot>& reported_metrics() const { return metrics_; }
  const std::vector<ReportedSlot>& reported_series() const { return series_; }

 private:
  void declare_metrics();
  void declare_series();

  LayoutMembers members_;
  std::size_t metric_slots_ = 0, series_slots_ = 0, series_base_ = 0;
  std::array<std::size_t, kMetricFamilyDecls.size()> metric_family_base_{};
  std::array<std::size_t, kSeriesFamilyDecls.size()> series_family_base_{};
  std::vector<ReportedSlot> metrics_, series_;
};

// Folds a value recorded in a period into a world's figure.
inline void fold_into(double& figure, Fold fold, double value, double discount_factor) {
  switch (fold) {
    case Fold::sum:
      figure += value;
      return;
    case Fold::discounted_sum:
      figure += value * discount_factor;
      return;
    case Fold::minimum:
      figure = value < figure ? value : figure;  // as std::min(figure, value)
      return;
    case Fold::last:
      figure = value;
      return;
  }
}

}  // namespace tenure
