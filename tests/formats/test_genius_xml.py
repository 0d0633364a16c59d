"""GENIUS XML: reading the documented forms, GENIUS semantics, and clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tratado.errors import ScenarioError
from tratado.formats.genius_xml import load_genius
from tratado.formats.genius_xml_write import save_genius

DATA = Path(__file__).parent.parent / "data" / "genius" / "supplier"
DOMAIN = (DATA / "supplier_domain.xml").read_text()
BUYER = (DATA / "buyer.xml").read_text()


def test_folder_is_read_by_content_and_profiles_by_name() -> None:
    s = load_genius([DATA])
    assert s.party_ids == ("buyer", "seller")
    assert s.name == "Supplier deal"
    assert "GENIUS" in (s.description or "")
    assert [i.kind for i in s.agenda] == ["categorical", "categorical", "integer", "continuous"]
    assert s.agenda.issue("Delivery_time").title == "Delivery time"
    assert len(s.agenda.issue("Warranty")) == 11


def test_evaluations_1_to_100_give_utilities_in_unit_interval() -> None:
    s = load_genius([DATA])
    u = s.utilities(s.agenda.all_outcomes())
    assert u.min() >= 0.0 and u.max() <= 1.0 + 1e-12
    buyer = s.party("buyer").preferences
    assert np.allclose(buyer.values[0], [0.01, 0.40, 0.75, 1.0])  # type: ignore[attr-defined]
    assert np.allclose(buyer.weights, [0.4, 0.3, 0.2, 0.1])  # type: ignore[attr-defined]
    assert buyer.reservation_value == 0.3 and buyer.discount == 0.9


def test_integer_and_real_evaluators() -> None:
    s = load_genius([DATA])
    buyer, seller = (p.preferences for p in s.parties)
    assert np.allclose(buyer.values[2], [0, 0.25, 0.5, 0.75, 1])  # type: ignore[attr-defined]
    assert np.allclose(seller.values[2], [1, 0.8, 0.6, 0.4, 0.2])  # type: ignore[attr-defined]
    assert np.allclose(buyer.values[3], np.linspace(0, 2, 11) * 0.5)  # type: ignore[attr-defined]
    assert np.allclose(seller.values[3], 1 - 0.4 * np.linspace(0, 2, 11))  # type: ignore[attr-defined]
    assert seller.discount is None  # discount_factor 0 means none


def test_real_steps_and_explicit_file_order() -> None:
    files = [DATA / "seller.xml", DATA / "supplier_domain.xml", DATA / "buyer.xml"]
    s = load_genius(files, real_steps=4)
    assert s.party_ids == ("seller", "buyer")
    assert s.agenda.issue("Warranty").options == (0.0, 0.5, 1.0, 1.5, 2.0)


def test_save_and_load_keeps_utilities(tmp_path: Path) -> None:
    s = load_genius([DATA])
    paths = save_genius(s, tmp_path)
    assert [p.name for p in paths] == ["domain.xml", "01-buyer.xml", "02-seller.xml", "tratado.json"]
    t = load_genius(paths)
    assert t.agenda.names == s.agenda.names and t.party_ids == s.party_ids
    assert t.agenda.issue("Delivery_time").title == "Delivery time"
    rows = s.agenda.all_outcomes()
    assert np.abs(t.utilities(rows) - s.utilities(rows)).max() < 1e-12
    assert np.array_equal(t.reservation_values, s.reservation_values)
    assert [p.preferences.discount for p in t.parties] == [0.9, None]


def _write(folder: Path, **files: str) -> list[Path]:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.xml").write_text(text)
    return [folder]


def _error(folder: Path, **files: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_genius(_write(folder, **files))
    return info.value


def test_malformed_xml_names_file_and_line(tmp_path: Path) -> None:
    err = _error(tmp_path, domain=DOMAIN, a=BUYER, b=BUYER.replace("</issue>", "</isue>", 1))
    assert err.file and err.file.endswith("b.xml") and err.line is not None and err.line > 1
    assert "well-formed" in str(err)


def test_other_xml_is_refused(tmp_path: Path) -> None:
    err = _error(tmp_path, domain=DOMAIN, a=BUYER, b="<project><name>x</name></project>")
    assert err.file and err.file.endswith("b.xml")
    assert "<negotiation_template>" in str(err) and "<utility_space>" in str(err)


def test_entities_are_refused(tmp_path: Path) -> None:
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><utility_space>&a;</utility_space>'
    err = _error(tmp_path, domain=DOMAIN, a=BUYER, b=bomb)
    assert err.file and err.file.endswith("b.xml")


def test_missing_domain_and_too_few_profiles(tmp_path: Path) -> None:
    assert "domain" in str(_error(tmp_path / "x", a=BUYER, b=BUYER))
    assert "profile" in str(_error(tmp_path / "y", domain=DOMAIN, a=BUYER))


def test_nonlinear_profile_without_rectangles_is_refused(tmp_path: Path) -> None:
    nonlinear = BUYER.replace("<utility_space>", '<utility_space type="nonlinear">')
    err = _error(tmp_path, domain=DOMAIN, a=BUYER, b=nonlinear)
    assert "no <utility><ufun>" in str(err) and err.file and err.file.endswith("b.xml")


@pytest.mark.parametrize(("old", "new", "field"), [
    ('value="$4.50" evaluation="40"', 'value="$4.25" evaluation="40"', "issue[Price].item[$4.25]"),
    ('evaluation="40"', "", "issue[Price].item[$4.50].evaluation"),
    ('evaluation="40"', 'evaluation="-4"', "issue[Price].item[$4.50].evaluation"),
    ('evaluation="40"', 'evaluation="lots"', "issue[Price].item[$4.50].evaluation"),
    ('<weight index="2" value="3">', '<weight index="9" value="3">', "weight[2]"),
    ('<weight index="2" value="3">', '<weight index="2" value="-3">', "weight[2].value"),
    ('<reservation value="0.3">', '<reservation value="1.5">', "reservation.value"),
    ('<discount_factor value="0.9">', '<discount_factor value="2">', "discount_factor.value"),
    ('ftype="linear" parameter0', 'ftype="triangular" parameter0', "issue[Warranty].evaluator.ftype"),
    ('name="Batches"', 'name="Lots"', "issue[Lots]"),
])
def test_bad_profile_names_file_and_field(tmp_path: Path, old: str, new: str, field: str) -> None:
    assert old in BUYER
    err = _error(tmp_path, domain=DOMAIN, a=BUYER.replace(old, new, 1), b=BUYER)
    assert err.file and err.file.endswith("a.xml")
    assert err.field == field
    assert err.line is not None


def test_save_refuses_non_linear_preferences(tmp_path: Path) -> None:
    from tratado.formats import bundled_examples, load_yaml

    scenario = load_yaml(bundled_examples()["river-basin"])
    with pytest.raises(ScenarioError, match="linear-additive"):
        save_genius(scenario, tmp_path)
