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
    """Session rows of a tournament (see the module docstring). Large results stay on
    disk: the ranking reads only the columns it needs, as dictionary codes."""

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
        settings = (path if path.is_dir() else path.parent) / TOURNAMENT_FILE
        if settings.exists():
            from tratado.experiments.tournament_file import load_settings

            seed = load_settings(settings).seed
        return cls(read_sessions(path), seed, path if path.is_dir() else None)

    def __len__(self) -> int:
        return len(self._data) if isinstance(self._data, list) else int(self._data.num_rows)

    def _names(self) -> list[str]:
        if isinstance(self._data, list):
            return list(self._data[0]) if self._data else []
        names: list[str] = self._data.column_names
        return names

    def column(self, name: str) -> list[Any]:
        """One column as a list."""
        if isinstance(self._data, list):
            return [row.get(name) for row in self._data]
        if name not in self._data.column_names:
            return [None] * len(self)
        values: list[Any] = self._data.column(name).to_pylist()
        return values

    def codes(self, name: str) -> tuple[np.ndarray, list[Any]]:
        """A text column as integer codes (-1 for empty) and the values they stand for."""
        if not isinstance(self._data, list) and name in self._data.column_names:
            import pyarrow as pa
            import pyarrow.compute as pc

            column = (self._data.column(name, dictionary=True)
                      if hasattr(self._data, "path") else self._data.column(name))
            if not pa.types.is_dictionary(column.type):
                column = pc.dictionary_encode(column)
            column = column.unify_dictionaries()
            values = column.chunk(0).dictionary if column.num_chunks else pa.array([], pa.string())
            indices = np.concatenate(
                [chunk.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
                 for chunk in column.chunks]) if column.num_chunks else np.zeros(0, np.int64)
            return indices, values.to_pylist()
        labels: dict[Any, int] = {}
        codes = np.fromiter((-1 if v is None else labels.setdefault(v, len(labels))
                             for v in self.column(name)), dtype=np.int64, count=len(self))
        return codes, list(labels)

    def numbers(self, name: str) -> np.ndarray:
        """A numeric or boolean column as floats (NaN for empty)."""
        if not isinstance(self._data, list) and name in self._data.column_names:
            column = self._data.column(name)
            import pyarrow as pa

            if pa.types.is_boolean(column.type):
                column = column.cast(pa.float64())
            values: np.ndarray = column.to_numpy(zero_copy_only=False).astype(float)
            return values
        return np.array([np.nan if v is None else float(v) for v in self.column(name)],
                        dtype=float)

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
        k = 0
        while f"negotiator_{k + 1}" in self._names():
            k += 1
        return k

    def parties(self) -> list[dict[str, Any]]:
        """The long form: one dict per (session, party), with ``position``, ``party``,
        ``negotiator``, ``params``, ``utility``, ``gain``, ``advantage``, ``failed`` (this
        negotiator failed the session) and the session's columns. (For small results: a
        dict per party; use :attr:`sessions` for large ones.)"""
        base = {name: self.column(name) for name in _NEEDED}
        long: list[dict[str, Any]] = []
        per = {f"{name}_{k}": self.column(f"{name}_{k}")
               for k in range(1, self.width() + 1)
               for name in ("party", "negotiator", "params", "utility", "gain", "advantage")}
        for i in range(len(self)):
            n = int(base["parties"][i])
            for k in range(1, n + 1):
                party = per[f"party_{k}"][i]
                long.append({
                    **{name: base[name][i] for name in _NEEDED},
                    "position": k, "party": party, "negotiator": per[f"negotiator_{k}"][i],
                    "params": per[f"params_{k}"][i], "utility": per[f"utility_{k}"][i],
                    "gain": per[f"gain_{k}"][i], "advantage": per[f"advantage_{k}"][i],
                    "failed": base["failed_party"][i] == party,
                })
        return long

    def ranking(self) -> Ranking:
        """The ranking (see the module docstring)."""
        return rank(self)


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


