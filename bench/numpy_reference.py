#!/usr/bin/python3
"""The tenure model written again with NumPy, vectorised over worlds: a reference to check
the program against (the means must agree) and to time it against (make bench-compare).

It implements only the mechanisms of bench/compare.yaml: a pyramid of tiers with migration
moves, loyalty with a floor and a half-life, churn heterogeneity by classes, an exponential
acquisition response with Poisson new customers split by a new-customer mix, and retention
spend spread over tiers by weights. Any other key of the scenario is refused, so the
reference never silently simulates a different model from the program's.

The conventions follow docs/model.md. The state of the worlds is one array of integer
counts indexed (world, tier, churn class, tenure cell); every random event is a binomial,
multinomial or Poisson draw on those counts, for all worlds at once.

Usage: numpy_reference.py SCENARIO [--paths N] [--seed S]; prints JSON on stdout: per policy
the mean and standard error of npv, profit, customers_end and equity_end.
"""

import argparse
import json
import math
import sys
from dataclasses import dataclass

import numpy as np
import yaml

PERIODS_PER_YEAR = {"month": 12, "quarter": 4, "year": 1}
METRICS = ("npv", "profit", "customers_end", "equity_end")


class ScenarioError(Exception):
    """Problems found in a scenario, one 'FILE:LINE:COLUMN: message' per line."""


# --- Reading the scenario -------------------------------------------------------------------


class MarkedMap(dict):
    """A YAML map that remembers where it and each of its values were written."""

    def __init__(self, mark=None):
        super().__init__()
        self.mark = mark
        self.value_marks = {}


class MarkedLoader(yaml.SafeLoader):
    """A safe YAML loader whose maps are MarkedMaps and which refuses duplicate keys."""


def _construct_marked_map(loader, node):
    loader.flatten_mapping(node)
    result = MarkedMap(node.start_mark)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            where = _where(loader.name, key_node.start_mark)
            raise ScenarioError(f"{where}: duplicate key '{key}'")
        result[key] = loader.construct_object(value_node, deep=True)
        result.value_marks[key] = value_node.start_mark
    return result


MarkedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_marked_map)


def _key_path(where, key):
    """'tiers[0].churn', or just 'horizon' at the top level (where == '')."""
    return f"{where}.{key}" if where else str(key)


def _where(path, mark):
    return f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)


class Reader:
    """Checks values key by key, collecting every problem before failing."""

    def __init__(self, path):
        self.path = path
        self.problems = []

    def fail(self, mark, message):
        self.problems.append(f"{_where(self.path, mark)}: {message}")

    def map(self, node, where, allowed, required=(), allowed_are=None):
        """The node as a map with only `allowed` keys (and every `required` one), or None."""
        if not isinstance(node, MarkedMap):
            self.fail(getattr(node, "mark", None), f"{where} must be a map, got {node!r}")
            return None
        allowed_are = allowed_are or ("this NumPy reference implements only the mechanisms of "
                                      "bench/compare.yaml; allowed")
        for key in node:
            if key not in allowed:
                self.fail(node.value_marks[key], f"unknown key '{key}' in {where} "
                                                 f"({allowed_are}: {', '.join(map(str, allowed))})")
        for key in required:
            if key not in node:
                self.fail(node.mark, f"{where} is missing required key '{key}'")
        return node

    def section(self, parent, key, where, allowed, required=(), allowed_are=None):
        """parent[key] checked as a map; an empty map when the key is absent (the parent
        reports it if it was required) or wrong."""
        if key not in parent:
            return MarkedMap()
        return self.map(parent[key], where, allowed, required, allowed_are) or MarkedMap()

    def number(self, node, key, where, default=None, low=-math.inf, high=math.inf):
        """A finite number in [low, high]; `default` when the key is absent (None: required)."""
        if key not in node:
            if default is None:
                return math.nan  # the missing key was reported by map()
            return default
        value = node[key]
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not (is_number and math.isfinite(value) and low <= value <= high):
            self.fail(node.value_marks[key],
                      f"{_key_path(where, key)} must be a number from {low} to {high}, "
                      f"got {value!r}")
            return math.nan
        return float(value)

    def integer(self, node, key, where, default, low, high):
        value = node.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(node.value_marks.get(key), f"{_key_path(where, key)} must be an integer "
                                                 f"from {low} to {high}, got {value!r}")
            return default
        return value

    def tier_map(self, node, key, where, tier_names, default):
        """A map tier name -> number >= 0, as a list by tier; unnamed tiers get `default`."""
        values = [default] * len(tier_names)
        entries = self.section(node, key, f"{where}.{key}", tier_names, allowed_are="tiers")
        for name in entries:
            if name in tier_names:
                values[tier_names.index(name)] = self.number(entries, name, f"{where}.{key}",
                                                             low=0.0)
        return values


