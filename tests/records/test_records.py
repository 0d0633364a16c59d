"""The record module: canonical form, streaming, the two views, fingerprints, schema."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tratado
from tratado.records import (
    build_record,
    canonical_json,
    canonical_value,
    fingerprint,
    iter_canonical,
    public_fingerprint,
    public_record,
    write_record,
)
from tratado.session import Session, evaluate

SCHEMA = Path(__file__).resolve().parents[2] / "schema" / "record.schema.json"
RUNS = [
    ("job-offer", "alternating", ["boulware:e=0.3", "conceder"], {}),
    ("river-basin", "single-text", ["linear"] * 3, {}),
    ("venezuela-2021", "mediated", ["linear", "linear"], {}),
    ("venezuela-2021", "alternating", ["conceder", "conceder"], {"agreement": "item-by-item"}),
]


def run(name: str, protocol: str, negotiators: list[str], options: dict[str, Any]) -> Any:
    scenario = tratado.load(name)
    return evaluate(Session(scenario, protocol, negotiators, seed=2,
                            protocol_options=options).run())


@pytest.mark.parametrize("args", RUNS)
def test_streamed_bytes_equal_the_whole_document_and_parse_back(args: Any) -> None:
    result = run(*args)
    whole = canonical_json(result.to_dict(timing=False))
    out = io.StringIO()
    write_record(result, out)
    assert out.getvalue() == whole
    assert canonical_json(json.loads(whole)) == whole  # parsing and writing again: same bytes
    lines = whole.splitlines()
    assert lines[0] == '{"tratado_record":1,' and lines[-1].endswith("}")
    assert sum(1 for line in lines if line.startswith("{") and '"kind":' in line) == len(result.log)


@settings(max_examples=40, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text()
                    | st.floats(allow_nan=False, allow_infinity=False),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=10))
def test_canonical_values_round_trip(value: Any) -> None:
    text = canonical_value(value)
    assert canonical_value(json.loads(text)) == text
    assert json.loads(text) == value


def test_canonical_numbers_and_key_order() -> None:
    assert canonical_value({"b": 1.0, "a": [0.1, 1e-07, 1e16, 3]}) == \
        '{"a":[0.1,1e-07,1e+16,3],"b":1.0}'
    with pytest.raises(ValueError):
        canonical_value(float("nan"))
    pieces = list(iter_canonical({"seed": 1, "tratado_record": 1, "log": [], "zzz": 2}))
    assert "".join(pieces) == '{"tratado_record":1,\n"seed":1,\n"log":[],\n"zzz":2}\n'


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


@pytest.mark.parametrize("args", RUNS)
def test_the_public_record_holds_nothing_confidential(args: Any) -> None:
    record = run(*args).to_dict(timing=False)
    record["what_if"] = {"reservation_values": {record["parties"][0]: 0.5}}
    public = json.loads(canonical_json(public_record(record)))
    assert public["view"] == "public"
    assert not _keys(public) & {"utilities", "gains", "welfare", "distance_to_pareto",
                                "distance_to_nash", "what_if", "negotiators", "seed",
                                "sha256", "source", "error"}
    assert [e["kind"] for e in public["log"]] == [e["kind"] for e in record["log"]]
    assert public["agreement"] == record["agreement"]


def test_a_failure_message_is_not_shared() -> None:
    from tratado.negotiators import Negotiator

    class Leaky(Negotiator):
        def propose(self, t: float) -> Any:
            raise RuntimeError(f"my reservation value is {self.reservation_value}")

    scenario = tratado.load("job-offer")
    record = Session(scenario, "alternating", [Leaky(), "linear"], seed=1).run().to_dict()
    assert "reservation value" in canonical_json(record)
    assert "reservation value" not in canonical_json(public_record(record))


def test_the_fingerprint_ignores_comments_and_layout(tmp_path: Path) -> None:
    plain = tmp_path / "plain.yaml"
    plain.write_text("""tratado: 1
name: tiny
agenda: {issues: [{name: deal, options: [x, y]}]}
parties:
  - {id: a, preferences: {weights: {deal: 1.0}, values: {deal: {x: 0.6, y: 1.0}}, reservation_value: 0.6}}
  - {id: b, preferences: {weights: {deal: 1.0}, values: {deal: {x: 1.0, y: 0.5}}, reservation_value: 0.5}}
""")
    commented = tmp_path / "commented.yaml"
    commented.write_text("""# the same model, written another way
tratado: 1
name: tiny
agenda:
  issues:
    - name: deal        # one issue
      options: [x, y]
