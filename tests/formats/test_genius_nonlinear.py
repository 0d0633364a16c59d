"""GENIUS non-linear (hyper-rectangle) profiles: read, scaled, written back, refused clearly."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from tratado.errors import ScenarioError
from tratado.formats import load, save
from tratado.formats.genius_xml import load_genius
from tratado.formats.genius_xml_write import save_genius
from tratado.preferences import Constraints

DATA = Path(__file__).parent.parent / "data" / "genius" / "nonlinear"
pytestmark = pytest.mark.filterwarnings("ignore::tratado.formats.FormatNote")


def _genius_sums(profile: Path, rows: np.ndarray) -> tuple[np.ndarray, float]:
    """The bonus sums of ``rows`` evaluated straight from the XML (independently of tratado),
    and the file's maxutility. Issue values equal option indices in the test domain."""
    root = ET.parse(profile).getroot()
    total = np.zeros(len(rows))
    for rect in root.iter("hyperRectangle"):
        holds = np.ones(len(rows), dtype=bool)
        for bound in rect:
            x = rows[:, int(bound.get("index", "0")) - 1]
            inside = (x >= float(bound.get("min", "0"))) & (x <= float(bound.get("max", "0")))
            holds &= inside if bound.tag == "INCLUDES" else ~inside
        total += float(rect.get("utility", "0")) * holds
    return total, float(root.find(".//utility").get("maxutility", "1"))  # type: ignore[union-attr]


def test_utilities_are_the_bonus_sums_on_a_unit_scale_with_genius_units_kept() -> None:
    s = load_genius([DATA])
    rows = s.agenda.all_outcomes()
    u = s.utilities(rows)
    assert u.min() >= 0.0 and u.max() <= 1.0
    for k, name in enumerate(("profile-1.xml", "profile-2.xml")):
        prefs = s.parties[k].preferences
        assert isinstance(prefs, Constraints) and prefs.scale is not None
        sums, maxutility = _genius_sums(DATA / name, rows)
        assert prefs.scale.divisor == maxutility
        assert np.allclose(prefs.scale.raw(u[:, k]), sums)
        assert np.allclose(prefs.scale.source_utility(u[:, k]), sums / maxutility)


def test_penalties_and_excludes_lift_the_floor_and_reservations_keep_genius_meaning() -> None:
    s = load_genius([DATA])
    second = s.parties[1].preferences
    assert isinstance(second, Constraints) and second.scale is not None
    assert second.scale.low == -20 and second.scale.high == 125 and second.offset > 0
    assert second.scale.source_utility(second.reservation_value) == pytest.approx(0.30)
    first = s.parties[0].preferences
    assert first.scale.source_utility(first.reservation_value) == pytest.approx(0.25)  # type: ignore[attr-defined]
    assert first.discount == 0.5 and second.discount is None


def test_written_back_it_reads_to_the_same_utilities(tmp_path: Path) -> None:
    s = load_genius([DATA])
    save_genius(s, tmp_path / "out")
    back = load_genius([tmp_path / "out"])
    rows = s.agenda.all_outcomes()
    assert np.allclose(back.utilities(rows), s.utilities(rows))
    assert np.allclose(back.reservation_values, s.reservation_values)
    for before, after in zip(s.parties, back.parties, strict=True):
        assert before.preferences.scale == after.preferences.scale  # type: ignore[attr-defined]


def test_yaml_keeps_the_offset_of_penalised_preferences(tmp_path: Path) -> None:
    s = load_genius([DATA])
    save(s, tmp_path / "s.yaml")
    back = load(tmp_path / "s.yaml")
    rows = s.agenda.all_outcomes()
    assert np.allclose(back.utilities(rows), s.utilities(rows))


def _profile_text(**changes: str) -> str:
    text = (DATA / "profile-2.xml").read_text()
    for old, new in changes.items():
        text = text.replace(old.replace("_", " "), new)
    return text


@pytest.mark.parametrize(("old", "new", "words", "field"), [
    ('aggregation="sum"', 'aggregation="max"', "aggregation 'max'", "aggregation"),
    ('<INCLUDES index="4" min="0" max="1"/>', '<INCLUDES index="9" min="0" max="1"/>',
     "no issue has index 9", "index"),
    ('<INCLUDES index="4" min="0" max="1"/>', '<INCLUDES index="4" min="3" max="1"/>',
     "min 3 is above max 1", "INCLUDES"),
    ('utility="40"', 'utility="lots"', "expected a number", "utility"),
    ('maxutility="100"', 'maxutility="0"', "not positive", "maxutility"),
])
def test_mistakes_name_file_line_field_and_fix(tmp_path: Path, old: str, new: str, words: str,
                                                field: str) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "domain.xml").write_text((DATA / "domain.xml").read_text())
    (folder / "a.xml").write_text((DATA / "profile-1.xml").read_text())
    text = (DATA / "profile-2.xml").read_text()
    assert old in text
    (folder / "b.xml").write_text(text.replace(old, new, 1))
    with pytest.raises(ScenarioError) as info:
        load_genius([folder])
    err = info.value
    assert words in err.message and err.file and err.file.endswith("b.xml")
    assert err.line is not None and err.field and field in err.field and err.fix


def test_mixed_preferences_are_refused_by_genius_export(tmp_path: Path) -> None:
    s = load("river-basin")
    with pytest.raises(ScenarioError, match="YAML"):
        save_genius(s, tmp_path / "x")
