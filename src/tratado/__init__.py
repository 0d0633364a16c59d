"""tratado: mediated negotiations between several parties over several issues.

The model (:class:`Agenda`, :class:`Issue`, preferences, :class:`Party`,
:class:`Scenario`), file formats (:func:`load`, :func:`save`) and exact analysis
(:func:`analyze`, loaded on first use so that ``import tratado`` stays light)::

    import tratado
    a = tratado.analyze("venezuela-2021")   # an example name, a path or a Scenario
    a.pareto                                # the exact Pareto frontier
"""

from typing import TYPE_CHECKING, Any

from tratado.agenda import Agenda, Issue, OffAgendaTopic
from tratado.errors import OutcomeSpaceTooLarge, ScenarioError, TratadoError
from tratado.formats import load, save
from tratado.parties import Delegation, Party, Role, Roles, Rules, Stakeholder
from tratado.preferences import Constraints, LinearAdditive, Preferences, Rule, Table
from tratado.scenario import Scenario

if TYPE_CHECKING:
    from tratado.analysis.summary import analyze

__version__ = "0.1.0"

__all__ = [
    "Agenda", "Constraints", "Delegation", "Issue", "LinearAdditive", "OffAgendaTopic",
    "OutcomeSpaceTooLarge", "Party", "Preferences", "Role", "Roles", "Rule", "Rules", "Scenario",
    "ScenarioError", "Stakeholder", "Table", "TratadoError", "analyze", "load", "save",
    "__version__",
]


def __getattr__(name: str) -> Any:
    """Load :func:`analyze` (and with it numpy-heavy analysis code) on first use."""
    if name == "analyze":
        from tratado.analysis.summary import analyze

        return analyze
    raise AttributeError(f"module 'tratado' has no attribute '{name}'")
