"""Database helpers shared by the test fixtures (a plain module, so any test file can import it).

PostgreSQL comes from TEST_DATABASE_URL; without it, or when the server does not answer, PostgreSQL
tests skip with the reason — unless REQUIRE_POSTGRES=1 (CI), where they fail instead.
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from devtools.pg_scratch import reset_database
from lib import data_version, db

BACKENDS = ["sqlite", "postgresql"]


def _pg_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


def fresh_engine(backend: str, tmp_dir: Path, *, database: str = "guangwu_scratch"):
    """An empty database on `backend`, or a skip/fail with the reason."""
    if backend == "sqlite":
        return db.get_engine(f"sqlite:///{tmp_dir / 'fresh.db'}")
    url = _pg_url()
    # Parallel runs on one server (several work trees) keep apart by TEST_DB_SUFFIX.
    database = database + os.environ.get("TEST_DB_SUFFIX", "")
    reason = None
    if not url:
        reason = "TEST_DATABASE_URL 未设置，跳过 PostgreSQL 测试"
    else:
        try:
            url = reset_database(url, database)
            data_version.forget()  # a new database at the address of the last test's (lib/data_version.forget)
        except Exception as exc:  # noqa: BLE001
            reason = f"PostgreSQL 无法连接（{url}）：{exc.__class__.__name__}"
    if reason:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return db.get_engine(url)


@contextlib.contextmanager
def private_app_db(app_db: str, folder: Path) -> Iterator[str]:
    """A copy of the seeded SQLite app database in `folder`, made the app's DATABASE_URL (settings, engine and
    data caches emptied on the way in and out); yields its URL."""
    import sqlite3

    import streamlit as st
    from sqlalchemy.engine import make_url

    from lib import config

    target = folder / "app.db"
    src, dst = sqlite3.connect(make_url(app_db).database), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()

    def reset() -> None:
        config.settings.cache_clear()
        db.get_engine.cache_clear()
        st.cache_data.clear()

    patch = pytest.MonkeyPatch()
    patch.setenv("DATABASE_URL", f"sqlite:///{target}")
    reset()
    try:
        yield f"sqlite:///{target}"
    finally:
        patch.undo()
        reset()
