"""Reading actor tables: the bundled tables, the JSON Schema beside the loader, CSV
details, and an actors: section inside a scenario file."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import tratado
from tratado.errors import ScenarioError
from tratado.formats.actors_file import bundled_actor_tables, load_actors, loads_actors_csv, loads_actors_yaml

from .builders import BDM, emissions

jsonschema = pytest.importorskip("jsonschema")
SCHEMA = Path(__file__).resolve().parents[2] / "schema" / "actors.schema.json"
BUNDLED = bundled_actor_tables()


@pytest.fixture(scope="module")
def validator() -> Any:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def small() -> dict[str, Any]:
    return {"actors": {"date": {"question": "When?", "scale": [0, 10], "status_quo": 10,
                                "positions": [
                                    {"actor": "a", "capability": 1, "position": 2, "salience": 1},
                                    {"actor": "b", "capability": 2, "position": 8,
                                     "salience": 0.5, "note": "estimate"}]}}}


def test_the_bundled_tables_are_the_ones_the_help_names() -> None:
    assert sorted(BUNDLED) == ["ec-car-emissions", "venezuela-2021-actors"]
    text = BUNDLED["ec-car-emissions"].read_text(encoding="utf-8")
    assert text == (BDM / "bdm-emissions.csv").read_text(encoding="utf-8")


def test_the_venezuela_tables_validate_and_say_they_are_estimates(validator: Any) -> None:
    path = BUNDLED["venezuela-2021-actors"]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)] == []
    tables = load_actors(path)
    assert [t.issue for t in tables] == ["elections", "sanctions", "prisoners"]
    for table in tables:
        assert {"Government", "Unitary Platform", "United States", "Norway (facilitator)"} <= set(
            table.actors)
        assert all(note.startswith("ESTIMATE") for note in table.notes)


def test_the_small_document_is_valid_for_both(validator: Any) -> None:
    assert list(validator.iter_errors(small())) == []
    (table,) = loads_actors_yaml(yaml.safe_dump(small()), "small.yaml")
    assert table.scale == (0, 10) and table.status_quo == 10 and table.notes == ("", "estimate")


def _with(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(small())
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is None:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


ROW = ("actors", "date", "positions", 0)
INVALID = {
    "unknown top-level field": _with(("agenda_x",), 1),
    "unknown issue field": _with(("actors", "date", "weight"), 1),
    "unknown row field": _with((*ROW, "power"), 1),
    "missing salience": _with((*ROW, "salience"), None),
    "salience above 1": _with((*ROW, "salience"), 1.2),
    "negative capability": _with((*ROW, "capability"), -1),
    "position as text": _with((*ROW, "position"), "early"),
    "scale of three numbers": _with(("actors", "date", "scale"), [0, 5, 10]),
    "one actor": _with(("actors", "date", "positions"), small()["actors"]["date"]["positions"][:1]),
    "no issues": _with(("actors",), {}),
    "format version 2": _with(("tratado",), 2),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_documents_are_refused_by_schema_and_loader(validator: Any, case: str) -> None:
    data = INVALID[case]
    assert list(validator.iter_errors(data)), f"the schema accepts: {case}"
    with pytest.raises(ScenarioError) as caught:
        loads_actors_yaml(yaml.safe_dump(data), "bad.yaml")
    assert caught.value.file == "bad.yaml" and caught.value.fix


def test_csv_columns_in_any_order_and_case_with_notes_and_a_bom() -> None:
    text = "\ufeffSalience,Position,ACTOR,capability,Note\n0.5,3,a,1,x\n1,\"4.5\",b,2,\n"
    (table,) = loads_actors_csv(text, "t.csv", "t")
    assert table.actors == ("a", "b") and table.position.tolist() == [3, 4.5]
    assert table.notes == ("x", "")


def test_csv_and_its_copy_read_alike() -> None:
    (table,) = load_actors(BDM / "bdm-emissions.csv")
    reference = emissions()
    assert table.actors == reference.actors and table.issue == "bdm-emissions"
    assert (table.weights == reference.weights).all()


def test_an_issue_given_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="given twice"):
        load_actors(BDM / "bdm-emissions.csv", BDM / "bdm-emissions.csv")


def test_a_scenario_file_may_carry_an_actors_section(tmp_path: Path) -> None:
    scenario = yaml.safe_load(tratado.formats.bundled_examples()["job-offer"].read_text(
        encoding="utf-8"))
    scenario["actors"] = small()["actors"]
    path = tmp_path / "with-actors.yaml"
    path.write_text(yaml.safe_dump(scenario, sort_keys=False), encoding="utf-8")
    assert tratado.load(path).name == scenario["name"]  # the scenario reads as before
    (table,) = load_actors(path)
    assert table.issue == "date"
