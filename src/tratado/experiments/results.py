"""The results of a tournament, and its ranking with confidence.

:class:`Results` holds the session rows (:mod:`tratado.experiments.rows`); it is read
from a results folder (:meth:`Results.read`) or made by :meth:`Tournament.run`.
``results.sessions`` is the table as a pandas DataFrame (when pandas is installed; a
pyarrow Table or a list of rows otherwise); ``results.parties()`` the long form, one
row per (session, party).

:meth:`Results.ranking` — what ``tratado rank`` prints:

* per negotiator: sessions played, **mean advantage** ``(u - r) / (best - r)`` with a
  95% bootstrap interval, agreement rate, mean distance to the Pareto frontier and to
  the Nash package, failures;
* **pairwise**: for each pair A, B, the mean paired difference of advantage with its
  95% bootstrap interval and a p-value, Holm-corrected over all pairs; ``real`` when
  the corrected p is below 0.05;
* the mean advantage and agreement rate by scenario and by protocol.

What an interval means. The unit of the bootstrap is a *configuration*: one scenario,
protocol, role and set of opponents, its repetitions averaged (repetitions of a
deterministic negotiator are copies, and must not count as evidence). The interval
says how much the mean would move if the configurations of this tournament were drawn
again; it says nothing of scenarios the tournament did not play. Pairs are compared on
the configurations both played: A in a role against some opponents, B in the same role
against the same opponents (with A and B standing in for each other where they met).
The p-value comes from a sign-flip permutation test on those paired differences
(exact up to 16 of them, else 10,000 random flips); Holm's step-down correction keeps
the chance of any false "real" difference under 5%. The bootstrap and the flips are
seeded (the tournament's seed), so the same results give the same ranking.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Ranking", "Results", "holm", "rank", "sign_flip_p"]

BOOTSTRAP = 2000
FLIPS = 10_000
LEVEL = 0.95
ALPHA = 0.05
_NEEDED = ("session", "scenario", "protocol", "repetition", "parties", "agreement",
           "distance_to_pareto", "distance_to_nash", "failed_party", "failed_negotiator")


@dataclass
class Ranking:
    """A tournament's ranking (see the module docstring). Each part is a list of plain
    dicts; :meth:`frames` gives them as pandas DataFrames."""

    table: list[dict[str, Any]]
    pairwise: list[dict[str, Any]]
    by_scenario: list[dict[str, Any]]
    by_protocol: list[dict[str, Any]]
    sessions: int
    scenarios: int
    protocols: int
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The ranking as one JSON-able document (what ``tratado rank --json`` prints)."""
        return {"sessions": self.sessions, "scenarios": self.scenarios,
                "protocols": self.protocols, "confidence": LEVEL, "ranking": self.table,
                "pairwise": self.pairwise, "by_scenario": self.by_scenario,
                "by_protocol": self.by_protocol, "notes": self.notes}

    def frames(self) -> dict[str, Any]:
        """``{"ranking", "pairwise", "by_scenario", "by_protocol"}`` as DataFrames."""
        import pandas as pd

        return {"ranking": pd.DataFrame(self.table), "pairwise": pd.DataFrame(self.pairwise),
                "by_scenario": pd.DataFrame(self.by_scenario),
                "by_protocol": pd.DataFrame(self.by_protocol)}


