"""One simulated negotiation from start to record: what ``tratado simulate`` does, as one
library call.

    run = simulate(tratado.load("job-offer"), ["boulware", "conceder"], seed=3)
    run.result.agreement                 # the SessionResult, evaluated
    write_record(run.record, out)        # the analyst's record, its log built as written

:func:`simulate` applies the what-if no-deal values, folds in the stakeholders' effects
(:func:`tratado.stakeholders.effective`; ``stakeholders=False`` runs the table alone),
builds the protocol from its options (a deadline beyond ``limit("rounds")`` is refused
before anything runs), runs the session, measures the outcome against the frontier and
the Nash package (:func:`~tratado.session.evaluate.evaluate`; not on a space whose exact
frontier even the neutral does not walk — see :func:`distances_by_default`) and builds the analyst's
record (:func:`tratado.records.build_record`) with a *lazy* log: nothing proportional to
the length of the talks is built until the record is written or read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tratado.agenda import DEFAULT_ENUMERATION_LIMIT
from tratado.analysis.space import check_frontier_work
from tratado.negotiators import Mediator, Negotiator
from tratado.negotiators.search_frontier import needs_search
from tratado.records import build_record
from tratado.scenario import Scenario
from tratado.session.evaluate import evaluate
from tratado.session.result import SessionResult
from tratado.session.runner import Session
from tratado.stakeholders import effective


@dataclass(frozen=True, eq=False)
class Simulation:
    """One simulated session: the scenario it ran on (what-ifs applied, stakeholders'
    effects folded in unless the table ran alone), the evaluated
    result and its analyst's record (``record["log"]`` a lazy sequence)."""

    scenario: Scenario
    result: SessionResult = field(repr=False)
    record: dict[str, Any] = field(repr=False)
    tracebacks: dict[str, str] = field(default_factory=dict, repr=False)
    """For each participant that failed, the last lines of its traceback (never in the
    record; ``simulate --debug`` prints them)."""
    #: False when the distances to the frontier and the Nash package were left out
    #: (``result.distance_to_pareto`` and ``distance_to_nash`` are then ``None``).
    measured: bool = True


def simulate(
    base: Scenario,
    negotiators: Sequence[Negotiator | str] | Mapping[str, Negotiator | str],
    protocol: str = "alternating",
    seed: int = 0,
    *,
    reservations: Mapping[str, float] | None = None,
    move_budget: float | None = None,
    mediator: Mediator | None = None,
    source: Mapping[str, Any] | None = None,
    stakeholders: bool = True,
    distances: bool | None = None,
    **options: Any,
) -> Simulation:
    """Run and evaluate one session of ``base`` (with the what-if ``reservations``), and
    build its record. ``options`` are the protocol's (``deadline``, ``deadline_seconds``,
    ``discounting``, ``agreement``...); ``source`` where the scenario can be found again
    (:func:`tratado.records.scenario_source`). The stakeholders' effects are folded into
    the parties' preferences after the what-if no-deal values are set (as ``analyze``
    and forecasts do); ``stakeholders=False``: the table alone. The record says which
    (its ``stakeholders`` member), so that replay runs the same. ``distances``: measure
    the outcome against the exact frontier and the Nash package (``None``: as
    :func:`distances_by_default` says)."""
    scenario = base.with_reservation_values(dict(reservations)) if reservations else base
    scenario = effective(scenario, stakeholders)
    measured = distances_by_default(scenario) if distances is None else distances
    if measured:
        # the distances reported after the talks need the exact frontier: a scenario whose
        # frontier is out of reach is refused now, with the estimate, not after the talks
        check_frontier_work(scenario, f"the Pareto frontier of '{scenario.name}' (for the"
                            " distances reported after the talks)")
    session = Session(scenario, protocol, negotiators, seed, mediator=mediator,
                      move_budget=move_budget, protocol_options=options)
    result = session.run()
    if measured:
        evaluate(result, scenario)
    record = build_record(result, base=base,
                          what_if={"reservation_values": dict(reservations)}
                          if reservations else None,
                          source=source, lazy_log=True, stakeholders=stakeholders)
    return Simulation(scenario, result, record, dict(session.tracebacks), measured)


def distances_by_default(scenario: Scenario) -> bool:
    """Whether :func:`simulate` measures the outcome against the exact frontier unless
    told otherwise: yes, except on a space too large to list whose preferences are not
    additive and whose exact frontier the neutral itself does not walk (more than
    :data:`~tratado.negotiators.search_frontier.EXACT_WALK_ISSUES` issues, or no
    mixed-integer model): there the frontier costs a minute or more (a 40-issue ANAC-2014
    shape: 42 s on a quiet machine), many times the talks themselves. ``tratado analyze``
    computes it; ``distances=True`` (``simulate --distances``) asks for it anyway."""
    return not needs_search(scenario, DEFAULT_ENUMERATION_LIMIT)
