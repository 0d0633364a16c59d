"""Sessions: one negotiation — a protocol, one negotiator per party (and a mediator
where the protocol has one), a seed, and the event log.

    result = Session(scenario, "alternating", ["boulware", "conceder"], seed=7).run()
    result.agreement          # {issue: option} or None
    result.to_json()          # the whole record, one JSON document

Modules: :mod:`~tratado.session.runner` (:class:`Session`, :func:`run_session`),
:mod:`~tratado.session.result` (:class:`SessionResult` and the record),
:mod:`~tratado.session.replay` (:func:`replay`, :func:`check_replay`),
:mod:`~tratado.session.items` (item-by-item agendas, :func:`compare_agendas`) and
:mod:`~tratado.session.evaluate` (:func:`evaluate`: distances to the frontier and the
Nash package).
"""

from tratado.session.evaluate import evaluate
from tratado.session.items import compare_agendas
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
    "FAILURE", "Session", "SessionResult", "build_result", "check_replay", "compare_agendas",
    "evaluate", "participant_name", "public_scenario", "replay", "run_session", "session_log",
]
