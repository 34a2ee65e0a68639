"""The Alembic migrations build exactly the schema the models declare, on both backends."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from lib import setup_lock
from lib.backup import fingerprint
from lib.db import migrate
from lib.errors import DatabaseUnavailable
from lib.models import Base
from lib.seed import prepare, seed

REPO = Path(__file__).resolve().parents[1]


def test_migrations_match_models(empty_engine):
    migrate(empty_engine)
    migrate(empty_engine)  # idempotent: already at head
    with empty_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        tables = set(inspect(conn).get_table_names())
    assert diff == [], diff
    assert set(Base.metadata.tables) <= tables and "alembic_version" in tables


def _migrate_unit(url: str) -> subprocess.Popen:
    """What guangwu-migrate.service runs on a host."""
    return subprocess.Popen([sys.executable, "-m", "deploy.local", "migrate"], cwd=REPO,
                            env={**os.environ, "DATABASE_URL": url}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def test_two_hosts_preparing_an_empty_database_at_once_leave_one_seed(empty_engine):
    """Two hosts' migration units start at the same moment on one empty database: both finish, and the data
    is there once (without the lock one failed: SQLite "database is locked", PostgreSQL a duplicate key)."""
    url = empty_engine.url.render_as_string(hide_password=False)
    procs = [_migrate_unit(url) for _ in range(2)]
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert all("数据库已迁移到最新版本" in out and "Traceback" not in out for out in outputs)
    rows = {name: row["rows"] for name, row in fingerprint(empty_engine).items()}
    assert sum(seed(empty_engine).values()) == 0  # a third run adds nothing
    assert {name: row["rows"] for name, row in fingerprint(empty_engine).items()} == rows
    assert rows["community"] == 11


def test_a_preparer_waits_for_the_other_and_gives_up_in_chinese(empty_engine, monkeypatch):
    monkeypatch.setattr(setup_lock, "WAIT_SECONDS", 0.5)
    done = threading.Event()
    started = threading.Event()

    def other_host() -> None:  # another holder (in a thread here; a process on another host in use)
        with setup_lock.exclusive(empty_engine):
            started.set()
            done.wait(10)

    holder = threading.Thread(target=other_host)
    holder.start()
    try:
        assert started.wait(10)
        with pytest.raises(DatabaseUnavailable, match="另一个进程正在迁移或载入数据库"):
            prepare(empty_engine)
    finally:
        done.set()
        holder.join()
    assert prepare(empty_engine) is not None and prepare(empty_engine) is None  # seeded once, then left alone


def test_the_migration_unit_reports_an_unreachable_database_in_chinese():
    nowhere = "postgresql+psycopg://postgres@127.0.0.1:9/nowhere"  # nothing listens on port 9 here
    out = _migrate_unit(nowhere).communicate(timeout=120)[0]
    assert out.startswith("数据库迁移失败：") and "Traceback" not in out


def test_migrations_only_add_so_old_replicas_keep_serving_during_an_upgrade():
    """The rolling upgrade (README: migrate first, then restart replicas one by one) relies on the old code
    still reading a migrated database: an upgrade step may add tables, columns and indexes, never drop or
    rename what the previous release reads (a contraction waits for a later release, as its own step)."""
    import ast

    forbidden = {"drop_table", "drop_column", "rename_table"}
    for path in sorted((REPO / "migrations" / "versions").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        upgrade = next(f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == "upgrade")
        calls = {node.func.attr for node in ast.walk(upgrade)
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)}
        renames = {kw.arg for node in ast.walk(upgrade) if isinstance(node, ast.Call)
                   for kw in node.keywords if kw.arg == "new_column_name"}
        assert not (calls & forbidden) and not renames, f"{path.name}: {sorted(calls & forbidden | renames)}"
