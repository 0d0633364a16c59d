"""Who is asking: users, one-time invitations, passwords, cookie sessions, CSRF tokens, the
login rate limit and API tokens — and the FastAPI dependencies that check them.

Decisions (cited by docs/operator.md and docs/threat-model.md):

* **Passwords** are hashed with argon2id (argon2-cffi's defaults, RFC 9106's second
  recommended set); at least 10 characters.
* **Invitations** are one-time links: 256 random bits, stored as a SHA-256 hash, valid 7
  days, spent on first use (the person sets a password then).
* **Sessions** are a random 256-bit cookie ``tratado_session``: ``HttpOnly`` (scripts
  cannot read it), ``Secure`` (sent only over HTTPS; browsers treat ``localhost`` as
  secure), ``SameSite=Lax``, 12 hours; stored as a hash, ended on logout.
* **CSRF**: every session has its own random token; each unsafe request made with the
  cookie must carry it in the ``X-CSRF-Token`` header or the ``csrf_token`` form field
  (:func:`check_csrf`), compared in constant time. Requests with an API token carry no
  cookie and need none.
* **Login rate limit**: 5 failed attempts per e-mail address and 30 per client address
  in 15 minutes; then 429 until the window passes. Kept in the database, so it holds
  across processes and restarts.
* **API tokens**: one per user, ``Authorization: Bearer <token>``, shown once when
  issued, stored as a hash; issuing a new one revokes the old.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select

from tratado.service import tables
from tratado.service.errors import (
    BadInput,
    NotAllowed,
    NotFound,
    RateLimited,
    Unauthenticated,
    no_such_talks,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tratado.service.db import Database

ROLES = ("mediator", "head", "delegate", "observer")
"""Roles in one talks: the mediator; a delegation's head (signs) and its other members;
observers (see what is public)."""

SESSION_COOKIE = "tratado_session"
SESSION_HOURS = 12
INVITATION_DAYS = 7
LOGIN_WINDOW = timedelta(minutes=15)
MOST_FAILURES_PER_EMAIL = 5
MOST_FAILURES_PER_CLIENT = 30
MIN_PASSWORD = 10
IDEMPOTENCY_DAYS = 7


def now() -> datetime:
    """The current time, UTC."""
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def new_token() -> tuple[str, str]:
    """A fresh random token (256 bits, URL-safe) and its SHA-256 hash (what is stored)."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    """SHA-256 (hex) of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


_HASHER: list[Any] = []


def hasher() -> Any:
    """The argon2 ``PasswordHasher`` in use (argon2-cffi's defaults: argon2id, RFC 9106's
    low-memory set, t=3, m=64 MiB, p=4)."""
    if not _HASHER:
        from argon2 import PasswordHasher

        _HASHER.append(PasswordHasher())
    return _HASHER[0]


def use_hasher(replacement: Any) -> None:
    """Use another ``PasswordHasher`` from now on (tests use a cheap one; hashes made
    with any parameters keep verifying)."""
    _HASHER[:] = [replacement]


def _stand_in() -> str:
    """A hash of a random password with the hasher in use (for unknown addresses)."""
    if len(_HASHER) < 2:
        hasher()
        _HASHER.append(_HASHER[0].hash(secrets.token_urlsafe(16)))
    return str(_HASHER[1])


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (``BadInput`` when it is too short)."""
    if len(password) < MIN_PASSWORD:
        raise BadInput(f"a password needs at least {MIN_PASSWORD} characters.", field="password",
                       fix="choose a longer password (a few words make a good one).")
    return str(hasher().hash(password))


def password_matches(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches the stored argon2 hash."""
    from argon2.exceptions import Argon2Error, InvalidHashError

    if not stored:
        return False
    try:
        return bool(hasher().verify(stored, password))
    except (Argon2Error, InvalidHashError):
        return False


@dataclass(frozen=True)
class Principal:
    """Who is asking, and (for one talks) in which role and for which party.

    ``role`` is None for a user who is not a member of the talks (an administrator, or
    anyone before the talks are named); ``party`` is the delegation's party id for heads
    and delegates. ``csrf`` is the session's CSRF token (None with an API token)."""

    user_id: int
    name: str
    email: str
    is_admin: bool = False
    role: str | None = None
    party: str | None = None
    csrf: str | None = None

    @property
    def is_mediator(self) -> bool:
        return self.role == "mediator"

    @property
    def is_head(self) -> bool:
        return self.role == "head"

    @property
    def in_delegation(self) -> bool:
        return self.role in ("head", "delegate")

    def of(self, party: str) -> bool:
        """Whether this principal belongs to ``party``'s delegation."""
        return self.in_delegation and self.party == party