parties:
  - id: a
    preferences:
      weights: {deal: 1}
      values:
        deal: {x: 0.60, y: 1}
      reservation_value: 0.6000
  - id: b
    preferences:
      weights: {deal: 1.0}
      values: {deal: {x: 1.0, y: 0.5}}
      reservation_value: 0.5
""")
    a, b = tratado.load(plain), tratado.load(commented)
    assert fingerprint(a) == fingerprint(b) and public_fingerprint(a) == public_fingerprint(b)
    changed = a.with_reservation_values({"a": 0.65})
    assert fingerprint(changed) != fingerprint(a)
    assert public_fingerprint(changed) == public_fingerprint(a)  # no preferences in it


def test_negotiators_are_recorded_with_their_parameters() -> None:
    result = run("job-offer", "alternating", ["time-based:e=0.5", "frequency:e=0.5:candidates=8"],
                 {})
    assert result.negotiators == {
        "candidate": {"name": "time-based", "params": {"e": 0.5}},
        "employer": {"name": "frequency", "params": {"candidates": 8, "e": 0.5}}}
    assert "time-based(e=0.5)" in repr(result) and "0." not in repr(result).split("agreement")[1]


def test_the_result_repr_is_short_and_shows_no_utilities() -> None:
    result = run("venezuela-2021", "alternating", ["boulware", "conceder"], {})
    text = repr(result)
    assert len(text) < 300
    for value in result.utilities.values():
        assert repr(value) not in text


def test_build_record_keeps_what_if_and_source() -> None:
    scenario = tratado.load("job-offer")
    changed = scenario.with_reservation_values({"candidate": 0.5})
    result = Session(changed, "alternating", ["linear", "linear"], seed=1).run()
    record = build_record(result, base=scenario, what_if={"reservation_values": {"candidate": 0.5}},
                          source={"example": "job-offer"})
    assert record["scenario"]["sha256"] == fingerprint(scenario)
    assert list(record)[:4] == ["tratado_record", "view", "scenario", "what_if"]
    assert list(record)[-1] == "source"


@pytest.mark.parametrize("args", RUNS)
def test_records_of_both_views_follow_the_schema(args: Any) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    record = json.loads(run(*args).to_json(timing=True))
    validator.validate(record)
    validator.validate(json.loads(canonical_json(public_record(record))))


def test_reading_a_record_checks_limits_on_the_text() -> None:
    from tratado.limits import override
    from tratado.records import RecordError, parse_record

    text = '{"a": "[[[[{{", "b": "\\"]]]]", "c": [[1, 2.5e-3]]}'
    assert parse_record(text)["b"] == '"]]]]'
    assert parse_record(text.encode("utf-8"))["c"] == [[1, 0.0025]]
    for bad in ('{"x": ' + "[" * 65 + "]" * 65 + "}", '{"x": 1e999}', '{"x": -Infinity}',
                '{"x": ' + "1" * 65 + "}", "[]", '{"x": "\\"" ' + "[" * 70 + "}"):
        with pytest.raises(RecordError):
            parse_record(bad)
    with override(nesting=100):
        assert parse_record('{"x": ' + "[" * 65 + "]" * 65 + "}")["x"]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40), st.lists(st.integers(0, 40), max_size=6),
       st.lists(st.integers(0, 40), max_size=6), st.text(max_size=3))
def test_pieces_compare_whatever_their_boundaries(text: str, cuts: list[int],
                                                  other_cuts: list[int], extra: str) -> None:
    from tratado.session.replay import same_text

    def pieces(at: list[int], whole: str) -> list[str]:
        points = sorted({0, len(whole), *(min(c, len(whole)) for c in at)})
        return [whole[a:b] for a, b in zip(points, points[1:], strict=False)] + [""]

    text = text.replace("\0", "")
    assert same_text(pieces(cuts, text), pieces(other_cuts, text))
    changed = text + extra.replace("\0", "")
    assert same_text(pieces(cuts, text), pieces(other_cuts, changed)) == (changed == text)


def test_the_schema_takes_the_stakeholders_member() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from tratado.session.simulation import simulate

    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    venezuela = tratado.load("venezuela-2021")
    for stakeholders in (True, False):
        record = simulate(venezuela, ["boulware", "conceder"], stakeholders=stakeholders,
                          reservations={"government": 0.7}).record
        record = json.loads(canonical_json({**record, "log": list(record["log"])}))
        assert record["stakeholders"] in ("effects-included", "table-alone")
        validator.validate(record)
        assert "stakeholders" not in public_record(record)
        record["stakeholders"] = "both"
        assert not validator.is_valid(record)
