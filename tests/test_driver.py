"""The push-style driver: events submitted one by one give the protocol's fold; refused
events change nothing; the compact event log and the lazy log view give back what was put
in."""

from __future__ import annotations

import contextlib
import json
from functools import reduce
from typing import Any

import pytest
from engine_builders import as_event, make_scenario, moves
from hypothesis import given, settings
from hypothesis import strategies as st

from tratado.protocols import (
    Accept,
    EventRefused,
    Propose,
    Protocol,
    TimeUp,
    Vote,
    WalkAway,
    protocol_class,
)
from tratado.session import Session
from tratado.session.driver import Driver, fold
from tratado.session.eventlog import SETTLE_EVERY, EventLog
from tratado.session.log_view import LogView, write_json
from tratado.session.result import session_log

SCENARIO = make_scenario(sizes=(3, 2, 2), n_parties=3, deadline=6, reservation=0.1)
PROTOCOLS = ["alternating", "single-text", "mediated"]


def protocol_for(name: str, **options: Any) -> Protocol[Any]:
    return protocol_class(name).for_scenario(SCENARIO, **options)


@pytest.mark.parametrize("name", PROTOCOLS)
@settings(max_examples=40, deadline=None)
@given(script=moves(SCENARIO, max_size=40))
def test_submitted_events_give_the_protocols_fold(name: str, script: list[Any]) -> None:
    protocol = protocol_for(name, deadline_seconds=60.0)
    driver = Driver(protocol)
    accepted = []
    for move in script:
        event = as_event(move, driver.whose_turn())
        before_state, before_len = driver.state, len(driver.events)
        try:
            driver.submit(event)
        except EventRefused:
            assert driver.state == before_state and len(driver.events) == before_len
            continue
        accepted.append(event)
        assert driver.state == reduce(protocol.step, accepted, protocol.initial_state())
    assert list(driver.events) == accepted
    assert driver.events == accepted
    assert driver.is_over == protocol.is_over(driver.state)
    assert driver.result() == protocol.result(driver.state)
    assert fold(protocol, accepted) == driver.state


def test_what_is_expected_next_and_refusals() -> None:
    protocol = protocol_for("alternating")
    driver = Driver(protocol)
    assert driver.expected() == {"p0": (Propose, WalkAway)}
    with pytest.raises(EventRefused):
        driver.submit(Accept("p0"))  # nothing on the table
    with pytest.raises(EventRefused):
        driver.submit("propose")  # type: ignore[arg-type]
    assert len(driver.events) == 0 and driver.state == protocol.initial_state()
    driver.submit(Propose("p0", (0, 0, 0)))
    assert driver.whose_turn() == ("p1",)
    assert set(driver.expected()["p1"]) == {Accept, Propose, WalkAway}
    driver.submit(WalkAway("p2"))
    assert driver.is_over and driver.result().reason == "walk-away"
    with pytest.raises(EventRefused):
        Driver.replaying(protocol, [Propose("p0", (0, 0, 0)), Propose("p0", (0, 0, 0))])


@settings(max_examples=25, deadline=None)
@given(script=st.lists(st.tuples(st.integers(0, 6), st.integers(0, 3), st.integers(0, 11),
                                 st.booleans()), max_size=60),
       settle=st.lists(st.integers(0, 60), max_size=4))
def test_the_compact_log_gives_back_every_event(script: list[Any], settle: list[int]) -> None:
    parties = ("p0", "p1", "p2", "mediator")
    outcomes = [(a, b, c) for a in range(3) for b in range(2) for c in range(2)]
    makers = [
        lambda p, o, b: Propose(p, o), lambda p, o, b: Accept(p),
        lambda p, o, b: WalkAway(p, note="failure: it crashed" if b else ""),
        lambda p, o, b: Vote(p, b), lambda p, o, b: TimeUp(),
        lambda p, o, b: Propose("stranger", o), lambda p, o, b: Accept(p, note="n" if b else ""),
    ]
    events = [makers[k](parties[p], outcomes[o], b) for k, p, o, b in script]
    log = EventLog(parties)
    for position, event in enumerate(events):
        log.append(event)
        if position in settle:
            log.settle()
        assert log[position] == event and len(log) == position + 1
    assert list(log) == events and log[2:7] == events[2:7] and log[::3] == events[::3]
    log.settle()
    assert list(log) == events and log == EventLog.of(parties, events)
    if events:
        assert log[-1] == events[-1]


def test_a_long_session_settles_its_log_and_keeps_the_same_record() -> None:
    scenario = make_scenario(sizes=(4, 3), deadline=3 * SETTLE_EVERY, reservation=0.99)
    result = Session(scenario, "alternating", ["hardliner", "hardliner"], seed=1).run()
    assert result.reason == "deadline" and len(result.events) == 6 * SETTLE_EVERY
    assert isinstance(result.events, EventLog) and len(result.events.pending) < SETTLE_EVERY
    assert result.events.nbytes() == 4 * len(result.events)
    generic = Session(scenario, "alternating", ["hardliner", "hardliner"], seed=1)
    generic.fast_path = False
    assert generic.run().events == result.events


