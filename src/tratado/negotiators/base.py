"""What a negotiator is, and what it may see.

A :class:`Negotiator` produces events for one party. The session hands it exactly one
object, a :class:`NegotiatorView`, holding:

* ``preferences`` — its own party's preferences (and nobody else's);
* ``scenario`` — a :class:`PublicScenario`: agenda, parties' ids and names, roles and
  rules, built field by field so that it holds no :class:`~tratado.parties.Party`
  and no preferences at all;
* ``protocol`` — the rules being played (parties' ids and the agenda's shape only);
* ``record`` — the public record: a read-only :class:`Record` of the events so far.

So another party's preferences cannot be reached from what a negotiator is given
(tests walk the object graph to check it). Each is a copy — the rules
(:meth:`Protocol.public_copy`), a deep copy of the public scenario, a copy of its own
preferences (:func:`own_copy`), and a mirror of the session's log — so what a
negotiator writes into its view never reaches the session's record. In-process
negotiators are nevertheless ordinary Python code, trusted not to go looking elsewhere
(``gc.get_objects()`` reaches everything); :mod:`tratado.negotiators.isolated` runs one
in a process of its own, where nothing else is there to find.

Writing one takes a few lines: subclass :class:`Negotiator`, declare ``name`` and the
metadata, and implement ``propose(t)`` (and, if wanted, ``start()`` to precompute and
``accept(offer, t, mine)`` — by default the ``acceptance`` rule decides)::

    class Stubborn(Negotiator):
        name = "stubborn"
        def propose(self, t):
            return self.best_outcome

Helpers: ``utility(outcome)``, ``reservation_value``, ``best_outcome``,
``best_utility``, ``finder`` (an :class:`~tratado.negotiators.search.OfferFinder`: the
package closest above a target utility, the one an opponent model likes best near it, a
random one above a level — by table on small spaces, by search on spaces too large to
list), ``table`` (every outcome sorted by own utility; small spaces only), ``rng`` (a
numpy Generator spawned from the session seed; the only randomness allowed).

Hooks that protocols call through ``Protocol.ask``: ``take_turn(offer, t)``
(alternating offers), ``vote(draft, change, t)`` (single text: the truthful voter,
prefers the change iff it is worth strictly more to me), ``respond(proposal, t)``
(mediated protocols: accept iff the proposal reaches ``threshold(t)`` — the
reservation value, or the current aspiration of time-based negotiators) and
``accept_improvement(settlement, proposal, t)`` (post-settlement: accept iff worth at
least the settlement). A negotiator may instead override ``act(state)`` to read the
protocol's (public) state directly. A :class:`Mediator` is the participant for a
protocol's mediator id; it overrides ``act``.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Self, overload
from weakref import WeakKeyDictionary

import numpy as np

from tratado.agenda import Agenda
from tratado.errors import OutcomeSpaceTooLarge
from tratado.negotiators._tables import TOO_LARGE_FIX, OwnTable, check_space
from tratado.negotiators.acceptance import AcceptNext
from tratado.negotiators.search import OfferFinder, offer_finder
from tratado.parties import Delegation, Roles, Rules
from tratado.preferences import Preferences
from tratado.protocols.events import Accept, Event, Outcome, Propose

if TYPE_CHECKING:
    from tratado.negotiators.acceptance import AcceptanceRule
    from tratado.protocols.base import Protocol
    from tratado.scenario import Scenario


@dataclass(frozen=True)
class PublicParty:
    """What everyone may know about a party: who it is, not what it wants."""

    id: str
    name: str | None = None
    short_name: str | None = None
    delegation: Delegation | None = None

    @property
    def label(self) -> str:
        return self.short_name or self.name or self.id


@dataclass(frozen=True)
class PublicScenario:
    """The public part of a scenario: no preferences, no reservation values."""

    name: str
    agenda: Agenda
    parties: tuple[PublicParty, ...]
    roles: Roles
    rules: Rules
    description: str | None = None

    @classmethod
    def of(cls, scenario: Scenario) -> PublicScenario:
        """The public part of ``scenario``, as a deep copy: nothing in it is shared with
        the scenario, so writing into it (even through ``object.__setattr__``) cannot
        change the agenda the session records and reports."""
        parties = tuple(
            PublicParty(p.id, p.name, p.short_name, p.delegation) for p in scenario.parties
        )
        public = cls(scenario.name, scenario.agenda, parties, scenario.roles, scenario.rules,
                     scenario.description)
        return copy.deepcopy(public)

    @property
    def party_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.parties)


def own_copy(preferences: Preferences) -> Preferences:
    """The copy of a party's ``preferences`` its negotiator is given (one per preferences
    object, kept while it lives, so the negotiator's tables are built once): changing it
    cannot change the utilities the session records."""
    duplicate = _OWN_COPIES.get(preferences)
    if duplicate is None:
        duplicate = _OWN_COPIES[preferences] = copy.deepcopy(preferences)
    return duplicate


_OWN_COPIES: WeakKeyDictionary[Preferences, Preferences] = WeakKeyDictionary()


class Record(Sequence[Event]):
    """The public record: the events accepted so far, read-only, oldest first.

    It reads the session's own log (no copy: sessions of millions of moves stay small)
    and offers nothing that changes it: no ``append``, no ``clear``, no ``_events``; a
    slice or an iteration gives tuples. A negotiator that tries to write into it fails
    its move (and is named). In-process negotiators are trusted code all the same —
    Python cannot stop code in the same process from reaching any object; a
    process-isolated negotiator (:func:`tratado.negotiators.isolated`) gets its own copy
    of the record, in its own process."""

    __slots__ = ("__log",)

    def __init__(self, events: Sequence[Event]) -> None:
        self.__log = events

    def __len__(self) -> int:
        return len(self.__log)

    @overload
    def __getitem__(self, index: int) -> Event: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Event]: ...
    def __getitem__(self, index: int | slice) -> Event | Sequence[Event]:
        if isinstance(index, slice):
            return tuple(self.__log[index])
        return self.__log[index]

    def __iter__(self) -> Iterator[Event]:
        return iter(tuple(self.__log))

    def since(self, start: int) -> tuple[Event, ...]:
        """Events from position ``start`` on (read new events incrementally)."""
        return tuple(self.__log[start:])


@dataclass(frozen=True, eq=False)
class NegotiatorView:
    """Everything a negotiator is given (see the module docstring)."""

    party: str
    preferences: Preferences
    scenario: PublicScenario
    protocol: Protocol[Any]
    record: Record

    @property
    def opponents(self) -> tuple[str, ...]:
        return tuple(p for p in self.scenario.party_ids if p != self.party)


@dataclass(frozen=True, eq=False)
class MediatorView:
    """What a mediator is given: the public part, and every party's preferences only
    when the protocol trusts its neutral with them (``mediator_sees_preferences``)."""

    party: str
    scenario: PublicScenario
    protocol: Protocol[Any]
    record: Record
    preferences: Mapping[str, Preferences] = field(
        default_factory=lambda: MappingProxyType({})
    )


_SIGNATURES: dict[type, inspect.Signature | None] = {}
_BOUND: dict[tuple[Any, ...], list[tuple[str, Any]] | None] = {}


def _bound_arguments(cls: type, signature: inspect.Signature, args: tuple[Any, ...],
                     kwargs: dict[str, Any]) -> list[tuple[str, Any]] | None:
    """The arguments of ``cls(*args, **kwargs)`` by name, defaults filled in, ``self``
    left out (None when they do not fit the signature). Kept per class and arguments when
    these are plain values (a tournament builds the same negotiators again and again)."""
    key: tuple[Any, ...] | None = None
    if all(isinstance(v, _PLAIN) for v in args) and all(
            isinstance(v, _PLAIN) for v in kwargs.values()):
        key = (cls, tuple((type(v), v) for v in args),  # 1 is not True, nor 1.0
               tuple(sorted((k, type(v).__name__, v) for k, v in kwargs.items())))
        if key in _BOUND:
            return _BOUND[key]
    try:
        bound = signature.bind(None, *args, **kwargs)
    except TypeError:
        found = None
    else:
        bound.apply_defaults()
        found = list(bound.arguments.items())[1:]
    if key is not None:
        if len(_BOUND) >= 4096:
            _BOUND.clear()
        _BOUND[key] = found
    return found


_PLAIN = (bool, int, float, str, type(None))


def _signature(cls: type) -> inspect.Signature | None:
    """The signature of ``cls.__init__``, read once per class (None when ``inspect``
    cannot read it); ``object``'s takes no arguments."""
    if cls not in _SIGNATURES:
        init = inspect.getattr_static(cls, "__init__")
        if init is object.__init__:
            found: inspect.Signature | None = inspect.Signature(
                [inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY)])
        else:
            try:
                found = inspect.signature(init)
            except (TypeError, ValueError):
                found = None
        _SIGNATURES[cls] = found
    return _SIGNATURES[cls]


