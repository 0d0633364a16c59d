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
  remaining issue's largest contribution; other preferences take the best completion,
  listed when the completions number at most ``NEGOTIATOR_ENUMERATION_LIMIT``, else
  searched: from the party's exact best package with the agreed items and ``o`` put in,
  a hill-climb by single-issue changes of the issues not yet discussed — a completion the
  search reaches, which may fall short of the best one).
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

The session (:meth:`tratado.session.Session.run`) runs the items one after the other
with these functions; :func:`tratado.experiments.compare_agendas` runs a scenario both
ways, so a user can show what negotiating item by item costs the parties compared to one
package.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from tratado.agenda import Agenda
from tratado.negotiators import NEGOTIATOR_ENUMERATION_LIMIT
from tratado.parties import Party, Rules
from tratado.preferences import LinearAdditive, Preferences
from tratado.protocols import Protocol
from tratado.scenario import Scenario
from tratado.session.result import SessionResult, gains_and_welfare, outcome_values

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
        return searched_item_values(preferences, agenda, agreed)
    tail = np.indices(later).reshape(len(later), -1).T if later else np.zeros((1, 0), int)
    values = []
    for option in range(shape[k]):
        head = np.tile(np.array([*agreed, option], dtype=np.int64), (tail.shape[0], 1))
        values.append(float(np.max(preferences.utility(np.hstack([head, tail])))))
    return np.array(values)


def searched_item_values(preferences: Preferences, agenda: Agenda,
                         agreed: Sequence[int]) -> np.ndarray:
    """:func:`item_values` by search, for completions too many to list (see the module
    docstring): the best completion a hill-climb from the party's best package finds."""
    from tratado.negotiators.landscape import Landscape, climb
    from tratado.negotiators.programme import extreme_package

    land = Landscape(preferences, agenda.shape)
    k = len(agreed)
    best = extreme_package(preferences, agenda.shape)
    free = np.arange(len(agenda)) > k
    values = []
    for option in range(agenda.shape[k]):
        row = best.copy()
        row[:k + 1] = [*agreed, option]
        found, _ = climb(land, row, 4 * len(agenda), free)
        values.append(float(preferences.utility(found[None, :])[0]))
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


def item_deadline(total: int, used: int, k: int, n: int) -> int:
    """The rounds item ``k`` of ``n`` gets: those left, shared out between the items left
    (at least one)."""
    return max(1, (total - used) // (n - k))


def combine_items(
    scenario: Scenario, protocol: Protocol[Any], seed: int, items: Sequence[SessionResult],
    elapsed: float, move_budget: float | None = None,
) -> SessionResult:
    """The result of the whole talks from its items' results, in order (the last may have
    failed: then there is no agreement, for that item's reason)."""
    agreed = [item.outcome[0] for item in items if item.outcome is not None]
    n = len(scenario.agenda)
    outcome = tuple(agreed) if len(agreed) == n else None
    last = items[-1]
    round_ = sum(item.round + 1 for item in items) - 1
    agreement, outcome, utilities = outcome_values(scenario, protocol, outcome, round_)
    _, gains, welfare = gains_and_welfare(scenario, utilities, protocol, round_)
    return SessionResult(
        scenario, protocol, dict(last.negotiators), seed, (), agreement, outcome,
        "agreement" if outcome is not None else last.reason, round_,
        sum(i.turns for i in items), last.ended_by, utilities, gains, welfare,
        [f for i in items for f in i.failures], elapsed, items=list(items),
        move_budget=move_budget,
    )
