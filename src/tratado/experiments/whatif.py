"""What-if changes to an uncertain scenario, applied to every sample of a forecast.

A forecast can be run again with a change — "what if the government's no-deal value
were 0.70?", "what if we knew the opposition's weight on sanctions is 0.25?" — against
the *same* samples and the same session seeds, so that the difference between the two
forecasts is the change's and not sampling noise (common random numbers).

One what-if is text: changes separated by commas, each ``NAME=VALUE``:

* ``PARTY=VALUE`` (a party's id): that party's no-deal (reservation) value, as
  ``--reservation`` does for one scenario; it replaces the sampled value;
* ``KEY=VALUE`` (the key of an uncertain input, as ``tratado forecast`` lists them):
  the input pinned at VALUE in every sample (what the forecast would be if that
  estimate were known exactly).

:func:`parse_what_if` checks the text against the scenario and its inputs (a mistake is
a :class:`~tratado.errors.TratadoError` naming ``--what-if``); :meth:`WhatIf.row` and
:meth:`WhatIf.apply` change one sample.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tratado.errors import TratadoError
from tratado.scenario import Scenario

FIELD = "--what-if"
SYNTAX = ("write changes as NAME=VALUE, separated by commas: a party's id for its no-deal"
          " value (government=0.7), or the key of an uncertain input to pin it")


@dataclass(frozen=True)
class WhatIf:
    """One what-if: no-deal values to set and uncertain inputs to pin."""

    text: str
    reservations: tuple[tuple[str, float], ...] = ()
    pins: tuple[tuple[int, float], ...] = ()  # (input column, value)

    def row(self, row: np.ndarray) -> np.ndarray:
        """The sample ``row`` with the pinned inputs set."""
        if not self.pins:
            return row
        changed = np.array(row, dtype=np.float64)
        for column, value in self.pins:
            changed[column] = value
        return changed

    def apply(self, scenario: Scenario) -> Scenario:
        """``scenario`` (one sample) with the no-deal values set."""
        if not self.reservations:
            return scenario
        return scenario.with_reservation_values(dict(self.reservations))

    def to_dict(self) -> dict[str, Any]:
        return {"what_if": self.text}


NONE = WhatIf("")
"""The forecast itself: no change."""


def _number(text: str, change: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not np.isfinite(value):
        raise TratadoError(f"'{change}' does not end in a number.", field=FIELD,
                           fix=SYNTAX + ".")
    return value


def parse_what_if(text: str, scenario: Scenario, keys: Sequence[str]) -> WhatIf:
    """The what-if ``text`` (see the module docstring), checked against ``scenario``'s
    parties and the uncertain inputs' ``keys``."""
    reservations: dict[str, float] = {}
    pins: dict[int, float] = {}
    changes = [part.strip() for part in text.split(",") if part.strip()]
    if not changes:
        raise TratadoError("an empty what-if.", field=FIELD, fix=SYNTAX + ".")
    for change in changes:
        name, sep, value = (part.strip() for part in change.partition("="))
        if not sep or not name:
            raise TratadoError(f"'{change}' is not NAME=VALUE.", field=FIELD, fix=SYNTAX + ".")
        number = _number(value, change)
        if name in scenario.party_ids:
            if name in reservations:
                raise TratadoError(f"'{name}' is changed twice in one what-if.", field=FIELD,
                                   fix="give each change once.")
            reservations[name] = number
        elif name in keys:
            column = list(keys).index(name)
            if column in pins:
                raise TratadoError(f"'{name}' is changed twice in one what-if.", field=FIELD,
                                   fix="give each change once.")
            pins[column] = number
        else:
            known = [*scenario.party_ids, *keys]
            import difflib

            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            listing = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
            raise TratadoError(
                f"'{name}' is neither a party nor an uncertain input of the scenario{hint}.",
                field=FIELD, fix=f"use one of: {listing} (`tratado forecast SCENARIO` lists"
                " the uncertain inputs).")
    try:
        scenario.with_reservation_values(reservations)
    except TratadoError as error:
        raise TratadoError(error.message, field=FIELD, fix=error.fix) from None
    return WhatIf(", ".join(changes), tuple(reservations.items()), tuple(sorted(pins.items())))