class _Table:
    """The ranking's view of the results: one entry per (session, role) that has a
    negotiator, as integer codes and floats."""

    def __init__(self, results: Results) -> None:
        width = results.width()
        scenario, self.scenarios = results.codes("scenario")
        protocol, self.protocols = results.codes("protocol")
        failed_party, parties = results.codes("failed_party")
        agreement = results.numbers("agreement")
        to_pareto = results.numbers("distance_to_pareto")
        to_nash = results.numbers("distance_to_nash")
        seats: list[np.ndarray] = []
        names: dict[Any, int] = {}
        for k in range(1, width + 1):
            codes, labels = results.codes(f"negotiator_{k}")
            remap = np.array([names.setdefault(v, len(names)) for v in labels] + [-1],
                             dtype=np.int64)
            seats.append(remap[codes])  # -1 (empty) picks the appended -1
        self.names = list(names)
        self.sessions = len(results)
        seat_matrix = np.stack(seats, axis=1) if seats else np.zeros((len(results), 0), int)
        keys = np.column_stack([scenario, protocol, seat_matrix])
        self.assignments, assignment = _unique_rows(keys)
        # self.assignments: scenario, protocol, seat codes per assignment
        columns: dict[str, list[np.ndarray]] = defaultdict(list)
        for k in range(1, width + 1):
            present = seat_matrix[:, k - 1] >= 0
            party_codes, party_labels = results.codes(f"party_{k}")
            failed_label = np.array([parties.index(p) if p in parties else -2
                                     for p in party_labels] + [-3], dtype=np.int64)
            columns["negotiator"].append(seat_matrix[present, k - 1].astype(np.int32))
            columns["advantage"].append(results.numbers(f"advantage_{k}")[present])
            columns["agreement"].append(agreement[present].astype(np.float32))
            columns["pareto"].append(to_pareto[present].astype(np.float32))
            columns["nash"].append(to_nash[present].astype(np.float32))
            columns["failed"].append((failed_label[party_codes] == failed_party)[present])
            columns["unit"].append(np.ravel(assignment)[present] * width + (k - 1))
            columns["scenario"].append(scenario[present].astype(np.int32))
            columns["protocol"].append(protocol[present].astype(np.int32))
        self.width = width
        self.rows = {key: np.concatenate(value) if value else np.zeros(0)
                     for key, value in columns.items()}

    def unit_means(self) -> dict[int, dict[tuple[int, int], float]]:
        """Per negotiator code, the mean advantage of each configuration it played,
        keyed by (assignment, position)."""
        unit, value = self.rows["unit"], self.rows["advantage"]
        keep = ~np.isnan(value)
        size = len(self.assignments) * max(self.width, 1)
        sums = np.bincount(unit[keep], weights=value[keep], minlength=size)
        counts = np.bincount(unit[keep], minlength=size)
        found: dict[int, dict[tuple[int, int], float]] = defaultdict(dict)
        for u in np.nonzero(counts)[0]:
            assignment, position = divmod(int(u), self.width)
            negotiator = int(self.assignments[assignment][2 + position])
            found[negotiator][(assignment, position)] = float(sums[u] / counts[u])
        return found

    def mean_by(self, code: np.ndarray, value: np.ndarray, size: int) -> np.ndarray:
        value = value.astype(float)
        keep = ~np.isnan(value)
        sums = np.bincount(code[keep], weights=value[keep], minlength=size)
        counts = np.bincount(code[keep], minlength=size)
        with np.errstate(invalid="ignore", divide="ignore"):
            means: np.ndarray = sums / counts
        return means