class Results:
    """Session rows of a tournament (see the module docstring)."""

    def __init__(self, data: Any, seed: int = 0, folder: Path | None = None) -> None:
        self._data = data  # a pyarrow Table, or a list of row dicts
        self.seed = seed
        self.folder = folder

    @classmethod
    def from_rows(cls, rows: list[dict[str, Any]], columns: list[tuple[str, str]],
                  seed: int = 0) -> Results:
        """Results held in memory: ``rows`` (dicts) restricted to ``columns``."""
        names = [name for name, _ in columns]
        return cls([{k: row.get(k) for k in names} for row in rows], seed)

    @classmethod
    def read(cls, folder: str | Path) -> Results:
        """The results in a results folder (or a sessions file)."""
        from tratado.experiments.store import TOURNAMENT_FILE, read_sessions

        path = Path(folder)
        seed = 0
        settings = path / TOURNAMENT_FILE
        if settings.exists():
            from tratado.experiments.tournament_file import load_settings

            seed = load_settings(settings).seed
        return cls(read_sessions(path), seed, path if path.is_dir() else None)

    def __len__(self) -> int:
        return len(self._data) if isinstance(self._data, list) else int(self._data.num_rows)

    def column(self, name: str) -> list[Any]:
        """One column as a list."""
        if isinstance(self._data, list):
            return [row.get(name) for row in self._data]
        if name not in self._data.column_names:
            return [None] * len(self)
        values: list[Any] = self._data.column(name).to_pylist()
        return values

    @property
    def sessions(self) -> Any:
        """One row per session: a pandas DataFrame when pandas is installed."""
        try:
            import pandas as pd
        except ImportError:
            return self._data
        if isinstance(self._data, list):
            return pd.DataFrame(self._data)
        return self._data.to_pandas()

    def width(self) -> int:
        """The largest number of parties of any session (the ``k`` of ``party_k``)."""
        parties = self.column("parties")
        return max((int(p) for p in parties if p is not None), default=0)

    def parties(self) -> list[dict[str, Any]]:
        """The long form: one dict per (session, party), with ``position``, ``party``,
        ``negotiator``, ``params``, ``utility``, ``gain``, ``advantage``, ``failed`` (this
        negotiator failed the session) and the session's columns."""
        base = {name: self.column(name) for name in _NEEDED}
        long: list[dict[str, Any]] = []
        per = {f"{name}_{k}": self.column(f"{name}_{k}")
               for k in range(1, self.width() + 1)
               for name in ("party", "negotiator", "params", "utility", "gain", "advantage")}
        for i in range(len(self)):
            n = int(base["parties"][i])
            seats = tuple(per[f"negotiator_{k}"][i] for k in range(1, n + 1))
            for k in range(1, n + 1):
                party = per[f"party_{k}"][i]
                long.append({
                    **{name: base[name][i] for name in _NEEDED},
                    "position": k, "party": party, "negotiator": per[f"negotiator_{k}"][i],
                    "params": per[f"params_{k}"][i], "utility": per[f"utility_{k}"][i],
                    "gain": per[f"gain_{k}"][i], "advantage": per[f"advantage_{k}"][i],
                    "failed": base["failed_party"][i] == party,
                    "seats": seats,
                })
        return long

    def ranking(self) -> Ranking:
        """The ranking (see the module docstring)."""
        return rank(self.parties(), len(self), self.seed)


def _mean(values: list[float]) -> float | None:
    clean = [v for v in values if v is not None and not math.isnan(v)]
    return float(np.mean(clean)) if clean else None


