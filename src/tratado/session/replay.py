"""Replay: rebuild a session from its record, run it again, and require the same record.

A record is untrusted input. :func:`verify` never takes its word for anything:

1. **Scenario.** The scenario given (the checker's own copy) must have the fingerprint
   the record names (``scenario.sha256``; a public record: ``public_sha256``); the
   record's what-ifs (``what_if.reservation_values``) are then applied to it.
2. **Rebuild.** The protocol and its parameters, every negotiator (and mediator) with
   its parameters, the seed and the move budget are taken from the record and resolved
   **only among registered names** (built-ins and installed entry points): a
   ``module:Class`` in a record is refused before anything is imported, unless the
   caller passes ``allow_plugins=True`` (``tratado replay --allow-plugins``).
3. **Re-run.** The session runs again, and its analyst's record — every derived value
   recomputed: utilities, gains, welfare, distances, item summaries — must equal the
   given one **byte for byte in canonical form** (:mod:`tratado.records.canonical`;
   ``source`` and ``timing``, which say where and how fast, are left out). The first
   difference is named: ``event 12 (propose by opposition): outcome: ...`` or
   ``result.welfare: 1.456 in the record, 1.501 when replayed``.

When the negotiators cannot be rebuilt (a plug-in the checker does not have or did not
allow, a parameter that is not a plain value), or the record is clock-dependent (a
negotiator failed by running past its move budget, or the clock's ``time-up`` ended the
talks), the session cannot be re-run faithfully: the record's events are then pushed
through the protocol by a :class:`~tratado.session.driver.Driver` (as a live request
would be), the derived values recomputed and compared the same way, and the
verdict says that **only the rules were checked** — the events are legal and the
numbers follow from them, but nothing shows the negotiators would have made those
moves. A public record (``"view": "public"``) has no negotiators: it is always checked
this way.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tratado.errors import TratadoError
from tratado.limits import excerpt, limit
from tratado.protocols import EventRefused, Protocol, event_from_entry, protocol_class
from tratado.records import (
    INCLUDED,
    PROVENANCE,
    PUBLIC,
    RECORD_VERSION,
    TABLE_ALONE,
    RecordError,
    build_record,
    fingerprint,
    first_difference,
    iter_canonical,
    parse_record,
    public_fingerprint,
    public_record,
)
from tratado.scenario import Scenario
from tratado.session.result import FAILURE, SessionResult, build_result
from tratado.stakeholders import effective

REPRODUCES = "reproduces"
RULES_ONLY = "rules-only"
DIFFERS = "differs"


@dataclass(frozen=True)
class Verdict:
    """What :func:`verify` found. ``status``: ``"reproduces"`` (re-run, same bytes),
    ``"rules-only"`` (the events follow the rules and the derived values match, but the
    negotiators were not re-run: ``why`` says why) or ``"differs"`` (``problem`` says
    what differs first). ``events``: the events in the record's log."""

    status: str
    problem: str | None = None
    why: str | None = None
    events: int = 0

    @property
    def reproduces(self) -> bool:
        return self.status == REPRODUCES

    def __str__(self) -> str:
        if self.status == REPRODUCES:
            return (f"Reproduces: the session, rebuilt from the record and run again, gives"
                    f" the same record byte for byte ({self.events} events).")
        if self.status == RULES_ONLY:
            return (f"Only the rules were checked: {self.why}. The {self.events} logged events"
                    " follow the protocol and every derived value matches, but the"
                    " negotiators were not re-run.")
        return f"Does not reproduce: {self.problem}."


class _Differs(Exception):
    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


class _RulesOnly(Exception):
    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def verify(
    scenario: Scenario, record: Mapping[str, Any] | str | bytes, *, allow_plugins: bool = False
) -> Verdict:
    """Rebuild the session ``record`` describes on ``scenario`` (the one it ran on,
    before any what-if), run it again and compare (see the module docstring). Never
    raises for a bad record: a malformed one does not reproduce, and the verdict says
    why. ``allow_plugins``: resolve ``module:Class`` names (runs their code)."""
    try:
        if isinstance(record, str | bytes):
            record = parse_record(record)
        if not isinstance(record, Mapping):
            return Verdict(DIFFERS, "the record is not a JSON object")
        return _verify(scenario, record, allow_plugins)
    except _Differs as error:
        return Verdict(DIFFERS, error.problem, events=_count(record))
    except RecordError as error:
        return Verdict(DIFFERS, error.message.rstrip("."))
    except RecursionError:
        return Verdict(DIFFERS, "the record nests too deep")
    except Exception as error:  # noqa: BLE001 - a record may be malformed in any way
        return Verdict(DIFFERS, f"the record is malformed ({type(error).__name__}:"
                                f" {excerpt(error)})", events=_count(record))


