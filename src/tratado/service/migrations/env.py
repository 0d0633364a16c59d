"""Alembic's environment for the service's migrations: run programmatically by
:func:`tratado.service.db.migrate` with the connection in ``config.attributes``."""

from __future__ import annotations

from alembic import context

from tratado.service.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the service always passes its connection
    raise RuntimeError("run the migrations with tratado.service.db.migrate(engine)")
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
