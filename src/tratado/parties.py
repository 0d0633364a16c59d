"""Who sits at the table, and in which role.

A :class:`Party` negotiates and holds confidential :class:`~tratado.preferences.Preferences`:
only the party itself and a trusted neutral computation may read them. The other
roles (mediator, host, observers, stakeholders) have no preferences in the model; a
:class:`Stakeholder` outside the table may still change what the parties get, through
its :class:`Effect` s (see :mod:`tratado.stakeholders`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from tratado.errors import ScenarioError
from tratado.labels import clean_text
from tratado.preferences import Preferences


@dataclass(frozen=True)
class Delegation:
    """The people who speak for a party."""

    head: str | None = None
    members: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False, repr=False)
class Party:
    """A side of the negotiation, with its delegation and confidential preferences.

    Names and notes are kept in Unicode NFC; invisible formatting characters are
    refused (:mod:`tratado.labels`). The repr shows no preference value.
    """

    id: str
    preferences: Preferences
    name: str | None = None
    short_name: str | None = None
    delegation: Delegation | None = None
    notes: str | None = None

    def __post_init__(self) -> None:
        for key in ("name", "short_name", "notes"):
            value = getattr(self, key)
            if value is not None:
                try:
                    object.__setattr__(self, key, clean_text(value, multiline=key == "notes"))
                except ScenarioError as exc:
                    raise ScenarioError(f"party '{self.id}': {exc.message}", field=key,
                                        fix=exc.fix) from None

    def __repr__(self) -> str:
        name = f", name={self.name!r}" if self.name else ""
        return f"Party({self.id!r}{name}, preferences=<{type(self.preferences).__name__}>)"

    @property
    def label(self) -> str:
        """The name to show people: short name, else name, else id."""
        return self.short_name or self.name or self.id


@dataclass(frozen=True)
class Role:
    """A mediator, host or observer: a name, the people, and a note."""

    name: str
    people: tuple[str, ...] = ()
    role: str | None = None
    note: str | None = None


@dataclass(frozen=True, eq=False)
class Condition:
    """Which agreements a stakeholder's effect applies to: for each named issue, the
    options that meet it (an agreement meets the condition when every named issue is
    settled on one of its options). No issue named: every agreement."""

    allowed: Mapping[int, np.ndarray] = field(default_factory=dict)  # issue position -> bool mask

    def holds(self, outcomes: np.ndarray) -> np.ndarray:
        """Whether each outcome row meets the condition, shape ``(m,)``."""
        met = np.ones(outcomes.shape[0], dtype=bool)
        for position, mask in self.allowed.items():
            met &= mask[outcomes[:, position]]
        return met


@dataclass(frozen=True)
class Effect:
    """What a stakeholder does to one party.

    ``utility``: utility points added to the party's utility of every agreement that
    meets ``when``; ``no_deal``: points added to its no-deal (reservation) value — a
    threat when negative, a promise when positive, whatever happens at the table. Both
    lie in [-1, 1]; :func:`tratado.stakeholders.with_stakeholders` keeps utilities in
    [0, 1] by an affine rescale.
    """

    party: str
    when: Condition = field(default_factory=Condition)
    utility: float = 0.0
    no_deal: float = 0.0
    note: str | None = None

    def __post_init__(self) -> None:
        for name in ("utility", "no_deal"):
            value = getattr(self, name)
            if not (np.isfinite(value) and -1.0 <= value <= 1.0):
                raise ScenarioError(f"the effect on party '{self.party}' of {value:g} {name} "
                                    "points is outside [-1, 1].", field=name,
                                    fix="give the change in the party's utility points, between"
                                    " -1 and 1.")


def stakeholder_key(name: str) -> str:
    """The id a stakeholder gets from its name: 'United States' -> 'united-states'."""
    return re.sub(r"[^a-z0-9_]+", "-", name.lower()).strip("-") or "stakeholder"


@dataclass(frozen=True)
class Stakeholder:
    """Someone outside the table whose stance matters (e.g. the holder of sanctions).

    ``effects`` (optional) say how it changes what the parties get: see :class:`Effect`.
    ``id`` names it in uncertain-input keys; by default it is made from the name.
    """

    name: str
    stance: str | None = None
    note: str | None = None
    effects: tuple[Effect, ...] = ()
    id: str | None = None

    @property
    def key(self) -> str:
        """``id``, or the name in lower case with '-' for spaces ('united-states')."""
        return self.id or stakeholder_key(self.name)


@dataclass(frozen=True)
class Rules:
    """How the talks are run: deadline and agenda handling."""

    deadline: int = 100
    agreement: str = "package"  # "package" or "item-by-item"
    deadline_seconds: float | None = None
    notes: str | None = None

    AGREEMENT_MODES = ("package", "item-by-item")


@dataclass(frozen=True)
class Roles:
    """Everyone at or around the table who is not a negotiating party."""

    mediator: Role | None = None
    host: Role | None = None
    observers: tuple[Role, ...] = field(default=())
    stakeholders: tuple[Stakeholder, ...] = field(default=())