@dataclass
class Policy:
    name: str
    acquisition_share: float
    retention_share: float
    retention_weights: np.ndarray  # one per tier


@dataclass
class Scenario:
    name: str
    horizon: int
    periods_per_year: int
    discount_rate: float
    paths: int
    seed: int
    tier_names: list
    initial_customers: np.ndarray  # per tier
    margin: np.ndarray
    cost_to_serve: np.ndarray
    churn: np.ndarray
    moves: list  # per tier: list of (destination tier, probability)
    loyalty_floor: float  # 1 and an infinite half-life without a loyalty section
    loyalty_half_life: float
    classes: int
    concentration: float
    budget_per_period: float
    budget_growth: float
    fixed_costs: float
    max_customers: float
    response_scale: float
    new_customer_mix: np.ndarray
    max_reduction: float
    retention_scale: float
    policies: list


def _spend_share(r, policy, key, where):
    """A spend line: a bare share of the budget or {share: x}; other forms are refused."""
    if key not in policy:
        return 0.0
    line = policy[key]
    if isinstance(line, MarkedMap):
        if r.map(line, f"{where}.{key}", ("share",), ("share",)) is None or "share" not in line:
            return math.nan
        return r.number(line, "share", f"{where}.{key}", low=0.0, high=1.0)
    return r.number(policy, key, where, low=0.0, high=1.0)


def _read_tiers(r, top):
    tiers = top.get("tiers")
    if not isinstance(tiers, list) or not tiers:
        r.fail(top.mark, "tiers must be a non-empty list")
        return [], []
    names = [t.get("name") if isinstance(t, MarkedMap) else None for t in tiers]
    read = []
    for i, tier in enumerate(tiers):
        where = f"tiers[{i}]"
        tier = r.map(tier, where, ("name", "initial_customers", "margin", "cost_to_serve", "churn",
                                   "moves"), ("name", "margin", "churn"))
        if tier is None:
            continue
        moves = r.tier_map(tier, "moves", where, names, 0.0)
        if tier.get("name") in tier.get("moves", {}):
            r.fail(tier.value_marks["moves"], f"{where}.moves: a tier cannot move to itself")
        if sum(moves) > 1.0 + 1e-12:
            r.fail(tier.value_marks["moves"], f"{where}.moves: the move probabilities add up to "
                                              f"{sum(moves)}; they can add up to at most 1")
        read.append({
            "initial": r.integer(tier, "initial_customers", where, 0, 0, 10**12),
            "margin": r.number(tier, "margin", where, low=0.0),
            "cost": r.number(tier, "cost_to_serve", where, 0.0, low=0.0),
            "churn": r.number(tier, "churn", where, low=0.0, high=1.0),
            "moves": [(j, p) for j, p in enumerate(moves) if j != i and p > 0.0],
        })
    return names, read


def _read_policies(r, top, tier_names):
    policies = []
    listed = top.get("policies")
    for i, policy in enumerate(listed if isinstance(listed, list) else []):
        where = f"policies[{i}]"
        policy = r.map(policy, where, ("name", "acquisition", "retention", "retention_weights"),
                       ("name",))
        if policy is not None:
            policies.append(Policy(
                str(policy.get("name")), _spend_share(r, policy, "acquisition", where),
                _spend_share(r, policy, "retention", where),
                np.array(r.tier_map(policy, "retention_weights", where, tier_names, 1.0))))
    if not policies:
        r.fail(top.mark, "policies must be a non-empty list")
    return policies


