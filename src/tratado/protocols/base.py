"""The :class:`Protocol` base: the rules of one way to negotiate, as a pure state machine.

A protocol knows the parties (their ids, in order), the shape of the agenda (number
of options per issue) and its own rules. It never sees preferences and never knows
who produces the events: a simulated negotiator, a mediator program, or a delegation
clicking *accept* in a browser all go through the same :meth:`Protocol.step`.

The API, for a state type ``S`` (immutable; usually a ``NamedTuple``):

``initial_state() -> S``
    the state before any move.
``step(state, event) -> S``
    the next state, or :class:`~tratado.protocols.events.EventRefused` with a reason;
    ``state`` itself is never changed (states are immutable).
``whose_turn(state) -> tuple[str, ...]``
    the participants asked to act now; empty once the talks are over. When several
    are asked (e.g. a vote), the session gathers all their events on the same public
    record before stepping any of them, so they answer simultaneously.
``expected(state) -> dict[str, tuple[type[Event], ...]]``
    for each participant asked, the event kinds it may send.
``is_over(state)``, ``result(state) -> ProtocolResult``, ``round(state)``,
``time(state)`` (relative time in [0, 1], by rounds), ``subject(state)`` (the
package on the table, if any).
``ask(negotiator, state) -> Event``
    how a standard negotiator's hooks (``propose``/``accept``, ``vote``, ...) answer in
    this protocol; negotiators that override ``act`` bypass it.
``failure_event(party, state, note) -> Event``
    what the move of a negotiator that crashed, answered nonsense or ran past its
    budget counts as under this protocol's rule.
``default_mediator() -> Mediator | None``
    a hook for plug-in protocols: the mediator the session uses when none is given.
    Built-in protocols import no mediator (a protocol never imports a negotiator or a
    mediator); the session finds theirs in
    :data:`tratado.negotiators.mediators.DEFAULT_MEDIATORS`.
``details(state) -> dict[str, Outcome | bool | None]``
    named packages and flags worth recording besides the agreement (e.g. the
    settlement before a post-settlement improvement); the session renders them.

Agenda handling: ``agreement`` is ``"package"`` (the whole agenda at once: nothing is
agreed until everything is agreed) or ``"item-by-item"`` for the protocols that list
it in ``agendas``. The state machine itself always negotiates the agenda it is given;
the session reads ``agreement`` and, for item by item, runs one sub-negotiation per
issue (see :mod:`tratado.session.items`).

Participants: ``parties`` (the negotiating parties, in scenario order) and, for
mediated protocols, a ``mediator`` id; the session maps the mediator id to its
:class:`~tratado.negotiators.base.Mediator`. A mediated protocol sets
``mediator_sees_preferences = True`` when its neutral is trusted with every party's
preferences (confidential-preference mediation).

Protocols register themselves by their ``name`` class attribute when their module
is imported; :func:`tratado.protocols.protocol_class` finds them (built-ins and the
``tratado.protocols`` entry point group).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast
from typing import Protocol as Structural

from tratado.errors import TratadoError
from tratado.limits import env_name, excerpt, limit
from tratado.protocols.events import Event, EventRefused, Outcome, TimeUp, WalkAway

if TYPE_CHECKING:
    from tratado.negotiators.base import Mediator, Negotiator
    from tratado.scenario import Scenario

S = TypeVar("S")

AGREEMENT_MODES = ("package", "item-by-item")
"""How the agenda is negotiated: as one package, or one issue at a time."""

REASONS = ("agreement", "deadline", "walk-away", "rejection", "error")
"""Why talks end. ``error`` is set by the session when a participant failed."""


@dataclass(frozen=True)
class ProtocolResult:
    """How the talks ended, as far as the rules know.

    ``agreement`` is the package every party accepted (or ``None``), ``reason`` one of
    :data:`REASONS` (``None`` while the talks go on), ``round`` the round in which they
    ended, ``turns`` the turns taken (moves made in turn order), ``ended_by`` the one whose
    move ended them.
    """

    agreement: Outcome | None
    reason: str | None
    round: int
    turns: int
    ended_by: str | None = None


class DeadlineRefused(TratadoError, ValueError):
    """A deadline tratado will not run: not a whole number of at least one, or beyond the
    ``rounds`` limit (:mod:`tratado.limits`)."""


def checked_deadline(value: object, unit: str = "rounds") -> int:
    """``value`` as a deadline in ``unit``: a whole number from 1 to ``limit("rounds")``
    (10 million by default; a session keeps a few bytes per move, and a deadline beyond
    what any run could reach would only hang). Else :class:`DeadlineRefused`, up front,
    before anything runs."""
    most = limit("rounds")
    if type(value) is int and 1 <= value <= most:
        return value
    fix = (f"give a deadline from 1 to {most:,} {unit}; to allow more, set"
           f" {env_name('rounds')} (docs/security.md).")
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise DeadlineRefused(f"the deadline {excerpt(value)} is not a number of {unit}.",
                              field="deadline", fix=fix)
    try:
        number = float(value)
        whole = int(number) if math.isfinite(number) and number == int(number) else None
    except (ValueError, OverflowError):
        whole = None
    if whole is None:
        raise DeadlineRefused(f"the deadline {excerpt(value)} is not a whole number of {unit}.",
                              field="deadline", fix=fix)
    if whole < 1:
        raise DeadlineRefused(f"the deadline must be at least one of the {unit}, not"
                              f" {excerpt(value)}.", field="deadline", fix=fix)
    if whole > most:
        raise DeadlineRefused(f"a deadline of {excerpt(value)} {unit} is beyond what tratado"
                              f" runs ({most:,}).", field="deadline", fix=fix)
    return whole


_REGISTRY: dict[str, type[Protocol[Any]]] = {}


class Protocol(ABC, Generic[S]):
    """Base class of the protocols (see the module docstring for the API)."""

    name: ClassVar[str] = ""
    mediator_sees_preferences: ClassVar[bool] = False
    agendas: ClassVar[tuple[str, ...]] = ("package",)

    parties: tuple[str, ...]
    shape: tuple[int, ...]
    mediator: str | None = None
    discounting: bool = False
    deadline_seconds: float | None = None
    agreement: str = "package"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("name"):
            _REGISTRY[cls.name] = cls

    def __init__(self, parties: Sequence[str], shape: Sequence[int]) -> None:
        if len(parties) < 2:
            raise ValueError("a protocol needs at least two parties")
        if len(set(parties)) != len(parties):
            raise ValueError("party ids must be distinct")
        self.parties = tuple(parties)
        self.shape = tuple(map(int, shape))
        self._index = {p: i for i, p in enumerate(self.parties)}
        self._valid: set[Outcome] = set()
        self._checked = _checked(self.shape)

    # -- construction and serialisation ------------------------------------------
    @classmethod
    @abstractmethod
    def for_scenario(cls, scenario: Scenario, **options: Any) -> Protocol[S]:
        """The protocol for ``scenario``, its rules overridden by ``options``."""

    @abstractmethod
    def params(self) -> dict[str, Any]:
        """JSON-able options that, with the parties and shape, rebuild this protocol."""

    @classmethod
    def from_params(
        cls, parties: Sequence[str], shape: Sequence[int], params: Mapping[str, Any]
    ) -> Protocol[S]:
        """Rebuild a protocol from :meth:`params` (used by replay)."""
        return cls(parties, shape, **params)

    @classmethod
    def agreement_option(cls, scenario: Scenario, options: dict[str, Any]) -> str:
        """Pop ``agreement`` from ``options`` (default: the scenario's rule). An explicit
        mode this protocol does not support is a ``ValueError``; the scenario's rule falls
        back to ``"package"`` for protocols that negotiate whole packages only."""
        if "agreement" in options:
            mode = str(options.pop("agreement"))
            if mode not in cls.agendas:
                raise ValueError(
                    f"the '{cls.name}' protocol negotiates {' or '.join(cls.agendas)},"
                    f" not '{mode}'"
                )
            return mode
        mode = scenario.rules.agreement
        return mode if mode in cls.agendas else "package"

    def check_agreement_mode(self, mode: str) -> str:
        """``mode`` if this protocol supports it, else ``ValueError``."""
        if mode not in self.agendas:
            raise ValueError(f"'{mode}' is not an agenda mode of the '{self.name}' protocol")
        return mode

    @property
    def participants(self) -> tuple[str, ...]:
        """Everyone who may produce events: the parties, then the mediator if any."""
        return self.parties + ((self.mediator,) if self.mediator else ())

    # -- the state machine ----------------------------------------------------------
    @abstractmethod
    def initial_state(self) -> S:
        """The state before any move."""

    @abstractmethod
    def step(self, state: S, event: Event) -> S:
        """The next state after ``event``; raises ``EventRefused`` and changes nothing."""

    @abstractmethod
    def whose_turn(self, state: S) -> tuple[str, ...]:
        """The participants asked to act now (empty when over)."""

    @abstractmethod
    def expected(self, state: S) -> dict[str, tuple[type[Event], ...]]:
        """For each participant asked, the event kinds it may send."""

    @abstractmethod
    def result(self, state: S) -> ProtocolResult:
        """How the talks ended (``reason`` is None while they go on)."""

    @abstractmethod
    def round(self, state: S) -> int:
        """The current round (0-based)."""

    @abstractmethod
    def time(self, state: S) -> float:
        """Relative time in [0, 1], by rounds."""

    @abstractmethod
    def subject(self, state: S) -> Outcome | None:
        """The package on the table (standing offer or draft), if any."""

    @abstractmethod
    def ask(self, negotiator: Negotiator, state: S) -> Event:
        """The move of a standard negotiator, from its hooks."""

    def is_over(self, state: S) -> bool:
        """True once the talks have ended (no participant is asked any more)."""
        return not self.whose_turn(state)

    def failure_event(self, party: str, state: S, note: str) -> Event:
        """The move a failed participant's turn counts as (default: walking away)."""
        return WalkAway(party, note=note)

    def default_mediator(self) -> Mediator | None:
        """The mediator used when the session is given none (``None``: no mediator)."""
        return None

    def details(self, state: S) -> dict[str, Outcome | bool | None]:
        """Named packages and flags to record besides the agreement (default: none)."""
        return {}

    def public_copy(self) -> Protocol[S]:
        """A copy of these rules for a participant to read: setting an attribute on it,
        or changing one of its containers, does not reach this protocol (the session's).
        The copy starts with its own caches of checked packages."""
        duplicate = object.__new__(type(self))
        fields = {name: value.copy() if type(value) in _CONTAINERS else value
                  for name, value in vars(self).items()}
        fields["_valid"], fields["_checked"] = set(), {}
        vars(duplicate).update(fields)
        return duplicate

    def time_up_event(self) -> Event:
        """The clock's event when ``deadline_seconds`` has passed."""
        return TimeUp()

    # -- helpers for subclasses -------------------------------------------------------
    def check_outcome(self, outcome: object) -> Outcome:
        """``outcome`` if it is a valid package for this agenda, else ``EventRefused``."""
        checked = self._checked
        if checked.get(id(outcome), _UNCHECKED) is not outcome:  # not this object, checked before
            if not isinstance(outcome, tuple) or len(outcome) != len(self.shape):
                raise EventRefused(
                    f"a package names one option index per issue ({len(self.shape)} issues)"
                )
            for i, n in zip(outcome, self.shape, strict=True):
                if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < n:
                    raise EventRefused(f"option index {i!r} is not valid for this agenda")
            if len(checked) >= _CHECKED_LIMIT:
                checked.clear()
            checked[id(outcome)] = outcome
        package = cast(Outcome, outcome)
        if len(self._valid) > 100_000:
            self._valid.clear()
        self._valid.add(package)
        return package

    def awaiting(self, answers: Sequence[object | None]) -> tuple[str, ...]:
        """The parties whose answer (a vote, an accept or reject) is still missing."""
        return tuple(p for p, a in zip(self.parties, answers, strict=True) if a is None)

    def party_index(self, party: str) -> int:
        """Position of ``party``; ``EventRefused`` for someone not at the table."""
        try:
            return self._index[party]
        except (KeyError, TypeError):
            raise EventRefused(f"{party!r} is not a party to these talks") from None


class EndingState(Structural):
    """What a state needs for :class:`EndsByReason`: why the talks ended (None while they
    go on), the number of moves, and who made the last one."""

    @property
    def reason(self) -> str | None: ...
    @property
    def turn(self) -> int: ...
    @property
    def ended_by(self) -> str | None: ...


E = TypeVar("E", bound=EndingState)


class EndsByReason(Protocol[E]):
    """The ending shared by the built-in protocols: the talks are over once the state has
    a ``reason``, and the agreement is :meth:`agreed_package` when that reason is
    ``"agreement"``."""

    def is_over(self, state: E) -> bool:
        return state.reason is not None

    def result(self, state: E) -> ProtocolResult:
        agreement = self.agreed_package(state) if state.reason == "agreement" else None
        return ProtocolResult(agreement, state.reason, self.round(state), state.turn,
                              state.ended_by)

    @abstractmethod
    def agreed_package(self, state: E) -> Outcome | None:
        """The package on the table when the talks end in agreement."""


_CHECKED_LIMIT = 1024
_CONTAINERS = (dict, set, list)  # what public_copy copies (one level) instead of sharing
_UNCHECKED: Any = object()  # the default of the identity lookup: never an answer (None may be)
_CHECKED: dict[tuple[int, ...], dict[int, Outcome]] = {}


def _checked(shape: tuple[int, ...]) -> dict[int, Outcome]:
    """The packages found valid for agendas of ``shape``, by identity: ``{id: package}``
    (the package kept, so its id stays its own). A tuple of ints cannot change, so the
    very object checked once (a negotiator's table entry, proposed session after session)
    needs no second check; anything else is checked in full. Bounded: a few shapes, a few
    thousand packages each."""
    checked = _CHECKED.get(shape)
    if checked is None:
        if len(_CHECKED) >= 16:
            _CHECKED.clear()
        checked = _CHECKED[shape] = {}
    return checked


def protocol_registry() -> dict[str, type[Protocol[Any]]]:
    """Protocol classes registered so far, by name."""
    return dict(_REGISTRY)
