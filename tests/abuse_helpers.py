"""Helpers for the abuse suite (tests/test_abuse_*.py): every bad input leaves every table as it was."""
from __future__ import annotations

from sqlalchemy import Engine, func, inspect, select, table


def row_counts(engine: Engine) -> dict[str, int]:
    """Row count of every table in the database (Alembic's own table excluded)."""
    with engine.connect() as conn:
        names = [n for n in inspect(conn).get_table_names() if n != "alembic_version"]
        return {n: conn.scalar(select(func.count()).select_from(table(n))) for n in sorted(names)}


def assert_unchanged(engine: Engine, before: dict[str, int]) -> None:
    after = row_counts(engine)
    changed = {n: (before.get(n), c) for n, c in after.items() if before.get(n) != c}
    assert not changed, f"rows changed (before, after): {changed}"
