"""Uncertain inputs: how files state them, how they are drawn, and scenario_at."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import EXAMPLES, SMALL, UNCERTAIN, UNCERTAIN_TABLE
from hypothesis import given, settings
from hypothesis import strategies as st

import tratado
from tratado.errors import ScenarioError
from tratado.formats import loads_yaml
from tratado.formats.yaml_write import dumps_yaml
from tratado.uncertainty import UncertainInput, Uncertainty, project_to_sum


@pytest.fixture(scope="module")
def uncertain() -> tratado.Scenario:
    return loads_yaml(UNCERTAIN, "uncertain.yaml")


def test_the_file_s_uncertain_numbers_become_inputs_with_keys_and_labels(uncertain) -> None:
    u = uncertain.uncertainty
    assert u is not None
    assert u.keys == (
        "parties.buyer.reservation", "parties.buyer.weights.price", "parties.buyer.weights.days",
        "parties.buyer.values.price.mid", "parties.buyer.values.days.20",
        "parties.seller.reservation", "parties.seller.weights.price",
        "parties.seller.weights.days", "stakeholders.the-bank.effects.0.utility")
    first = u.inputs[1]
    assert (first.label, first.nominal, first.low, first.high, first.distribution) == (
        "Buyer: weight of price", 0.6, 0.5, 0.7, "uniform")
    assert u.inputs[2].distribution == "triangular" and u.inputs[4].distribution == "pert"
    assert {i.concentration for i in u.inputs[6:8]} == {40.0}
    # the scenario holds the estimates
    buyer = uncertain.party("buyer").preferences
    assert list(buyer.weights) == [0.6, 0.4] and buyer.reservation_value == 0.3
    assert buyer.values[1][2] == 0.5 and buyer.values[1][1] == 0.75  # 15 interpolated


def test_exact_files_have_no_uncertainty_and_read_as_before() -> None:
    for name in ("job-offer", "river-basin"):
        assert tratado.load(EXAMPLES[name]).uncertainty is None
    assert loads_yaml(SMALL).uncertainty is None


def test_scenario_at_the_nominal_row_is_the_scenario(uncertain) -> None:
    u = uncertain.uncertainty
    again = u.scenario_at(uncertain, u.nominal)
    outcomes = uncertain.agenda.all_outcomes()
    assert np.array_equal(again.utilities(outcomes), uncertain.utilities(outcomes))
    assert np.array_equal(again.reservation_values, uncertain.reservation_values)
    for a, b in zip(again.parties, uncertain.parties):
        assert np.array_equal(a.preferences.weights, b.preferences.weights)
        assert all(np.array_equal(x, y) for x, y in zip(a.preferences.values, b.preferences.values))
    assert again.roles.stakeholders == uncertain.roles.stakeholders
    assert again.uncertainty is None and uncertain.uncertainty is u  # a draw is exact


def test_scenario_at_sets_every_input_and_leaves_the_rest(uncertain) -> None:
    u = uncertain.uncertainty
    row = u.sample(np.random.default_rng(3), 1)[0]
    drawn = u.scenario_at(uncertain, row)
    buyer, seller = (p.preferences for p in drawn.parties)
    assert buyer.reservation_value == row[0] and seller.reservation_value == row[5]
    assert list(buyer.weights) == list(row[1:3]) and list(seller.weights) == list(row[6:8])
    assert buyer.values[0][1] == row[3] and buyer.values[1][2] == row[4]
    # the numeric issue is interpolated again from the drawn point
    assert buyer.values[1][1] == pytest.approx((1 + row[4]) / 2)
    assert buyer.values[0][0] == 1.0 and buyer.values[0][2] == 0.0
    assert drawn.roles.stakeholders[0].effects[0].utility == row[8]
    assert drawn.roles.stakeholders[0].effects[1].no_deal == -0.1
    outcomes = drawn.agenda.all_outcomes()
    expected = (buyer.weights[0] * buyer.values[0][outcomes[:, 0]]
                + buyer.weights[1] * buyer.values[1][outcomes[:, 1]])
    assert np.allclose(drawn.utilities(outcomes)[:, 0], expected)
    # the nominal scenario is untouched
    assert uncertain.party("buyer").preferences.reservation_value == 0.3


def test_sampling_is_seeded_and_stays_in_range(uncertain) -> None:
    u = uncertain.uncertainty
    a = u.sample(np.random.default_rng(7), 2000)
    assert a.shape == (2000, len(u))
    assert np.array_equal(a, u.sample(np.random.default_rng(7), 2000))
    assert np.all(a >= u.low) and np.all(a <= u.high)
    assert np.allclose(a[:, 1:3].sum(axis=1), 1.0, atol=1e-12)
    assert np.allclose(a[:, 6:8].sum(axis=1), 1.0, atol=1e-12)
    assert a[:, 6].mean() == pytest.approx(0.8, abs=0.01)  # Dirichlet: mean at the estimate


def test_a_scenario_written_and_read_again_keeps_its_uncertainty(uncertain) -> None:
    again = loads_yaml(dumps_yaml(uncertain))
    assert again.uncertainty is not None and uncertain.uncertainty is not None
    assert again.uncertainty.inputs == uncertain.uncertainty.inputs
    outcomes = uncertain.agenda.all_outcomes()
    assert np.array_equal(again.utilities(outcomes), uncertain.utilities(outcomes))
    assert again.roles.stakeholders[0].effects[0].when.allowed.keys() == {0}


def weights_inputs(data: st.DataObject) -> Uncertainty:
    k = data.draw(st.integers(2, 6))
    raw = data.draw(st.lists(st.floats(0.01, 1.0), min_size=k, max_size=k))
    nominal = np.array(raw) / sum(raw)
    inputs = []
    for j, w in enumerate(nominal):
        low = data.draw(st.floats(0.0, 1.0)) * w
        high = w + data.draw(st.floats(0.0, 1.0)) * (1 - w)
        distribution = data.draw(st.sampled_from(["uniform", "triangular", "pert"]))
        inputs.append(UncertainInput(f"parties.p.weights.i{j}", f"i{j}", float(w), low, high,
                                     distribution))
    return Uncertainty(tuple(inputs))


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_weights_with_ranges_always_sum_to_one_within_their_ranges(data: st.DataObject) -> None:
    u = weights_inputs(data)
    rows = u.sample(np.random.default_rng(data.draw(st.integers(0, 2**32))), 200)
    assert np.allclose(rows.sum(axis=1), u.nominal.sum(), atol=1e-9)
    assert np.all(rows >= u.low) and np.all(rows <= u.high)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.001, 1.0), min_size=2, max_size=8), st.floats(0.5, 500),
       st.integers(0, 2**32))
def test_weights_that_vary_as_a_whole_always_sum_to_one(raw, concentration, seed) -> None:
    nominal = np.array(raw) / sum(raw)
    u = Uncertainty(tuple(UncertainInput(f"parties.p.weights.i{j}", "w", float(w), 0.0, 1.0,
                                         "dirichlet", concentration=concentration)
                          for j, w in enumerate(nominal)))
    rows = u.sample(np.random.default_rng(seed), 300)
    assert np.allclose(rows.sum(axis=1), 1.0, atol=1e-9)
    assert np.all(rows >= 0) and np.all(rows <= 1)


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1),
       st.sampled_from(["uniform", "triangular", "pert", "normal"]), st.integers(0, 2**32))
def test_single_values_stay_in_their_range(a, b, c, distribution, seed) -> None:
    low, mode, high = sorted((a, b, c))
    item = UncertainInput("parties.p.reservation", "r", mode, low, high, distribution,
                          sd=0.1 if distribution == "normal" else None)
    draws = Uncertainty((item,)).sample(np.random.default_rng(seed), 500)
    assert np.all(draws >= low) and np.all(draws <= high)


def test_the_projection_leaves_rows_that_already_sum_alone() -> None:
    x = np.array([[0.2, 0.3, 0.5], [0.5, 0.5, 0.5]])
    out = project_to_sum(x, np.zeros(3), np.full(3, 0.6), 1.0)
    assert np.array_equal(out[0], x[0])
    assert out[1] == pytest.approx([1 / 3] * 3)


def test_a_what_if_on_a_reservation_value_fixes_that_input(uncertain) -> None:
    changed = uncertain.with_reservation_values({"buyer": 0.35})
    assert changed.uncertainty is not None
    assert "parties.buyer.reservation" not in changed.uncertainty.keys
    assert len(changed.uncertainty) == len(uncertain.uncertainty) - 1


BAD = [
    ("reservation_value: [0.2, 0.4]", "reservation_value: [0.4, 0.2]",
     "parties[0].preferences.reservation_value", "low end above its high end"),
    ("reservation_value: [0.2, 0.4]", "reservation_value: {estimate: 0.5, low: 0.2, high: 0.4}",
     "parties[0].preferences.reservation_value.estimate", "outside its range"),
    ("reservation_value: [0.2, 0.4]",
     "reservation_value: {estimate: 0.3, low: 0.2, high: 0.4, distribution: gauss}",
     "parties[0].preferences.reservation_value.distribution", "unknown distribution"),
    ("reservation_value: [0.2, 0.4]", "reservation_value: [0.2, 1.4]",
     "parties[0].preferences.reservation_value", "goes outside [0, 1]"),
    ("reservation_value: [0.2, 0.4]",
     "reservation_value: {estimate: 0.3, low: 0.2, high: 0.4, distribution: normal}",
     "parties[0].preferences.reservation_value.sd", "positive 'sd'"),
    ("reservation_value: [0.2, 0.4]", "reservation_value: {low: 0.2, high: 0.4}",
     "parties[0].preferences.reservation_value", "'estimate' is missing"),
    ("reservation_value: [0.2, 0.4]", "reservation_value: [0.2, 0.3, 0.4]",
     "parties[0].preferences.reservation_value", "[low, high]"),
    ("weights: {price: 0.8, days: 0.2}", "weights: {price: [0.8, 0.9], days: [0.3, 0.4]}",
     "parties[0].preferences.weights", "cannot sum to 1"),
    ("weights: {price: 0.8, days: 0.2}", "weights: {price: [0.5, 0.9], days: [0.1, 0.3]}",
     "parties[0].preferences.weights", "sum to 0.9"),
    ("weights: {price: 0.8, days: 0.2}\n      weights_concentration: 40",
     "weights: {price: [0.7, 0.9], days: 0.2}\n      weights_concentration: 40",
     "parties[1].preferences.weights_concentration", "vary as a whole"),
    ("weights_concentration: 40", "weights_concentration: 0",
     "parties[1].preferences.weights_concentration", "not positive"),
    ("utility: [0.05, 0.15]", "utility: [0.05, 1.15]",
     "stakeholders[0].effects[0].utility", "outside [-1, 1]"),
    ("- party: seller\n        no_deal: -0.1", "- party: nobody\n        no_deal: -0.1",
     "stakeholders[0].effects[1].party", "not a party"),
    ("- party: seller\n        no_deal: -0.1", "- party: seller\n        when: {price: low}",
     "stakeholders[0].effects[1]", "changes nothing"),
]


@pytest.mark.parametrize("old, new, field, words", BAD)
def test_bad_uncertainty_gets_one_clear_message(old, new, field, words) -> None:
    # the buyer's reservation value and weights written as the seller's, then each edit
    # applied where it first occurs
    text = UNCERTAIN.replace("reservation_value: {estimate: 0.3, low: 0.2, high: 0.4, "
                        "distribution: normal, sd: 0.05}", "reservation_value: [0.2, 0.4]", 1)
    if old.startswith("weights:"):
        text = text.replace("weights: {price: [0.5, 0.7], days: {estimate: 0.4, low: 0.3, "
                            "high: 0.5}}", "weights: {price: 0.8, days: 0.2}", 1)
    assert old in text
    with pytest.raises(ScenarioError) as caught:
        loads_yaml(text.replace(old, new, 1), "bad.yaml")
    error = caught.value
    assert error.file == "bad.yaml" and error.field == field and words in error.message, str(error)
    assert error.fix


def _exact_document(text: str, keys: tuple[str, ...], row: np.ndarray) -> dict:
    """The file's data with every uncertain number replaced by its value in ``row``."""
    import yaml

    data = yaml.safe_load(text)
    parties = {p["id"]: p["preferences"] for p in data["parties"]}
    holders = {h.get("id") or h["name"].lower().replace(" ", "-"): h
               for h in data.get("stakeholders", [])}
    for key, value in zip(keys, map(float, row)):
        head, name, rest = key.split(".", 2)
        if head == "stakeholders":
            _, effect, field = rest.split(".")
            holders[name]["effects"][int(effect)][field] = value
            continue
        prefs = parties[name]
        if rest.startswith("base."):
            prefs, rest = prefs["base"], rest[5:]
        kind, _, rest = rest.partition(".")
        if kind == "reservation":
            prefs["reservation_value"] = value
        elif kind == "rules":
            prefs["rules"][int(rest.split(".")[0])]["bonus"] = value
        elif kind == "weights":
            prefs.pop("weights_concentration", None)
            prefs["weights"][rest] = value
        elif kind == "outcomes":
            prefs["outcomes"][int(rest.split(".")[0])]["utility"] = value
        elif kind == "default":
            prefs["default"] = value
        else:
            issue, _, option = rest.partition(".")
            table = prefs["values"][issue]
            match = [k for k in table if str(k) == option]
            table[match[0] if match else int(option)] = value
    return data


