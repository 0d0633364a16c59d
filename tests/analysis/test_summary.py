"""`analyze` on whole scenarios, against brute force over every outcome."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tratado import Agenda, Constraints, Issue, LinearAdditive, Party, Rule, Scenario, Table
from tratado.analysis import analyze, pareto_mask
from tratado.analysis.space import RATIONAL_TOLERANCE


@st.composite
def scenarios(draw) -> Scenario:
    """Small scenarios mixing linear-additive, constraint and table preferences."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    shape = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
    agenda = Agenda(tuple(Issue.categorical(f"i{k}", [f"o{j}" for j in range(n)])
                          for k, n in enumerate(shape)))
    kinds = draw(st.lists(st.sampled_from(["linear", "constraints", "table"]), min_size=2,
                          max_size=4))
    parties = []
    for p, kind in enumerate(kinds):
        reservation = float(rng.choice([0.0, 0.2, 0.4]))
        if kind == "linear":
            prefs: object = LinearAdditive.normalized(
                rng.random(len(shape)) + 0.01, [rng.choice([0, 0.5, 1], n) for n in shape],
                reservation)
        elif kind == "constraints":
            rules = tuple(Rule({k: rng.random(n) < 0.6 for k, n in enumerate(shape)}, 0.3)
                          for _ in range(3))
            prefs = Constraints(rules, None, 0.0, reservation)
        else:
            rows = agenda.outcomes()
            entries = {tuple(map(int, r)): float(rng.choice([0.0, 0.5, 1.0])) for r in rows[::2]}
            prefs = Table(agenda.shape, entries, 0.25, reservation)
        parties.append(Party(f"p{p}", prefs))  # type: ignore[arg-type]
    return Scenario("random", agenda, tuple(parties))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_analysis_agrees_with_brute_force(scenario):
    rows = scenario.agenda.outcomes()
    u = scenario.utilities(rows)
    a = analyze(scenario)
    brute = {tuple(x) for x in u[pareto_mask(u)]}
    assert {tuple(x) for x in a.frontier.utilities} == brute
    assert int(a.frontier.ties.sum()) == sum(
        int(np.all(u == np.array(v), axis=1).sum()) for v in brute)
    r = scenario.reservation_values - RATIONAL_TOLERANCE
    rational = np.all(u >= r, axis=1)
    assert a.n_rational == int(rational.sum())
    assert a.has_zopa == bool(rational.any())
    if rational.any():
        gains = u[rational] - r
        nash = a.solutions["nash"]
        assert np.isclose(np.prod(np.array(nash.utilities) - r), gains.prod(axis=1).max())
        egal = a.solutions["egalitarian"]
        assert np.isclose(np.min(np.array(egal.utilities) - r), gains.min(axis=1).max())
        util = a.solutions["utilitarian"]
        assert np.isclose(sum(util.utilities), u[rational].sum(axis=1).max())
        for pkg in a.solutions.values():
            assert np.allclose(scenario.utilities(np.array(pkg.row))[0], pkg.utilities)
    else:
        assert all(pkg is None for pkg in a.solutions.values())


def test_venezuela_has_a_non_trivial_zone(venezuela):
    a = analyze(venezuela)
    assert a.has_zopa
    assert 0 < a.n_rational < a.n_outcomes
    nash = a.solutions["nash"]
    assert all(u >= r for u, r in zip(nash.utilities, venezuela.reservation_values))


def test_tradeoff_table_matches_weights_for_linear_additive(job_offer):
    a = analyze(job_offer)
    for party_index, party in enumerate(job_offer.parties):
        prefs = party.preferences
        swing = np.array([w * (v.max() - v.min()) for w, v in zip(prefs.weights, prefs.values)])
        shares = np.array([row.shares[party_index] for row in a.tradeoffs])
        assert np.allclose(shares, swing / swing.sum())


def test_huge_additive_space_is_analysed_without_enumerating():
    rng = np.random.default_rng(7)
    agenda = Agenda(tuple(Issue.categorical(f"i{k}", [str(j) for j in range(10)]) for k in range(30)))
    parties = tuple(Party(f"p{p}", LinearAdditive.normalized(rng.random(30), rng.random((30, 10)), 0.3))
                    for p in range(2))
    a = analyze(Scenario("huge", agenda, parties))
    assert a.n_outcomes == 10**30
    assert a.n_rational is None
    assert a.has_zopa and a.solutions["nash"] is not None
