// What `tenure fit` writes: fit.json (every figure), fit.yaml (a snippet to paste into a
// scenario) and a text report for the terminal. All deterministic, with no timestamps.
#pragma once

#include <string>

#include "sim/calibration/sbg_fit.hpp"

namespace tenure {

// Per tier: the estimates with standard errors, the log-likelihood, counts and the table of
// observed against fitted survival.
std::string fit_json(const CohortFit& fit);

// `tiers:` entries with churn and concentration, and `heterogeneity: {classes: auto}`.
// With `uncertain`, churn is {dist: beta, mean, sd} and concentration {dist: lognormal,
// mean, sd}, matching each estimate and its standard error.
std::string fit_yaml(const CohortFit& fit, bool uncertain);

// The estimates and the observed-against-fitted table of every tier, for a terminal.
std::string fit_text(const CohortFit& fit);

}  // namespace tenure