def check_replay(
    scenario: Scenario, record: Mapping[str, Any] | str | bytes, *, allow_plugins: bool = False
) -> str | None:
    """``None`` when the record reproduces (:func:`verify`), else what stands in the way:
    the first difference, or why only the rules could be checked."""
    verdict = verify(scenario, record, allow_plugins=allow_plugins)
    if verdict.status == REPRODUCES:
        return None
    if verdict.status == RULES_ONLY:
        return f"only the rules were checked ({verdict.why})"
    return verdict.problem


def replay(
    scenario: Scenario, record: Mapping[str, Any] | str | bytes, *, allow_plugins: bool = False
) -> bool:
    """True when the record reproduces byte for byte (:func:`verify`)."""
    return verify(scenario, record, allow_plugins=allow_plugins).reproduces


def _count(record: object) -> int:
    log = record.get("log") if isinstance(record, Mapping) else None
    return len(log) if isinstance(log, list) else 0


# -- the steps ---------------------------------------------------------------------------


def _verify(scenario: Scenario, record: Mapping[str, Any], allow_plugins: bool) -> Verdict:
    version = record.get("tratado_record")
    if version != RECORD_VERSION:
        raise _Differs(f"tratado_record: this tratado reads record format {RECORD_VERSION},"
                       f" not {excerpt(version)}")
    public = record.get("view") == PUBLIC
    if record.get("view") not in (PUBLIC, "analyst"):
        raise _Differs(f"view: {excerpt(record.get('view'))} is neither 'analyst' nor 'public'")
    _check_scenario(scenario, record, public)
    base, scenario = scenario, _apply_what_if(scenario, record.get("what_if"))
    scenario = effective(scenario, _stakeholders(record) is True)
    if not isinstance(record.get("log"), list):
        raise _Differs("log: the record has no list of events")
    protocol = _protocol(scenario, record.get("protocol"), allow_plugins)
    events = len(record["log"])
    if public:
        again = _rules_record(base, scenario, protocol, record, public=True)
        _compare(record, again)
        return Verdict(RULES_ONLY, why="a public record names no negotiators", events=events)
    try:
        why = _clock_dependent(record)
        if why is not None:
            raise _RulesOnly(why)
        again = _rerun(base, scenario, protocol, record, allow_plugins)
    except _RulesOnly as reason:
        again = _rules_record(base, scenario, protocol, record, public=False)
        _compare(record, again)
        return Verdict(RULES_ONLY, why=reason.why, events=events)
    _compare(record, again)
    return Verdict(REPRODUCES, events=events)


def _check_scenario(scenario: Scenario, record: Mapping[str, Any], public: bool) -> None:
    named = record.get("scenario")
    if not isinstance(named, Mapping):
        raise _Differs("scenario: the record does not identify its scenario")
    key, mine = ("public_sha256", public_fingerprint(scenario)) if public else (
        "sha256", fingerprint(scenario))
    theirs = named.get(key)
    if theirs != mine:
        shown = f"{theirs[:12]}…" if isinstance(theirs, str) else excerpt(theirs)
        raise _Differs(f"the scenario given is not the one the session ran on (scenario.{key}"
                       f" {shown} in the record, {mine[:12]}… for the scenario given)")


def _apply_what_if(scenario: Scenario, what_if: Any) -> Scenario:
    if what_if is None:
        return scenario
    if not isinstance(what_if, Mapping) or set(what_if) != {"reservation_values"}:
        raise _Differs("what_if: holds something else than reservation_values")
    values = what_if["reservation_values"]
    if not isinstance(values, Mapping) or not values or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in values.values()):
        raise _Differs("what_if.reservation_values: not a mapping of parties to numbers")
    try:
        return scenario.with_reservation_values({str(k): float(v) for k, v in values.items()})
    except TratadoError as error:
        raise _Differs(f"what_if.reservation_values: {error.message.rstrip('.')}") from None