@pytest.mark.parametrize("name", PROTOCOLS)
def test_the_lazy_log_is_the_rendered_log(name: str) -> None:
    result = Session(SCENARIO, name, ["boulware", "conceder", "linear"], seed=3).run()
    log = result.log
    assert isinstance(log, LogView)
    eager = session_log(SCENARIO, result.protocol, list(result.events))
    assert log == eager and len(log) == len(eager)
    for k in (0, len(eager) // 2, len(eager) - 1, -1):
        assert log[k] == eager[k]
    assert log[3:9] == eager[3:9] and log[::4] == eager[::4]
    assert list(log.encoded()) == [json.dumps(e, ensure_ascii=False) for e in eager]
    sort = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
    assert list(log.encoded(sort, True, (",", ":"))) == [sort(e) for e in eager]


def test_the_streamed_json_is_the_json_document(tmp_path: Any) -> None:
    result = Session(SCENARIO, "mediated", ["boulware", "conceder", "linear"], seed=3).run()
    record = {"a": 1, "log": result.log, "nested": {"log": result.log, "x": [1, 2]},
              "empty": {}, "none": None}
    pieces: list[str] = []
    write_json(record, pieces.append)
    whole = {**record, "log": list(result.log), "nested": {"log": list(result.log), "x": [1, 2]}}
    assert json.loads("".join(pieces)) == whole


def test_labels_that_look_like_format_fields_are_written_as_they_are() -> None:
    from dataclasses import replace

    from tratado import Agenda, Issue

    scenario = replace(SCENARIO, agenda=Agenda((Issue.categorical("i0", ["{0}", "{1}}", "{"]),
                                                *SCENARIO.agenda.issues[1:])))
    result = Session(scenario, "alternating", ["boulware", "conceder", "linear"], seed=3).run()
    assert list(result.log.encoded()) == [json.dumps(e, ensure_ascii=False) for e in result.log]


def test_the_compact_log_widens_its_codes_when_packages_are_many(monkeypatch: Any) -> None:
    import tratado.session.eventlog as eventlog

    monkeypatch.setattr(eventlog, "_INT32", 3 << 11)  # as if past a million packages
    outcomes = [(a, b, c) for a in range(3) for b in range(2) for c in range(2)]
    events = [Propose("p0", o) for o in outcomes] + [Accept("p1")]
    log = EventLog.of(("p0", "p1"), events)
    assert list(log) == events and log.nbytes() == 8 * len(events)


@settings(max_examples=60, deadline=None)
@given(script=moves(SCENARIO, max_size=40), discount=st.booleans())
def test_the_fused_log_fold_gives_the_generic_fold(script: list[Any], discount: bool) -> None:
    protocol = protocol_for("alternating", deadline=4, discounting=discount,
                            deadline_seconds=60.0)
    driver = Driver(protocol)
    for move in script:
        with contextlib.suppress(EventRefused):
            driver.submit(as_event(move, driver.whose_turn()))
    events = list(driver.events)
    fused_steps, fused_state = protocol.fold_log(protocol.initial_state(), events)
    assert fused_state == driver.state
    state, generic = protocol.initial_state(), []
    for event in events:
        concerned = getattr(event, "outcome", None)
        if concerned is None and event.kind in ("accept", "reject", "vote"):
            concerned = protocol.subject(state)
        generic.append((protocol.round(state), protocol.time(state), event, concerned))
        state = protocol.step(state, event)
    assert fused_steps == generic
    fused = LogView(SCENARIO, protocol, driver.events)
    plain = LogView(SCENARIO, protocol, driver.events)
    try:
        LogView.fast_fold = False
        expected = list(plain)
    finally:
        LogView.fast_fold = True
    assert list(fused) == expected and fused[len(events) // 2:] == expected[len(events) // 2:]


def test_a_whole_number_is_taken_where_a_number_is_expected() -> None:
    from tratado.negotiators.registry import make

    assert make("conceder", e=4).params["e"] == 4.0
    assert isinstance(make("conceder", e=4).params["e"], float)


def test_parameters_kept_per_class_tell_one_from_true_and_from_one_point_zero() -> None:
    from tratado.negotiators.registry import SpecError, make

    assert make("conceder", e=1).params == {"e": 1.0}
    with pytest.raises(SpecError):
        make("conceder", e=True)
    assert make("linear", e=2.0).params == make("linear", e=2).params == {"e": 2.0}
    assert make("boulware").params == {"e": 0.2} and make("boulware").params == {"e": 0.2}