def read_scenario(path):
    """Reads the scenario at `path`; raises ScenarioError listing every problem."""
    try:
        with open(path, encoding="utf-8") as f:
            top = yaml.load(f, Loader=MarkedLoader)
    except OSError as e:
        raise ScenarioError(f"{path}: cannot read file: {e.strerror}") from None
    except yaml.MarkedYAMLError as e:
        raise ScenarioError(f"{_where(path, e.problem_mark)}: {e.problem}") from None
    r = Reader(path)
    top = r.map(top, "the scenario",
                ("name", "description", "horizon", "period", "discount_rate", "paths", "seed",
                 "tiers", "loyalty", "heterogeneity", "budget", "fixed_costs", "acquisition",
                 "retention", "policies"),
                ("name", "horizon", "tiers", "budget", "acquisition", "retention", "policies"))
    if top is None:
        raise ScenarioError("\n".join(r.problems))
    names, tiers = _read_tiers(r, top)
    period = top.get("period", "month")
    if period not in PERIODS_PER_YEAR:
        r.fail(top.value_marks.get("period"), f"period must be one of month, quarter, year, "
                                              f"got {period!r}")
    loyalty = r.section(top, "loyalty", "loyalty", ("floor", "half_life"), ("floor", "half_life"))
    spread = r.section(top, "heterogeneity", "heterogeneity", ("classes", "concentration"),
                       ("concentration",))
    budget = r.section(top, "budget", "budget", ("per_period", "growth"), ("per_period",))
    acquisition = r.section(top, "acquisition", "acquisition", ("response", "new_customer_mix"),
                            ("response", "new_customer_mix"))
    response = r.section(acquisition, "response", "acquisition.response",
                         ("shape", "max_customers", "scale"), ("shape", "max_customers", "scale"))
    if response.get("shape", "exponential") != "exponential":
        r.fail(response.value_marks["shape"], "acquisition.response.shape: this NumPy reference "
                                              "implements only exponential")
    retention = r.section(top, "retention", "retention", ("response",), ("response",))
    effect = r.section(retention, "response", "retention.response", ("max_reduction", "scale"),
                       ("max_reduction", "scale"))
    mix = r.tier_map(acquisition, "new_customer_mix", "acquisition", names, 0.0)
    policies = _read_policies(r, top, names)
    scenario = Scenario(
        name=str(top.get("name")),
        horizon=r.integer(top, "horizon", "", 1, 1, 10000),
        periods_per_year=PERIODS_PER_YEAR.get(period, 12),
        discount_rate=r.number(top, "discount_rate", "", 0.0, 0.0, 1.0),
        paths=r.integer(top, "paths", "", 10000, 1, 10**9),
        seed=r.integer(top, "seed", "", 1, 0, 2**64 - 1),
        tier_names=names,
        initial_customers=np.array([t["initial"] for t in tiers], dtype=np.int64),
        margin=np.array([t["margin"] for t in tiers]),
        cost_to_serve=np.array([t["cost"] for t in tiers]),
        churn=np.array([t["churn"] for t in tiers]),
        moves=[t["moves"] for t in tiers],
        loyalty_floor=r.number(loyalty, "floor", "loyalty", 1.0, 0.0, 1.0),
        loyalty_half_life=r.number(loyalty, "half_life", "loyalty", math.inf, 1e-300),
        classes=r.integer(spread, "classes", "heterogeneity", 5 if "heterogeneity" in top else 1,
                          1, 20),
        concentration=r.number(spread, "concentration", "heterogeneity", math.inf, 1e-300),
        budget_per_period=r.number(budget, "per_period", "budget", low=0.0),
        budget_growth=r.number(budget, "growth", "budget", 0.0, low=-1.0 + 1e-12),
        fixed_costs=r.number(top, "fixed_costs", "", 0.0, low=0.0),
        max_customers=r.number(response, "max_customers", "acquisition.response", low=0.0),
        response_scale=r.number(response, "scale", "acquisition.response", low=1e-300),
        new_customer_mix=np.array(mix),
        max_reduction=r.number(effect, "max_reduction", "retention.response", low=0.0, high=1.0),
        retention_scale=r.number(effect, "scale", "retention.response", low=1e-300),
        policies=policies)
    if names and abs(sum(mix) - 1.0) > 1e-9:
        r.fail(acquisition.value_marks.get("new_customer_mix"),
               f"acquisition.new_customer_mix: the shares add up to {sum(mix)}; they must add "
               f"up to 1")
    if r.problems:
        raise ScenarioError("\n".join(r.problems))
    return scenario


# --- The model's constant tables (docs/model.md; sim/model.cpp build_model) -------------------


