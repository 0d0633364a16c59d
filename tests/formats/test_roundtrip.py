"""YAML -> GENIUS -> scenario -> GeniusWeb -> scenario keeps what the formats can hold."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tratado.agenda import Agenda, Issue
from tratado.formats import bundled_examples, load_yaml
from tratado.formats.genius_xml import load_genius
from tratado.formats.genius_xml_write import save_genius
from tratado.formats.geniusweb_json import load_geniusweb, save_geniusweb
from tratado.parties import Party
from tratado.preferences import LinearAdditive
from tratado.scenario import Scenario


def _check(original: Scenario, folder: Path) -> None:
    via_genius = load_genius(save_genius(original, folder / "genius"))
    via_web = load_geniusweb(save_geniusweb(via_genius, folder / "geniusweb"))
    rows = original.agenda.all_outcomes()
    expected = original.utilities(rows)
    for result in (via_genius, via_web):
        assert result.agenda.names == original.agenda.names
        # numeric issues that GENIUS cannot hold as integers come back as text options
        assert [[str(o) for o in i.options] for i in result.agenda] == [
            [str(o) for o in i.options] for i in original.agenda]
        assert result.party_ids == original.party_ids
        assert np.abs(result.utilities(rows) - expected).max() < 1e-9
    assert np.allclose(via_genius.reservation_values, original.reservation_values, atol=1e-12)
    assert [p.preferences.discount for p in via_genius.parties] == [
        p.preferences.discount for p in original.parties]
    # GeniusWeb keeps a reservation *bid*: the least utility not below the original value
    # (no bid, so exactly 0, for a reservation value of 0).
    for k, rv in enumerate(original.reservation_values):
        got = via_web.reservation_values[k]
        if rv == 0:
            assert got == 0
            continue
        above = expected[:, k][expected[:, k] >= rv - 1e-12]
        assert got == pytest.approx(above.min() if above.size else expected[:, k].max(), abs=1e-9)


LINEAR_EXAMPLES = [name for name, path in bundled_examples().items()
                   if load_yaml(path).is_additive]


@pytest.mark.parametrize("name", LINEAR_EXAMPLES)
def test_shipped_examples(name: str, tmp_path: Path) -> None:
    _check(load_yaml(bundled_examples()[name]), tmp_path)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    issues = []
    for k in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            n = draw(st.integers(1, 4))
            issues.append(Issue.categorical(f"i{k}", [f"option {j}" for j in range(n)]))
        else:
            low = draw(st.integers(-5, 5))
            step = draw(st.sampled_from([1, 1, 2]))
            issues.append(Issue.integer(f"i{k}", low, low + step * draw(st.integers(0, 4)), step))
    agenda = Agenda(tuple(issues))
    unit = st.floats(0, 1, allow_nan=False)
    parties = []
    for p in range(draw(st.integers(2, 4))):
        values = []
        for issue in agenda:
            if issue.kind == "integer" and len(issue) > 1 and draw(st.booleans()):  # linear
                ends = sorted([draw(unit), 1.0], reverse=draw(st.booleans()))
                values.append(np.linspace(ends[0], ends[1], len(issue)))
            else:  # a table whose best option is worth 1, as GENIUS requires
                v = np.array([draw(unit) for _ in issue.options])
                v[draw(st.integers(0, len(issue) - 1))] = 1.0
                values.append(v)
        weights = [draw(st.floats(0.01, 1)) for _ in agenda]
        reservation = draw(st.sampled_from([0.0, draw(unit)]))
        discount = draw(st.sampled_from([None, draw(st.floats(0.05, 1))]))
        prefs = LinearAdditive.normalized(weights, values, reservation, discount)
        parties.append(Party(f"party-{p}", prefs))
    order = draw(st.permutations(parties))
    return Scenario("Generated", agenda, tuple(order))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scenarios())
def test_generated_scenarios(tmp_path: Path, scenario: Scenario) -> None:
    import tempfile

    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        _check(scenario, Path(folder))


@pytest.mark.parametrize("fmt", ["genius", "geniusweb"])
def test_folder_round_trip_keeps_party_order(tmp_path: Path, fmt: str) -> None:
    """Reading back the written *folder* (not the returned list) keeps the party order."""
    import tratado

    original = tratado.load("job-offer")
    reversed_order = tratado.Scenario(original.name, original.agenda, original.parties[::-1])
    tratado.save(reversed_order, tmp_path / "out", fmt)
    again = tratado.load(tmp_path / "out")
    assert again.party_ids == reversed_order.party_ids