def test_a_table_s_utilities_may_be_uncertain() -> None:
    import dataclasses

    scenario = loads_yaml(UNCERTAIN_TABLE, "table.yaml")
    u = scenario.uncertainty
    assert u.keys == ("parties.buyer.outcomes.1.utility", "parties.buyer.outcomes.2.utility",
                      "parties.buyer.default")
    assert [i.label for i in u.inputs][0] == "buyer: utility of listed package 1"
    buyer = scenario.party("buyer").preferences
    assert list(buyer.entries.values()) == [1.0, 0.7, 0.7] and buyer.default == 0.1
    again = loads_yaml(dumps_yaml(scenario))  # written back as the file gave it
    assert again.uncertainty.keys == u.keys and again.uncertainty.inputs[0].note == "a guess"
    assert dumps_yaml(again) == dumps_yaml(scenario)
    rows = scenario.agenda.all_outcomes()
    drawn = u.scenario_at(scenario, np.array([0.55, 0.8, 0.15]))
    expected = np.full(len(rows), 0.15)
    expected[[0, 1, 2]] = [1.0, 0.8, 0.55]  # (low, short), (low, long), (mid, short)
    assert np.array_equal(drawn.party("buyer").preferences.utility(rows), expected)
    assert np.array_equal(scenario.party("buyer").preferences.utility(rows)[[0, 2, 1]],
                          [1.0, 0.7, 0.7])  # the nominal scenario is untouched
    # a copy with other utilities cannot keep these estimates
    other = dataclasses.replace(buyer, entries={**buyer.entries, (1, 0): 0.9})
    with pytest.raises(ScenarioError, match="outcomes.1.utility"):
        dataclasses.replace(scenario, parties=(dataclasses.replace(
            scenario.parties[0], preferences=other), scenario.parties[1]))


