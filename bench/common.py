"""Shared pieces of the benchmarks: seeded random domains built for tratado and for NegMAS.

Every domain is generated once, as plain numpy arrays (a :class:`DomainSpec`), from
``numpy.random.default_rng(seed)``; both tools are then built from the *same* arrays, so
they analyse the same utilities:

* linear-additive: per party, issue weights drawn uniform in [0.05, 1) and divided by their
  sum, and one value per option drawn uniform in [0, 1);
* non-linear ("constraints"): per party, a linear-additive base with weight ``base_weight``
  plus ``n_rules`` hyper-rectangle bonuses; each rule constrains 2-3 random issues to a
  contiguous block of their options, and the bonuses share ``1 - base_weight``.

NegMAS (AGPL) is used only as a black box through its public API: ``make_issue``,
``make_os``, ``LinearAdditiveUtilityFunction`` with ``TableFun`` option values,
``HyperRectangleUtilityFunction``, ``pareto_frontier`` and the solution functions
``nash_points``, ``ks_points``, ``kalai_points`` and ``max_welfare_points``.  Nothing from
its source is copied here.  NegMAS is optional: importing this module does not need it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from tratado.agenda import Agenda, Issue
from tratado.analysis.frontier import Frontier
from tratado.analysis.solutions import (
    egalitarian_solution,
    kalai_smorodinsky_solution,
    nash_solution,
    utilitarian_solution,
)
from tratado.analysis.space import pareto_frontier, rational_threshold
from tratado.parties import Party
from tratado.preferences import Constraints, LinearAdditive, Rule
from tratado.scenario import Scenario

SOLUTION_NAMES = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")


# ------------------------------------------------------------------------------------
# Tool-neutral domain description
# ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSpec:
    """A hyper-rectangle: issue position -> (first, last) option index allowed, and a bonus."""

    ranges: dict[int, tuple[int, int]]
    bonus: float


@dataclass(frozen=True)
class PartySpec:
    weights: np.ndarray  # (n_issues,), sums to 1
    values: tuple[np.ndarray, ...]  # per issue, (n_options,) in [0, 1)
    reservation: float
    base_weight: float = 1.0  # 1.0 and no rules: linear-additive
    rules: tuple[RuleSpec, ...] = field(default=())

    @property
    def linear(self) -> bool:
        return not self.rules and self.base_weight == 1.0


@dataclass(frozen=True)
class DomainSpec:
    name: str
    shape: tuple[int, ...]  # options per issue
    parties: tuple[PartySpec, ...]
    #: Build tratado's linear parties as ``Constraints`` with no rules (base weight 1), so
    #: tratado cannot use additivity and enumerates the space like NegMAS does.
    hide_additivity: bool = False

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=object))

    @property
    def linear(self) -> bool:
        return all(p.linear for p in self.parties)


def _weights(rng: np.random.Generator, n: int) -> np.ndarray:
    w = rng.uniform(0.05, 1.0, n)
    return w / w.sum()


def linear_domain(
    n_parties: int,
    n_issues: int,
    n_options: int,
    seed: int = 0,
    reservation: float = 0.1,
    conflict: float = 0.0,
) -> DomainSpec:
    """k parties, n issues x m options, random linear-additive preferences.

    ``conflict`` in [0, 1] blends every party after the first towards the opposite of the
    first party's option values (``(1 - conflict) * random + conflict * (1 - v_0)``):
    0 gives independent random preferences, 1 fully opposed option rankings (weights stay
    random), which makes the frontier much larger.
    """
    rng = np.random.default_rng(seed)
    parties: list[PartySpec] = []
    for j in range(n_parties):
        weights = _weights(rng, n_issues)
        values = tuple(rng.random(n_options) for _ in range(n_issues))
        if j and conflict:
            values = tuple(
                (1.0 - conflict) * v + conflict * (1.0 - v0) for v, v0 in zip(values, parties[0].values)
            )
        parties.append(PartySpec(weights=weights, values=values, reservation=reservation))
    kind = "linear" if not conflict else f"linear, conflict {conflict:g}"
    return DomainSpec(
        f"{n_parties}p x {n_issues}i x {n_options}o {kind}", (n_options,) * n_issues, tuple(parties)
    )


def nonlinear_domain(
    n_parties: int,
    n_issues: int,
    n_options: int,
    seed: int = 0,
    n_rules: int = 8,
    base_weight: float = 0.5,
    reservation: float = 0.1,
) -> DomainSpec:
    """k parties, n issues x m options: linear base (weight ``base_weight``) + box bonuses."""
    rng = np.random.default_rng(seed)
    parties = []
    for _ in range(n_parties):
        weights = _weights(rng, n_issues)
        values = tuple(rng.random(n_options) for _ in range(n_issues))
        bonuses = rng.uniform(0.2, 1.0, n_rules)
        bonuses = bonuses / bonuses.sum() * (1.0 - base_weight) * (1 - 1e-9)
        rules = []
        for b in bonuses:
            issues = rng.choice(n_issues, size=int(rng.integers(2, 4)), replace=False)
            ranges = {}
            for i in sorted(int(x) for x in issues):
                width = int(rng.integers(2, max(3, n_options // 2 + 1)))
                first = int(rng.integers(0, n_options - width + 1))
                ranges[i] = (first, first + width - 1)
            rules.append(RuleSpec(ranges, float(b)))
        parties.append(PartySpec(weights, values, reservation, base_weight=base_weight, rules=tuple(rules)))
    return DomainSpec(
        f"{n_parties}p x {n_issues}i x {n_options}o non-linear ({n_rules} boxes/party)",
        (n_options,) * n_issues,
        tuple(parties),
    )


# ------------------------------------------------------------------------------------
# tratado
# ------------------------------------------------------------------------------------


def option_label(i: int) -> str:
    return f"o{i}"


def to_tratado(spec: DomainSpec) -> Scenario:
    agenda = Agenda(
        tuple(
            Issue.categorical(f"i{k}", [option_label(o) for o in range(n)]) for k, n in enumerate(spec.shape)
        )
    )
    parties = []
    for j, p in enumerate(spec.parties):
        base = LinearAdditive(p.weights, p.values, p.reservation)
        if p.linear and not spec.hide_additivity:
            prefs = base
        elif p.linear:
            prefs = Constraints((), base, 1.0, p.reservation)
        else:
            rules = []
            for r in p.rules:
                allowed = {}
                for i, (lo, hi) in r.ranges.items():
                    mask = np.zeros(spec.shape[i], dtype=bool)
                    mask[lo : hi + 1] = True
                    allowed[i] = mask
                rules.append(Rule(allowed, r.bonus))
            prefs = Constraints(tuple(rules), base, p.base_weight, p.reservation)
        parties.append(Party(f"p{j}", prefs))
    return Scenario(spec.name, agenda, tuple(parties))


@dataclass
class TratadoResult:
    frontier: Frontier  # the rational frontier (what the solutions are computed on)
    solutions: dict[str, int | None]


def tratado_frontier_and_solutions(scenario: Scenario) -> TratadoResult:
    """What is timed for tratado: utilities -> exact frontier -> rational part -> 4 solutions.

    ``pareto_frontier`` includes everything tratado needs from the preference objects:
    enumerating outcomes and evaluating utilities (non-linear) or the additive dynamic
    programme (linear-additive, no enumeration).
    """
    frontier = pareto_frontier(scenario, max_outcomes=10**9)
    reservation = rational_threshold(scenario)
    rational = frontier.rational(reservation)
    solutions = {
        "nash": nash_solution(rational, scenario.reservation_values),
        "kalai_smorodinsky": kalai_smorodinsky_solution(rational, scenario.reservation_values),
        "egalitarian": egalitarian_solution(rational, scenario.reservation_values),
        "utilitarian": utilitarian_solution(rational, scenario.reservation_values),
    }
    return TratadoResult(rational, solutions)


# ------------------------------------------------------------------------------------
# NegMAS (optional)
# ------------------------------------------------------------------------------------


def negmas_available() -> bool:
    try:
        import negmas  # noqa: F401
    except ImportError:
        return False
    return True


def negmas_version() -> str:
    import negmas

    return str(negmas.__version__)


def to_negmas(spec: DomainSpec):
    """The same domain as NegMAS objects: ``(outcome_space, [ufun per party])``.

    Issue ``k`` is ``make_issue(["o0", ..., "o{m-1}"], name="i{k}")``; outcomes are tuples
    of option labels in issue order, enumerated by NegMAS in the same order as tratado
    (issue 0 most significant).  Linear parties are ``LinearAdditiveUtilityFunction`` with
    one ``TableFun`` per issue; non-linear ones are a ``HyperRectangleUtilityFunction``
    whose first region is unbounded (``None``) and maps to the linear base with weight
    ``base_weight``, followed by one region per rule (a list of allowed labels per
    constrained issue) with its bonus.
    """
    from negmas import make_issue, make_os
    from negmas.preferences import (
        HyperRectangleUtilityFunction,
        LinearAdditiveUtilityFunction,
        TableFun,
    )

    labels = [[option_label(o) for o in range(n)] for n in spec.shape]
    issues = [make_issue(labels[k], name=f"i{k}") for k in range(len(spec.shape))]
    os = make_os(issues)
    ufuns = []
    for j, p in enumerate(spec.parties):
        base = LinearAdditiveUtilityFunction(
            values=[
                TableFun({labels[k][o]: float(v[o]) for o in range(len(v))}) for k, v in enumerate(p.values)
            ],
            weights=[float(w) for w in p.weights],
            outcome_space=os,
            reserved_value=p.reservation if p.linear else float("-inf"),
            name=f"p{j}",
        )
        if p.linear:
            ufuns.append(base)
            continue
        ranges = [None] + [{i: labels[i][lo : hi + 1] for i, (lo, hi) in r.ranges.items()} for r in p.rules]
        ufuns.append(
            HyperRectangleUtilityFunction(
                outcome_ranges=ranges,
                utilities=[base] + [float(r.bonus) for r in p.rules],
                weights=[float(p.base_weight)] + [1.0] * len(p.rules),
                outcome_space=os,
                reserved_value=p.reservation,
                name=f"p{j}",
            )
        )
    return os, ufuns


@dataclass
class NegmasResult:
    utilities: np.ndarray  # (f, k) frontier utility vectors
    indices: np.ndarray  # outcome index (enumeration order) of each frontier point
    solutions: dict[str, tuple[float, ...] | None]


def negmas_frontier_and_solutions(os, ufuns) -> NegmasResult:
    """What is timed for NegMAS: ufuns -> ``pareto_frontier`` -> the 4 solution functions.

    ``pareto_frontier(ufuns, issues=...)`` enumerates the outcome space itself, evaluates
    every ufun on every outcome, keeps the rational outcomes and filters them, so it does the
    same work as tratado's frontier (enumeration + evaluation + Pareto filter + rational
    restriction).  The solution functions get ``ranges = [(r_i, max_i)]`` built from the
    frontier (included in the time), so that they use the reservation values as the
    disagreement point and the rational ideal point, as tratado does, and never call
    ``minmax`` (which could enumerate again).
    """
    from negmas.preferences import kalai_points, ks_points, max_welfare_points, nash_points
    from negmas.preferences.ops import pareto_frontier as negmas_pareto_frontier

    points, indices = negmas_pareto_frontier(ufuns, issues=os.issues)
    sols: dict[str, tuple[float, ...] | None] = dict.fromkeys(SOLUTION_NAMES)
    if points:
        rs = [float(u.reserved_value) for u in ufuns]
        hi = np.max(np.asarray(points, dtype=float), axis=0)
        ranges = [(r, float(h)) for r, h in zip(rs, hi)]
        for name, fn in (
            ("nash", nash_points),
            ("kalai_smorodinsky", ks_points),
            ("egalitarian", kalai_points),
            ("utilitarian", max_welfare_points),
        ):
            found = fn(ufuns, points, ranges=ranges)
            sols[name] = tuple(found[0][0]) if found else None
    return NegmasResult(
        np.asarray(points, dtype=float).reshape(-1, len(ufuns)),
        np.asarray(indices, dtype=np.int64),
        sols,
    )


# ------------------------------------------------------------------------------------
# Checks that both tools see the same utilities
# ------------------------------------------------------------------------------------


def index_to_row(spec: DomainSpec, index: np.ndarray) -> np.ndarray:
    index = np.asarray(index, dtype=np.int64).copy()
    rows = np.empty((index.size, len(spec.shape)), dtype=np.int64)
    for k in range(len(spec.shape) - 1, -1, -1):
        rows[:, k] = index % spec.shape[k]
        index //= spec.shape[k]
    return rows


def check_utilities_agree(spec: DomainSpec, n_samples: int = 2000, seed: int = 1) -> float:
    """Evaluate random outcomes in both tools; return the largest difference (assert <= 1e-9)."""
    scenario = to_tratado(spec)
    _, ufuns = to_negmas(spec)
    rng = np.random.default_rng(seed)
    rows = np.column_stack([rng.integers(0, n, n_samples) for n in spec.shape])
    ours = scenario.utilities(rows)
    theirs = np.array([[float(u(tuple(option_label(int(o)) for o in row))) for u in ufuns] for row in rows])
    worst = float(np.max(np.abs(ours - theirs)))
    assert worst <= 1e-9, f"{spec.name}: utilities differ by {worst:g}"
    return worst


def check_frontiers_agree(spec: DomainSpec) -> tuple[int, dict[str, bool]]:
    """On a small domain: both frontiers hold the same utility vectors (to 1e-9).

    NegMAS may list several outcomes with the same vector; tratado lists each vector once
    (with a tie count), so vectors are compared as sets after merging duplicates.  Also
    reports, per solution, whether NegMAS's first point has the same objective value as
    tratado's (NegMAS's KS objective is ``max - min`` of normalised gains, tratado's is the
    smallest normalised gain, so KS is reported but may differ).
    """
    scenario = to_tratado(spec)
    ours = tratado_frontier_and_solutions(scenario)
    os, ufuns = to_negmas(spec)
    theirs = negmas_frontier_and_solutions(os, ufuns)
    a = _merge(ours.frontier.utilities)
    b = _merge(theirs.utilities)
    assert a.shape == b.shape, f"{spec.name}: frontier sizes {a.shape[0]} vs {b.shape[0]}"
    assert np.allclose(a, b, rtol=0, atol=1e-9), f"{spec.name}: frontier vectors differ"
    # Each NegMAS frontier outcome must have, in tratado, the utility NegMAS reports.
    rows = index_to_row(spec, theirs.indices)
    assert np.allclose(scenario.utilities(rows), theirs.utilities, rtol=0, atol=1e-9)
    same = {}
    r = scenario.reservation_values
    for name in SOLUTION_NAMES:
        i = ours.solutions[name]
        mine = None if i is None else ours.frontier.utilities[i]
        other = theirs.solutions[name]
        if mine is None or other is None:
            same[name] = mine is None and other is None
            continue
        same[name] = bool(
            np.isclose(
                _objective(name, mine, r, a), _objective(name, np.array(other), r, a), rtol=0, atol=1e-9
            )
        )
    return a.shape[0], same


def _objective(name: str, u: np.ndarray, r: np.ndarray, frontier: np.ndarray) -> float:
    g = u - r
    if name == "nash":
        return float(np.prod(g))
    if name == "egalitarian":
        return float(np.min(g))
    if name == "utilitarian":
        return float(np.sum(u))
    span = frontier.max(axis=0) - r
    return float(np.min(g / span))


def _merge(u: np.ndarray) -> np.ndarray:
    """Sort rows lexicographically and drop rows within 1e-12 of the previous one."""
    u = np.asarray(u, dtype=float).reshape(len(u), -1)
    if not len(u):
        return u
    u = u[np.lexsort(u.T[::-1])]
    keep = np.ones(len(u), dtype=bool)
    keep[1:] = np.any(np.abs(u[1:] - u[:-1]) > 1e-12, axis=1)
    return u[keep]


def enumerated(spec: DomainSpec) -> DomainSpec:
    """The same domain, with tratado's additivity hidden (see ``hide_additivity``)."""
    from dataclasses import replace

    return replace(spec, name=spec.name + " (enumerated)", hide_additivity=True)


def outcome_count_text(n: int) -> str:
    exp = len(str(n)) - 1
    return f"10^{exp}" if n == 10**exp else f"{n:,}"


__all__ = [
    "SOLUTION_NAMES",
    "DomainSpec",
    "PartySpec",
    "RuleSpec",
    "check_frontiers_agree",
    "check_utilities_agree",
    "enumerated",
    "linear_domain",
    "negmas_available",
    "negmas_frontier_and_solutions",
    "negmas_version",
    "nonlinear_domain",
    "outcome_count_text",
    "to_negmas",
    "to_tratado",
    "tratado_frontier_and_solutions",
]