class Participant:
    """Anything that produces events in a session: negotiators and mediators.

    Every participant keeps the arguments it was built with (:attr:`params`, as
    Axelrod's players keep ``init_kwargs``): its ``repr`` shows them, session records
    store them, and replay rebuilds the participant from them."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    stochastic: ClassVar[bool] = False
    _seed: tuple[int, int] = (0, 0)
    _rng: np.random.Generator | None = None
    _init_args: tuple[tuple[Any, ...], dict[str, Any]] = ((), {})

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        self = super().__new__(cls)
        self._init_args = (args, dict(kwargs))
        return self

    @property
    def params(self) -> dict[str, Any]:
        """The arguments this participant was built with, by name, defaults filled in
        (``make("boulware").params == {"e": 0.2}``). A parameter whose default is
        ``None`` shows the value the participant resolved it to when that is a plain
        number, flag or text (``e`` of ``boulware``), and is left out otherwise (an
        acceptance rule left to its default). Read once, then kept."""
        cached = self.__dict__.get("_params")
        if cached is None:
            cached = self.__dict__["_params"] = self._bound_params()
        return dict(cached)

    def _bound_params(self) -> dict[str, Any]:
        args, kwargs = self._init_args
        signature = _signature(type(self))
        if signature is None:
            return dict(kwargs)
        arguments = _bound_arguments(type(self), signature, args, kwargs)
        if arguments is None:
            return dict(kwargs)
        declared = signature.parameters
        out: dict[str, Any] = {}
        for key, value in arguments:
            kind = declared[key].kind
            if kind is inspect.Parameter.VAR_KEYWORD:
                out.update(value)
                continue
            if kind is inspect.Parameter.VAR_POSITIONAL:
                value = list(value)
            if value is None:
                value = getattr(self, key, None)
                if not isinstance(value, bool | int | float | str):
                    continue
            out[key] = value
        return out

    def __repr__(self) -> str:
        shown = ", ".join(f"{key}={value!r}" for key, value in self.params.items())
        return f"{type(self).__name__}({shown})"

    def act(self, state: Any) -> Event:
        """This participant's move in the protocol's current (public) ``state``."""
        raise NotImplementedError

    def mover(self) -> Callable[[Any], Event]:
        """The callable the session calls for each move (default: :meth:`act`)."""
        return self.act

    def clock(self, move_budget: float | None, deadline: float | None) -> None:
        """Told by the session once the talks start: the seconds one move may take and
        the ``time.perf_counter()`` reading at which the talks end (``None``: no limit).
        In-process participants ignore it (the session judges their moves once they
        return); a process-isolated one stops a move that runs past either."""

    def end(self) -> None:
        """Called by the session once the talks are over (a process-isolated participant
        stops its process here)."""

    def seed(self, entropy: int, index: int) -> None:
        """Set the seed the session spawned for this participant (``rng`` is lazy)."""
        self._seed = (entropy, index)
        self._rng = None

    @property
    def rng(self) -> np.random.Generator:
        """This participant's own random generator, spawned from the session seed:
        ``default_rng(SeedSequence(seed, spawn_key=(position,)))``, built on first use."""
        if self._rng is None:
            entropy, index = self._seed
            sequence = np.random.SeedSequence(entropy, spawn_key=(index,))
            self._rng = np.random.default_rng(sequence)
        return self._rng


class Negotiator(Participant):
    """Base class of negotiators. Class metadata drives the registry and filters."""

    uses_opponent_model: ClassVar[bool] = False
    time_based: ClassVar[bool] = False
    protocols: ClassVar[tuple[str, ...]] = ("alternating", "single-text", "mediated")
    lists_outcomes: ClassVar[bool] = True
    """Whether this negotiator needs every package listed (its sorted ``table``): the
    session refuses up front a space too large to list. Negotiators that ask only their
    ``finder`` (every built-in one) set it false: on spaces too large to list the finder
    searches the preferences instead."""

    large_spaces: ClassVar[str] = ""
    """How it negotiates on a space too large to list (``tratado negotiators`` shows it);
    empty for a negotiator that lists every package: such a space is refused."""

    view: NegotiatorView
    party: str
    finder: OfferFinder

    def __init__(self, acceptance: AcceptanceRule | None = None) -> None:
        self.acceptance = acceptance if acceptance is not None else self.default_acceptance()

    def default_acceptance(self) -> AcceptanceRule:
        """The acceptance rule used when none is given (accept what beats my next offer)."""
        return AcceptNext()

    # -- set up by the session ------------------------------------------------------------
    def begin(self, view: NegotiatorView) -> None:
        """Called by the session before the first move: keeps the view, builds the
        tables, then calls :meth:`start`. Resets all per-session state."""
        self.view = view
        self.party = view.party
        self.finder = offer_finder(view.scenario.agenda, view.preferences)
        self._lookup = self.finder.lookup
        self._accept_event = Accept(view.party)
        self._proposals: dict[Outcome, Propose] = {}
        self._protocol = view.protocol
        self._offers_seen = 0
        self.start()
        cls = type(self)
        rule = self.acceptance
        # Fast path for the common case: the plain AcceptNext rule on own utility.
        self._accept_next = (
            self.finder.table is not None
            and cls.accept is Negotiator.accept
            and cls.utility is Negotiator.utility
            and type(rule).__name__ == "AcceptNext"
            and getattr(rule, "factor", None) == 1.0
            and getattr(rule, "margin", None) == 0.0
        )

    def mover(self) -> Callable[[Any], Event]:
        """``act``, or (when ``act`` is not overridden) the protocol's ``ask`` bound to
        this negotiator — the same move, one call less in the hot loop."""
        if type(self).act is Negotiator.act:
            return partial(self._protocol.ask, self)
        return self.act

    def start(self) -> None:
        """Precompute what the strategy needs for this session (override)."""

    # -- helpers ----------------------------------------------------------------------------
    @property
    def table(self) -> OwnTable:
        """Every package sorted by own utility (spaces of up to
        :data:`~tratado.negotiators.NEGOTIATOR_ENUMERATION_LIMIT` packages only; ask
        ``finder`` instead to work on any space)."""
        table = self.finder.table
        if table is None:
            check_space(self.view.scenario.agenda)
            raise OutcomeSpaceTooLarge("this space is too large to list.", fix=TOO_LARGE_FIX)
        return table

    def utility(self, outcome: Outcome) -> float:
        """Own utility of ``outcome``."""
        try:
            return self._lookup[outcome]
        except KeyError:
            if self.finder.table is None:
                return self.finder.utility(outcome)
            row = np.asarray(outcome, dtype=np.int64)[None, :]
            return float(self.view.preferences.utility(row)[0])

    @property
    def reservation_value(self) -> float:
        return self.view.preferences.reservation_value

    @property
    def best_outcome(self) -> Outcome:
        return self.finder.best_outcome

    @property
    def best_utility(self) -> float:
        return self.finder.best

    def new_offers(self) -> list[tuple[str, Outcome]]:
        """``(party, package)`` for each package another party proposed since the last
        call, oldest first (opponent models read the record incrementally with this)."""
        record = self.view.record
        start, self._offers_seen = self._offers_seen, len(record)
        return [(e.party, e.outcome) for e in record.since(start)
                if type(e) is Propose and e.party != self.party]

    def offers_by(self, party: str) -> list[Outcome]:
        """Packages ``party`` has proposed so far, oldest first."""
        return [e.outcome for e in self.view.record
                if type(e) is Propose and e.party == party]

    # -- the moves ---------------------------------------------------------------------------
    def act(self, state: Any) -> Event:
        return self._protocol.ask(self, state)

    def take_turn(self, offer: Outcome | None, t: float) -> Event:
        """Alternating offers: accept ``offer`` or propose. Calls ``propose`` exactly once."""
        mine = self.propose(t)
        if offer is not None:
            if self._accept_next:
                lookup = self._lookup
                if offer in lookup and lookup[offer] >= lookup[mine]:
                    return self._accept_event
            elif self.accept(offer, t, mine):
                return self._accept_event
        event = self._proposals.get(mine)
        if event is None:
            event = self._proposals[mine] = Propose(self.party, mine)
        return event

    def propose(self, t: float) -> Outcome:
        """The package to propose at relative time ``t`` (default: my best)."""
        return self.finder.best_outcome

    def accept(self, offer: Outcome, t: float, mine: Outcome) -> bool:
        """Whether to accept ``offer`` when I would otherwise propose ``mine``."""
        return self.acceptance(self, offer, t, mine)

    def vote(self, draft: Outcome, change: Outcome, t: float) -> bool:
        """Single negotiating text: do I prefer ``change`` to ``draft``? (default:
        truthfully, iff it is worth strictly more to me)."""
        return self.utility(change) > self.utility(draft)

    def conceding_vote(self, draft: Outcome, change: Outcome, t: float) -> bool:
        """A single-text vote that concedes over time: yes to a change worth more to me,
        and also to one worth less that still reaches ``threshold(t)`` (my aspiration now,
        never below no deal). Early, while the aspiration is high, it is the truthful
        vote; as the aspiration falls it lets the draft move toward what the others need.
        Time-based negotiators vote this way."""
        new, old = self.utility(change), self.utility(draft)
        if new > old:
            return True
        return new < old and new >= max(self.threshold(t), self.reservation_value)

    def threshold(self, t: float) -> float:
        """The least own utility I accept from a mediator at relative time ``t``
        (default: the reservation value; time-based negotiators: their aspiration)."""
        return self.reservation_value

    def respond(self, proposal: Outcome, t: float) -> bool:
        """Mediated: accept the mediator's ``proposal``? Iff it reaches ``threshold(t)`` and
        is worth at least no deal (a rational party never accepts less than its BATNA)."""
        return self.utility(proposal) >= max(self.threshold(t), self.reservation_value)

    def accept_improvement(self, settlement: Outcome, proposal: Outcome, t: float) -> bool:
        """Post-settlement: take ``proposal`` instead of ``settlement``? (iff not worse)."""
        return self.utility(proposal) >= self.utility(settlement)


class Mediator(Participant):
    """Base class of mediators: the participant a mediated protocol asks for proposals."""

    view: MediatorView

    def begin(self, view: MediatorView) -> None:
        """Called by the session before the first move; then :meth:`start`."""
        self.view = view
        self.start()

    def start(self) -> None:
        """Precompute what the mediator needs (override)."""
