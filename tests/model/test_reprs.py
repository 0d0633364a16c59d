"""Short reprs that show no preference value (a notebook must not leak a party's numbers)."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

import tratado
from tratado.preferences import LinearAdditive


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_reprs_are_short_and_show_no_preference_numbers(name: str) -> None:
    scenario = tratado.load(EXAMPLES[name])
    shown = [repr(scenario), repr(scenario.agenda), *map(repr, scenario.agenda),
             *map(repr, scenario.parties), *(repr(p.preferences) for p in scenario.parties)]
    assert all(len(text) < 300 for text in shown), shown
    text = "\n".join(shown)
    for party in scenario.parties:
        prefs = party.preferences
        numbers = [prefs.reservation_value]
        if isinstance(prefs, LinearAdditive):
            numbers += [*prefs.weights, *(v for values in prefs.values for v in values)]
        for number in numbers:
            if 0 < number < 1:
                assert repr(float(number)) not in text and f"{number:.2f}" not in text
    assert scenario.party_ids[0] in repr(scenario)


def test_the_venezuela_repr_says_what_it_is(venezuela: tratado.Scenario) -> None:
    assert repr(venezuela) == ("Scenario('Venezuela 2021 — Mexico City talks', parties=['government',"
                               " 'opposition'], issues=7, outcomes=15,360)")
    assert repr(venezuela.parties[0].preferences) == "<LinearAdditive preferences (confidential)>"
