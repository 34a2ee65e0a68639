"""The Alembic migrations build exactly the schema the models declare, on both backends."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from lib.db import migrate
from lib.models import Base


def test_migrations_match_models(empty_engine):
    migrate(empty_engine)
    migrate(empty_engine)  # idempotent: already at head
    with empty_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        tables = set(inspect(conn).get_table_names())
    assert diff == [], diff
    assert set(Base.metadata.tables) <= tables and "alembic_version" in tables
