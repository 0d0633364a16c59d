"""Sessions: one negotiation — a protocol, one negotiator per party (and a mediator
where the protocol has one), a seed, and the event log.

    result = Session(scenario, "alternating", ["boulware", "conceder"], seed=7).run()
    result.agreement          # {issue: option} or None
    result.to_json()          # the whole record, one JSON document

Modules: :mod:`~tratado.session.runner` (:class:`Session`, :func:`run_session`),
:mod:`~tratado.session.result` (:class:`SessionResult` and the record),
:mod:`~tratado.session.replay` (:func:`replay`, :func:`check_replay`),
:mod:`~tratado.session.items` (item-by-item agendas),
:mod:`~tratado.session.evaluate` (:func:`evaluate`: distances to the frontier and the
Nash package), :mod:`~tratado.session.driver` (:class:`Driver`: the push-style driver
every session, replay and live request goes through), :mod:`~tratado.session.eventlog`
(:class:`EventLog`: the compact events) and :mod:`~tratado.session.log_view`
(:class:`LogView`: the log, built as it is read). Runs of many sessions
(:func:`~tratado.experiments.compare_agendas`, tournaments) live in
:mod:`tratado.experiments`.
"""

from tratado.session.driver import Driver
from tratado.session.evaluate import evaluate
from tratado.session.eventlog import EventLog
from tratado.session.log_view import LogView
from tratado.session.replay import check_replay, replay
from tratado.session.result import (
    FAILURE,
    SessionResult,
    build_result,
    participant_name,
    public_scenario,
    session_log,
)
from tratado.session.runner import Session, run_session

__all__ = [
    "FAILURE", "Driver", "EventLog", "LogView", "Session", "SessionResult", "build_result",
    "check_replay", "evaluate", "participant_name", "public_scenario", "replay", "run_session", "session_log",
]
