"""The service's tables (SQLAlchemy 2 declarative models).

What is where, and who may read it:

* ``talks``: one row per talks — its id, title, the *public* model of the scenario
  (agenda, parties' names, rules, roles: never a preference), the protocol's options,
  and ``version``, bumped by every change (the row the per-talks lock holds).
* ``leaves``: the talks' log, one canonical-JSON leaf per event, append-only; the state
  of the talks is a fold over it (:mod:`tratado.service.state`). Public to every member.
* ``checkpoints`` and ``cosignatures``: the service's signed checkpoint after each leaf,
  and the heads of delegation's co-signatures of them.
* ``preferences``: each delegation's confidential preferences with the salt of their
  commitment in the log. Read only by that delegation and the neutral computation.
* ``sealed_answers``: answers given while a round is open, revealed at its close; the
  unique ``(talks, round, party)`` makes a double click one answer.
* ``users``, ``memberships``, ``invitations``, ``login_sessions``, ``login_attempts``:
  who may do what (:mod:`tratado.service.auth`).
* ``idempotency``: the response to each ``Idempotency-Key`` already served.
* ``settings``: the service's verifier key and other one-line settings.

Secrets (passwords, session cookies, invitation links, API tokens) are stored only as
hashes: argon2 for passwords, SHA-256 for random 256-bit tokens (a fast hash is right
for a random token: there is nothing to guess).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """The declarative base of the service's tables."""


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    api_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Talks(Base):
    __tablename__ = "talks"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    model: Mapped[str] = mapped_column(Text)  # the public model, canonical JSON
    protocol: Mapped[str] = mapped_column(Text)  # the protocol's options, canonical JSON
    context: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("talks_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    talks_id: Mapped[str] = mapped_column(ForeignKey("talks.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # mediator | delegate | head | observer
    party: Mapped[str | None] = mapped_column(String(64), nullable=True)
    verifier_key: Mapped[str | None] = mapped_column(String(300), nullable=True)


class Invitation(Base):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    talks_id: Mapped[str | None] = mapped_column(ForeignKey("talks.id"), nullable=True)
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    party: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LoginSession(Base):
    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginAttempt(Base):
    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(400), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Leaf(Base):
    __tablename__ = "leaves"

    talks_id: Mapped[str] = mapped_column(ForeignKey("talks.id"), primary_key=True)
    index: Mapped[int] = mapped_column(Integer, primary_key=True)
    body: Mapped[str] = mapped_column(Text)  # canonical JSON of the leaf
    leaf_hash: Mapped[str] = mapped_column(String(64))  # RFC 9162 leaf hash, hex
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CheckpointRow(Base):
    __tablename__ = "checkpoints"

    talks_id: Mapped[str] = mapped_column(ForeignKey("talks.id"), primary_key=True)
    size: Mapped[int] = mapped_column(Integer, primary_key=True)
    note: Mapped[str] = mapped_column(Text)  # the service-signed C2SP note


class Cosignature(Base):
    __tablename__ = "cosignatures"
    __table_args__ = (UniqueConstraint("talks_id", "size", "party"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    talks_id: Mapped[str] = mapped_column(ForeignKey("talks.id"), index=True)
    size: Mapped[int] = mapped_column(Integer)
    party: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text)  # the checkpoint with the head's line added
    verifier_key: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PreferencesRow(Base):
    __tablename__ = "preferences"

    talks_id: Mapped[str] = mapped_column(ForeignKey("talks.id"), primary_key=True)
    party: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[str] = mapped_column(Text)  # canonical JSON, tratado's preferences format
    salt: Mapped[str] = mapped_column(String(64))  # hex; opens the commitment in the log
    entered_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SealedAnswer(Base):
    __tablename__ = "sealed_answers"
    __table_args__ = (UniqueConstraint("talks_id", "round", "party"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    talks_id: Mapped[str] = mapped_column(ForeignKey("talks.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    party: Mapped[str] = mapped_column(String(64))
    accept: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str] = mapped_column(Text, default="")
    salt: Mapped[str] = mapped_column(String(64))
    answered_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Idempotency(Base):
    __tablename__ = "idempotency"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(200))
    request: Mapped[str] = mapped_column(String(64))  # sha256 of method, path and body
    status: Mapped[int] = mapped_column(Integer)
    response: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Setting(Base):
    __tablename__ = "settings"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