@pytest.mark.parametrize("text", [UNCERTAIN, EXAMPLES["venezuela-2021"].read_text("utf-8"),
                                  UNCERTAIN_TABLE],
                         ids=["small", "venezuela", "table"])
def test_scenario_at_equals_the_file_written_with_the_drawn_numbers(text) -> None:
    """Brute force: every drawn scenario is the scenario of the file with its uncertain
    numbers replaced by the draws — utilities of every package, no-deal values, effects."""
    from tratado.formats.yaml_format import scenario_from_dict
    from tratado.stakeholders import with_stakeholders

    nominal = loads_yaml(text)
    u = nominal.uncertainty
    outcomes = nominal.agenda.all_outcomes()
    for row in u.sample(np.random.default_rng(11), 8):
        drawn = u.scenario_at(nominal, row)
        exact = scenario_from_dict(_exact_document(text, u.keys, row))
        assert exact.uncertainty is None and drawn.uncertainty is None
        assert dumps_yaml(drawn) == dumps_yaml(exact)  # the same model, written the same
        assert np.allclose(drawn.utilities(outcomes), exact.utilities(outcomes), atol=1e-12)
        assert np.allclose(drawn.reservation_values, exact.reservation_values)
        linked, linked_exact = with_stakeholders(drawn), with_stakeholders(exact)
        assert np.allclose(linked.utilities(outcomes), linked_exact.utilities(outcomes))
        assert np.allclose(linked.reservation_values, linked_exact.reservation_values)


