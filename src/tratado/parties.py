"""Who sits at the table, and in which role.

A :class:`Party` negotiates and holds confidential :class:`~tratado.preferences.Preferences`:
only the party itself and a trusted neutral computation may read them. The other
roles (mediator, host, observers, stakeholders) have no preferences in the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class Stakeholder:
    """Someone outside the table whose stance matters (e.g. the holder of sanctions)."""

    name: str
    stance: str | None = None
    note: str | None = None


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