def _stakeholders(record: Mapping[str, Any]) -> bool | None:
    """The record's ``stakeholders`` member as :func:`build_record` takes it: ``True``
    (effects folded in), ``False`` (the table alone) or ``None`` (not said: the table
    alone)."""
    if "stakeholders" not in record:
        return None
    value = record["stakeholders"]
    if value not in (INCLUDED, TABLE_ALONE):
        raise _Differs(f"stakeholders: {excerpt(value)} is neither '{INCLUDED}' nor"
                       f" '{TABLE_ALONE}'")
    return bool(value == INCLUDED)


def _protocol(scenario: Scenario, member: Any, allow_plugins: bool) -> Protocol[Any]:
    if not isinstance(member, Mapping) or not isinstance(member.get("name"), str):
        raise _Differs("protocol: the record does not name its protocol")
    options = dict(member)
    name = options.pop("name")
    try:
        cls = protocol_class(name, allow_plugins=allow_plugins)
    except ValueError as error:
        raise _Differs(f"protocol.name: {excerpt(error)}") from None
    deadline = options.get("deadline")
    if deadline is not None and (isinstance(deadline, bool) or not isinstance(deadline, int)
                                 or not 1 <= deadline <= limit("rounds")):
        raise _Differs(f"protocol.deadline: {excerpt(deadline)} is not a whole number of rounds"
                       f" from 1 to {limit('rounds'):,} (the 'rounds' limit)")
    seconds = options.get("deadline_seconds")
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, int | float)
                                or not 0 < seconds < math.inf):
        raise _Differs(f"protocol.deadline_seconds: {excerpt(seconds)} is not a positive number")
    try:
        return cls.from_params(scenario.party_ids, scenario.agenda.shape, options)
    except Exception as error:  # noqa: BLE001 - a record may hold anything
        raise _Differs(f"protocol: cannot be rebuilt ({type(error).__name__}: {excerpt(error)})") from None


def _clock_dependent(record: Mapping[str, Any]) -> str | None:
    for entry in record["log"]:
        if isinstance(entry, Mapping) and entry.get("kind") == "time-up":
            return "the clock ended the talks (time-up), so a re-run depends on the machine's speed"
    result = record.get("result")
    failures = result.get("failures") if isinstance(result, Mapping) else None
    for failure in failures if isinstance(failures, list) else []:
        if isinstance(failure, Mapping) and "TimeoutError" in str(failure.get("error")):
            return ("a negotiator was failed for running past its move budget, so a re-run"
                    " depends on the machine's speed")
    return None


def _participants(scenario: Scenario, protocol: Protocol[Any], record: Mapping[str, Any],
                  allow_plugins: bool) -> tuple[list[Any], Any]:
    from tratado.negotiators.registry import PluginRefused, SpecError, make, make_mediator

    entries = record.get("negotiators")
    if not isinstance(entries, Mapping):
        raise _Differs("negotiators: not a mapping of parties to negotiators")
    wanted = list(scenario.party_ids) + ([protocol.mediator] if protocol.mediator else [])
    if set(entries) != set(wanted):
        raise _Differs(f"negotiators: the record names {sorted(map(str, entries))}, the"
                       f" session has {sorted(wanted)}")
    built: dict[str, Any] = {}
    for party in wanted:
        entry = entries[party]
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str) \
                or not isinstance(entry.get("params"), Mapping) \
                or set(entry) - {"name", "params", "unrecorded"}:
            raise _Differs(f"negotiators.{party}: not {{\"name\": ..., \"params\": {{...}}}}")
        if "unrecorded" in entry:
            raise _RulesOnly(f"the negotiator of {party} was built with arguments a record cannot"
                             f" hold ({', '.join(map(str, entry['unrecorded']))})")
        params = dict(entry["params"])
        if not all(isinstance(v, bool | int | float | str | None) for v in params.values()):
            raise _Differs(f"negotiators.{party}.params: values must be numbers, flags or text")
        maker = make_mediator if party == protocol.mediator else make
        try:
            built[party] = maker(entry["name"], allow_plugins=allow_plugins, **params)
        except PluginRefused as error:
            raise _RulesOnly(f"{error} (pass --allow-plugins to re-run it if you trust it)") from None
        except SpecError as error:
            if ":" in entry["name"]:
                raise _RulesOnly(f"the negotiator of {party} is not available here ({error})") from None
            raise _Differs(f"negotiators.{party}: {error}") from None
        except Exception as error:  # noqa: BLE001 - a plug-in's constructor
            raise _RulesOnly(f"the negotiator of {party} cannot be built here"
                             f" ({type(error).__name__}: {excerpt(error)})") from None
    mediator = built.pop(protocol.mediator) if protocol.mediator else None
    return [built[p] for p in scenario.party_ids], mediator