def test_the_venezuela_example_states_its_uncertainty_and_the_us_linkage(venezuela) -> None:
    u = venezuela.uncertainty
    assert u is not None and len(u) == 21
    assert "stakeholders.united-states.effects.0.utility" in u.keys
    assert {i.distribution for i in u.inputs if i.key.startswith("parties.opposition.weights")} \
        == {"dirichlet"}
    us = venezuela.roles.stakeholders[0]
    assert us.key == "united-states" and [e.party for e in us.effects] == ["government"] * 2
    # the estimates are the exact numbers of the file before it stated its uncertainty
    government = venezuela.party("government").preferences
    assert government.weights.tolist() == [0.08, 0.12, 0.35, 0.15, 0.07, 0.15, 0.08]
    assert government.reservation_value == 0.6


def test_uncertain_bonuses_and_base_weights_of_constraints() -> None:
    text = """\
tratado: 1
name: rules
agenda:
  issues:
    - {name: a, options: [x, y]}
    - {name: b, options: [x, y]}
parties:
  - id: one
    preferences:
      type: constraints
      base:
        weights: {a: [0.4, 0.6], b: [0.4, 0.6]}
        values: {a: {x: 0, y: 1}, b: {x: 1, y: 0}}
      base_weight: 0.5
      rules:
        - when: {a: y, b: y}
          bonus: {estimate: 0.3, low: 0.1, high: 0.5}
  - id: two
    preferences:
      weights: {a: 0.5, b: 0.5}
      values: {a: {x: 1, y: 0}, b: {x: 0, y: 1}}
"""
    scenario = loads_yaml(text)
    u = scenario.uncertainty
    assert u.keys == ("parties.one.base.weights.a", "parties.one.base.weights.b",
                      "parties.one.rules.0.bonus")
    drawn = u.scenario_at(scenario, np.array([0.45, 0.55, 0.2]))
    outcomes = scenario.agenda.all_outcomes()
    expected = 0.5 * (0.45 * outcomes[:, 0] + 0.55 * (1 - outcomes[:, 1])) \
        + 0.2 * ((outcomes[:, 0] == 1) & (outcomes[:, 1] == 1))
    assert np.allclose(drawn.utilities(outcomes)[:, 0], expected)
    with pytest.raises(ScenarioError) as caught:
        loads_yaml(text.replace("high: 0.5}", "high: 0.6}"), "rules.yaml")
    assert "high ends of their ranges" in caught.value.message


