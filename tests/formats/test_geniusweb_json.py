"""GeniusWeb JSON: reading domains and profiles, reservation bids, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tratado.errors import ScenarioError
from tratado.formats.geniusweb_json import load_geniusweb, save_geniusweb

DATA = Path(__file__).parent.parent / "data" / "geniusweb" / "jobs"
DOMAIN = json.loads((DATA / "jobs_domain.json").read_text())
EMPLOYEE = json.loads((DATA / "employee.json").read_text())


def test_folder_is_read_by_content() -> None:
    s = load_geniusweb([DATA])
    assert s.name == "jobs" and s.party_ids == ("employee", "employer")
    assert [i.kind for i in s.agenda] == ["categorical", "categorical", "integer", "continuous"]
    assert s.agenda.issue("salary").options == (2000, 2500, 3000, 3500, 4000)
    assert s.agenda.issue("lease_car").title == "lease car"
    assert "GeniusWeb" in (s.description or "")


def test_utilities_weights_and_reservation_bid() -> None:
    s = load_geniusweb([DATA])
    employee, employer = (p.preferences for p in s.parties)
    assert np.allclose(employee.values[3], [0.2, 0.6, 1.0])  # type: ignore[attr-defined]
    assert np.allclose(employer.values[1], [1.0, 0.6, 0.0])  # unlisted value -> 0
    assert np.allclose(employer.weights, [0.2, 0.1, 0.5, 0.2])  # type: ignore[attr-defined]
    expected = s.utilities_of({"lease_car": "no", "career_development": "medium",
                               "salary": 3000, "fte": 0.8})["employee"]
    assert employee.reservation_value == pytest.approx(expected)
    assert employer.reservation_value == 0.0


def test_profiles_without_domain_file_use_the_embedded_domain() -> None:
    s = load_geniusweb([DATA / "employer.json", DATA / "employee.json"])
    assert s.party_ids == ("employer", "employee")
    assert s.agenda.names == load_geniusweb([DATA]).agenda.names


def test_save_and_load(tmp_path: Path) -> None:
    s = load_geniusweb([DATA])
    paths = save_geniusweb(s, tmp_path)
    assert [p.name for p in paths] == ["domain.json", "01-employee.json", "02-employer.json",
                                       "tratado.json"]
    t = load_geniusweb(paths)
    assert t.agenda.names == s.agenda.names and t.party_ids == s.party_ids
    # the employer's fte values are not linear, so fte is written as a discrete value set
    # (text items), and tratado.json makes it a number range again for tratado
    assert [i.kind for i in t.agenda] == ["categorical", "categorical", "integer", "continuous"]
    assert [i.kind for i in load_geniusweb(paths[:-1]).agenda][3] == "categorical"
    rows = s.agenda.all_outcomes()
    assert np.abs(t.utilities(rows) - s.utilities(rows)).max() < 1e-12
    assert np.allclose(t.reservation_values, s.reservation_values)
    written = json.loads(paths[1].read_text())["LinearAdditiveUtilitySpace"]
    assert set(written) == {"issueUtilities", "issueWeights", "domain", "name", "reservationBid"}


def _error(folder: Path, **files: Any) -> ScenarioError:
    folder.mkdir(exist_ok=True)
    for name, data in files.items():
        text = data if isinstance(data, str) else json.dumps(data, indent=1)
        (folder / f"{name}.json").write_text(text)
    with pytest.raises(ScenarioError) as info:
        load_geniusweb([folder])
    return info.value


def _changed(**space: Any) -> dict[str, Any]:
    profile = json.loads(json.dumps(EMPLOYEE))
    profile["LinearAdditiveUtilitySpace"].update(space)
    return profile


def test_invalid_json_names_file_and_line(tmp_path: Path) -> None:
    err = _error(tmp_path, domain=DOMAIN, a=EMPLOYEE, b='{"LinearAdditiveUtilitySpace": {\n  "x": ,\n}}')
    assert err.file and err.file.endswith("b.json") and err.line == 2


def test_other_json_is_refused(tmp_path: Path) -> None:
    err = _error(tmp_path, domain=DOMAIN, a=EMPLOYEE, b={"hello": "world", "n": 1})
    assert err.file and err.file.endswith("b.json") and "issuesValues" in str(err)


def test_unsupported_profile_type(tmp_path: Path) -> None:
    err = _error(tmp_path, domain=DOMAIN, a=EMPLOYEE, b={"SumOfGroupsUtilitySpace": {}})
    assert "not supported yet" in str(err) and err.file and err.file.endswith("b.json")


@pytest.mark.parametrize(("space", "field"), [
    ({"issueWeights": {"lease car": 0.1, "career development": 0.2, "salary": 0.5}},
     "LinearAdditiveUtilitySpace.issueWeights.fte"),
    ({"issueWeights": {"lease car": -1, "career development": 0.2, "salary": 0.5, "fte": 1}},
     "LinearAdditiveUtilitySpace.issueWeights.lease car"),
    ({"issueWeights": {"bonus": 1, "lease car": 1, "career development": 1, "salary": 1, "fte": 1}},
     "LinearAdditiveUtilitySpace.issueWeights.bonus"),
    ({"reservationBid": {"issuevalues": {"lease car": "maybe"}}},
     "LinearAdditiveUtilitySpace.reservationBid.issuevalues.lease car"),
])
def test_bad_profile_names_file_and_field(tmp_path: Path, space: dict[str, Any], field: str) -> None:
    err = _error(tmp_path, domain=DOMAIN, a=_changed(**space), b=EMPLOYEE)
    assert err.file and err.file.endswith("a.json")
    assert err.field == field


def test_bad_utility_names_field(tmp_path: Path) -> None:
    profile = _changed()
    utilities = profile["LinearAdditiveUtilitySpace"]["issueUtilities"]
    utilities["lease car"]["DiscreteValueSetUtilities"]["valueUtilities"]["yes"] = 7
    err = _error(tmp_path, domain=DOMAIN, a=profile, b=EMPLOYEE)
    assert err.field == ("LinearAdditiveUtilitySpace.issueUtilities.lease car."
                         "DiscreteValueSetUtilities.valueUtilities.yes")
    assert "outside [0, 1]" in str(err)


def test_save_refuses_non_linear_preferences(tmp_path: Path) -> None:
    from tratado.formats import bundled_examples, load_yaml

    scenario = load_yaml(bundled_examples()["river-basin"])
    with pytest.raises(ScenarioError, match="linear-additive"):
        save_geniusweb(scenario, tmp_path)


def test_a_range_too_large_to_enumerate_is_refused(tmp_path: Path) -> None:
    for f in DATA.iterdir():
        data = json.loads(f.read_text())
        if f.name == "jobs_domain.json":
            data["issuesValues"]["salary"]["range"]["high"] = 1e308
        (tmp_path / f.name).write_text(json.dumps(data))
    with pytest.raises(ScenarioError, match="more than the"):
        load_geniusweb([tmp_path])
