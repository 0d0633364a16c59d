"""The analyze report's efficient-packages table (issue 6 §1, smaller ones)."""

from __future__ import annotations

import re

import pytest

import tratado
from tratado.report.analysis_report import render


def efficient_rows(text: str) -> list[str]:
    block = text.split("Efficient packages")[1].split("Who cares")[0]
    return [line for line in block.splitlines() if re.match(r"^\s+\d\.\d{3}\s", line)]


@pytest.mark.parametrize("limit", [2, 3, 5, 15])
def test_the_reference_package_is_among_the_rows(limit: int) -> None:
    """Rows are shown as differences from the Nash package, so it must be one of them."""
    a = tratado.analyze("venezuela-2021")
    text = render(a, limit)
    assert "differs from the Nash package" in text
    rows = efficient_rows(text)
    assert len(rows) == min(limit, len(a.rational_frontier))
    assert sum("(the Nash package)" in row for row in rows) == 1
    nash = f"{a.nash.utilities[0]:.3f}"
    assert any(row.split()[0] == nash for row in rows)


def _block(text: str, start: str, end: str) -> str:
    return text.split(start)[1].split(end)[0]


def test_every_package_item_is_shown_whole_in_the_agenda_s_words() -> None:
    """Nothing is cut ('…') and every item that differs from the Nash package is there,
    by its title, with its option: one line per item, wrapped within the report."""
    a = tratado.analyze("venezuela-2021")
    text = render(a, 15)
    block = _block(text, "Efficient packages", "Stakeholders away")
    assert "…" not in block
    assert max(len(line) for line in block.splitlines()) <= 88
    flat = " ".join(block.split())
    agenda = a.scenario.agenda
    nash = a.nash.outcome
    for k in range(len(a.rational_frontier)):
        package = a.package(a.rational_frontier, k)
        shown = f"{package.utilities[0]:.3f} {package.utilities[1]:.3f}"
        if shown not in flat:
            continue  # not among the rows shown
        row = flat.split(shown)[1].split(" 0.")[0]
        for issue, option in package.outcome.items():
            item = f"{agenda.issue(issue).label}: {option}"
            assert (item in row) == (option != nash[issue]), (shown, item)
        assert not any(f" {issue}:" in row for issue in agenda.names)  # titles, not ids


def test_the_linkage_speaks_of_items_by_their_titles_as_the_rest_does() -> None:
    a = tratado.analyze("venezuela-2021")
    block = _block(render(a), "Stakeholders away from the table: the linkage", "Who cares")
    agenda = a.scenario.agenda
    assert "…" not in block
    flat = " ".join(block.split())
    rest = flat
    for issue in agenda.issues:
        rest = rest.replace(issue.title, "")
    for issue in agenda.issues:
        assert issue.title and not re.search(rf"\b{issue.name}\b", rest), issue.name
    for issue in a.linkage.moved_issues(a):
        assert agenda.issue(issue).label in flat
    assert "with Electoral guarantees for all / electoral timetable for observable" in flat
