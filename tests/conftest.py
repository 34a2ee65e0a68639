"""Shared fixtures: a seeded SQLite database for the app, and the data layer on both backends.

PostgreSQL comes from TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test).
Without it, or when the server does not answer, PostgreSQL tests skip with the reason — unless
REQUIRE_POSTGRES=1 (CI), where they fail instead.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# The app under test (AppTest, browser tests) reads this seeded SQLite file.
_APP_DB_DIR = Path(tempfile.mkdtemp(prefix="guangwu-test-"))
APP_DB_URL = f"sqlite:///{_APP_DB_DIR / 'app.db'}"
os.environ["DATABASE_URL"] = APP_DB_URL

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from lib import db  # noqa: E402
from lib.seed import seed  # noqa: E402

BACKENDS = ["sqlite", "postgresql"]


def _pg_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


def _reset_postgres(url: str, database: str) -> str:
    """Create (once) and empty the scratch database `database` next to TEST_DATABASE_URL's."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": database}) is None:
            conn.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    target = make_url(url).set(database=database).render_as_string(hide_password=False)
    eng = create_engine(target, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    eng.dispose()
    return target


def fresh_engine(backend: str, tmp_dir: Path, *, database: str = "guangwu_scratch"):
    """An empty database on `backend`, or a skip/fail with the reason."""
    if backend == "sqlite":
        return db.get_engine(f"sqlite:///{tmp_dir / 'fresh.db'}")
    url = _pg_url()
    reason = None
    if not url:
        reason = "TEST_DATABASE_URL 未设置，跳过 PostgreSQL 测试"
    else:
        try:
            url = _reset_postgres(url, database)
        except Exception as exc:  # noqa: BLE001
            reason = f"PostgreSQL 无法连接（{url}）：{exc.__class__.__name__}"
    if reason:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return db.get_engine(url)


@pytest.fixture(scope="session")
def app_db() -> str:
    """The seeded SQLite database the app reads during tests."""
    seed(db.get_engine(APP_DB_URL))
    return APP_DB_URL


@pytest.fixture(scope="session", params=BACKENDS)
def seeded(request, tmp_path_factory):
    """A seeded engine per backend, shared by read-only tests."""
    engine = fresh_engine(request.param, tmp_path_factory.mktemp(request.param), database="guangwu_seeded")
    seed(engine)
    return engine


@pytest.fixture(params=BACKENDS)
def empty_engine(request, tmp_path):
    """A fresh, empty database per test (for tests that write). PostgreSQL is reset each time."""
    return fresh_engine(request.param, tmp_path)


@pytest.fixture(scope="session")
def article_text() -> str:
    """The seed article (the only factual source); shared/ sits beside the repository."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "data" / "article", here.parent / "shared" / "seed"):
        files = sorted(candidate.glob("*.txt")) if candidate.is_dir() else []
        if files:
            return files[0].read_text(encoding="utf-8")
    pytest.skip("未找到种子报道原文")
