"""The drawn picture of a session: the artists on each panel, not just a file."""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pytest

import tratado
from tratado.formats import bundled_examples
from tratado.session import Session, evaluate
from tratado.session.evaluate import frontier_and_nash

pytest.importorskip("matplotlib")

from tratado.report.session_plot import draw_session  # noqa: E402
from tratado.report.session_trace import session_trace  # noqa: E402

EXAMPLES = bundled_examples()


@cache
def scenario(example: str) -> tratado.Scenario:
    return tratado.load(EXAMPLES[example])


@cache
def record(example: str, protocol: str) -> dict[str, Any]:
    loaded = scenario(example)
    result = Session(loaded, protocol, ["frequency"] * loaded.n_parties, 0).run()
    evaluate(result, loaded)
    return result.to_dict(timing=False)


@cache
def figure(example: str, protocol: str) -> Any:
    loaded = scenario(example)
    return draw_session(loaded, record(example, protocol), *frontier_and_nash(loaded))


def labels(ax: Any) -> set[str]:
    return {artist.get_label() for artist in [*ax.lines, *ax.collections]}


def line(ax: Any, label: str) -> Any:
    found = [ln for ln in ax.lines if ln.get_label() == label]
    assert len(found) == 1, (label, labels(ax))
    return found[0]


def test_alternating_two_parties_draws_each_partys_offers():
    space, time = figure("venezuela-2021", "alternating").axes
    assert {"offers by government", "offers by opposition", "Pareto frontier",
            "Nash package"} <= labels(space)
    doc = record("venezuela-2021", "alternating")
    mine = [e for e in doc["log"] if e["kind"] == "propose" and e["party"] == "government"]
    drawn = line(space, "offers by government")
    np.testing.assert_array_equal(drawn.get_xdata(), [e["utilities"]["government"] for e in mine])
    np.testing.assert_array_equal(drawn.get_ydata(), [e["utilities"]["opposition"] for e in mine])
    assert "government: own offers" in labels(time)


def test_single_text_draws_the_draft_and_changes_not_votes_as_offers():
    space, time = figure("venezuela-2021", "single-text").axes
    drawn = labels(space)
    assert not any(label.startswith("offers by") for label in drawn)
    assert {"draft", "change turned down", "final text", "agreement (round 29)"} <= drawn
    trace = session_trace(record("venezuela-2021", "single-text"))
    turned_down = line(space, "change turned down")
    np.testing.assert_array_equal(turned_down.get_xdata(),
                                  trace.named("change turned down").utilities[:, 0])
    assert turned_down.get_markerfacecolor() == "none"  # hollow: turned down
    assert line(space, "change adopted").get_markerfacecolor() != "none"
    assert {"government: draft", "opposition: draft"} <= labels(time)
    assert space.get_title() == "The mediator's text in utility space"


def test_mediated_draws_the_neutrals_proposals_and_the_settlement():
    space, time = figure("venezuela-2021", "mediated").axes
    drawn = labels(space)
    assert not any(label.startswith("offers by") for label in drawn)
    assert {"proposal rejected", "proposal accepted"} <= drawn
    doc = record("venezuela-2021", "mediated")
    settlement = doc["result"]["details"]["settlement"]["utilities"]
    accepted = line(space, "proposal accepted")
    assert accepted.get_xdata().tolist() == [settlement["government"]]
    assert accepted.get_ydata().tolist() == [settlement["opposition"]]
    assert "government: proposal accepted" in labels(time)


@pytest.mark.parametrize("protocol", ["alternating", "single-text", "mediated"])
def test_three_parties_every_pair_and_every_party_has_a_panel(protocol):
    fig = figure("river-basin", protocol)
    ids = ["upland", "midland", "delta"]
    grid = np.array(fig.axes).reshape(3, 3)
    pairs = set()
    for row in range(3):
        for col in range(3):
            ax = grid[row][col]
            if row > col:  # a pair: the column's party across, the row's party up
                assert ax.get_xlabel() == f"utility for {ids[col]}"
                assert ax.get_ylabel() == f"utility for {ids[row]}"
                pairs.add(frozenset((ids[col], ids[row])))
                # the frontier: projected points, never a line through them
                assert "Pareto frontier (all parties), projected" in {
                    c.get_label() for c in ax.collections}
                assert not any("frontier" in ln.get_label() for ln in ax.lines)
            elif row == col:
                assert ax.get_title().startswith(f"{ids[row]}: utility over time")
                assert ax.get_xlabel() == "move" and ax.lines
            else:
                assert not ax.axison and not ax.lines and not ax.collections
    assert len(pairs) == 3
    # the legend names the series once each
    legend = grid[0][2].get_legend()
    texts = [t.get_text() for t in legend.get_texts()]
    assert len(texts) == len(set(texts)) and "no-deal values" in texts


def test_three_party_offers_are_drawn_for_every_proposer_in_every_pair():
    fig = figure("river-basin", "alternating")
    grid = np.array(fig.axes).reshape(3, 3)
    for row, col in ((1, 0), (2, 0), (2, 1)):
        assert {"offers by upland", "offers by midland", "offers by delta"} <= labels(grid[row][col])


def test_axes_name_parties_by_id_as_the_tables_do():
    space, _ = figure("venezuela-2021", "alternating").axes
    assert space.get_ylabel() == "utility for opposition"
    assert "Unitary Platform" not in space.get_ylabel()


def test_talks_that_end_at_once_draw_without_warnings(recwarn):
    loaded = scenario("job-offer")
    doc = {"parties": ["candidate", "employer"], "protocol": {"name": "alternating"},
           "negotiators": {"candidate": "x", "employer": "y"},
           "log": [{"turn": 0, "round": 0, "kind": "walk-away", "party": "candidate"}],
           "agreement": None, "result": {"reason": "walk-away"}}
    fig = draw_session(loaded, doc, *frontier_and_nash(loaded))
    space, time = fig.axes
    assert not any(label.startswith("offers by") for label in labels(space))
    assert "no agreement (walk-away)" in fig._suptitle.get_text()
    assert not [w for w in recwarn if "legend" in str(w.message)]


def test_more_parties_than_a_readable_matrix_are_refused(monkeypatch):
    from tratado.errors import TratadoError
    from tratado.report import figures

    monkeypatch.setattr(figures, "MAX_PARTIES", 2)
    loaded = scenario("river-basin")
    with pytest.raises(TratadoError, match="3 parties would need 9 panels"):
        draw_session(loaded, record("river-basin", "alternating"), *frontier_and_nash(loaded))


@pytest.mark.parametrize(("example", "protocol"), [("venezuela-2021", "single-text"),
                                                   ("river-basin", "alternating")])
def test_the_title_is_wrapped_to_the_figure_not_cut_off(example: str, protocol: str) -> None:
    # negotiators are named with their parameters now: the title must wrap, and still
    # name every party's negotiator
    fig = figure(example, protocol)
    title = fig._suptitle.get_text()
    assert max(len(part) for part in title.split("\n")) <= fig.get_figwidth() * 9
    assert all(party in title for party in scenario(example).party_ids)
    renderer = fig.canvas.get_renderer()
    box = fig._suptitle.get_window_extent(renderer)
    assert box.x0 >= 0 and box.x1 <= fig.bbox.width
