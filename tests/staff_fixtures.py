"""Fixtures for the staff-workflow tests: a seeded database with accounts, fresh for every test.

Seeding takes about a second, so each backend is seeded once per session into a private template
(SQLite: a file; PostgreSQL: a database used as CREATE DATABASE … TEMPLATE) and every test gets a
copy. Database names carry the process id so parallel test runs on one server do not collide.
Import the fixtures explicitly: `from staff_fixtures import _staff_templates, quiet_world, world`
(the templates are shared by every module that imports them).
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from db_helpers import BACKENDS, _pg_url
from devtools.pg_scratch import reset_database
from lib import auth, data_version, db
from lib.auth import Actor
from lib.seed import seed

ROUNDS = 4  # bcrypt cost for tests; production default is 12
PASSWORD = "correct-horse-42"
TODAY = dt.date(2024, 3, 1)
_TAG = f"gw_staff_{os.getpid()}"


@dataclass(frozen=True)
class World:
    engine: object
    backend: str
    admin: Actor
    staff: Actor  # 社区工作人员, 中兴 (care centre, facts about 中兴)
    staff_hs: Actor  # 社区工作人员, 华盛 (the demo relocation households)
    leader: Actor
    today: dt.date = TODAY


def _populate(engine) -> None:
    seed(engine)
    admin = auth.create_user("admin", PASSWORD, role="街道管理员", display_name="街道管理员", by=auth.SYSTEM,
                             engine=engine, rounds=ROUNDS)
    auth.create_user("zx", PASSWORD, role="社区工作人员", display_name="中兴录入员", community="中兴", by=admin,
                     engine=engine, rounds=ROUNDS)
    auth.create_user("hs", PASSWORD, role="社区工作人员", display_name="华盛录入员", community="华盛", by=admin,
                     engine=engine, rounds=ROUNDS)
    auth.create_user("boss", PASSWORD, role="领导", display_name="街道领导", by=admin, engine=engine, rounds=ROUNDS)


def _admin_url() -> str:
    url = _pg_url()
    if not url:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("TEST_DATABASE_URL 未设置")
        pytest.skip("TEST_DATABASE_URL 未设置，跳过 PostgreSQL 测试")
    return url


class _Templates:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.made: dict[str, str] = {}

    def sqlite(self) -> Path:
        path = self.tmp / "template.db"
        if "sqlite" not in self.made:
            engine = db.get_engine(f"sqlite:///{path}")
            _populate(engine)
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            self.made["sqlite"] = str(path)
        return path

    def postgres(self) -> str:
        if "postgresql" not in self.made:
            url = _admin_url()
            try:
                target = reset_database(url, f"{_TAG}_tpl")
            except Exception as exc:  # noqa: BLE001
                if os.environ.get("REQUIRE_POSTGRES") == "1":
                    pytest.fail(f"PostgreSQL 无法连接：{exc.__class__.__name__}")
                pytest.skip(f"PostgreSQL 无法连接：{exc.__class__.__name__}")
            engine = db.get_engine(target)
            _populate(engine)
            engine.dispose()
            self.made["postgresql"] = url
        return self.made["postgresql"]


def _admin_exec(url: str, *statements: str) -> None:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for stmt in statements:
                conn.execute(text(stmt))
    finally:
        admin.dispose()


_SHARED: list[_Templates] = []


@pytest.fixture(scope="session")
def _staff_templates():
    if not _SHARED:
        _SHARED.append(_Templates(Path(tempfile.mkdtemp(prefix="guangwu-staff-"))))
    templates = _SHARED[0]
    yield templates
    if "postgresql" in templates.made:
        _admin_exec(templates.made["postgresql"], *(f'DROP DATABASE IF EXISTS "{_TAG}{suffix}" WITH (FORCE)'
                                                   for suffix in ("", "_quiet", "_tpl")))


def _open(backend: str, templates: _Templates, path: Path, name: str):
    """A fresh copy of the seeded template on `backend`."""
    if backend == "sqlite":
        shutil.copyfile(templates.sqlite(), path)
        return db.get_engine(f"sqlite:///{path}")
    url = templates.postgres()
    _admin_exec(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}" TEMPLATE "{_TAG}_tpl"')
    data_version.forget()  # a new database at the address of the last test's (lib/data_version.forget)
    return db.get_engine(make_url(url).set(database=name).render_as_string(hide_password=False))


def _world(engine, backend: str) -> World:
    return World(engine, backend,
                 admin=Actor("admin", "街道管理员", "街道管理员", None),
                 staff=Actor("zx", "中兴录入员", "社区工作人员", "中兴"),
                 staff_hs=Actor("hs", "华盛录入员", "社区工作人员", "华盛"),
                 leader=Actor("boss", "街道领导", "领导", None))


@pytest.fixture(params=BACKENDS)
def world(request, tmp_path, _staff_templates) -> World:
    """A seeded database (fresh copy per test) with users admin / zx (中兴) / hs (华盛) / boss (领导)."""
    engine = _open(request.param, _staff_templates, tmp_path / "world.db", _TAG)
    yield _world(engine, request.param)
    engine.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def quiet_world(request, tmp_path_factory, _staff_templates) -> World:
    """Like `world` but shared by a module's tests that must write nothing (they assert so themselves)."""
    engine = _open(request.param, _staff_templates, tmp_path_factory.mktemp("quiet") / "quiet.db", f"{_TAG}_quiet")
    yield _world(engine, request.param)
    engine.dispose()
