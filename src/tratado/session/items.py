"""Item-by-item agendas: the issues negotiated one at a time, in agenda order, with
binding partial agreements (as the 2021 Mexico City memorandum allowed for points
"sufficiently discussed"; Raiffa 1982 ch. 14 and Fisher & Ury 1981 on why agenda
handling changes what parties can trade).

How the session runs it (``agreement="item-by-item"``, for the protocols that list it
in ``Protocol.agendas``: ``alternating`` and ``mediated``):

* Item ``k`` is a sub-negotiation, under the same protocol and negotiators, over the
  options of issue ``k`` alone (a one-issue sub-scenario, :func:`item_scenario`).
* Each party values option ``o`` of item ``k`` at its *best case* for the whole package:
  the items already agreed fixed, issue ``k`` at ``o``, and every issue not yet
  discussed at the option it likes best (for linear-additive preferences, each
  remaining issue's largest contribution; other preferences take the best completion).
  Each party keeps its reservation value, so an item is acceptable while the deal can
  still beat no deal. This is the optimism item-by-item talks are known for: parties
  give ground early counting on later items, and find late that they cannot both win
  the rest (Raiffa 1982). (Valuing later issues at their expected value instead puts
  every option of the first item below the reservation values on the Venezuela
  example: a random package is worse than no deal for both sides.) These item
  preferences are computed by the session (trusted) and each goes to its own party's
  negotiator only; in ``mediated`` talks the neutral gets all of them, as for a package.
* Deadline: the protocol's ``deadline`` (rounds) is shared out in order: item ``k`` gets
  the rounds left divided by the items left (at least one round each).
* Seeds: item ``k`` runs with a seed spawned from the session seed
  (``SeedSequence(seed, spawn_key=(65536 + k,))``), recorded in the item's summary.
* If an item ends without agreement, the whole talk fails with that item's reason; the
  items agreed before it are not implemented (a failed talk leaves each party its
  reservation value).

:func:`compare_agendas` runs a scenario both ways, so a user can show what negotiating
item by item costs the parties compared to one package.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from time import perf_counter
from typing import TYPE_CHECKING, Any

import numpy as np

from tratado.agenda import Agenda
from tratado.negotiators._tables import NEGOTIATOR_ENUMERATION_LIMIT
from tratado.parties import Party, Rules
from tratado.preferences import LinearAdditive, Preferences
from tratado.protocols import Protocol
from tratado.scenario import Scenario
from tratado.session.result import SessionResult, gains_and_welfare, outcome_values

if TYPE_CHECKING:
    from tratado.negotiators.base import Negotiator
    from tratado.session.runner import Session

ITEM_SPAWN = 65536


def item_values(preferences: Preferences, agenda: Agenda, agreed: Sequence[int]) -> np.ndarray:
    """A party's best-case utility of each option of issue ``len(agreed)``: agreed
    items fixed, later issues at their best for the party."""
    k = len(agreed)
    if preferences.is_additive:
        parts = preferences.contributions()
        base = sum((float(parts[i][o]) for i, o in enumerate(agreed)), 0.0)
        rest = sum((float(np.max(parts[i])) for i in range(k + 1, len(agenda))), 0.0)
        return np.asarray(base + parts[k] + rest, dtype=float)
    shape = agenda.shape
    later = shape[k + 1:]
    count = int(np.prod(later, dtype=np.int64)) * shape[k]
    if count > NEGOTIATOR_ENUMERATION_LIMIT:
        raise ValueError(f"item by item with non-linear preferences searches {count}"
                         " completions; that is too many")
    tail = np.indices(later).reshape(len(later), -1).T if later else np.zeros((1, 0), int)
    values = []
    for option in range(shape[k]):
        head = np.tile(np.array([*agreed, option], dtype=np.int64), (tail.shape[0], 1))
        values.append(float(np.max(preferences.utility(np.hstack([head, tail])))))
    return np.array(values)


def item_scenario(scenario: Scenario, agreed: Sequence[int], rounds: int) -> Scenario:
    """The one-issue sub-scenario of item ``len(agreed)`` (see the module docstring)."""
    agenda = scenario.agenda
    issue = agenda.issues[len(agreed)]
    parties = []
    for party in scenario.parties:
        prefs = party.preferences
        values = np.clip(item_values(prefs, agenda, agreed), 0.0, 1.0)
        item = LinearAdditive(np.array([1.0]), (values,), prefs.reservation_value, prefs.discount)
        parties.append(Party(party.id, item, party.name, party.short_name, party.delegation))
    rules = Rules(deadline=rounds, agreement="package",
                  deadline_seconds=scenario.rules.deadline_seconds)
    return Scenario(f"{scenario.name} · {issue.name}", Agenda((issue,)), tuple(parties),
                    roles=scenario.roles, rules=rules)


def item_seed(seed: int, k: int) -> int:
    """The seed of item ``k``, spawned from the session seed."""
    state = np.random.SeedSequence(seed, spawn_key=(ITEM_SPAWN + k,)).generate_state(1)
    return int(state[0])


def item_protocol(protocol: Protocol[Any], sub: Scenario, rounds: int) -> Protocol[Any]:
    """The protocol of one item: the session's, on one issue, for ``rounds`` rounds."""
    params = {**protocol.params(), "agreement": "package", "deadline": rounds}
    return type(protocol).from_params(sub.party_ids, sub.agenda.shape, params)


