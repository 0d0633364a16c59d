"""One package or item by item? The same talks run both ways (Raiffa 1982 ch. 14 on why
agenda handling changes what parties can trade; :mod:`tratado.session.items` for how an
item-by-item session runs)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tratado.negotiators import DEFAULT_NEGOTIATOR, Negotiator
from tratado.scenario import Scenario
from tratado.session import Session, SessionResult
from tratado.stakeholders import effective


def compare_agendas(
    scenario: Scenario,
    protocol: str = "alternating",
    negotiators: Sequence[Negotiator | str] | None = None,
    seed: int = 0,
    *,
    stakeholders: bool = True,
    **options: Any,
) -> tuple[SessionResult, SessionResult]:
    """The same talks negotiated as one package and item by item: ``(package, items)``.

    ``negotiators`` default to the ``frequency`` negotiator for every party; names are
    built afresh for each run (negotiator objects are reused: each run resets them).
    ``options`` are the protocol's (e.g. ``deadline``), the same for both runs. Both run
    with the stakeholders' effects folded into the parties' preferences
    (:func:`tratado.stakeholders.effective`); ``stakeholders=False``: the table alone."""
    scenario = effective(scenario, stakeholders)
    names = (list(negotiators) if negotiators is not None
             else [DEFAULT_NEGOTIATOR] * scenario.n_parties)
    package, items = (
        Session(scenario, protocol, names, seed,
                protocol_options={**options, "agreement": mode}).run()
        for mode in ("package", "item-by-item"))
    return package, items