def _unique_rows(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a matrix of small codes (each >= -1) and, per row, the index
    of its distinct row: as one integer per row (mixed radix) when that fits, which
    needs far less memory than sorting whole rows."""
    shifted = keys + 1
    bases = shifted.max(axis=0, initial=0) + 1 if len(keys) else np.ones(keys.shape[1], int)
    if float(np.prod(bases.astype(float))) < 2.0**62:
        packed = np.zeros(len(keys), dtype=np.int64)
        for column, base in zip(shifted.T, bases, strict=True):
            packed = packed * int(base) + column
        distinct, inverse = np.unique(packed, return_inverse=True)
        rows = np.empty((len(distinct), keys.shape[1]), dtype=np.int64)
        rest = distinct.copy()
        for k in range(keys.shape[1] - 1, -1, -1):
            rest, rows[:, k] = np.divmod(rest, int(bases[k]))
        return rows - 1, np.ravel(inverse)
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    return unique, np.ravel(inverse)


def _paired(table: _Table, units: dict[int, dict[tuple[int, int], float]], a: int,
            b: int) -> np.ndarray:
    """Paired differences of advantage between negotiators ``a`` and ``b`` over the
    configurations both played (each standing in for the other where they met)."""

    def keyed(me: int, other: int) -> dict[tuple[Any, ...], float]:
        out = {}
        for (assignment, position), mean in units.get(me, {}).items():
            row = table.assignments[assignment]
            seats = [int(s) for s in row[2:]]
            opponents = tuple(-2 if s == me else -3 if s == other else s
                              for k, s in enumerate(seats) if k != position)
            out[(int(row[0]), int(row[1]), position, opponents)] = mean
        return out

    left, right = keyed(a, b), keyed(b, a)
    common = sorted(set(left) & set(right))
    return np.array([left[k] - right[k] for k in common], dtype=float)


def rank(results: Results) -> Ranking:
    """The ranking of ``results`` (see the module docstring)."""
    rng = np.random.default_rng(np.random.SeedSequence(results.seed, spawn_key=(0x72616E6B,)))
    table = _Table(results)
    rows = table.rows
    n = len(table.names)
    units = table.unit_means()
    played = np.bincount(rows["negotiator"], minlength=n)
    agreement = table.mean_by(rows["negotiator"], rows["agreement"], n)
    to_pareto = table.mean_by(rows["negotiator"], rows["pareto"], n)
    to_nash = table.mean_by(rows["negotiator"], rows["nash"], n)
    failures = np.bincount(rows["negotiator"], weights=rows["failed"].astype(float), minlength=n)
    ranked: list[dict[str, Any]] = []
    for code in sorted(range(n), key=lambda c: table.names[c]):
        means = np.array([units[code][key] for key in sorted(units.get(code, {}))])
        low, high = _interval(means, rng)
        ranked.append({
            "negotiator": table.names[code], "sessions": int(played[code]),
            "advantage": float(means.mean()) if len(means) else None,
            "low": low, "high": high, "configurations": len(means),
            "agreement_rate": _value(agreement[code]),
            "distance_to_pareto": _value(to_pareto[code]),
            "distance_to_nash": _value(to_nash[code]),
            "failures": int(failures[code]),
        })
    ranked.sort(key=lambda r: (-(r["advantage"] if r["advantage"] is not None else -math.inf),
                               r["negotiator"]))
    for position, row in enumerate(ranked, start=1):
        row["rank"] = position
    code_of = {name: code for code, name in enumerate(table.names)}
    pairs: list[dict[str, Any]] = []
    for first, second in itertools.combinations([row["negotiator"] for row in ranked], 2):
        differences = _paired(table, units, code_of[first], code_of[second])
        low, high = _interval(differences, rng)
        pairs.append({"a": first, "b": second, "pairs": len(differences),
                      "difference": float(differences.mean()) if len(differences) else None,
                      "low": low, "high": high, "p": sign_flip_p(differences, rng)})
    for pair, adjusted in zip(pairs, holm([p["p"] for p in pairs]), strict=True):
        pair["p_holm"] = adjusted
        pair["real"] = adjusted is not None and adjusted < ALPHA
    notes = []
    if any(row["configurations"] < 10 for row in ranked):
        notes.append("fewer than 10 configurations for some negotiators: the intervals are"
                     " rough; add scenarios or protocols for firmer ones.")
    return Ranking(ranked, pairs, _breakdown(table, "scenario"), _breakdown(table, "protocol"),
                   table.sessions, len(table.scenarios), len(table.protocols), notes)


def _value(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def _breakdown(table: _Table, key: str) -> list[dict[str, Any]]:
    labels = table.scenarios if key == "scenario" else table.protocols
    rows = table.rows
    n = len(table.names)
    group = rows[key].astype(np.int64) * n + rows["negotiator"]
    size = len(labels) * n
    played = np.bincount(group, minlength=size)
    advantage = table.mean_by(group, rows["advantage"], size)
    agreement = table.mean_by(group, rows["agreement"], size)
    found = []
    for g in np.nonzero(played)[0]:
        label, negotiator = divmod(int(g), n)
        found.append({key: labels[label], "negotiator": table.names[negotiator],
                      "sessions": int(played[g]), "advantage": _value(advantage[g]),
                      "agreement_rate": _value(agreement[g])})
    return sorted(found, key=lambda r: (r[key], r["negotiator"]))