def run_item_by_item(session: Session) -> SessionResult:
    """Run ``session`` item by item (see the module docstring)."""
    from tratado.session.runner import Session

    scenario, protocol = session.scenario, session.protocol
    total = int(protocol.params().get("deadline", scenario.rules.deadline))
    n = len(scenario.agenda)
    agreed: list[int] = []
    items: list[SessionResult] = []
    used = 0
    started = perf_counter()
    for k in range(n):
        rounds = max(1, (total - used) // (n - k))
        sub = item_scenario(scenario, agreed, rounds)
        part = Session(sub, item_protocol(protocol, sub, rounds), session.negotiators,
                       item_seed(session.seed, k), mediator=session.mediator,
                       move_budget=session.move_budget).run_package()
        items.append(part)
        used += part.round + 1
        if part.outcome is None:
            break
        agreed.append(part.outcome[0])
    outcome = tuple(agreed) if len(agreed) == n else None
    last = items[-1]
    round_ = used - 1
    agreement, outcome, utilities = outcome_values(scenario, protocol, outcome, round_)
    _, gains, welfare = gains_and_welfare(scenario, utilities, protocol, round_)
    return SessionResult(
        scenario, protocol, dict(last.negotiators), session.seed, (), agreement, outcome,
        "agreement" if outcome is not None else last.reason, round_,
        sum(i.turns for i in items), last.ended_by, utilities, gains, welfare,
        [f for i in items for f in i.failures], perf_counter() - started, items=items,
    )


def check_item_replay(scenario: Scenario, record: Mapping[str, Any]) -> str | None:
    """Replay an item-by-item record item by item (``None`` if it reproduces)."""
    from tratado.session.replay import check_replay

    names = scenario.agenda.names
    items = record.get("items")
    if not isinstance(items, list) or not items or len(items) > len(names):
        return "the record does not list its items"
    log = record["log"]
    agreed: list[int] = []
    for k, item in enumerate(items):
        if item.get("issue") != names[k]:
            return f"item {k} is not the agenda's issue '{names[k]}'"
        sub = item_scenario(scenario, agreed, int(item["protocol"]["deadline"]))
        entries = [{key: v for key, v in e.items() if key != "item"}
                   for e in log if e.get("item") == names[k]]
        problem = check_replay(sub, {**item, "negotiators": record["negotiators"],
                                     "log": entries})
        if problem is not None:
            return f"item '{names[k]}': {problem}"
        if item["agreement"] is None:
            if k != len(items) - 1:
                return f"items follow the failed item '{names[k]}'"
            break
        agreed.append(int(sub.agenda.outcome(item["agreement"])[0]))
    if len(log) != sum(1 for e in log if e.get("item") in names[:len(items)]):
        return "the log holds entries of no replayed item"
    outcome = tuple(agreed) if len(agreed) == len(names) else None
    expected = None if outcome is None else scenario.agenda.describe(outcome)
    if not _same(expected, record["agreement"]):
        return "the replayed agreement differs from the record"
    reason = "agreement" if outcome is not None else items[-1]["result"]["reason"]
    if reason != record["result"]["reason"]:
        return "the replayed result's reason differs from the record"
    return None


def _same(a: Any, b: Any) -> bool:
    from tratado.session.replay import _canonical

    return _canonical(a) == _canonical(b)


def compare_agendas(
    scenario: Scenario,
    protocol: str = "alternating",
    negotiators: Sequence[Negotiator | str] | None = None,
    seed: int = 0,
    **options: Any,
) -> tuple[SessionResult, SessionResult]:
    """The same talks negotiated as one package and item by item: ``(package, items)``.

    ``negotiators`` default to the ``frequency`` negotiator for every party; names are
    built afresh for each run (negotiator objects are reused: each run resets them)."""
    from tratado.session.runner import Session

    names = list(negotiators) if negotiators is not None else ["frequency"] * scenario.n_parties
    runs = []
    for mode in ("package", "item-by-item"):
        runs.append(Session(scenario, protocol, names, seed,
                            protocol_options={**options, "agreement": mode}).run())
    return runs[0], runs[1]
