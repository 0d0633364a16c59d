"""Hypothesis builders and the validation case shared by the actors' model tests."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from hypothesis import strategies as st

from tratado.actors import IssueTable

BDM = Path(__file__).resolve().parents[1] / "data" / "bdm"


def emissions() -> IssueTable:
    """Bueno de Mesquita's ten European Community states on the car-emissions date."""
    with (BDM / "bdm-emissions.csv").open(encoding="utf-8") as handle:
        rows = [(r["Actor"], float(r["Capability"]), float(r["Position"]), float(r["Salience"]))
                for r in csv.DictReader(handle)]
    return IssueTable.from_rows("emissions", rows)


def published_rounds() -> list[dict[str, float]]:
    """The replication's positions after rounds 0 to 10, one ``{actor: position}`` each."""
    rounds: list[dict[str, float]] = []
    with (BDM / "bdm-emissions-rounds.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            k = int(row["round"])
            if k == len(rounds):
                rounds.append({})
            rounds[k][row["actor"]] = float(row["position"])
    return rounds


positions = st.integers(min_value=-50, max_value=50).map(float)
capabilities = st.integers(min_value=1, max_value=100).map(lambda k: k / 10)
saliences = st.integers(min_value=1, max_value=10).map(lambda k: k / 10)


@st.composite
def tables(draw: st.DrawFn, min_actors: int = 2, max_actors: int = 8) -> IssueTable:
    """A table of 2-8 actors on a small integer scale (ties between positions are common,
    as in real data)."""
    n = draw(st.integers(min_value=min_actors, max_value=max_actors))
    rows = [(f"actor{k}", draw(capabilities), draw(positions), draw(saliences)) for k in range(n)]
    return IssueTable.from_rows("issue", rows)


def with_columns(table: IssueTable, **columns: np.ndarray) -> IssueTable:
    values = {"capability": table.capability, "position": table.position,
              "salience": table.salience, **columns}
    return IssueTable(table.issue, table.actors, values["capability"], values["position"],
                      values["salience"], status_quo=table.status_quo)