def beta_quadrature(a, b, count):
    """Gauss quadrature of a Beta(a, b) on [0, 1] by Golub-Welsch: nodes and weights such that
    sum_c w_c g(p_c) = E[g(p)] for every polynomial g of degree up to 2 count - 1.

    The Beta(a, b) weight on p = (1 + x) / 2 is the Jacobi weight on [-1, 1] with
    alpha = b - 1, beta = a - 1. The nodes are the eigenvalues of the symmetric tridiagonal
    Jacobi matrix of the monic Jacobi polynomials, the weights the squared first components of
    its normalised eigenvectors (Golub and Welsch, "Calculation of Gauss quadrature rules",
    Math. Comp. 23, 1969). With s = alpha + beta, the three-term recurrence coefficients are
      diagonal  d_0 = (beta - alpha) / (s + 2),
                d_n = (beta^2 - alpha^2) / ((2n + s)(2n + s + 2)),
      off-diagonal squared
                e_1^2 = 4 (1 + alpha)(1 + beta) / ((s + 2)^2 (s + 3)),
                e_n^2 = 4n (n + alpha)(n + beta)(n + s) / ((2n + s)^2 (2n + s + 1)(2n + s - 1)).
    """
    alpha, beta = b - 1.0, a - 1.0
    s = alpha + beta
    n = np.arange(count, dtype=float)
    diagonal = np.empty(count)
    diagonal[0] = (beta - alpha) / (s + 2.0)
    diagonal[1:] = (beta**2 - alpha**2) / ((2 * n[1:] + s) * (2 * n[1:] + s + 2.0))
    m = n[2:]  # off-diagonal indices from 2; e_1 below, where the general form is 0 / 0 at s = -1
    e2 = 4.0 * m * (m + alpha) * (m + beta) * (m + s) / (
        (2 * m + s)**2 * (2 * m + s + 1.0) * (2 * m + s - 1.0))
    if count > 1:
        e2 = np.r_[4.0 * (1.0 + alpha) * (1.0 + beta) / ((s + 2.0)**2 * (s + 3.0)), e2]
    jacobi = np.diag(diagonal) + np.diag(np.sqrt(e2), 1) + np.diag(np.sqrt(e2), -1)
    eigenvalues, eigenvectors = np.linalg.eigh((jacobi + np.eye(count)) / 2.0)  # x -> p
    return np.clip(eigenvalues, 0.0, 1.0), eigenvectors[0, :]**2


def churn_classes(sc):
    """Per tier and class: the base churn (the class's node) and the class's share."""
    nodes = np.empty((len(sc.churn), sc.classes))
    shares = np.empty_like(nodes)
    for k, churn in enumerate(sc.churn):
        if sc.classes > 1 and 0.0 < churn < 1.0:
            # The tier's churn is the mean of a Beta(a, b) with a + b = concentration.
            nodes[k], shares[k] = beta_quadrature(churn * sc.concentration,
                                                  (1.0 - churn) * sc.concentration, sc.classes)
        else:  # one class, or churn 0 or 1: no spread
            nodes[k], shares[k] = churn, 1.0 / sc.classes
    return nodes, shares


def loyalty_by_cell(sc):
    """Churn multiplier per tenure cell: loyalty(tau) = floor + (1 - floor) 0.5^(tau / half_life)
    for tenures 0, 1, ... while it still changes (up to 8 half-lives) and can be reached within
    the horizon, then one pooled last cell exactly at the floor, which also holds the initial
    customers (long-standing: 8 half-lives, at the floor)."""
    changing = 0 if math.isinf(sc.loyalty_half_life) else math.ceil(8.0 * sc.loyalty_half_life)
    tau = np.arange(min(changing, sc.horizon) + 1, dtype=float)
    multiplier = sc.loyalty_floor + (1.0 - sc.loyalty_floor) * np.exp2(-tau / sc.loyalty_half_life)
    multiplier[-1] = sc.loyalty_floor
    return multiplier


def per_period_rate(sc):
    """(1 + annual)^(1 / periods_per_year) - 1."""
    return (1.0 + sc.discount_rate)**(1.0 / sc.periods_per_year) - 1.0