@st.composite
def estimates(draw: st.DrawFn) -> tuple[object, tuple[float, float, float, str]]:
    """A reservation value written in any accepted form, and what it should read as."""
    a, b, c = sorted(draw(st.lists(st.floats(0, 1), min_size=3, max_size=3)))
    form = draw(st.sampled_from(["number", "range", "triangular", "pert", "uniform", "normal"]))
    if form == "number":
        return b, (b, b, b, "exact")
    if form == "range":
        return [a, c], ((a + c) / 2, a, c, "uniform")
    spec: dict[str, object] = {"estimate": b, "low": a, "high": c}
    if form != "triangular":
        spec["distribution"] = form
    if form == "normal":
        spec["sd"] = draw(st.floats(0.01, 0.5))
    return spec, (b, a, c, form)


@settings(max_examples=80, deadline=None)
@given(estimates())
def test_any_accepted_form_reads_as_its_estimate_and_writes_back_the_same(case) -> None:
    import yaml

    written, (estimate, low, high, distribution) = case
    data = yaml.safe_load(SMALL)
    data["parties"][0]["preferences"]["reservation_value"] = written
    from tratado.formats.yaml_format import scenario_from_dict

    scenario = scenario_from_dict(data)
    assert scenario.party("buyer").preferences.reservation_value == estimate
    if distribution == "exact" or low == high:
        assert scenario.uncertainty is None
        return
    (item,) = scenario.uncertainty.inputs
    assert (item.key, item.nominal, item.low, item.high, item.distribution) == (
        "parties.buyer.reservation", estimate, low, high, distribution)
    again = loads_yaml(dumps_yaml(scenario))
    assert again.uncertainty.inputs == scenario.uncertainty.inputs


# -- a copy with new preferences never keeps the old estimates ----------------------------
def _new_buyer(scenario: tratado.Scenario, weights: list[float]) -> tuple[tratado.Party, ...]:
    import dataclasses

    buyer = scenario.party("buyer")
    prefs = dataclasses.replace(buyer.preferences, weights=np.array(weights))
    return tuple(dataclasses.replace(p, preferences=prefs) if p.id == "buyer" else p
                 for p in scenario.parties)