def _interval(units: np.ndarray, rng: np.random.Generator) -> tuple[float | None, float | None]:
    """Percentile bootstrap interval of the mean of ``units``."""
    if len(units) == 0:
        return None, None
    if len(units) == 1:
        return float(units[0]), float(units[0])
    means = np.empty(BOOTSTRAP)
    batch = max(1, 2_000_000 // len(units))
    for start in range(0, BOOTSTRAP, batch):
        stop = min(start + batch, BOOTSTRAP)
        picks = rng.integers(0, len(units), size=(stop - start, len(units)))
        means[start:stop] = units[picks].mean(axis=1)
    low, high = np.quantile(means, [(1 - LEVEL) / 2, 1 - (1 - LEVEL) / 2])
    return float(low), float(high)


def sign_flip_p(differences: np.ndarray, rng: np.random.Generator) -> float | None:
    """Two-sided p-value of a sign-flip permutation test that the paired differences
    are centred on 0 (exact for up to 16 differences)."""
    n = len(differences)
    if n == 0:
        return None
    observed = abs(differences.mean())
    tolerance = 1e-12 * max(1.0, float(np.abs(differences).max()))
    if n <= 16:
        signs = np.array(list(itertools.product((1.0, -1.0), repeat=n)))
        means = np.abs(signs @ differences / n)
        return float(np.mean(means >= observed - tolerance))
    hits = 0
    for start in range(0, FLIPS, 1000):
        signs = rng.choice((1.0, -1.0), size=(min(1000, FLIPS - start), n))
        hits += int(np.sum(np.abs(signs @ differences / n) >= observed - tolerance))
    return (hits + 1) / (FLIPS + 1)


def holm(pvalues: list[float | None]) -> list[float | None]:
    """Holm's step-down adjusted p-values (None stays None)."""
    indexed = sorted((p, k) for k, p in enumerate(pvalues) if p is not None)
    m = len(indexed)
    adjusted: list[float | None] = [None] * len(pvalues)
    running = 0.0
    for rank_, (p, k) in enumerate(indexed):
        running = max(running, min(1.0, (m - rank_) * p))
        adjusted[k] = running
    return adjusted


def _units(rows: list[dict[str, Any]]) -> dict[str, dict[tuple[Any, ...], list[float]]]:
    """Per negotiator, the advantages of each configuration (scenario, protocol,
    position, seats), repetitions listed together."""
    found: dict[str, dict[tuple[Any, ...], list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        value = row["advantage"]
        if value is None or math.isnan(value):
            continue
        key = (row["scenario"], row["protocol"], row["position"], row["seats"])
        found[row["negotiator"]][key].append(float(value))
    return found


def _paired(units_a: dict[tuple[Any, ...], list[float]],
            units_b: dict[tuple[Any, ...], list[float]], a: str, b: str) -> np.ndarray:
    def keyed(units: dict[tuple[Any, ...], list[float]], me: str,
              other: str) -> dict[tuple[Any, ...], float]:
        out = {}
        for (scenario, protocol, position, seats), values in units.items():
            opponents = tuple("@self" if s == me and k != position - 1 else
                              "@other" if s == other else s
                              for k, s in enumerate(seats) if k != position - 1)
            out[(scenario, protocol, position, opponents)] = float(np.mean(values))
        return out

    left, right = keyed(units_a, a, b), keyed(units_b, b, a)
    common = sorted(set(left) & set(right), key=repr)
    return np.array([left[k] - right[k] for k in common], dtype=float)


def rank(rows: list[dict[str, Any]], sessions: int, seed: int = 0) -> Ranking:
    """The ranking of the long-form ``rows`` (:meth:`Results.parties`)."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0x72616E6B,)))
    by_negotiator: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_negotiator[row["negotiator"]].append(row)
    units = _units(rows)
    table: list[dict[str, Any]] = []
    for name in sorted(by_negotiator):
        mine = by_negotiator[name]
        means = np.array([np.mean(v) for _, v in sorted(units[name].items(), key=repr)])
        low, high = _interval(means, rng)
        table.append({
            "negotiator": name, "sessions": len(mine),
            "advantage": float(means.mean()) if len(means) else None,
            "low": low, "high": high, "configurations": len(means),
            "agreement_rate": float(np.mean([bool(r["agreement"]) for r in mine])),
            "distance_to_pareto": _mean([r["distance_to_pareto"] for r in mine]),
            "distance_to_nash": _mean([r["distance_to_nash"] for r in mine]),
            "failures": sum(1 for r in mine if r["failed"]),
        })
    table.sort(key=lambda r: (-(r["advantage"] if r["advantage"] is not None else -math.inf),
                              r["negotiator"]))
    for position, row in enumerate(table, start=1):
        row["rank"] = position
    order = [row["negotiator"] for row in table]
    pairs: list[dict[str, Any]] = []
    for a, b in itertools.combinations(order, 2):
        differences = _paired(units[a], units[b], a, b)
        low, high = _interval(differences, rng)
        pairs.append({"a": a, "b": b, "pairs": len(differences),
                      "difference": float(differences.mean()) if len(differences) else None,
                      "low": low, "high": high, "p": sign_flip_p(differences, rng)})
    for pair, adjusted in zip(pairs, holm([p["p"] for p in pairs]), strict=True):
        pair["p_holm"] = adjusted
        pair["real"] = adjusted is not None and adjusted < ALPHA
    notes = []
    if any(row["configurations"] < 10 for row in table):
        notes.append("fewer than 10 configurations for some negotiators: the intervals are"
                     " rough; add scenarios or protocols for firmer ones.")
    return Ranking(table, pairs, _breakdown(rows, "scenario"), _breakdown(rows, "protocol"),
                   sessions, len({r["scenario"] for r in rows}),
                   len({r["protocol"] for r in rows}), notes)


def _breakdown(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row[key], row["negotiator"])].append(row)
    return [{key: k, "negotiator": n, "sessions": len(g),
             "advantage": _mean([r["advantage"] for r in g]),
             "agreement_rate": float(np.mean([bool(r["agreement"]) for r in g]))}
            for (k, n), g in sorted(groups.items())]
