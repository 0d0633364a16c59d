"""Alembic migrations of the service database (run by tratado.service.db.migrate)."""
