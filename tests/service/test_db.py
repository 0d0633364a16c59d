"""The database: the migrations give exactly the tables of tratado.service.tables, a
second start changes nothing, and the service refuses another signing key."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tratado.errors import TratadoError
from tratado.service.app import make_service
from tratado.service.db import Database
from tratado.service.tables import Base


def test_the_migrations_make_the_models_tables(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'm.db'}")
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    Database(db.url)  # at head already: nothing to do, nothing fails
    db.dispose()


def test_the_service_refuses_a_key_file_it_was_not_started_with(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    make_service(url, tmp_path / "first.key").db.dispose()
    assert (tmp_path / "first.key").stat().st_mode & 0o777 == 0o600
    with pytest.raises(TratadoError, match="start the service with the key file"):
        make_service(url, tmp_path / "second.key")
    with pytest.raises(TratadoError, match="not there"):
        make_service(url, tmp_path / "missing.key", create_key=False)
