"""Stakeholders outside the table: their effects enter the preferences exactly as documented."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tratado.agenda import Agenda, Issue
from tratado.parties import Condition, Effect, Party, Roles, Stakeholder
from tratado.preferences import Constraints, LinearAdditive, Rule, Table
from tratado.scenario import Scenario
from tratado.stakeholders import has_effects, with_stakeholders, without_stakeholders

AGENDA = Agenda((Issue.categorical("a", ["a0", "a1", "a2"]),
                 Issue.categorical("b", ["b0", "b1"]),
                 Issue.categorical("c", ["c0", "c1", "c2", "c3"])))


def scenario(effects: tuple[Effect, ...], second: object = None) -> Scenario:
    one = LinearAdditive(np.array([0.5, 0.2, 0.3]),
                         (np.array([1.0, 0.4, 0.0]), np.array([0.0, 1.0]),
                          np.array([0.2, 1.0, 0.6, 0.0])), reservation_value=0.4)
    two = second or LinearAdditive(np.array([0.2, 0.4, 0.4]),
                                   (np.array([0.0, 0.5, 1.0]), np.array([1.0, 0.0]),
                                    np.array([0.0, 0.3, 0.7, 1.0])), reservation_value=0.3)
    return Scenario("linked", AGENDA, (Party("one", one), Party("two", two)),  # type: ignore[arg-type]
                    roles=Roles(stakeholders=(Stakeholder("Outside", effects=effects),)))


def condition(data: st.DataObject) -> Condition:
    allowed = {}
    for position in data.draw(st.sets(st.integers(0, 2))):
        n = AGENDA.shape[position]
        mask = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
        allowed[position] = mask
    return Condition(allowed)


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_effects_change_exactly_the_agreements_that_meet_their_conditions(data) -> None:
    """Brute force over the whole space: u*(x) = (u(x) + sum_k d_k [x in C_k] - m) / (M - m)."""
    effects = tuple(
        Effect(data.draw(st.sampled_from(["one", "two"])), condition(data),
               data.draw(st.floats(-1, 1)), data.draw(st.floats(-0.5, 0.5)))
        for _ in range(data.draw(st.integers(1, 3))))
    base = scenario(effects)
    linked = with_stakeholders(base)
    outcomes = AGENDA.all_outcomes()
    before, after = base.utilities(outcomes), linked.utilities(outcomes)
    assert np.all(after >= -1e-12) and np.all(after <= 1 + 1e-12)
    for column, party in enumerate(base.parties):
        mine = [e for e in effects if e.party == party.id]
        v = before[:, column].copy()
        for effect in mine:
            v += effect.utility * effect.when.holds(outcomes)
        r = party.preferences.reservation_value + sum(e.no_deal for e in mine)
        gains = [e.utility for e in mine]
        low = min(sum(d for d in gains if d < 0), r, 0.0)
        high = max(1 + sum(d for d in gains if d > 0), r)
        assert after[:, column] == pytest.approx((v - low) / (high - low), abs=1e-12)
        assert linked.reservation_values[column] == pytest.approx((r - low) / (high - low))
        # the ranking of agreements and no deal is kept
        assert np.array_equal(np.sign(np.round(after[:, column] - linked.reservation_values[column],
                                               9)), np.sign(np.round(v - r, 9)))
        if not mine:
            assert linked.parties[column].preferences is party.preferences


def test_an_effect_touches_only_the_agreements_that_meet_it() -> None:
    meets = Condition({1: np.array([False, True])})  # b = b1
    base = scenario((Effect("one", meets, utility=0.2),))
    linked = with_stakeholders(base)
    outcomes = AGENDA.all_outcomes()
    before, after = base.utilities(outcomes)[:, 0], linked.utilities(outcomes)[:, 0]
    hit = outcomes[:, 1] == 1
    assert np.allclose(after[~hit], before[~hit] / 1.2)
    assert np.allclose(after[hit], (before[hit] + 0.2) / 1.2)
    assert np.array_equal(linked.utilities(outcomes)[:, 1], base.utilities(outcomes)[:, 1])


def test_with_and_without_stakeholders() -> None:
    base = scenario((Effect("two", no_deal=-0.2),))
    assert has_effects(base)
    linked = with_stakeholders(base)
    assert not has_effects(linked) and linked.roles.stakeholders[0].name == "Outside"
    assert with_stakeholders(linked) is linked  # applied once only
    assert linked.reservation_values[1] == pytest.approx(0.1)
    alone = without_stakeholders(base)
    assert not has_effects(alone)
    assert alone.parties == base.parties
    assert alone.reservation_values.tolist() == base.reservation_values.tolist()
    plain = scenario(())
    assert with_stakeholders(plain) is plain and without_stakeholders(plain) is plain


def test_effects_fold_into_constraints_and_tables_too() -> None:
    rules = Constraints((Rule({0: np.array([True, False, False])}, 0.3),),
                        base=LinearAdditive(np.array([1.0, 0, 0]),
                                            (np.array([0.0, 0.5, 1.0]), np.zeros(2), np.zeros(4))),
                        base_weight=0.7, reservation_value=0.2)
    table = Table(AGENDA.shape, {(0, 0, 0): 0.9, (2, 1, 3): 0.1}, default=0.5,
                  reservation_value=0.2)
    meets = Condition({2: np.array([True, True, False, False])})
    outcomes = AGENDA.all_outcomes()
    for prefs in (rules, table):
        base = scenario((Effect("two", meets, utility=-0.25, no_deal=0.1),), prefs)
        after = with_stakeholders(base).utilities(outcomes)[:, 1]
        v = base.utilities(outcomes)[:, 1] - 0.25 * meets.holds(outcomes)
        assert after == pytest.approx((v + 0.25) / 1.25)
        assert with_stakeholders(base).reservation_values[1] == pytest.approx((0.3 + 0.25) / 1.25)


def test_a_what_if_on_one_effect_changes_it_and_fixes_its_uncertain_number() -> None:
    from conftest import UNCERTAIN

    from tratado.errors import ScenarioError
    from tratado.formats import loads_yaml
    from tratado.stakeholders import with_effect

    scenario = loads_yaml(UNCERTAIN)
    changed = with_effect(scenario, "the-bank", 0, utility=0.3,
                          when=Condition({0: np.array([True, False, False])}))
    effect = changed.roles.stakeholders[0].effects[0]
    assert effect.utility == 0.3 and effect.when.allowed[0].tolist() == [True, False, False]
    assert "stakeholders.the-bank.effects.0.utility" not in changed.uncertainty.keys
    assert len(changed.uncertainty) == len(scenario.uncertainty) - 1
    assert scenario.roles.stakeholders[0].effects[0].utility == 0.1  # the original is unchanged
    with pytest.raises(ScenarioError, match="no stakeholder 'bank'"):
        with_effect(scenario, "bank", 0, utility=0.2)
    with pytest.raises(ScenarioError, match="no effect 5"):
        with_effect(scenario, "the-bank", 5, utility=0.2)


def test_the_effective_scenario_of_an_uncertain_file_is_exact_and_can_be_written() -> None:
    import tratado
    from tratado.records import fingerprint
    from tratado.session import Session

    loaded = tratado.load("venezuela-2021")
    assert loaded.uncertainty is not None and has_effects(loaded)
    linked = with_stakeholders(loaded)
    # the uncertainty's keys name the file's additive weights, not the folded-in form
    assert linked.uncertainty is None
    assert fingerprint(linked)  # writing it no longer fails on keys it cannot hold
    run = Session(linked, "alternating", ["frequency", "frequency"], 0).run()
    assert run.to_json()
    # analyze still says the file it read is uncertain
    analysis = tratado.analyze(loaded)
    assert analysis.uncertainty is loaded.uncertainty
    assert analysis.to_dict()["uncertainty"] is not None
