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
# The ledger upload deadline (4 s) would refuse imports on a busy test machine; its own tests set it to 0.
os.environ.setdefault("UPLOAD_READ_SECONDS", "300")

from db_helpers import BACKENDS, fresh_engine  # noqa: E402

from lib import db  # noqa: E402
from lib.seed import seed  # noqa: E402


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
