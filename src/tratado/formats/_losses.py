"""What a GENIUS or GeniusWeb folder cannot hold of a scenario, in words, one line each.

``tratado convert`` prints these on stderr (as :class:`~tratado.formats.FormatNote`
warnings), so that nothing is dropped without a word. Only what the scenario
actually has is listed.
"""

from __future__ import annotations

from tratado.formats._genius_common import issue_name
from tratado.scenario import Scenario


def losses(scenario: Scenario, fmt: str) -> list[str]:
    """Lines saying what writing ``scenario`` as ``fmt`` ("GENIUS XML", "GeniusWeb JSON")
    leaves out or keeps only in ``tratado.json``."""
    out: list[str] = []
    rules = scenario.rules
    held = [f"deadline {rules.deadline} rounds", f"agreement {rules.agreement}"]
    if rules.deadline_seconds is not None:
        held.append(f"time limit {rules.deadline_seconds:g} s")
    if rules.notes:
        held.append("notes")
    out.append(f"{fmt} has no place for the rules of the talks ({', '.join(held)}): they are kept"
               " in tratado.json, which tratado reads back and other tools ignore.")
    people = [p.id for p in scenario.parties
              if p.name not in (None, p.id) or p.short_name or p.delegation or p.notes]
    if people:
        out.append(f"party names, delegations and notes are not kept ({', '.join(people)}): a "
                   "profile is known by its file name only.")
    roles = scenario.roles
    present = [what for what, there in (("mediator", roles.mediator), ("host", roles.host),
                                        ("observers", roles.observers),
                                        ("stakeholders", roles.stakeholders)) if there]
    if present:
        out.append(f"the {', '.join(present)} {'is' if len(present) == 1 else 'are'} not kept.")
    effects = sum(len(holder.effects) for holder in roles.stakeholders)
    if effects:
        out.append(f"the stakeholders' {effects} effect{'s' if effects > 1 else ''} on the parties"
                   " (the linkage) are not kept: the profiles hold the parties' own preferences.")
    if scenario.uncertainty is not None:
        n = len(scenario.uncertainty)
        out.append(f"the scenario's uncertainty ({n} uncertain input{'s' if n > 1 else ''}) is not"
                   " kept: the profiles hold the estimates.")
    for what, there in (("off-agenda topics", scenario.agenda.off_agenda),
                        ("sources", scenario.sources), ("description", scenario.description)):
        if there:
            out.append(f"the scenario's {what} {'is' if what == 'description' else 'are'} not kept.")
    for issue in scenario.agenda:
        if issue.title and issue_name(issue.title, set())[0] != issue.name:
            out.append(f"issue '{issue.name}': its title '{issue.title}' is not kept.")
        if issue.description:
            out.append(f"issue '{issue.name}': its description is not kept.")
    return out


def numeric_as_text(fmt: str, name: str, kind: str, low: object, high: object,
                    step: object, why: str) -> str:
    return (f"issue '{name}' ({kind} {low}..{high} step {step}) is written as a list of text "
            f"items, because {why}; tratado.json keeps it numeric for tratado, other tools see "
            "text.")
