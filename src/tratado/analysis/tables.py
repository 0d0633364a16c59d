"""Results as a notebook shows them: packages and tables with short reprs and data frames.

A :class:`Package` is one outcome with every party's utility; :class:`Packages` is a
list of them (a frontier) and :class:`TradeoffTable` the per-issue trade-off rows. Each
has a short ``repr`` (it never shows preference values: weights, option values or
reservation values) and, when pandas is installed (``pip install 'tratado[notebook]'``),
``to_pandas()``. Values are keyed by party id (:attr:`Package.by_party`); the tuple
:attr:`Package.utilities` keeps the order of the scenario's parties, as in the JSON output.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tratado.analysis.tradeoffs import IssueTradeoff
from tratado.errors import TratadoError

__all__ = ["Package", "Packages", "TradeoffTable", "require_pandas"]

_REPR_CHARS = 160  # a repr longer than this is cut


def require_pandas() -> Any:
    """Import pandas, or say clearly how to get it (it is not a core dependency)."""
    try:
        import pandas  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        raise TratadoError(
            "to_pandas() needs pandas, which is not installed (tratado's core does not"
            " need it).",
            fix="pip install pandas (or, from a checkout of tratado, pip install '.[notebook]').",
        ) from None
    return pandas


def _cut(text: str) -> str:
    return text if len(text) <= _REPR_CHARS else text[: _REPR_CHARS - 1] + "…"


@dataclass(frozen=True)
class Package:
    """One outcome with every party's utility.

    Attributes:
        outcome: ``{issue: option}`` in agenda order.
        utilities: each party's utility, in the order of ``parties``.
        row: the option indices of the outcome.
        ties: how many outcomes share exactly these utilities (frontier points).
        parties: the party ids, in the scenario's order.
    """

    outcome: dict[str, Any]
    utilities: tuple[float, ...]
    row: tuple[int, ...]
    ties: int = 1
    parties: tuple[str, ...] = ()

    @property
    def by_party(self) -> dict[str, float]:
        """``{party id: utility}``."""
        return dict(zip(self.parties, self.utilities, strict=True))

    @property
    def total(self) -> float:
        """The sum of the parties' utilities."""
        return float(sum(self.utilities))

    def to_dict(self) -> dict[str, Any]:
        """The package as in the ``--json`` document (utilities in party order)."""
        return {"outcome": self.outcome, "utilities": list(self.utilities)}

    def __repr__(self) -> str:
        values = ", ".join(f"{p}={u:.3f}" for p, u in self.by_party.items())
        options = "; ".join(f"{k}: {v}" for k, v in self.outcome.items())
        return _cut(f"Package({values} | {options})")


class Packages(tuple[Package, ...]):
    """An ordered list of packages (a frontier), with ``to_pandas()``."""

    parties: tuple[str, ...]
    issues: tuple[str, ...]

    def __new__(cls, packages: Iterable[Package], parties: Sequence[str],
                issues: Sequence[str]) -> Packages:
        self = super().__new__(cls, packages)
        self.parties = tuple(parties)
        self.issues = tuple(issues)
        return self

    def __repr__(self) -> str:
        if not self:
            return "Packages(none)"
        head = ", ".join(f"{p}={u:.3f}" for p, u in self[0].by_party.items())
        return (f"Packages({len(self):,} packages over {len(self.issues)} issues;"
                f" first: {head}; .to_pandas() for the table)")

    def to_pandas(self) -> Any:
        """One row per package: a column per party (utility), a column per issue (option)
        and ``ties``."""
        pandas = require_pandas()
        rows = [{**p.by_party, **p.outcome, "ties": p.ties} for p in self]
        return pandas.DataFrame(rows, columns=[*self.parties, *self.issues, "ties"])


class TradeoffTable(list[IssueTradeoff]):
    """The per-issue trade-off rows (a list), with shares keyed by party and ``to_pandas()``."""

    def __init__(self, rows: Iterable[IssueTradeoff], parties: Sequence[str]) -> None:
        super().__init__(rows)
        self.parties = tuple(parties)

    def shares(self, issue: str) -> dict[str, float]:
        """``{party id: share of its stake that the issue moves}`` for one issue."""
        for row in self:
            if row.issue == issue:
                return dict(zip(self.parties, row.shares, strict=True))
        raise KeyError(issue)

    def __repr__(self) -> str:
        return f"TradeoffTable({len(self)} issues x {len(self.parties)} parties; .to_pandas() for the table)"

    def to_pandas(self) -> Any:
        """One row per issue: each party's share, the alignment, its kind, who cares most."""
        pandas = require_pandas()
        rows = [{"issue": t.issue, **dict(zip(self.parties, t.shares, strict=True)),
                 "alignment": t.alignment, "kind": t.kind, "cares_most": t.cares_most}
                for t in self]
        columns = ["issue", *self.parties, "alignment", "kind", "cares_most"]
        return pandas.DataFrame(rows, columns=columns).set_index("issue")
