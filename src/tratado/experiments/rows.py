"""One tidy row per session: what the results folder's ``sessions.parquet`` holds.

The row is *wide*: session-level columns, then, for each role position ``k`` (1 to the
largest number of parties in the tournament), the columns ``party_k``,
``negotiator_k``, ``params_k``, ``utility_k``, ``gain_k`` and ``advantage_k`` (empty for
scenarios with fewer parties). :meth:`tratado.experiments.results.Results.parties`
gives the long form, one row per (session, party), which the ranking uses.

Session columns (:data:`SESSION_COLUMNS`): ``session`` (its number in the plan),
``scenario`` (label), ``scenario_sha256``, ``protocol``, ``repetition``, ``seed``,
``parties`` (how many), ``agreement`` (true or false), ``reason`` (``agreement``,
``deadline``, ``walk-away``, ``rejection``, ``error``), ``ended_by``, ``round``,
``turns``, ``outcome`` (the agreement as JSON ``{issue: option}``, empty without one),
``welfare`` (sum of utilities), ``distance_to_pareto`` and ``distance_to_nash``
(Euclidean, in utility space; :mod:`tratado.session.evaluate`), and ``failed_party``,
``failed_negotiator``, ``failure`` (the first failure: who and why; empty if none).

Per party: ``utility_k`` is what the result is worth to it (its reservation value
without agreement), ``gain_k = utility - reservation``, and ``advantage_k = (utility -
reservation) / (best - reservation)``, where ``best`` is the party's best utility in
the whole space: 1 when it got its best package, 0 at its reservation value, negative
below (empty when ``best == reservation``). With discounting the utilities are the
discounted ones.

The wall-clock seconds of each session (``seconds``) travel with the row but are
written to ``timing.parquet``, not to ``sessions.parquet``: that file is the same bytes
on every run of the same tournament.
"""

from __future__ import annotations

import json
from typing import Any

from tratado.experiments.plan import Planned
from tratado.scenario import Scenario
from tratado.session import SessionResult

SESSION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("session", "int64"), ("scenario", "string"), ("scenario_sha256", "string"),
    ("protocol", "string"), ("repetition", "int64"), ("seed", "int64"), ("parties", "int64"),
    ("agreement", "bool"), ("reason", "string"), ("ended_by", "string"), ("round", "int64"),
    ("turns", "int64"), ("outcome", "string"), ("welfare", "double"),
    ("distance_to_pareto", "double"), ("distance_to_nash", "double"),
    ("failed_party", "string"), ("failed_negotiator", "string"), ("failure", "string"),
)
PARTY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("party", "string"), ("negotiator", "string"), ("params", "string"),
    ("utility", "double"), ("gain", "double"), ("advantage", "double"),
)


def columns(max_parties: int) -> list[tuple[str, str]]:
    """Every column of ``sessions.parquet`` with its Arrow type name, in order."""
    found = list(SESSION_COLUMNS)
    for k in range(1, max_parties + 1):
        found.extend((f"{name}_{k}", kind) for name, kind in PARTY_COLUMNS)
    return found


def _base(planned: Planned, label: str, fingerprint: str, scenario: Scenario,
          params: list[str]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "session": planned.session, "scenario": label, "scenario_sha256": fingerprint,
        "protocol": planned.protocol, "repetition": planned.repetition, "seed": planned.seed,
        "parties": scenario.n_parties,
    }
    for k, (party, spec, given) in enumerate(zip(scenario.party_ids, planned.assignment,
                                                 params, strict=True), start=1):
        row[f"party_{k}"] = party
        row[f"negotiator_{k}"] = spec
        row[f"params_{k}"] = given
    return row


def session_row(planned: Planned, label: str, fingerprint: str, scenario: Scenario,
                result: SessionResult, best: list[float], seconds: float,
                params: list[str]) -> dict[str, Any]:
    """The row of a finished (and evaluated) session; ``best``: each party's best
    utility in the space, ``params``: each negotiator's parameters as JSON, in party
    order."""
    row = _base(planned, label, fingerprint, scenario, params)
    failure = result.failures[0] if result.failures else None
    row.update({
        "agreement": result.agreement is not None, "reason": result.reason,
        "ended_by": result.ended_by, "round": result.round, "turns": result.turns,
        "outcome": None if result.agreement is None else json.dumps(
            result.agreement, ensure_ascii=False, separators=(",", ":")),
        "welfare": result.welfare, "distance_to_pareto": result.distance_to_pareto,
        "distance_to_nash": result.distance_to_nash,
        "failed_party": failure and failure["party"],
        "failed_negotiator": failure and _spec_of(planned, scenario, failure["party"]),
        "failure": failure and failure["error"],
    })
    for k, party in enumerate(scenario.parties, start=1):
        utility = result.utilities[party.id]
        reservation = party.preferences.reservation_value
        span = best[k - 1] - reservation
        row[f"utility_{k}"] = utility
        row[f"gain_{k}"] = result.gains[party.id]
        row[f"advantage_{k}"] = (utility - reservation) / span if span > 0 else None
    row["seconds"] = seconds
    return row


def _spec_of(planned: Planned, scenario: Scenario, party: str) -> str:
    if party in scenario.party_ids:
        return planned.assignment[scenario.party_ids.index(party)]
    return party  # the mediator


def failed_row(planned: Planned, label: str, fingerprint: str, scenario: Scenario,
               reason: str, params: list[str], negotiator: str | None = None,
               party: str | None = None, seconds: float = 0.0) -> dict[str, Any]:
    """The row of a session that did not finish (stopped, or its worker died): no
    agreement, reason ``error``, every party at its reservation value."""
    row = _base(planned, label, fingerprint, scenario, params)
    row.update({
        "agreement": False, "reason": "error", "ended_by": party, "round": None,
        "turns": None, "outcome": None, "welfare": sum(
            p.preferences.reservation_value for p in scenario.parties),
        "distance_to_pareto": None, "distance_to_nash": None,
        "failed_party": party, "failed_negotiator": negotiator, "failure": reason,
    })
    for k, _ in enumerate(scenario.parties, start=1):
        row[f"utility_{k}"] = scenario.parties[k - 1].preferences.reservation_value
        row[f"gain_{k}"] = 0.0
        row[f"advantage_{k}"] = 0.0
    row["seconds"] = seconds
    return row