def equity_per_customer(sc, nodes):
    """Value, one period before its first cash flow, of a customer of each (tier, class) left
    at the end: v = (1+i)^-1 (I - P/(1+i))^-1 (margin - cost_to_serve), P the per-period
    survive-and-move matrix at the loyalty floor without retention spend. Indexed [tier, class]."""
    tiers, classes = nodes.shape
    growth = 1.0 + per_period_rate(sc)
    survive = 1.0 - np.minimum(1.0, nodes * sc.loyalty_floor)
    P = np.zeros((tiers, classes, tiers, classes))
    for k in range(tiers):
        stay = 1.0 - sum(p for _, p in sc.moves[k])
        for c in range(classes):
            for to, p in sc.moves[k]:
                P[k, c, to, c] += survive[k, c] * p
            P[k, c, k, c] += survive[k, c] * max(0.0, stay)
    size = tiers * classes
    net = np.repeat(sc.margin - sc.cost_to_serve, classes)
    try:
        value = np.linalg.solve(np.eye(size) - P.reshape(size, size) / growth, net / growth)
    except np.linalg.LinAlgError:  # customers who never leave, undiscounted: no finite value
        value = np.full(size, math.nan)
    return value.reshape(tiers, classes)


# --- One period's steps, for all worlds at once -----------------------------------------------


def survivor_shares(sc, nodes, shares):
    """The class shares of the initial customers, who are long-standing: taken to have stayed
    8 loyalty half-lives, so each class's share is its weight times the chance of staying that
    long, prod_s (1 - min(1, p_c loyalty(s))), normalised (Bayes on the classes)."""
    tenure = math.ceil(8.0 * sc.loyalty_half_life) if not math.isinf(sc.loyalty_half_life) else 0
    s = np.arange(tenure, dtype=float)
    loyalty = sc.loyalty_floor + (1.0 - sc.loyalty_floor) * np.exp2(-s / sc.loyalty_half_life)
    log_shares = np.log(shares) + np.log1p(
        -np.minimum(1.0, nodes[:, :, None] * loyalty[None, None, :])).sum(axis=2)
    weights = np.exp(log_shares - log_shares.max(axis=1, keepdims=True))
    return weights / weights.sum(axis=1, keepdims=True)


def initial_counts(sc, nodes, shares, cells, worlds, rng):
    """Counts [world, tier, class, tenure cell] at the start: each tier's initial customers in
    the pooled last cell at the loyalty floor, split over churn classes at random by the
    shares of survivors of that long a tenure."""
    counts = np.zeros((worlds, len(sc.churn), sc.classes, cells), dtype=np.int64)
    initial_shares = survivor_shares(sc, nodes, shares)
    for k, n in enumerate(sc.initial_customers):
        counts[:, k, :, -1] = rng.multinomial(n, initial_shares[k], size=worlds)
    return counts


def acquire(sc, counts, spend, shares, rng):
    """Paid acquisition: a Poisson number won per world with mean max (1 - exp(-A / scale)),
    split over tiers by the new-customer mix and over churn classes by the class shares (two
    multinomials), joining at tenure 0. Returns the number won per world."""
    mean = -sc.max_customers * math.expm1(-spend / sc.response_scale) if spend > 0 else 0.0
    won = rng.poisson(mean, size=counts.shape[0])
    by_tier = rng.multinomial(won, sc.new_customer_mix)  # [world, tier]
    for k in range(counts.shape[1]):
        counts[:, k, :, 0] += rng.multinomial(by_tier[:, k], shares[k])
    return won


def retention_effect(sc, retention_budget, weights, active):
    """Spreads the retention budget so a customer of tier k receives r_k = R w_k / sum_j w_j N_j
    and returns ([world, tier] churn multipliers 1 - max_reduction (1 - exp(-r_k / scale)),
    [world] money spent). With nobody to spend on, nothing is spent."""
    weighted = active @ weights
    spends = (retention_budget > 0.0) & (weighted > 0.0)
    per_customer = np.where(spends[:, None], retention_budget * weights / np.where(
        spends, weighted, 1.0)[:, None], 0.0)
    effect = 1.0 + sc.max_reduction * np.expm1(-per_customer / sc.retention_scale)
    return effect, np.where(spends, retention_budget, 0.0)


def binomial_where_occupied(rng, n, p):
    """Binomial(n, p) element-wise, drawn only where n > 0: most cells are empty (early in the
    horizon, most tenures have not been reached yet). Broadcasts p to n's shape."""
    drawn = np.zeros_like(n)
    occupied = n > 0
    drawn[occupied] = rng.binomial(n[occupied], np.broadcast_to(p, n.shape)[occupied])
    return drawn


