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

from tratado.experiments.results import holm, rank, sign_flip_p
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


def _row(negotiator: str, scenario: str, position: int, seats: tuple[str, ...],
         advantage: float) -> dict[str, Any]:
    return {"negotiator": negotiator, "scenario": scenario, "protocol": "alternating",
            "position": position, "seats": seats, "advantage": advantage, "agreement": True,
            "distance_to_pareto": 0.0, "distance_to_nash": 0.0, "failed": False}


def _league(strength: dict[str, float], scenarios: int) -> list[dict[str, Any]]:
    rows = []
    for s in range(scenarios):
        for seats in itertools.permutations(strength, 2):
            for position, name in enumerate(seats, start=1):
                noise = ((s * 7 + position * 3) % 5) / 100
                rows.append(_row(name, f"s{s}", position, seats, strength[name] + noise))
    return rows


def test_a_clear_difference_is_real_and_a_tie_is_not() -> None:
    rows = _league({"strong": 0.8, "twin": 0.8, "weak": 0.2}, scenarios=10)
    ranking = rank(rows, len(rows) // 2, seed=3)
    assert [r["negotiator"] for r in ranking.table][2] == "weak"
    pairs = {(p["a"], p["b"]): p for p in ranking.pairwise}
    tie = pairs.get(("strong", "twin")) or pairs[("twin", "strong")]
    assert tie["difference"] == pytest.approx(0.0) and not tie["real"]
    for name in ("strong", "twin"):
        assert pairs[(name, "weak")]["real"] and pairs[(name, "weak")]["difference"] > 0.5
    for row in ranking.table:
        assert row["low"] <= row["advantage"] <= row["high"]


def test_repetitions_of_a_deterministic_negotiator_do_not_narrow_the_interval() -> None:
    rows = _league({"a": 0.6, "b": 0.4}, scenarios=6)
    once = rank(rows, 0, seed=1).table
    thrice = rank(rows * 3, 0, seed=1).table
    assert [(r["low"], r["high"]) for r in once] == [(r["low"], r["high"]) for r in thrice]


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