def _seed(record: Mapping[str, Any]) -> int:
    seed = record.get("seed")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise _Differs(f"seed: {excerpt(seed)} is not a whole number from 0")
    return seed


def _move_budget(record: Mapping[str, Any]) -> float | None:
    budget = record.get("move_budget")
    if budget is None:
        return None
    if isinstance(budget, bool) or not isinstance(budget, int | float) or not 0 < budget < math.inf:
        raise _Differs(f"move_budget: {excerpt(budget)} is not a positive number of seconds")
    return float(budget)


def _rerun(base: Scenario, scenario: Scenario, protocol: Protocol[Any],
           record: Mapping[str, Any], allow_plugins: bool) -> dict[str, Any]:
    from tratado.session.runner import Session

    negotiators, mediator = _participants(scenario, protocol, record, allow_plugins)
    seed, budget = _seed(record), _move_budget(record)
    try:
        result = Session(scenario, protocol, negotiators, seed, mediator=mediator,
                         move_budget=budget).run()
    except Exception as error:  # noqa: BLE001 - whatever the record set up
        raise _Differs(f"the session cannot be run again ({type(error).__name__}:"
                       f" {excerpt(error)})") from None
    if any(e.kind == "time-up" for e in result.events[-1:]) or any(
            "TimeoutError" in f.get("error", "") for f in result.failures):
        raise _RulesOnly("the re-run was cut short by the clock (its seconds or move budget)"
                         " on this machine, so it cannot show what the record's run did")
    return _derived(result, record, base)


def _derived(result: SessionResult, record: Mapping[str, Any], base: Scenario) -> dict[str, Any]:
    """The analyst's record of ``result`` (run on ``base`` with the record's what-ifs),
    with the distances computed when the record claims them."""
    claimed = record.get("result")
    if isinstance(claimed, Mapping) and (claimed.get("distance_to_pareto") is not None
                                         or claimed.get("distance_to_nash") is not None):
        from tratado.session.evaluate import evaluate

        evaluate(result)
    what_if = record.get("what_if")
    return build_record(result, base=base, lazy_log=True,
                        what_if=what_if if isinstance(what_if, Mapping) else None,
                        stakeholders=_stakeholders(record))


def same_text(first: Iterable[str], second: Iterable[str]) -> bool:
    """Whether two streams of text pieces join to the same text, whatever their pieces'
    boundaries (neither is joined whole, no piece is copied)."""
    left, right = iter(first), iter(second)
    a, b, i, j = "", "", 0, 0
    while True:
        while i == len(a):  # (skipping empty pieces)
            a, i = next(left, "\0"), 0  # "\0" never occurs in JSON text: the end
        while j == len(b):
            b, j = next(right, "\0"), 0
        if a == "\0" or b == "\0":
            return a == b
        size = min(len(a) - i, len(b) - j)
        if a[i:i + size] != b[j:j + size]:
            return False
        i, j = i + size, j + size


def _compare(record: Mapping[str, Any], again: Mapping[str, Any]) -> None:
    """Compare the canonical forms piece by piece (the replayed log is built as it is
    compared, never held whole); on the first difference, say where it is."""
    given = {k: v for k, v in record.items() if k not in PROVENANCE}
    again = {k: v for k, v in again.items() if k not in PROVENANCE}
    if same_text(iter_canonical(given), iter_canonical(again)):
        return
    if "log" in again and not isinstance(again["log"], list):
        again["log"] = list(again["log"])
    problem = first_difference(given, again)
    raise _Differs(problem or "the record is not in canonical form")


# -- rules only -----------------------------------------------------------------------------


def _events(scenario: Scenario, protocol: Protocol[Any], entries: Sequence[Any],
            offset: int = 0) -> tuple[Any, Sequence[Any]]:
    """The record's events pushed through a :class:`~tratado.session.driver.Driver` (the
    same code a session and a live request go through): the final state and the
    events, or the first event the rules refuse."""
    from tratado.session.driver import Driver

    driver = Driver(protocol)
    for k, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            raise _Differs(f"event {offset + k}: not an object")
        if driver.is_over:
            raise _Differs(f"event {offset + k}: logged after the talks ended")
        try:
            driver.submit(event_from_entry(entry, scenario.agenda))
        except (EventRefused, ValueError, KeyError, TypeError) as error:
            who = f" by {excerpt(entry.get('party'))}" if entry.get("party") else ""
            raise _Differs(f"event {offset + k} ({excerpt(entry.get('kind'))}{who}) breaks the"
                           f" rules: {excerpt(error)}") from None
    if not driver.is_over:
        raise _Differs("the logged events do not end the talks")
    return driver.state, driver.finish()


