"""What a session's picture shows, protocol by protocol, as plain arrays.

:func:`session_trace` reads a session record and returns the series a plot draws —
the packages that were on the table, who put them there and what became of them —
without any drawing, so that tests (and other front ends) can check exactly what a
picture will show.

- *Alternating offers*: each party's offers (``offers by <party>``), in order.
- *Single negotiating text*: the mediator's opening draft and the path of the draft as
  changes are adopted (``draft``), every proposed change marked ``change adopted`` or
  ``change turned down``, and the ``final text`` put to the parties. The parties'
  votes are answers about a proposal, never packages of their own, so they are not drawn
  as offers.
- *Mediated (confidential preferences)*: every proposal of the neutral, marked
  ``proposal accepted`` (every party accepted: the settlement) or ``proposal rejected``,
  and after a settlement the post-settlement step: ``improvement adopted`` or
  ``improvement rejected`` (an improvement equal to the settlement is not a new
  package and is not drawn).

Each series keeps, for each of its packages, its position in the log (``moves``,
0-based; the x axis of the time panels, increasing through item-by-item records) and
every party's utility for it (``utilities``, one column per party in scenario order).
For proposals the parties answer (mediated), ``accepted_by`` says which party accepted
each one. The agreement, when there is one, is :attr:`SessionTrace.agreement`.

The log is read once, entry by entry; nothing but these arrays is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# Series kinds, which the drawing maps to a style.
PATH = "path"  # a party's offers, or the draft: drawn as a line with dots
ADOPTED = "adopted"  # a proposal the parties took up: filled markers
TURNED_DOWN = "turned-down"  # a proposal that did not pass: hollow markers
FINAL = "final"  # the final text (single text) or the settlement (mediated)


@dataclass(frozen=True)
class Series:
    """Packages of one kind, in the order they came up.

    ``name``: the legend's words. ``kind``: :data:`PATH`, :data:`ADOPTED`,
    :data:`TURNED_DOWN` or :data:`FINAL`. ``owner``: the party whose offers these are,
    or ``None`` for the mediator's or the neutral's proposals. ``moves``: ``(n,)``
    positions in the log. ``utilities``: ``(n, k)`` every party's utility.
    ``accepted_by``: ``(n, k)`` bool, who accepted each package, when parties answered it.
    """

    name: str
    kind: str
    owner: str | None
    moves: np.ndarray
    utilities: np.ndarray
    accepted_by: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.moves)


@dataclass(frozen=True)
class SessionTrace:
    """The series of one session's picture, and its agreement (``utilities``, round)."""

    protocol: str
    parties: tuple[str, ...]
    series: tuple[Series, ...]
    agreement: np.ndarray | None = None
    agreement_round: int | None = None
    moves: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)

    def named(self, name: str) -> Series:
        """The series called ``name`` (``KeyError`` when the session has none)."""
        for series in self.series:
            if series.name == name:
                return series
        raise KeyError(name)


class _Collect:
    """Rows of one series, turned into arrays at the end."""

    def __init__(self, name: str, kind: str, owner: str | None, answered: bool = False) -> None:
        self.name, self.kind, self.owner, self.answered = name, kind, owner, answered
        self.moves: list[int] = []
        self.rows: list[list[float]] = []
        self.accepts: list[list[bool]] = []

    def add(self, move: int, row: list[float], accepts: list[bool] | None = None) -> None:
        self.moves.append(move)
        self.rows.append(row)
        if self.answered:
            self.accepts.append(accepts or [])

    def series(self, k: int) -> Series | None:
        if not self.moves:
            return None
        accepted = np.array(self.accepts, dtype=bool).reshape(-1, k) if self.answered else None
        return Series(self.name, self.kind, self.owner, np.array(self.moves, dtype=np.int64),
                      np.array(self.rows, dtype=float).reshape(-1, k), accepted)


def session_trace(record: Mapping[str, Any]) -> SessionTrace:
    """The series to draw for one session record (any protocol, any number of parties)."""
    parties = tuple(record["parties"])
    protocol = record["protocol"]["name"]
    log: Iterable[Mapping[str, Any]] = record["log"]
    if protocol == "single-text":
        options = record["protocol"]
        collected = _single_text(log, parties, options.get("rule", "unanimity"),
                                 options.get("start"))
    elif protocol == "mediated":
        collected = _mediated(log, parties)
    else:
        collected = _offers(log, parties)
    k = len(parties)
    series = tuple(s for s in (c.series(k) for c in collected) if s is not None)
    agreement = round_ = None
    if record.get("agreement"):
        result = record["result"]
        agreement = np.array([result["utilities"][p] for p in parties], dtype=float)
        round_ = result.get("round")
    return SessionTrace(protocol, parties, series, agreement, round_, _length(record["log"]))


