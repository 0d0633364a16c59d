"""Shared builders for the service tests: a service on a fresh SQLite file, and the
Venezuela talks set up with both heads of delegation (keys registered, preferences
entered, launching document signed)."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path

import tratado
from tratado.records.note import SignerKey
from tratado.service import auth, talks
from tratado.service.app import make_service
from tratado.service.auth import Principal
from tratado.service.base import Service

PASSWORD = "a long enough password"


def new_service(folder: Path, url: str | None = None) -> Service:
    """A service on ``url`` (default: an SQLite file in ``folder``), key in ``folder``."""
    return make_service(url or f"sqlite:///{folder / 'talks.db'}", folder / "service.key")


def admin(service: Service, email: str = "mediator@norway.example") -> Principal:
    """A service administrator (who creates talks and mediates them)."""
    with service.db.write() as session:
        user = auth.create_user(session, email, "Dag Nylander", PASSWORD, is_admin=True)
        return Principal(user.id, user.name, user.email, True)


def join(service: Service, mediator: Principal, talks_id: str, role: str,
         party: str | None, email: str) -> Principal:
    """Invite and redeem: a member of the talks."""
    token = talks.invite(service, mediator, talks_id, email=email, name=email.split("@")[0],
                         role=role, party=party)
    user = auth.redeem_invitation(service.db, token, PASSWORD)
    return Principal(user.id, user.name, user.email)


def signature(key: SignerKey, text: str) -> str:
    return base64.b64encode(key.sign(text.encode("utf-8"))).decode()


@dataclass
class Talks:
    """The Venezuela talks, launched (or a draft with ``launch=False``)."""

    service: Service
    id: str
    mediator: Principal
    heads: dict[str, Principal] = field(default_factory=dict)
    keys: dict[str, SignerKey] = field(default_factory=dict)
    delegates: dict[str, Principal] = field(default_factory=dict)
    observer: Principal | None = None

    def sign(self, party: str, document: str) -> None:
        text = talks.document_text(self.service, self.heads[party], self.id, document)
        talks.sign(self.service, self.heads[party], self.id, document,
                   signature(self.keys[party], text))


def venezuela(service: Service, *, launch: bool = True, talks_id: str = "venezuela-2021",
              mediator: Principal | None = None) -> Talks:
    scenario = tratado.load("venezuela-2021")
    mediator = mediator or admin(service)
    talks.create_talks(service, mediator, scenario, talks_id=talks_id)
    setup = Talks(service, talks_id, mediator)
    for party in scenario.party_ids:
        head = join(service, mediator, talks_id, "head", party, f"head@{party}.{talks_id}.example")
        setup.heads[party] = head
        setup.delegates[party] = join(service, mediator, talks_id, "delegate", party,
                                      f"member@{party}.{talks_id}.example")
        talks.set_preferences(service, head, talks_id, party, scenario)
        setup.keys[party] = SignerKey.generate(f"{party}-head")
        talks.register_key(service, head, talks_id, str(setup.keys[party].verifier))
    setup.observer = join(service, mediator, talks_id, "observer", None,
                          f"observer@{talks_id}.example")
    if launch:
        for party in scenario.party_ids:
            setup.sign(party, "launch")
        talks.launch(service, mediator, talks_id)
    return setup