def _failures(events: Sequence[Any], names: Mapping[str, Any]) -> list[dict[str, Any]]:
    from tratado.records import negotiator_label

    out = []
    for e in events:
        if e.note.startswith(FAILURE):
            entry = names.get(e.party)
            name = entry.get("name") if isinstance(entry, Mapping) else negotiator_label(entry)
            out.append({"party": e.party, "negotiator": name, "error": e.note[len(FAILURE):]})
    return out


def _rules_result(scenario: Scenario, protocol: Protocol[Any], entries: Sequence[Any],
                  names: Mapping[str, Any], seed: int, offset: int = 0) -> SessionResult:
    state, events = _events(scenario, protocol, entries, offset)
    return build_result(scenario, protocol, state, events, dict(names), seed,
                        _failures(events, names), 0.0)


def _rules_record(base: Scenario, scenario: Scenario, protocol: Protocol[Any],
                  record: Mapping[str, Any], public: bool) -> dict[str, Any]:
    names = record.get("negotiators") if not public else {}
    if not isinstance(names, Mapping):
        raise _Differs("negotiators: not a mapping of parties to negotiators")
    seed = _seed(record) if not public else 0
    if protocol.agreement == "item-by-item":
        result = _rules_items(scenario, protocol, record, names, seed, public)
    else:
        result = _rules_result(scenario, protocol, record["log"], names, seed)
    result.move_budget = None if public else _move_budget(record)
    again = _derived(result, record, base)
    if not public:
        return again
    shared = public_record(again)
    # the events are in memory already (the record's own list): keep them as a list, so
    # that after the streamed comparison the first difference can still be named
    shared["log"] = list(shared["log"])
    return shared


def _rules_items(scenario: Scenario, protocol: Protocol[Any], record: Mapping[str, Any],
                 names: Mapping[str, Any], seed: int, public: bool) -> SessionResult:
    from tratado.session.items import item_protocol, item_scenario
    from tratado.session.result import gains_and_welfare, outcome_values

    items = record.get("items")
    issues = scenario.agenda.names
    if not isinstance(items, list) or not items or len(items) > len(issues):
        raise _Differs("items: the record does not list its items")
    log = record["log"]
    agreed: list[int] = []
    parts: list[SessionResult] = []
    used, offset = 0, 0
    for k, item in enumerate(items):
        if not isinstance(item, Mapping) or not isinstance(item.get("protocol"), Mapping):
            raise _Differs(f"items[{k}]: not an item summary")
        rounds = max(1, (int(protocol.params().get("deadline", scenario.rules.deadline)) - used)
                     // (len(issues) - k))
        sub = item_scenario(scenario, agreed, rounds)
        entries = [{key: v for key, v in e.items() if key != "item"}
                   for e in log if isinstance(e, Mapping) and e.get("item") == issues[k]]
        item_seed = item.get("seed", 0) if not public else 0
        if isinstance(item_seed, bool) or not isinstance(item_seed, int):
            raise _Differs(f"items[{k}].seed: not a whole number")
        part = _rules_result(sub, item_protocol(protocol, sub, rounds), entries, names,
                             item_seed, offset)
        offset += len(entries)
        parts.append(part)
        used += part.round + 1
        if part.outcome is None:
            break
        agreed.append(part.outcome[0])
    outcome = tuple(agreed) if len(agreed) == len(issues) else None
    last, round_ = parts[-1], used - 1
    agreement, outcome, utilities = outcome_values(scenario, protocol, outcome, round_)
    _, gains, welfare = gains_and_welfare(scenario, utilities, protocol, round_)
    return SessionResult(
        scenario, protocol, dict(names), seed, (), agreement, outcome,
        "agreement" if outcome is not None else last.reason, round_,
        sum(p.turns for p in parts), last.ended_by, utilities, gains, welfare,
        [f for p in parts for f in p.failures], 0.0, items=parts,
    )