# -- users and invitations -------------------------------------------------------------


def create_user(session: Session, email: str, name: str, password: str | None = None,
                is_admin: bool = False) -> tables.User:
    """A new user (``BadInput`` when the e-mail address is taken or malformed)."""
    email = normal_email(email)
    if session.execute(select(tables.User).where(tables.User.email == email)).first():
        raise BadInput(f"there is already a user with the address {email}.", field="email",
                       fix="invite that user instead, or use another address.")
    user = tables.User(email=email, name=name.strip() or email, is_admin=is_admin,
                       password_hash=hash_password(password) if password else None,
                       created_at=now())
    session.add(user)
    session.flush()
    return user


def normal_email(email: str) -> str:
    """``email`` trimmed and lower-cased (``BadInput`` when it is not an address)."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 320 or any(c.isspace() for c in email):
        raise BadInput(f"'{email[:60]}' is not an e-mail address.", field="email",
                       fix="give an address such as head@delegation.example.")
    return email


def make_invitation(session: Session, *, email: str, name: str, role: str, party: str | None,
                    talks_id: str | None, created_by: int | None) -> str:
    """Store an invitation and return its one-time token (the link's secret part)."""
    if role not in ROLES and role != "admin":
        raise BadInput(f"'{role}' is not a role.", field="role", fix=f"use one of {', '.join(ROLES)}.")
    token, hashed = new_token()
    session.add(tables.Invitation(
        token_hash=hashed, talks_id=talks_id, email=normal_email(email), name=name.strip(),
        role=role, party=party, created_by=created_by, created_at=now(),
        expires_at=now() + timedelta(days=INVITATION_DAYS)))
    session.flush()
    return token


def invitation(session: Session, token: str) -> tables.Invitation:
    """The unspent, unexpired invitation of ``token`` (``NotFound`` otherwise)."""
    row = session.execute(select(tables.Invitation).where(
        tables.Invitation.token_hash == token_hash(token))).scalar_one_or_none()
    if row is None or row.used_at is not None or _aware(row.expires_at) < now():
        raise NotFound("this invitation link is not valid: it was used already, has expired"
                       " or was mistyped.", field="token",
                       fix="ask the mediator for a new invitation.")
    return row


FIRST_ADMIN = "mediator@localhost"
"""The address the first administrator logs in with unless ``tratado serve --admin-email``
names another (or the invitation page asks for one)."""


def redeem_invitation(db: Database, token: str, password: str, name: str | None = None,
                      email: str | None = None) -> tables.User:
    """Spend the invitation ``token``: the user (created, or found by e-mail address) gets
    ``password`` and the invited role in the talks. One use only. ``email``: only for the
    first administrator's invitation (printed by ``tratado serve``), whose holder may give
    their own address instead of the one it was made for."""
    hashed = hash_password(password)  # before the writing transaction: argon2 takes a while
    with db.write() as session:
        row = invitation(session, token)
        if row.role == "admin" and row.talks_id is None and email:
            row.email = normal_email(email)
        user = session.execute(select(tables.User).where(
            tables.User.email == row.email)).scalar_one_or_none()
        if user is None:
            user = create_user(session, row.email, name or row.name, None,
                               is_admin=row.role == "admin")
        user.password_hash = hashed
        if row.talks_id is not None and row.role != "admin":
            member = session.execute(select(tables.Membership).where(
                tables.Membership.talks_id == row.talks_id,
                tables.Membership.user_id == user.id)).scalar_one_or_none()
            if member is None:
                session.add(tables.Membership(talks_id=row.talks_id, user_id=user.id,
                                              role=row.role, party=row.party))
            else:
                member.role, member.party = row.role, row.party
        row.used_at = now()
        session.flush()
        return user


# -- logging in -----------------------------------------------------------------------


def login(db: Database, email: str, password: str, client: str = "") -> tuple[str, str]:
    """Check ``email`` and ``password`` within the rate limit and open a session: the
    cookie's token and the session's CSRF token. ``Unauthenticated`` when they do not
    match (the same message whether or not the address exists), ``RateLimited`` after
    too many failures."""
    try:
        email = normal_email(email)
    except BadInput:
        email = email.strip().lower()[:320]
    keys = (f"email:{email}", f"client:{client}"[:400])
    with db.write() as session:
        since = now() - LOGIN_WINDOW
        session.execute(delete(tables.LoginAttempt).where(tables.LoginAttempt.at < since))
        # housekeeping, at a moment that is rare and not urgent: ended sessions, and
        # idempotency keys old enough that no client still retries with them
        session.execute(delete(tables.LoginSession).where(tables.LoginSession.expires_at < now()))
        session.execute(delete(tables.Idempotency).where(
            tables.Idempotency.at < now() - timedelta(days=IDEMPOTENCY_DAYS)))
        for key, most in zip(keys, (MOST_FAILURES_PER_EMAIL, MOST_FAILURES_PER_CLIENT),
                             strict=True):
            count = session.execute(select(func.count()).select_from(tables.LoginAttempt).where(
                tables.LoginAttempt.key == key)).scalar_one()
            if count >= most:
                raise RateLimited("too many failed logins.", field="password",
                                  fix="wait 15 minutes and try again, or ask the mediator to"
                                  " invite you again.")
    with db.read() as session:
        user = session.execute(select(tables.User).where(
            tables.User.email == email)).scalar_one_or_none()
    # checked outside any writing transaction (argon2 takes a while by design), and
    # against a stand-in hash when there is no such user, so that the time taken does
    # not tell whether an address has an account
    matches = password_matches(user.password_hash if user else _stand_in(), password)
    failed = user is None or not matches
    with db.write() as session:
        if failed:
            for key in keys:
                session.add(tables.LoginAttempt(key=key, at=now()))
        else:
            assert user is not None
            session.execute(delete(tables.LoginAttempt).where(tables.LoginAttempt.key == keys[0]))
            token, hashed = new_token()
            csrf = secrets.token_urlsafe(32)
            session.add(tables.LoginSession(token_hash=hashed, csrf_token=csrf, user_id=user.id,
                                            created_at=now(),
                                            expires_at=now() + timedelta(hours=SESSION_HOURS)))
    if failed:
        raise Unauthenticated("the e-mail address or the password is wrong.", field="password",
                              fix="check both; after 5 failures, wait 15 minutes.")
    return token, csrf


def logout(db: Database, token: str) -> None:
    """End the session of cookie ``token``."""
    with db.write() as session:
        session.execute(delete(tables.LoginSession).where(
            tables.LoginSession.token_hash == token_hash(token)))


def session_principal(db: Database, token: str) -> Principal:
    """The user of the session cookie ``token`` (``Unauthenticated`` when it is not a
    live session)."""
    with db.read() as session:
        found = session.execute(select(tables.LoginSession, tables.User).join(
            tables.User, tables.User.id == tables.LoginSession.user_id).where(
            tables.LoginSession.token_hash == token_hash(token))).first()
        if found is None or _aware(found[0].expires_at) < now():
            raise Unauthenticated("you are not logged in (or your session has ended).",
                                  fix="log in again.")
        login_session, user = found
        return Principal(user.id, user.name, user.email, user.is_admin,
                         csrf=login_session.csrf_token)


def issue_api_token(db: Database, user_id: int) -> str:
    """A new API token for ``user_id`` (the old one stops working). Shown once."""
    token, hashed = new_token()
    with db.write() as session:
        user = session.get(tables.User, user_id)
        if user is None:
            raise NotFound("no such user.", field="user")
        user.api_token_hash = hashed
    return token


def token_principal(db: Database, token: str) -> Principal:
    """The user of API token ``token`` (``Unauthenticated`` when it is none)."""
    with db.read() as session:
        user = session.execute(select(tables.User).where(
            tables.User.api_token_hash == token_hash(token))).scalar_one_or_none()
        if user is None:
            raise Unauthenticated("the API token is not valid.", field="Authorization",
                                  fix="issue a new token from your account page.")
        return Principal(user.id, user.name, user.email, user.is_admin)


def in_talks(db: Database, principal: Principal, talks_id: str) -> Principal:
    """``principal`` with its role and party in talks ``talks_id``. ``NotFound`` when the
    talks do not exist or the principal is neither a member nor an administrator (a
    stranger is not told whether the talks exist)."""
    with db.read() as session:
        member = session.execute(select(tables.Membership).where(
            tables.Membership.talks_id == talks_id,
            tables.Membership.user_id == principal.user_id)).scalar_one_or_none()
        exists = session.get(tables.Talks, talks_id) is not None
    if not exists or (member is None and not principal.is_admin):
        raise no_such_talks(talks_id)
    if member is None:
        return principal
    return Principal(principal.user_id, principal.name, principal.email, principal.is_admin,
                     member.role, member.party, principal.csrf)


def check_csrf(principal: Principal, sent: str | None) -> None:
    """Refuse an unsafe request made with a session cookie unless it carries the
    session's CSRF token (API-token requests have no cookie and pass)."""
    if principal.csrf is None:
        return
    if not sent or not hmac.compare_digest(sent.encode(), principal.csrf.encode()):
        raise NotAllowed("this form or request lacks its CSRF token (or it is stale).",
                         field="csrf_token", fix="reload the page and submit again.")
