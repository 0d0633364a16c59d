"""The state of one talks: a fold over its log leaves.

:func:`fold` reads the leaves in order and builds a :class:`TalksState`; the engine's
moves (``event`` leaves) go through the protocol's :class:`~tratado.session.Driver`, the
same code a simulation and ``tratado verify`` use. Nothing else is kept: after a restart
the state of every talks is the fold of its leaves, exactly where it was.

The lifecycle (``status``): ``draft`` (created: invitations, preferences, the launching
document) → ``launched`` (every head of delegation signed the launching document) →
``in session`` (from the first round opened) ⇄ ``suspended`` → ``agreed`` (every party
accepted one package: the agreement awaits the heads' signatures) → ``concluded``
(signed), or ``ended`` (without agreement: the mediator ended the talks, a party walked
away, or the rounds ran out).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tratado.protocols.log import event_from_entry
from tratado.protocols.mediated import Mediated
from tratado.records.bundle_check import public_part_scenario
from tratado.scenario import Scenario
from tratado.session.driver import Driver

STATUSES = ("draft", "launched", "in session", "suspended", "agreed", "concluded", "ended")


@dataclass
class Round:
    """One round: dates, the package put to the parties, and their answers (sealed
    until the close: ``answered`` says who has answered, ``answers`` how, once closed)."""

    number: int
    opens: str | None = None
    closes: str | None = None
    status: str = "scheduled"  # scheduled | open | closed
    package: dict[str, str] | None = None
    partial: bool = False
    source: str | None = None  # "neutral" | "mediator"
    commitments: dict[str, str] = field(default_factory=dict)
    answers: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def answered(self) -> list[str]:
        return list(self.commitments)


@dataclass
class PartialAgreement:
    """A package on some issues every party accepted: ``provisional`` until the whole
    agenda is agreed, unless every head signs it as binding."""

    number: int
    round: int
    package: dict[str, str]
    binding: bool = False

    @property
    def document(self) -> str:
        return f"partial-{self.number}"


@dataclass
class TalksState:
    """Everything the log says about one talks (see the module docstring)."""

    id: str
    title: str = ""
    context: str = ""
    status: str = "draft"
    opening: dict[str, Any] = field(default_factory=dict)
    invited: list[dict[str, Any]] = field(default_factory=list)
    preferences: dict[str, str] = field(default_factory=dict)  # party -> commitment
    keys: dict[str, str] = field(default_factory=dict)  # party -> head's verifier key
    signatures: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    rounds: list[Round] = field(default_factory=list)
    partials: list[PartialAgreement] = field(default_factory=list)
    ended_because: str | None = None
    closed: bool = False
    size: int = 0
    driver: Driver[Any] | None = None
    scenario: Scenario | None = None

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(self.opening.get("parties", ()))

    @property
    def protocol(self) -> Mediated:
        assert self.driver is not None
        protocol = self.driver.protocol
        assert isinstance(protocol, Mediated)
        return protocol

    @property
    def current_round(self) -> Round | None:
        """The open round, if any."""
        return next((r for r in self.rounds if r.status == "open"), None)

    @property
    def agreement(self) -> dict[str, str] | None:
        """The package every party accepted (in the agenda's words), once there is one."""
        assert self.driver is not None and self.scenario is not None
        result = self.driver.result()
        if result.agreement is None:
            return None
        return words(self.scenario, result.agreement)

    @property
    def engine_phase(self) -> str:
        assert self.driver is not None
        return str(self.driver.state.phase)

    def binding_partials(self) -> dict[str, str]:
        """The options fixed by binding partial agreements, by issue."""
        fixed: dict[str, str] = {}
        for partial in self.partials:
            if partial.binding:
                fixed.update(partial.package)
        return fixed


def words(scenario: Scenario, outcome: Sequence[int]) -> dict[str, str]:
    """A package in the agenda's words: ``{issue: option}``."""
    return {issue: str(option) for issue, option in scenario.agenda.describe(outcome).items()}


_SCENARIOS: dict[str, Scenario] = {}


def public_model_scenario(public: Mapping[str, Any]) -> Scenario:
    """The scenario of a public part (blank preferences), kept per fingerprint."""
    from tratado.records.build import public_part_sha256

    key = public_part_sha256(public)
    found = _SCENARIOS.get(key)
    if found is None:
        if len(_SCENARIOS) > 256:
            _SCENARIOS.clear()
        found = _SCENARIOS[key] = public_part_scenario(public)
    return found


def fold(talks_id: str, leaves: Sequence[Mapping[str, Any]]) -> TalksState:
    """The state after ``leaves`` (the talks' log, in order)."""
    state = TalksState(talks_id)
    for leaf in leaves:
        apply(state, leaf)
    return state


def apply(state: TalksState, leaf: Mapping[str, Any]) -> None:
    """Fold one more leaf into ``state``."""
    state.size += 1
    if "opening" in leaf:
        opening = dict(leaf["opening"])
        state.opening = opening
        state.scenario = public_model_scenario(opening["public_scenario"])
        params = {k: v for k, v in opening["protocol"].items() if k != "name"}
        state.driver = Driver(Mediated(opening["parties"], state.scenario.agenda.shape, **params))
        return
    if "event" in leaf:
        assert state.driver is not None and state.scenario is not None
        state.driver.submit(event_from_entry(leaf["event"], state.scenario.agenda))
        if state.driver.is_over:
            result = state.driver.result()
            state.status = "agreed" if result.agreement is not None else "ended"
            if result.agreement is None:
                state.ended_because = result.reason
        return
    if "closing" in leaf:
        state.closed = True
        return
    _talks(state, dict(leaf["talks"]))


def _round(state: TalksState, number: int) -> Round:
    return state.rounds[number - 1]


def _talks(state: TalksState, item: dict[str, Any]) -> None:  # noqa: C901 - one case per kind
    kind = item["kind"]
    if kind == "created":
        state.title, state.context = item["title"], item.get("context", "")
    elif kind == "invited":
        state.invited.append({"role": item["role"], "party": item.get("party")})
    elif kind == "preferences":
        state.preferences[item["party"]] = item["commitment"]
    elif kind == "key":
        state.keys[item["party"]] = item["verifier_key"]
    elif kind == "signed":
        state.signatures.setdefault(item["document"], {})[item["party"]] = item
        if item["document"].startswith("partial-"):
            number = int(item["document"].split("-", 1)[1])
            if set(state.signatures[item["document"]]) == set(state.parties):
                state.partials[number - 1].binding = True
    elif kind == "launched":
        state.status = "launched"
    elif kind == "round-scheduled":
        state.rounds.append(Round(item["round"], item.get("opens"), item.get("closes")))
    elif kind == "round-opened":
        if item["round"] > len(state.rounds):
            state.rounds.append(Round(item["round"]))
        _round(state, item["round"]).status = "open"
        state.status = "in session"
    elif kind == "proposed":
        current = _round(state, item["round"])
        current.package, current.partial = dict(item["package"]), bool(item["partial"])
        current.source = item["source"]
    elif kind == "answer-sealed":
        _round(state, item["round"]).commitments[item["party"]] = item["commitment"]
    elif kind == "round-closed":
        current = _round(state, item["round"])
        current.status = "closed"
        current.answers = {p: {"answer": a["answer"], "comment": a.get("comment", "")}
                           for p, a in item["answers"].items()}
    elif kind == "partial-agreement":
        state.partials.append(PartialAgreement(item["number"], item["round"],
                                               dict(item["package"])))
    elif kind == "suspended":
        state.status = "suspended"
    elif kind == "resumed":
        state.status = "in session"
    elif kind == "concluded":
        state.status = "concluded"
    elif kind == "ended":
        state.status = "ended"
        state.ended_because = item.get("reason", "ended")
