"""Who cares most about what: the per-issue table from which package deals are built.

For each issue and party, the *share* is how much of the party's utility range that
issue can move — for linear-additive preferences exactly
``w_i * (max v_i - min v_i)``, normalised over the issues. For non-linear preferences
the swing of issue ``i`` is averaged over other issues' settings (all of them in
small spaces, a seeded sample of contexts in large ones).

The *alignment* of an issue is the mean pairwise correlation of the parties' values
for its options: near -1 the issue is opposed (distributive: what one gains the
other loses), near +1 it is compatible (both want the same option).

A *trade* pairs two opposed issues where each party cares relatively more about one
of them: each concedes on the issue it cares less about (logrolling).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tratado.scenario import Scenario

CONTEXTS = 512  # sampled settings of the other issues for non-linear preferences


@dataclass(frozen=True)
class IssueTradeoff:
    issue: str
    shares: tuple[float, ...]  # per party, in party order
    alignment: float | None  # mean pairwise correlation of option values; None if undefined
    cares_most: str  # party id

    @property
    def kind(self) -> str:
        if self.alignment is None:
            return "neutral"
        if self.alignment <= -0.5:
            return "opposed"
        if self.alignment >= 0.5:
            return "compatible"
        return "mixed"


@dataclass(frozen=True)
class Trade:
    """Party ``first`` concedes on ``gives_issue`` to win ``gets_issue`` from ``second``."""

    first: str
    second: str
    first_gets: str
    second_gets: str
    gain: float  # how unequal the two parties' shares are across the pair


def option_values(scenario: Scenario, seed: int = 0) -> list[np.ndarray]:
    """Per issue, an ``(n_options, n_parties)`` array: each option's marginal utility."""
    agenda = scenario.agenda
    if scenario.is_additive:
        per_party = [p.preferences.contributions() for p in scenario.parties]
        return [np.column_stack([c[i] for c in per_party]) for i in range(len(agenda))]
    if agenda.size <= CONTEXTS:
        contexts = agenda.outcomes()
    else:
        rng = np.random.default_rng(seed)
        contexts = np.column_stack([rng.integers(0, n, CONTEXTS) for n in agenda.shape])
    result = []
    for position, issue in enumerate(agenda):
        means = np.empty((len(issue), scenario.n_parties))
        for option in range(len(issue)):
            rows = contexts.copy()
            rows[:, position] = option
            means[option] = scenario.utilities(rows).mean(axis=0)
        result.append(means)
    return result


def issue_tradeoffs(scenario: Scenario, seed: int = 0) -> list[IssueTradeoff]:
    """One row per issue: each party's share, the alignment, who cares most."""
    values = option_values(scenario, seed)
    swings = np.array([v.max(axis=0) - v.min(axis=0) for v in values])  # (issues, parties)
    totals = swings.sum(axis=0)
    shares = np.divide(swings, totals, out=np.zeros_like(swings), where=totals > 0)
    rows = []
    for position, issue in enumerate(scenario.agenda):
        v = values[position]
        rows.append(IssueTradeoff(
            issue=issue.name,
            shares=tuple(float(s) for s in shares[position]),
            alignment=_alignment(v),
            cares_most=scenario.party_ids[int(np.argmax(shares[position]))],
        ))
    return rows


def _alignment(values: np.ndarray) -> float | None:
    if values.shape[0] < 2:
        return None
    std = values.std(axis=0)
    k = values.shape[1]
    pairs = []
    for a in range(k):
        for b in range(a + 1, k):
            if std[a] > 1e-12 and std[b] > 1e-12:
                pairs.append(float(np.corrcoef(values[:, a], values[:, b])[0, 1]))
    return float(np.mean(pairs)) if pairs else None


def suggested_trades(scenario: Scenario, table: list[IssueTradeoff], limit: int = 5) -> list[Trade]:
    """Pairs of non-compatible issues that two parties weigh in opposite ways."""
    trades: list[Trade] = []
    ids = scenario.party_ids
    for a in range(len(ids)):
        for b in range(a + 1, len(ids)):
            for x in table:
                for y in table:
                    if x.issue == y.issue or "compatible" in (x.kind, y.kind):
                        continue
                    a_edge = x.shares[a] - x.shares[b]  # a cares relatively more about x
                    b_edge = y.shares[b] - y.shares[a]  # b cares relatively more about y
                    if a_edge > 0 and b_edge > 0:
                        trades.append(Trade(ids[a], ids[b], x.issue, y.issue, min(a_edge, b_edge)))
    trades.sort(key=lambda t: (-t.gain, t.first, t.second, t.first_gets, t.second_gets))
    return trades[:limit]
