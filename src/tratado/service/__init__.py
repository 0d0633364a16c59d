"""The live-talks service: the delegations and the mediator run the real negotiation on
tratado's engine, and every event goes into a signed, verifiable record.

Optional extra: ``pip install 'tratado[serve]'`` (FastAPI, SQLAlchemy 2, Alembic,
argon2, Jinja2, cryptography, psycopg). Nothing else in tratado imports this package, so
the analysis install stays light.

The parts, each a small module:

* :mod:`~tratado.service.db` — the database (SQLite by default, PostgreSQL by URL), its
  migrations run to head at start, and the per-talks lock every change holds;
* :mod:`~tratado.service.tables` — the SQLAlchemy models;
* :mod:`~tratado.service.auth` — users, one-time invitations, argon2 passwords, cookie
  sessions, CSRF tokens, the login rate limit, API tokens;
* :mod:`~tratado.service.talks` — *the service functions*: everything a mediator, a
  delegation or an observer can do, each one transaction under the talks' lock, checked
  for role and party (pages and the JSON API both call these, never the database);
* :mod:`~tratado.service.state` — the talks' state as a fold over their log leaves;
* :mod:`~tratado.service.neutral` — the trusted neutral's proposals;
* :mod:`~tratado.service.ledger` — the log leaves, the signed checkpoints, co-signatures
  and the export as a bundle ``tratado verify`` checks;
* :mod:`~tratado.service.api` and :mod:`~tratado.service.app` — the JSON API and the
  application (``create_app``).
"""

from __future__ import annotations

MISSING = "the live-talks service needs its optional packages: pip install 'tratado[serve]'"
"""What to say when the ``serve`` extra is not installed."""