def _length(log: Any) -> int:
    try:
        return len(log)
    except TypeError:
        return 0


def _row(entry: Mapping[str, Any], parties: Sequence[str]) -> list[float] | None:
    utilities = entry.get("utilities")
    if not utilities:
        return None
    return [float(utilities[p]) for p in parties]


def _offers(log: Iterable[Mapping[str, Any]], parties: Sequence[str]) -> list[_Collect]:
    """Alternating offers (and any protocol whose parties propose): offers by party."""
    by_party = {p: _Collect(f"offers by {p}", PATH, p) for p in parties}
    for move, entry in enumerate(log):
        if entry.get("kind") != "propose" or entry.get("party") not in by_party:
            continue
        row = _row(entry, parties)
        if row is not None:
            by_party[entry["party"]].add(move, row)
    return list(by_party.values())


def _single_text(log: Iterable[Mapping[str, Any]], parties: Sequence[str], rule: str,
                 start: Any = None) -> list[_Collect]:
    """The draft's path; with a given ``start`` it begins at the first adopted change
    (the record holds no utilities for the starting draft itself)."""
    draft = _Collect("draft", PATH, None)
    adopted = _Collect("change adopted", ADOPTED, None)
    turned_down = _Collect("change turned down", TURNED_DOWN, None)
    final = _Collect("final text", FINAL, None, answered=True)
    n = len(parties)
    current: Any = start  # the draft's outcome
    change: tuple[int, list[float], Any] | None = None
    votes: list[bool] = []
    undecided: tuple[int, list[float], Any] | None = None  # turned down; the mediator may adopt it
    answers: dict[str, bool] = {}
    for move, entry in enumerate(log):
        kind, who = entry.get("kind"), str(entry.get("party"))
        row = _row(entry, parties)
        if kind == "mediator-proposal" and row is not None:
            if undecided is not None:
                turned_down.add(*undecided[:2])
                undecided = None
            outcome = entry.get("outcome")
            if current is None:
                current = outcome
                draft.add(move, row)
            elif outcome != current:
                change, votes = (move, row, outcome), []
        elif kind == "vote" and change is not None:
            votes.append(bool(entry.get("prefers")))
            if len(votes) == n:
                yes = sum(votes)
                passes = yes == n if rule == "unanimity" else 2 * yes > n
                if passes:
                    adopted.add(*change[:2])
                    draft.add(*change[:2])
                    current = change[2]
                else:
                    undecided = change
                change = None
        elif kind in ("accept", "reject") and who not in parties:  # the mediator, annealing
            if undecided is not None:
                if kind == "accept":
                    adopted.add(*undecided[:2])
                    draft.add(*undecided[:2])
                    current = undecided[2]
                else:
                    turned_down.add(*undecided[:2])
                undecided = None
        elif kind in ("accept", "reject") and row is not None:
            answers[who] = kind == "accept"
            if len(answers) == n:
                final.add(move, row, [answers[p] for p in parties])
                answers = {}
    if undecided is not None:
        turned_down.add(*undecided[:2])
    return [draft, adopted, turned_down, final]


def _mediated(log: Iterable[Mapping[str, Any]], parties: Sequence[str]) -> list[_Collect]:
    accepted = _Collect("proposal accepted", ADOPTED, None, answered=True)
    rejected = _Collect("proposal rejected", TURNED_DOWN, None, answered=True)
    improved = _Collect("improvement adopted", FINAL, None, answered=True)
    refused = _Collect("improvement rejected", TURNED_DOWN, None, answered=True)
    n = len(parties)
    settlement: Any = None
    item: Any = None
    proposal: tuple[int, list[float], Any] | None = None
    answers: dict[str, bool] = {}

    def close() -> None:
        nonlocal settlement
        if proposal is None:
            return
        said = [answers.get(p, False) for p in parties]
        everyone = len(answers) == n and all(said)
        if settlement is None:
            (accepted if everyone else rejected).add(proposal[0], proposal[1], said)
            if everyone:
                settlement = proposal[2]
        elif proposal[2] != settlement:
            (improved if everyone else refused).add(proposal[0], proposal[1], said)

    for move, entry in enumerate(log):
        kind, who = entry.get("kind"), str(entry.get("party"))
        if entry.get("item") != item:  # item by item: each item is talks of its own
            close()
            item, settlement, proposal, answers = entry.get("item"), None, None, {}
        row = _row(entry, parties)
        if kind == "mediator-proposal" and row is not None:
            close()
            proposal, answers = (move, row, entry.get("outcome")), {}
        elif kind in ("accept", "reject") and who in parties and proposal is not None:
            answers[who] = kind == "accept"
            if len(answers) == n:
                close()
                proposal, answers = None, {}
    close()
    return [rejected, accepted, refused, improved]