def test_a_copy_with_new_preferences_cannot_keep_the_old_estimates(uncertain) -> None:
    import dataclasses

    from tratado.records import fingerprint

    parties = _new_buyer(uncertain, [0.3, 0.7])  # the file's estimates were 0.6, 0.4
    with pytest.raises(ScenarioError, match=r"parties\.buyer\.weights\.price.*0\.6.*0\.3"):
        dataclasses.replace(uncertain, parties=parties)
    # said exact, it writes and fingerprints the new preferences
    exact = dataclasses.replace(uncertain, parties=parties, uncertainty=None)
    again = loads_yaml(dumps_yaml(exact))
    assert list(again.party("buyer").preferences.weights) == [0.3, 0.7]
    assert again.uncertainty is None and fingerprint(again) == fingerprint(exact)
    assert fingerprint(exact) != fingerprint(uncertain)


def test_a_copy_whose_uncertain_numbers_are_unchanged_keeps_its_uncertainty(uncertain) -> None:
    import dataclasses

    renamed = tuple(dataclasses.replace(p, name=f"The {p.id}") for p in uncertain.parties)
    copy = dataclasses.replace(uncertain, parties=renamed)
    assert copy.uncertainty is uncertain.uncertainty
    assert loads_yaml(dumps_yaml(copy)).uncertainty.keys == uncertain.uncertainty.keys
    # a new exact number (the seller's price values) leaves the estimates as they were
    seller = uncertain.party("seller")
    values = (np.array([0.0, 0.6, 1.0]), seller.preferences.values[1])
    prefs = dataclasses.replace(seller.preferences, values=values)
    copy = dataclasses.replace(uncertain, parties=(
        uncertain.parties[0], dataclasses.replace(seller, preferences=prefs)))
    assert copy.uncertainty is uncertain.uncertainty


def test_an_uncertainty_that_names_a_missing_number_is_refused(uncertain) -> None:
    import dataclasses

    from tratado.parties import Roles

    with pytest.raises(ScenarioError, match="stakeholders.the-bank.effects.0.utility"):
        dataclasses.replace(uncertain, roles=Roles())
    with pytest.raises(ScenarioError, match="the-bank.effects.0.utility.*names nothing"):
        dataclasses.replace(uncertain, roles=dataclasses.replace(
            uncertain.roles, stakeholders=()))


def test_the_table_alone_drops_the_stakeholders_uncertain_effects(uncertain) -> None:
    from tratado.stakeholders import without_stakeholders

    alone = without_stakeholders(uncertain)
    assert not any(key.startswith("stakeholders.") for key in alone.uncertainty.keys)
    assert len(alone.uncertainty) == len(uncertain.uncertainty) - 1
    again = loads_yaml(dumps_yaml(alone))  # written without the effect that is gone
    assert again.uncertainty.keys == alone.uncertainty.keys


def test_a_what_if_on_an_effect_keeps_the_rest_of_the_uncertainty(uncertain) -> None:
    from tratado.stakeholders import with_effect

    changed = with_effect(uncertain, "the-bank", 0, utility=0.2)
    assert "stakeholders.the-bank.effects.0.utility" not in changed.uncertainty.keys
    assert loads_yaml(dumps_yaml(changed)).roles.stakeholders[0].effects[0].utility == 0.2


def test_a_forecast_what_if_on_the_estimates_fixes_what_it_sets(uncertain) -> None:
    from tratado.experiments.whatif import parse_what_if

    inputs = uncertain.uncertainty.inputs
    # (with the inputs listed, this key would pin the input within its range)
    changed = parse_what_if("stakeholders.the-bank.effects.0.utility=0.2",
                            uncertain).apply(uncertain)
    assert "stakeholders.the-bank.effects.0.utility" not in changed.uncertainty.keys
    off = parse_what_if("the-bank=off", uncertain, inputs).apply(uncertain)
    assert not any(key.startswith("stakeholders.") for key in off.uncertainty.keys)
    moved = parse_what_if("stakeholders.the-bank.effects.0.when.price=high", uncertain,
                          inputs).apply(uncertain)
    assert moved.uncertainty is uncertain.uncertainty  # a new condition sets no number
