// Churn that varies within a tier. Each customer's per-period churn propensity p is Beta(a, b)
// distributed, the shifted-beta-geometric model (Fader and Hardie, "How to Project Customer
// Retention", 2007): a cohort's survival is S(t) = B(a, b + t) / B(a, b), and its retention
// rises with age as the flighty leave first. The engine counts customers, so it represents
// the Beta by a few churn classes, nodes p_c with shares w_c, chosen so that a cohort's
// discounted expected lifetime over the scenario's horizon is within a tolerance of the
// closed form (classes_needed, churn_classes).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace tenure {

// Nodes and weights (summing to the measure's mass) of a Gauss quadrature rule.
struct Quadrature {
  std::vector<double> nodes, weights;
};

// Gauss quadrature for Beta(a, b) on [0, 1]: sum_c weight_c g(node_c) = E[g(p)] exactly for
// every polynomial g of degree up to 2 count - 1. Nodes in increasing order.
Quadrature beta_quadrature(double a, double b, int count);

// The Gauss rule of `count` nodes of the discrete measure sum_j w_j delta(x_j).
Quadrature discrete_gauss(const std::vector<double>& x, const std::vector<double>& w, int count);

// A customer's discounted lifetime per unit of margin over `horizon` periods at a per-period
// rate, with constant churn p, margins paid at the end of each period in which the customer
// is active: sum_{k=1..T} (1 - p)^(k-1) (1 + rate)^-k.
double discounted_lifetime(double p, double rate, int horizon);

// The same for a Beta(a, b) population that has already survived `survived` periods:
// sum_{k=1..T} S(survived + k - 1) / S(survived) (1 + rate)^-k, with S as above.
double sbg_discounted_lifetime(double a, double b, double rate, int horizon, int survived = 0);

// What a discretisation is held to: a new cohort's discounted lifetime at the scenario's
// rate over its horizon (the criterion reported), the mean churn (so that one class matching
// the lifetime alone does not pass), and the discounted lifetime of the survivors of each
// initial cohort's tenure.
struct ClassCriteria {
  double rate = 0.0;  // per period
  int horizon = 1;
  std::vector<int> survived;  // tenures of the initial cohorts
};

struct ChurnClasses {
  std::vector<double> nodes, shares;
  std::string method;         // "none" (no spread), "gauss" or "lifetime-weighted"
  double lifetime_error = 0;  // relative error of a new cohort's discounted lifetime
  double worst_error = 0;     // the largest relative error over every criterion
};

// `count` classes for Beta(mean c, (1 - mean) c), c the concentration: the Gauss rule when it
// meets the tolerance (or when `gauss_only`), else the Gauss rule of the lifetime-weighted
// measure Beta(p) L(p) dp (shares w_c proportional to its weights over L(p_c)), which puts
// the classes where the lifetime is decided; whichever errs less when neither meets it.
// The Gauss rule does not depend on the horizon or the rate; the other does.
ChurnClasses churn_classes(double mean, double concentration, int count,
                           const ClassCriteria& criteria, double tolerance,
                           bool gauss_only = false);

// The fewest classes whose worst error is within the tolerance, at most `most`.
int classes_needed(double mean, double concentration, const ClassCriteria& criteria,
                   double tolerance, int most);

// The shares of the classes among customers who survived `tenure` periods with hazard
// p_c * multiplier(s) at tenure s (Bayes: w_c prod_s (1 - p_c m(s)), normalised); the prior
// shares when no class could have survived.
std::vector<double> survivor_shares(const ChurnClasses& classes, int tenure,
                                    const std::function<double(int)>& multiplier);

}  // namespace tenure
