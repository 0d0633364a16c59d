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
