"""The ranking's statistics: intervals, paired tests, Holm's correction."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tratado.experiments.results import Results, holm, sign_flip_p
from tratado.experiments.tournament import Tournament

SCHEMA = Path(__file__).resolve().parents[2] / "schema" / "tournament.schema.json"


def test_holm_matches_the_step_down_rule() -> None:
    assert holm([0.01, 0.04, 0.03, None]) == pytest.approx([0.03, 0.06, 0.06, None])
    assert holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])
    assert holm([0.2, 0.3]) == pytest.approx([0.4, 0.4])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=8))
def test_holm_never_lowers_a_p_value_and_keeps_the_order(p: list[float]) -> None:
    adjusted = holm(list(p))
    assert all(a is not None and a >= q - 1e-12 for a, q in zip(adjusted, p))
    order = np.argsort(p, kind="stable")
    values = [adjusted[k] for k in order]
    assert values == sorted(values)


def test_sign_flip_is_exact_for_few_pairs() -> None:
    rng = np.random.default_rng(0)
    assert sign_flip_p(np.array([1.0, 1.0, 1.0]), rng) == pytest.approx(2 / 8)
    assert sign_flip_p(np.array([0.0, 0.0]), rng) == 1.0
    assert sign_flip_p(np.array([]), rng) is None


def _league(strength: dict[str, float], scenarios: int, repeat: int = 1) -> Results:
    """Wide rows of a round robin where each negotiator's advantage is its strength plus
    a little noise that depends on the scenario and the role."""
    rows = []
    for s in range(scenarios):
        for seats in itertools.permutations(strength, 2):
            for repetition in range(repeat):
                row: dict[str, Any] = {
                    "session": len(rows), "scenario": f"s{s}", "protocol": "alternating",
                    "repetition": repetition, "parties": 2, "agreement": True,
                    "distance_to_pareto": 0.0, "distance_to_nash": 0.0, "failed_party": None}
                for position, name in enumerate(seats, start=1):
                    noise = ((s * 7 + position * 3) % 5) / 100
                    row.update({f"party_{position}": f"p{position}",
                                f"negotiator_{position}": name,
                                f"advantage_{position}": strength[name] + noise})
                rows.append(row)
    return Results(rows, seed=3)


def test_a_clear_difference_is_real_and_a_tie_is_not() -> None:
    ranking = _league({"strong": 0.8, "twin": 0.8, "weak": 0.2}, scenarios=10).ranking()
    assert [r["negotiator"] for r in ranking.table][2] == "weak"
    pairs = {(p["a"], p["b"]): p for p in ranking.pairwise}
    tie = pairs.get(("strong", "twin")) or pairs[("twin", "strong")]
    assert tie["difference"] == pytest.approx(0.0) and not tie["real"]
    for name in ("strong", "twin"):
        assert pairs[(name, "weak")]["real"] and pairs[(name, "weak")]["difference"] > 0.5
    for row in ranking.table:
        assert row["low"] <= row["advantage"] <= row["high"]
        assert row["sessions"] == 40 and row["configurations"] == 40


def test_repetitions_of_a_deterministic_negotiator_do_not_narrow_the_interval() -> None:
    once = _league({"a": 0.6, "b": 0.4}, scenarios=6).ranking().table
    thrice = _league({"a": 0.6, "b": 0.4}, scenarios=6, repeat=3).ranking().table
    for a, b in zip(once, thrice):
        assert (a["low"], a["high"]) == pytest.approx((b["low"], b["high"]))
    assert [r["sessions"] for r in thrice] == [3 * r["sessions"] for r in once]


def test_the_ranking_from_codes_agrees_with_the_long_form(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    tournament = Tournament(["boulware", "conceder", "frequency"], ["job-offer", "river-basin"],
                            seed=2)
    on_disk = tournament.run(tmp_path / "out", jobs=0)
    in_memory = tournament.run(jobs=0)
    assert on_disk.ranking().to_dict() == in_memory.ranking().to_dict()
    long = in_memory.parties()
    for row in in_memory.ranking().table:
        mine = [r for r in long if r["negotiator"] == row["negotiator"]]
        assert row["sessions"] == len(mine)
        assert row["agreement_rate"] == pytest.approx(np.mean([r["agreement"] for r in mine]))


def test_the_ranking_is_the_same_for_the_same_results() -> None:
    results = Tournament(["boulware", "conceder", "frequency"], ["job-offer"], seed=4).run(jobs=0)
    first, second = results.ranking().to_dict(), results.ranking().to_dict()
    assert json.dumps(first) == json.dumps(second)
    assert first["sessions"] == 6 and first["notes"]  # few configurations: said so


def test_the_tournament_schema_accepts_the_files_tratado_writes() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    yaml = pytest.importorskip("yaml")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    example = Path(__file__).resolve().parents[2] / "examples" / "tournaments" / "class.yaml"
    validator.validate(yaml.safe_load(example.read_text(encoding="utf-8")))
    _, _, text = Tournament(["boulware", "conceder"], ["job-offer"]).prepare()
    validator.validate(yaml.safe_load(text))
    bad = {"tratado-tournament": 1, "negotiators": ["a"], "scenarios": ["b"], "repetitions": 0}
    assert list(validator.iter_errors(bad))


def test_without_pyarrow_the_results_are_json_lines(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from tratado.experiments import store

    monkeypatch.setattr(store, "have_pyarrow", lambda: False)
    tournament = Tournament(["boulware", "conceder"], ["job-offer", "river-basin"],
                            self_play=True, seed=6)
    results = tournament.run(tmp_path / "out", jobs=0)
    lines = (tmp_path / "out" / "sessions.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(results) == 4 + 8
    assert [json.loads(line)["session"] for line in lines] == list(range(12))
    assert not (tmp_path / "out" / "sessions.parquet").exists()
    again = Results.read(tmp_path / "out")
    assert again.ranking().to_dict() == tournament.run(jobs=0).ranking().to_dict()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(-1, 5), min_size=3, max_size=3), min_size=1, max_size=30))
def test_packed_rows_are_the_distinct_rows_in_order(rows: list[list[int]]) -> None:
    from tratado.experiments.results import _unique_rows

    keys = np.array(rows, dtype=np.int64)
    distinct, inverse = _unique_rows(keys)
    expected, expected_inverse = np.unique(keys, axis=0, return_inverse=True)
    assert distinct.tolist() == expected.tolist()
    assert inverse.tolist() == np.ravel(expected_inverse).tolist()
