"""``tratado serve --demo``: the Venezuela talks (id ``venezuela-2021``) mid-way, so that a
visitor sees a live example.

What it loads, on the bundled scenario: the mediator (an administrator), both
delegations (a head who signs and a member each) and an observer; each delegation's
preferences entered from the scenario; both heads' keys registered and the launching
document signed; the talks launched; round 1 (dated 3–6 September 2021, as the real
first partial agreements) on the economy alone, accepted by both: a provisional partial
agreement; round 2, the neutral's whole package, rejected by both with comments; round 3
scheduled. Every demo account has the password :data:`DEMO_PASSWORD`, and the heads'
signing keys are written beside the database (``tratado-demo-keys/``) so that a visitor
can sign as them. It is a demo: never run it on a service holding real talks.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tratado.records.note import SignerKey
from tratado.service import auth, rounds, tables, talks
from tratado.service.auth import Principal
from tratado.service.base import Service

DEMO_ID = "venezuela-2021"
DEMO_PASSWORD = "tratado-demo-only"
ACCOUNTS = (
    ("mediator@demo.tratado.example", "Dag Nylander (Norway)", "mediator", None),
    ("head@government.demo.tratado.example", "Jorge Rodríguez", "head", "government"),
    ("member@government.demo.tratado.example", "Government delegate", "delegate", "government"),
    ("head@opposition.demo.tratado.example", "Gerardo Blyde", "head", "opposition"),
    ("member@opposition.demo.tratado.example", "Opposition delegate", "delegate", "opposition"),
    ("observer@demo.tratado.example", "Observer (Mexico)", "observer", None),
)


@dataclass
class Demo:
    """What the demo made: the talks' id and the accounts (e-mail, name, role, party)."""

    talks_id: str
    accounts: tuple[tuple[str, str, str, str | None], ...]
    keys: Path


def load_demo(service: Service, keys_folder: Path) -> Demo:
    """Load the demo talks (see the module docstring); nothing when they exist already."""
    import tratado

    with service.db.read() as session:
        exists = session.get(tables.Talks, DEMO_ID) is not None
    if exists:
        return Demo(DEMO_ID, ACCOUNTS, keys_folder)
    scenario = tratado.load("venezuela-2021")
    people: dict[tuple[str, str | None], Principal] = {}
    with service.db.write() as session:
        email, name, _, _ = ACCOUNTS[0]
        user = auth.create_user(session, email, name, DEMO_PASSWORD, is_admin=True)
        mediator = Principal(user.id, user.name, user.email, True)
    context = (scenario.description or "").strip()
    talks.create_talks(service, mediator, scenario, talks_id=DEMO_ID, context=context)
    for email, name, role, party in ACCOUNTS[1:]:
        token = talks.invite(service, mediator, DEMO_ID, email=email, name=name, role=role,
                             party=party)
        user = auth.redeem_invitation(service.db, token, DEMO_PASSWORD)
        people[(role, party)] = Principal(user.id, user.name, user.email)
    keys_folder.mkdir(parents=True, exist_ok=True)
    keys: dict[str, SignerKey] = {}
    for party in scenario.party_ids:
        head = people[("head", party)]
        talks.set_preferences(service, people[("delegate", party)], DEMO_ID, party, scenario)
        keys[party] = _demo_key(keys_folder, f"{party}-head")
        talks.register_key(service, head, DEMO_ID, str(keys[party].verifier))
        _sign(service, head, keys[party], "launch")
    talks.launch(service, mediator, DEMO_ID)
    rounds.schedule_round(service, mediator, DEMO_ID, opens=datetime(2021, 9, 3, 9, tzinfo=UTC),
                          closes=datetime(2021, 9, 6, 18, tzinfo=UTC))
    rounds.open_round(service, mediator, DEMO_ID)
    rounds.propose(service, mediator, DEMO_ID, {"economy": "UN-managed social fund"})
    for party in scenario.party_ids:
        rounds.answer(service, people[("head", party)], DEMO_ID, True,
                      "urgent and verifiable: we agree on this point now")
    rounds.close_round(service, mediator, DEMO_ID)
    rounds.schedule_round(service, mediator, DEMO_ID, opens=datetime(2021, 9, 24, 9, tzinfo=UTC),
                          closes=datetime(2021, 9, 27, 18, tzinfo=UTC))
    rounds.open_round(service, mediator, DEMO_ID)
    rounds.propose(service, mediator, DEMO_ID, from_neutral=True)
    rounds.answer(service, people[("head", "government")], DEMO_ID, False,
                  "sanctions relief must come first")
    rounds.answer(service, people[("head", "opposition")], DEMO_ID, False,
                  "no date for the election is not acceptable")
    rounds.close_round(service, mediator, DEMO_ID)
    rounds.schedule_round(service, mediator, DEMO_ID, opens=datetime(2021, 10, 17, 9, tzinfo=UTC),
                          closes=datetime(2021, 10, 20, 18, tzinfo=UTC))
    return Demo(DEMO_ID, ACCOUNTS, keys_folder)


def _demo_key(folder: Path, name: str) -> SignerKey:
    from tratado.files import atomic_write

    path = folder / f"{name}.key"
    if path.exists():
        return SignerKey.parse(path.read_text(encoding="utf-8").strip())
    key = SignerKey.generate(name)
    atomic_write(path, key.secret_text() + "\n", mode=0o600)
    atomic_write(folder / f"{name}.pub", f"{key.verifier}\n")
    return key


def _sign(service: Service, head: Principal, key: SignerKey, document: str) -> None:
    text = talks.document_text(service, head, DEMO_ID, document)
    signature = base64.b64encode(key.sign(text.encode("utf-8"))).decode()
    talks.sign(service, head, DEMO_ID, document, signature)
