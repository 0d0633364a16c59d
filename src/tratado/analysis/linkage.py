"""What the stakeholders outside the table do to the talks: the analysis with and without.

:func:`tratado.analysis.analyze` analyses a scenario with its stakeholders' effects
folded into the parties' preferences (:func:`tratado.stakeholders.with_stakeholders`:
the world as it is). When there are effects it also analyses the table alone and keeps
the comparison here: the zone of agreement, the frontier and the fair packages side by
side, and the agenda items the linkage *moves* — those whose option differs between a
fair package with the stakeholders and the same fair package without them.

Utilities of a party an effect touches are on its rescaled [0, 1] scale in the analysis
with stakeholders (see :mod:`tratado.stakeholders`), so compare packages and options
across the two, not that party's utility numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tratado.parties import Stakeholder

if TYPE_CHECKING:
    from tratado.analysis.summary import Analysis


@dataclass(frozen=True)
class Linkage:
    """The stakeholders' effects and, when they were applied, the analysis without them."""

    stakeholders: tuple[Stakeholder, ...]  # those with effects, as the file states them
    applied: bool
    without: Analysis | None = None

    def moved(self, with_: Analysis) -> dict[str, dict[str, tuple[str, str]]]:
        """``{solution: {issue: (option without, option with)}}`` for every fair package
        whose option on an issue differs with the stakeholders (empty when not applied)."""
        if self.without is None:
            return {}
        out: dict[str, dict[str, tuple[str, str]]] = {}
        for name, package in with_.solutions.items():
            alone = self.without.solutions.get(name)
            if package is None or alone is None:
                continue
            changes = {issue: (str(alone.outcome[issue]), str(package.outcome[issue]))
                       for issue in package.outcome if package.outcome[issue] != alone.outcome[issue]}
            if changes:
                out[name] = changes
        return out

    def moved_issues(self, with_: Analysis) -> list[str]:
        """The agenda items some fair package settles differently with the stakeholders."""
        moved = {issue for changes in self.moved(with_).values() for issue in changes}
        return [issue for issue in with_.scenario.agenda.names if issue in moved]

    def to_dict(self, with_: Analysis) -> dict[str, Any]:
        """The ``stakeholders`` field of ``analyze --json``."""
        agenda = with_.scenario.agenda
        out: dict[str, Any] = {
            "applied": self.applied,
            "effects": [
                {"stakeholder": holder.name, "id": holder.key, "party": effect.party,
                 "when": {agenda.issues[position].name:
                          [str(agenda.issues[position].options[j]) for j in mask.nonzero()[0]]
                          for position, mask in effect.when.allowed.items()},
                 "utility": effect.utility, "no_deal": effect.no_deal}
                for holder in self.stakeholders for effect in holder.effects],
        }
        if self.without is not None:
            alone = self.without
            out["without"] = {
                "reservation_values": [float(r) for r in alone.scenario.reservation_values],
                "rational": alone.n_rational, "zopa": alone.has_zopa,
                "pareto": len(alone.frontier), "pareto_rational": len(alone.rational_frontier),
                **{name: None if package is None else package.to_dict()
                   for name, package in alone.solutions.items()},
            }
            out["moved"] = {name: {issue: {"without": before, "with": after}
                                   for issue, (before, after) in changes.items()}
                            for name, changes in self.moved(with_).items()}
            out["moved_issues"] = self.moved_issues(with_)
        return out
