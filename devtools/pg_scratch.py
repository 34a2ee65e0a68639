"""A scratch PostgreSQL database next to an administrator URL: created once, emptied on each call.

Shared by the test fixtures (`tests/db_helpers.py`) and the benchmark (`bench/run.py`).
"""
from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def reset_database(admin_url: str, database: str) -> str:
    """Create `database` (once) on `admin_url`'s server, drop and recreate its public schema; its URL.
    Raises whatever SQLAlchemy raises when the server does not answer."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": database}) is None:
            conn.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    target = make_url(admin_url).set(database=database).render_as_string(hide_password=False)
    eng = create_engine(target, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    eng.dispose()
    return target