def churn_migrate_age(sc, counts, effect, nodes, loyalty, rng):
    """End of the period: each cell loses Binomial(n, h) customers, with
    h = min(1, churn of the class * loyalty(tenure) * retention effect of the tier); the
    survivors of each tier move by its move probabilities (a multinomial, drawn as
    conditional binomials; the rest stay), keeping class and tenure; then everyone ages one
    period, the last cell pooling. Returns the counts at the start of the next period."""
    hazard = np.minimum(1.0, nodes[None, :, :, None] * effect[:, :, None, None] * loyalty)
    survivors = counts - binomial_where_occupied(rng, counts, hazard)
    moved = np.zeros_like(counts)
    for k, moves in enumerate(sc.moves):
        left = survivors[:, k]  # [world, class, tenure]
        unassigned = 1.0  # probability not yet given to a destination
        for to, p in moves:
            going = binomial_where_occupied(rng, left, min(1.0, p / unassigned)
                                            if unassigned > 0.0 else 1.0)
            moved[:, to] += going
            left = left - going
            unassigned -= p
        moved[:, k] += left
    aged = np.zeros_like(moved)
    aged[..., 1:] = moved[..., :-1]
    aged[..., -1] += moved[..., -1]
    return aged


# --- A whole run ------------------------------------------------------------------------------


def simulate_policy(sc, policy, worlds, rng):
    """Simulates every world under one policy; returns per-world arrays of the metrics."""
    nodes, shares = churn_classes(sc)
    loyalty = loyalty_by_cell(sc)
    rate = per_period_rate(sc)
    counts = initial_counts(sc, nodes, shares, len(loyalty), worlds, rng)
    npv = np.zeros(worlds)
    profit = np.zeros(worlds)
    for t in range(1, sc.horizon + 1):
        # Budget of period t: per_period (1 + g)^((t - 1) / n), split by the policy's shares.
        budget = sc.budget_per_period * (1.0 + sc.budget_growth)**((t - 1.0) / sc.periods_per_year)
        acquisition_spend = policy.acquisition_share * budget
        acquire(sc, counts, acquisition_spend, shares, rng)
        # The active customers (start of the period plus those won) earn and cost this period.
        active = counts.sum(axis=(2, 3))  # [world, tier]
        revenue = active @ sc.margin
        serve_cost = active @ sc.cost_to_serve
        effect, retention_spend = retention_effect(sc, policy.retention_share * budget,
                                                   policy.retention_weights, active)
        counts = churn_migrate_age(sc, counts, effect, nodes, loyalty, rng)
        # Cash flow of period t, discounted at the end of the period.
        cash_flow = revenue - serve_cost - acquisition_spend - retention_spend - sc.fixed_costs
        npv += cash_flow * (1.0 + rate)**-t
        profit += cash_flow
    by_segment = counts.sum(axis=3)  # [world, tier, class]
    equity = (by_segment * equity_per_customer(sc, nodes)).sum(axis=(1, 2))
    return {"npv": npv, "profit": profit, "customers_end": by_segment.sum(axis=(1, 2)),
            "equity_end": equity * (1.0 + rate)**-sc.horizon}


def summarize(values):
    """Mean and standard error (sample standard deviation over sqrt(worlds))."""
    values = np.asarray(values, dtype=float)
    se = values.std(ddof=1) / math.sqrt(len(values)) if len(values) > 1 else 0.0
    return {"mean": float(values.mean()), "se": float(se)}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario")
    parser.add_argument("--paths", type=int, help="worlds to simulate (default: the file's paths)")
    parser.add_argument("--seed", type=int, help="random seed (default: the file's seed)")
    args = parser.parse_args(argv)
    try:
        sc = read_scenario(args.scenario)
    except ScenarioError as e:
        print(e, file=sys.stderr)
        return 1
    worlds = args.paths if args.paths is not None else sc.paths
    seed = args.seed if args.seed is not None else sc.seed
    if worlds < 2:
        print("--paths must be at least 2 for a standard error", file=sys.stderr)
        return 1
    policies = []
    for index, policy in enumerate(sc.policies):
        # Independent random numbers per policy: only the means are compared.
        rng = np.random.default_rng(np.random.SeedSequence([seed, index]))
        results = simulate_policy(sc, policy, worlds, rng)
        policies.append({"name": policy.name,
                         "metrics": {m: summarize(results[m]) for m in METRICS}})
    json.dump({"scenario": sc.name, "paths": worlds, "seed": seed, "policies": policies},
              sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
