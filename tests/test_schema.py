"""The published JSON Schema (schema/scenario.schema.json) agrees with the YAML loader.

Every bundled example validates; a few invalid documents are refused by both the schema
(what an editor shows while typing) and the loader (what ``tratado check`` says).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tratado.errors import ScenarioError
from tratado.formats import bundled_examples
from tratado.formats.yaml_format import scenario_from_dict

jsonschema = pytest.importorskip("jsonschema")

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schema" / "scenario.schema.json"
EXAMPLES = bundled_examples()


@pytest.fixture(scope="module")
def validator() -> Any:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def small() -> dict[str, Any]:
    return {
        "tratado": 1,
        "name": "Small",
        "agenda": {"issues": [
            {"name": "price", "options": ["low", "mid", "high"]},
            {"name": "days", "type": "integer", "min": 1, "max": 3},
        ]},
        "parties": [
            {"id": "buyer", "preferences": {
                "weights": {"price": 0.7, "days": 0.3},
                "values": {"price": {"low": 1, "mid": 0.5, "high": 0}, "days": {1: 1, 3: 0}},
                "reservation_value": 0.2}},
            {"id": "seller", "preferences": {
                "type": "table", "default": 0.1,
                "outcomes": [{"outcome": {"price": "high", "days": 3}, "utility": 1.0}]}},
        ],
    }


def test_schema_is_draft_2020_12_with_an_id(validator: Any) -> None:
    schema = validator.schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_bundled_example_validates(validator: Any, name: str) -> None:
    data = yaml.safe_load(EXAMPLES[name].read_text(encoding="utf-8"))
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


def test_the_small_document_is_valid_for_both(validator: Any) -> None:
    data = small()
    assert list(validator.iter_errors(data)) == []
    assert scenario_from_dict(data).agenda.size == 9


def _set(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


def _drop(data: dict[str, Any], path: tuple[Any, ...]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    target = data
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return data


INVALID = {
    "unknown top-level field": lambda: _set(small(), ("deadline",), 10),
    "unknown issue field": lambda: _set(small(), ("agenda", "issues", 0, "weight"), 1),
    "unknown preference field": lambda: _set(small(), ("parties", 0, "preferences", "reservation"), 0.3),
    "negative weight": lambda: _set(small(), ("parties", 0, "preferences", "weights"),
                                    {"price": 1.2, "days": -0.2}),
    "bad preference type": lambda: _set(small(), ("parties", 0, "preferences", "type"), "nonlinear"),
    "value above 1": lambda: _set(small(), ("parties", 0, "preferences", "values", "price", "low"), 1.5),
    "reservation value above 1": lambda: _set(small(), ("parties", 0, "preferences",
                                                        "reservation_value"), 1.2),
    "one party only": lambda: _set(small(), ("parties",), small()["parties"][:1]),
    "issue name with a space": lambda: _set(small(), ("agenda", "issues", 0, "name"), "the price"),
    "missing agenda": lambda: _drop(small(), ("agenda",)),
    "continuous issue without step": lambda: _set(small(), ("agenda", "issues", 1),
                                                  {"name": "days", "type": "continuous", "min": 1,
                                                   "max": 3}),
    "unknown agreement mode": lambda: _set(small(), ("rules",), {"agreement": "partial"}),
    "zero deadline": lambda: _set(small(), ("rules",), {"deadline": 0}),
    "format version 2": lambda: _set(small(), ("tratado",), 2),
    "table utility above 1": lambda: _set(small(), ("parties", 1, "preferences", "default"), 2),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_documents_are_refused_by_schema_and_loader(validator: Any, case: str) -> None:
    data = INVALID[case]()
    assert list(validator.iter_errors(data)), f"the schema accepts: {case}"
    with pytest.raises(ScenarioError):
        scenario_from_dict(data)


def uncertain() -> dict[str, Any]:
    data = small()
    prefs = data["parties"][0]["preferences"]
    prefs["weights"] = {"price": [0.6, 0.8], "days": {"estimate": 0.3, "low": 0.2, "high": 0.4}}
    prefs["values"]["price"]["mid"] = {"estimate": 0.5, "low": 0.3, "high": 0.6,
                                       "distribution": "pert", "note": "a guess"}
    prefs["reservation_value"] = {"estimate": 0.2, "distribution": "normal", "sd": 0.05}
    data["stakeholders"] = [{"name": "The Bank", "effects": [
        {"party": "buyer", "when": {"price": ["low", "mid"]}, "utility": [0.05, 0.1]},
        {"party": "seller", "no_deal": -0.1}]}]
    return data


def test_an_uncertain_document_with_stakeholders_is_valid_for_both(validator: Any) -> None:
    data = uncertain()
    assert list(validator.iter_errors(data)) == []
    scenario = scenario_from_dict(data)
    assert scenario.uncertainty is not None and len(scenario.uncertainty) == 5


UNCERTAIN_INVALID = {
    "range above 1": lambda: _set(uncertain(), ("parties", 0, "preferences", "reservation_value"),
                                  [0.5, 1.5]),
    "unknown distribution": lambda: _set(uncertain(), ("parties", 0, "preferences", "values",
                                                       "price", "mid", "distribution"), "gauss"),
    "a range of three": lambda: _set(uncertain(), ("parties", 0, "preferences", "weights", "price"),
                                     [0.6, 0.7, 0.8]),
    "effect on nothing": lambda: _set(uncertain(), ("stakeholders", 0, "effects", 1),
                                      {"party": "seller"}),
    "effect above 1": lambda: _set(uncertain(), ("stakeholders", 0, "effects", 1),
                                   {"party": "seller", "no_deal": 1.5}),
}


@pytest.mark.parametrize("case", sorted(UNCERTAIN_INVALID))
def test_invalid_uncertainty_is_refused_by_schema_and_loader(validator: Any, case: str) -> None:
    data = UNCERTAIN_INVALID[case]()
    assert list(validator.iter_errors(data)), f"the schema accepts: {case}"
    with pytest.raises(ScenarioError):
        scenario_from_dict(data)


def test_an_uncertain_table_is_valid_for_both(validator: Any) -> None:
    import yaml
    from conftest import UNCERTAIN_TABLE

    data = yaml.safe_load(UNCERTAIN_TABLE)
    assert list(validator.iter_errors(data)) == []
    assert len(scenario_from_dict(data).uncertainty) == 3
    data["parties"][0]["preferences"]["outcomes"][2]["utility"] = [0.6, 1.2]
    assert list(validator.iter_errors(data))
    with pytest.raises(ScenarioError):
        scenario_from_dict(data)
