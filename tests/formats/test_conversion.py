"""Conversion keeps what each format can hold, says what it cannot, and destroys nothing.

Issue 6 §1: YAML → GENIUS/GeniusWeb → YAML turned 30 rounds into 100 and numeric options
into text, silently; `convert` and `save` overwrote targets; a GENIUS folder written
over an old one kept stale profiles; folders with extra files were refused.
"""

from __future__ import annotations

import dataclasses
import shutil
import warnings
from pathlib import Path

import numpy as np
import pytest
from conftest import EXAMPLES, UNCERTAIN

import tratado
from tratado.errors import ScenarioError, TratadoError
from tratado.formats import FormatNote, load, save
from tratado.formats.yaml_write import dumps_yaml
from tratado.parties import Rules

DATA = Path(__file__).parent.parent / "data"
FORMATS = ["genius", "geniusweb"]


def saved(scenario: tratado.Scenario, target: Path, fmt: str | None = None,
          **options: bool) -> tuple[list[Path], list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        paths = save(scenario, target, fmt, **options)
    return paths, [str(w.message) for w in caught if w.category is FormatNote]


def job_offer_with(deadline: int = 30) -> tratado.Scenario:
    scenario = tratado.load(EXAMPLES["job-offer"])
    return dataclasses.replace(scenario, rules=Rules(deadline, "item-by-item", 600.0))


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_deadline_and_numeric_issues_survive_a_round_trip(tmp_path: Path, fmt: str) -> None:
    original = job_offer_with(30)
    paths, _ = saved(original, tmp_path / "out", fmt)
    again = load(tmp_path / "out")
    assert again.rules.deadline == 30 and again.rules.agreement == "item-by-item"
    assert again.rules.deadline_seconds == 600.0
    assert [i.kind for i in again.agenda] == [i.kind for i in original.agenda]
    assert [i.options for i in again.agenda] == [i.options for i in original.agenda]
    assert again.name == original.name
    rows = original.agenda.all_outcomes()
    assert np.abs(again.utilities(rows) - original.utilities(rows)).max() < 1e-12
    back, _ = saved(again, tmp_path / "back.yaml")
    assert load(back[0]).rules.deadline == 30


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_loss_is_said_once(tmp_path: Path, fmt: str) -> None:
    _, notes = saved(job_offer_with(30), tmp_path / "out", fmt)
    text = "\n".join(notes)
    assert "deadline 30 rounds" in text and "tratado.json" in text
    assert "issue 'salary' (integer 60..80 step 2) is written as a list of text items" in text
    assert "party names" in text and "description is not kept" in text
    if fmt == "geniusweb":
        assert "discount factor 0.98 is not kept" in text
        assert "name is written as 'Job_offer'" in text
    assert len(notes) == len(set(notes))


def test_yaml_targets_lose_nothing_and_say_nothing(tmp_path: Path) -> None:
    _, notes = saved(tratado.load(EXAMPLES["venezuela-2021"]), tmp_path / "v.yaml")
    assert notes == []


def test_reservation_values_read_back_without_float_noise(tmp_path: Path) -> None:
    saved(job_offer_with(), tmp_path / "web", "geniusweb")
    assert list(load(tmp_path / "web").reservation_values) == [0.45, 0.4]


# -- no silent overwrite -------------------------------------------------------------
def test_save_refuses_an_existing_file_unless_asked(tmp_path: Path) -> None:
    target = tmp_path / "s.yaml"
    target.write_text("keep me")
    with pytest.raises(TratadoError) as caught:
        save(job_offer_with(), target)
    assert "already exists" in caught.value.message and target.read_text() == "keep me"
    save(job_offer_with(), target, overwrite=True)
    assert load(target).rules.deadline == 30


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_folder_is_replaced_as_a_whole_and_only_when_asked(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / "out"
    saved(job_offer_with(), target, fmt)
    stale = target / ("03-stale.xml" if fmt == "genius" else "03-stale.json")
    shutil.copy(target / ("01-candidate.xml" if fmt == "genius" else "01-candidate.json"), stale)
    with pytest.raises(TratadoError):
        save(job_offer_with(), target, fmt)
    assert stale.exists()
    paths, _ = saved(job_offer_with(20), target, fmt, overwrite=True)
    assert sorted(p.name for p in target.iterdir()) == sorted(p.name for p in paths)
    assert load(target).n_parties == 2 and load(target).rules.deadline == 20
    assert [p.name for p in tmp_path.iterdir()] == ["out"], "a temporary folder was left behind"


def test_a_failed_folder_write_leaves_the_old_folder(tmp_path: Path) -> None:
    target = tmp_path / "out"
    saved(job_offer_with(), target, "genius")
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    broken = job_offer_with()
    prefs = broken.parties[0].preferences
    values = list(prefs.values)  # type: ignore[attr-defined]
    values[1] = values[1] * 0.5  # best option worth 0.5: GENIUS cannot write it exactly
    party = dataclasses.replace(broken.parties[0], preferences=dataclasses.replace(
        prefs, values=tuple(values)))  # type: ignore[type-var]
    broken = dataclasses.replace(broken, parties=(party, broken.parties[1]))
    with pytest.raises(ScenarioError):
        save(broken, target, "genius", overwrite=True)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_an_empty_folder_may_be_written_into(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    saved(job_offer_with(), tmp_path / "empty", "genius")
    assert load(tmp_path / "empty").n_parties == 2


# -- folders holding more than a scenario ------------------------------------------------
def test_a_genius_folder_with_extra_files_loads_and_names_what_it_ignored(tmp_path: Path) -> None:
    folder = tmp_path / "supplier"
    shutil.copytree(DATA / "genius" / "supplier", folder)
    (folder / "pareto.xml").write_text("0.1,0.9\n0.5,0.5\n")
    (folder / "tournament.xml").write_text('<multiTournament><tournament/></multiTournament>')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scenario = load(folder)
    assert scenario.party_ids == ("buyer", "seller")
    notes = [str(w.message) for w in caught if w.category is FormatNote]
    assert any("pareto.xml" in n and "not well-formed XML" in n for n in notes)
    assert any("tournament.xml" in n and "<multiTournament>" in n for n in notes)


def test_a_broken_profile_in_a_folder_is_still_named(tmp_path: Path) -> None:
    folder = tmp_path / "supplier"
    shutil.copytree(DATA / "genius" / "supplier", folder)
    (folder / "seller.xml").write_text("<utility_space><objective></utility_space>")
    with pytest.raises(ScenarioError) as caught:
        load(folder)
    assert caught.value.file == str(folder / "seller.xml") and caught.value.line is not None
    assert "not well-formed" in caught.value.message and "needs two" in caught.value.message


def test_a_geniusweb_folder_with_extra_json_loads(tmp_path: Path) -> None:
    folder = tmp_path / "jobs"
    shutil.copytree(DATA / "geniusweb" / "jobs", folder)
    (folder / "settings.json").write_text('{"SAOPSettings": {"participants": []}}')
    (folder / "results.json").write_text("not json at all")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert load(folder).n_parties == 2
    notes = " ".join(str(w.message) for w in caught if w.category is FormatNote)
    assert "settings.json" in notes and "results.json" in notes


def test_an_edited_domain_keeps_its_text_items(tmp_path: Path) -> None:
    saved(job_offer_with(), tmp_path / "out", "genius")
    domain = tmp_path / "out" / "domain.xml"
    text = domain.read_text()
    for name in ("domain.xml", "01-candidate.xml", "02-employer.xml"):
        path = tmp_path / "out" / name
        path.write_text(path.read_text().replace('value="62"', 'value="62k"'))
    assert text != domain.read_text()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scenario = load(tmp_path / "out")
    assert scenario.agenda.issue("salary").kind == "categorical"
    assert any("no longer the range" in str(w.message) for w in caught)


# -- YAML written for people ----------------------------------------------------------
def test_descriptions_of_several_lines_are_written_as_blocks() -> None:
    scenario = dataclasses.replace(job_offer_with(), description="First line.\nSecond line.\n")
    text = dumps_yaml(scenario)
    assert "description: |\n  First line.\n  Second line.\n" in text
    assert "\n\n" not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_uncertainty_and_stakeholder_effects_are_said_to_be_dropped(tmp_path: Path, fmt: str) -> None:
    scenario = tratado.formats.loads_yaml(UNCERTAIN)
    _, notes = saved(scenario, tmp_path / "out", fmt)
    assert any("uncertainty (9 uncertain inputs) is not kept" in n for n in notes)
    assert any("2 effects on the parties (the linkage) are not kept" in n for n in notes)
    again = load(tmp_path / "out")
    assert again.uncertainty is None
    rows = scenario.agenda.all_outcomes()
    assert np.abs(again.utilities(rows) - scenario.utilities(rows)).max() < 1e-12
