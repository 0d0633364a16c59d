"""Sessions: one negotiation — a protocol, one negotiator per party (and a mediator
where the protocol has one), a seed, and the event log.

    result = Session(scenario, "alternating", ["boulware", "conceder"], seed=7).run()
    result.agreement          # {issue: option} or None
    result.to_json()          # the whole record, one JSON document

Modules: :mod:`~tratado.session.runner` (:class:`Session`, :func:`run_session`),
:mod:`~tratado.session.result` (:class:`SessionResult` and the record),
:mod:`~tratado.session.replay` (:func:`verify`, :func:`replay`, :func:`check_replay`:
rebuild a session from its record and require the same bytes; the record itself is
:mod:`tratado.records`),
:mod:`~tratado.session.items` (item-by-item agendas),
:mod:`~tratado.session.evaluate` (:func:`evaluate`: distances to the frontier and the
Nash package), :mod:`~tratado.session.driver` (:class:`Driver`: the push-style driver
every session, replay and live request goes through), :mod:`~tratado.session.eventlog`
(:class:`EventLog`: the compact events) and :mod:`~tratado.session.log_view`
(:class:`LogView`: the log, built as it is read) and :mod:`~tratado.session.simulation`
(:func:`simulate`: run, evaluate and record one session, as ``tratado simulate`` does). Runs of many sessions
(:func:`~tratado.experiments.compare_agendas`, tournaments) live in
:mod:`tratado.experiments`.
"""

from tratado.session.driver import Driver
from tratado.session.evaluate import evaluate
from tratado.session.eventlog import EventLog
from tratado.session.log_view import LogView
from tratado.session.replay import Verdict, check_replay, replay, verify
from tratado.session.result import (
    FAILURE,
    SessionResult,
    build_result,
    participant_name,
    public_scenario,
    session_log,
)
from tratado.session.runner import Session, run_session
from tratado.session.simulation import Simulation, simulate

__all__ = [
    "FAILURE", "Driver", "EventLog", "LogView", "Session", "SessionResult", "build_result",
    "Verdict", "check_replay", "evaluate", "participant_name", "public_scenario", "replay",
    "Simulation", "run_session", "session_log", "simulate", "verify",
]
