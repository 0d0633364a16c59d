"""tratado: mediated negotiations between several parties over several issues.

The model (:class:`Agenda`, :class:`Issue`, preferences, :class:`Party`,
:class:`Scenario`), file formats (:func:`load`, :func:`save`) and exact analysis
(:func:`analyze`, loaded on first use so that ``import tratado`` stays light)::

    import tratado
    a = tratado.analyze("venezuela-2021")   # an example name, a path or a Scenario
    a.pareto                                # the exact Pareto frontier
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tratado.agenda import Agenda, Issue, OffAgendaTopic
from tratado.errors import OutcomeSpaceTooLarge, ScenarioError, TratadoError
from tratado.formats import load, save
from tratado.parties import Condition, Delegation, Effect, Party, Role, Roles, Rules, Stakeholder
from tratado.preferences import (
    Constraints,
    LinearAdditive,
    Preferences,
    Rule,
    SourceScale,
    Table,
)
from tratado.scenario import Scenario
from tratado.uncertainty import UncertainInput, Uncertainty

if TYPE_CHECKING:
    from tratado.analysis.summary import Analysis

__version__ = "0.1.0"

__all__ = [
    "Agenda", "Condition", "Constraints", "Delegation", "Effect", "Issue", "LinearAdditive", "OffAgendaTopic",
    "OutcomeSpaceTooLarge", "Party", "Preferences", "Role", "Roles", "Rule", "Rules", "Scenario",
    "ScenarioError", "SourceScale", "Stakeholder", "Table", "TratadoError", "UncertainInput", "Uncertainty",
    "analyze", "load",
    "save",
    "__version__",
]


def analyze(scenario: Scenario | str | os.PathLike[str], *,
            reservation_values: Mapping[str, float] | None = None, **options: Any) -> Analysis:
    """Analyse ``scenario`` exactly: a :class:`Scenario`, a file or folder (:func:`load`)
    or a bundled example's name (``"venezuela-2021"``). ``reservation_values``
    (``{party id: value}``) is a what-if; other options go to
    :func:`tratado.analysis.analyze` (``max_outcomes``, ``count_limit``)."""
    from tratado.analysis.summary import analyze as exact

    if not isinstance(scenario, Scenario):
        scenario = load(os.fspath(scenario))
    return exact(scenario, reservation_values=reservation_values, **options)
