"""tratado: mediated negotiations between several parties over several issues.

The model (:class:`Agenda`, :class:`Issue`, preferences, :class:`Party`,
:class:`Scenario`), file formats (:func:`load`, :func:`save`) and exact analysis
(:func:`analyze`).
"""

from tratado.agenda import Agenda, Issue, OffAgendaTopic
from tratado.errors import OutcomeSpaceTooLarge, ScenarioError, TratadoError
from tratado.formats import load, save
from tratado.parties import Delegation, Party, Role, Roles, Rules, Stakeholder
from tratado.preferences import Constraints, LinearAdditive, Preferences, Rule, Table
from tratado.scenario import Scenario

__version__ = "0.1.0"

__all__ = [
    "Agenda", "Constraints", "Delegation", "Issue", "LinearAdditive", "OffAgendaTopic",
    "OutcomeSpaceTooLarge", "Party", "Preferences", "Role", "Roles", "Rule", "Rules", "Scenario",
    "ScenarioError", "Stakeholder", "Table", "TratadoError", "load", "save", "__version__",
]
