#include "sim/calibration/fit_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "sim/calibration/text.hpp"

namespace tenure {

namespace {

using Json = nlohmann::ordered_json;

Json table_json(const std::vector<PeriodFit>& table) {
  Json rows = Json::array();
  for (const PeriodFit& row : table)
    rows.push_back(Json{{"period", row.period},
                        {"observed", row.observed},
                        {"fitted", row.fitted},
                        {"active", row.active},
                        {"acquired", row.acquired},
                        {"cohorts", row.cohorts}});
  return rows;
}

Json tier_json(const TierFit& tier) {
  const SbgEstimate& e = tier.estimate;
  return Json{{"tier", tier.name},
              {"churn", e.churn},
              {"concentration", e.concentration},
              {"churn_se", e.churn_se},
              {"concentration_se", e.concentration_se},
              {"churn_concentration_correlation", e.churn_concentration_correlation},
              {"alpha", e.alpha},
              {"beta", e.beta},
              {"alpha_se", e.alpha_se},
              {"beta_se", e.beta_se},
              {"log_likelihood", e.log_likelihood},
              {"cohorts", tier.cohorts},
              {"customers", tier.customers},
              {"table", table_json(tier.table)}};
}

// A number for YAML and text: 6 significant digits, enough to reproduce the fit's
// simulations far inside its standard errors.
std::string number(double value) {
  return fmt::format("{:.6g}", value);
}
std::string rounded(double value) {
  return fmt::format("{:.3g}", value);
}

// A tier name as a YAML scalar: plain when it cannot be read as anything but text, else
// double-quoted (names are checked UTF-8 without control characters, so only \ and " need
// escaping).
std::string yaml_scalar(const std::string& name) {
  static constexpr std::array<std::string_view, 11> kReserved = {
      "true", "false", "yes", "no", "on", "off", "null", "y", "n", "~", ""};
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const bool safe_start =
      !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_');
  const bool safe_rest = std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
  const bool reserved = std::find(kReserved.begin(), kReserved.end(), lower) != kReserved.end();
  if (safe_start && safe_rest && !reserved) return name;
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

// The two parameters of one tier as fixed numbers with their standard errors in comments.
std::string yaml_point(const SbgEstimate& e) {
  return fmt::format(
      "    churn: {}  # mean churn per period; SE {}\n"
      "    concentration: {}  # alpha + beta; SE {}\n",
      number(e.churn), rounded(e.churn_se), number(e.concentration), rounded(e.concentration_se));
}

// The two parameters as distributions matching each estimate and its standard error. A beta
// distribution with mean m needs sd^2 < m (1 - m); a wider standard error keeps the point
// estimate for churn.
std::string yaml_uncertain(const SbgEstimate& e) {
  std::string text = fmt::format(
      "    # Drawn once per simulated world, independently of each other (the two estimates'\n"
      "    # correlation is {:.2f}).\n",
      e.churn_concentration_correlation);
  if (e.churn_se * e.churn_se < e.churn * (1 - e.churn))
    text += fmt::format("    churn: {{dist: beta, mean: {}, sd: {}}}  # per period\n",
                        number(e.churn), number(e.churn_se));
  else
    text +=
        fmt::format("    churn: {}  # SE {} is too wide for a beta distribution with this mean\n",
                    number(e.churn), rounded(e.churn_se));
  text += fmt::format("    concentration: {{dist: lognormal, mean: {}, sd: {}}}  # alpha + beta\n",
                      number(e.concentration), number(e.concentration_se));
  return text;
}

}  // namespace

std::string fit_json(const CohortFit& fit) {
  Json j;
  j["model"] = "shifted-beta-geometric";
  j["source"] = fit.file;
  j["tiers"] = Json::array();
  for (const TierFit& tier : fit.tiers) j["tiers"].push_back(tier_json(tier));
  // The file name comes from the user; invalid UTF-8 in it must not stop the output.
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string fit_yaml(const CohortFit& fit, bool uncertain) {
  const std::string source = std::filesystem::path(fit.file).filename().string();
  std::string text = fmt::format(
      "# Fitted by `tenure fit {}` (shifted-beta-geometric, maximum likelihood).\n"
      "# Add each tier's other keys (margin, initial_customers, ...) before use.\n",
      shown_text(source, 1000));
  if (!fit.has_tier_column)
    text += fmt::format("# The file has no tier column: rename '{}' to your scenario's tier.\n",
                        kDefaultTierName);
  text += "tiers:\n";
  for (const TierFit& tier : fit.tiers) {
    text += fmt::format("  - name: {}\n", yaml_scalar(tier.name));
    text += uncertain ? yaml_uncertain(tier.estimate) : yaml_point(tier.estimate);
  }
  return text + "heterogeneity: {classes: auto}\n";
}

namespace {

std::string tier_text(const TierFit& tier) {
  const SbgEstimate& e = tier.estimate;
  std::string text = fmt::format("{}: {} cohort{}, {} customers, periods 0 to {}\n",
                                 shown_text(tier.name), tier.cohorts, tier.cohorts == 1 ? "" : "s",
                                 tier.customers, tier.table.size() - 1);
  const auto line = [](std::string_view name, double value, double se, std::string_view note) {
    const std::string figures =
        fmt::format("  {:<15}{:>12}   SE {}", name, number(value), rounded(se));
    if (note.empty()) return figures + "\n";
    return fmt::format("{:<45}{}\n", figures, note);
  };
  text += line("churn", e.churn, e.churn_se, "mean churn per period, alpha / (alpha + beta)");
  text += line("concentration", e.concentration, e.concentration_se, "alpha + beta");
  text += line("alpha", e.alpha, e.alpha_se, "");
  text += line("beta", e.beta, e.beta_se, "");
  text += fmt::format("  correlation of the churn and concentration estimates: {:.2f}\n",
                      e.churn_concentration_correlation);
  text += fmt::format("  log-likelihood {:.2f}\n", e.log_likelihood);
  return text;
}

// The table, every period up to 25 rows; beyond that every n-th period and the last.
std::string table_text(const std::vector<PeriodFit>& table) {
  constexpr std::size_t kRows = 25;
  const std::size_t stride = (table.size() + kRows - 1) / kRows;
  std::string text = fmt::format("  {:>6} {:>8} {:>14} {:>14} {:>9} {:>9}\n", "period", "cohorts",
                                 "acquired", "active", "observed", "fitted");
  for (std::size_t t = 0; t < table.size(); ++t) {
    if (t % stride != 0 && t + 1 != table.size()) continue;
    const PeriodFit& row = table[t];
    text += fmt::format("  {:>6} {:>8} {:>14} {:>14} {:>9.4f} {:>9.4f}\n", row.period, row.cohorts,
                        row.acquired, row.active, row.observed, row.fitted);
  }
  if (stride > 1) text += fmt::format("  (every {}th period shown; fit.json has all)\n", stride);
  return text;
}

}  // namespace

std::string fit_text(const CohortFit& fit) {
  std::string text = fmt::format("Shifted-beta-geometric fit of {}\n", shown_text(fit.file, 1000));
  for (const TierFit& tier : fit.tiers) {
    text += '\n';
    text += tier_text(tier);
    text += table_text(tier.table);
  }
  return text;
}

}  // namespace tenure
