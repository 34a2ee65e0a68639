"""Accounts: two administrators creating the same user name at once get one account and the Chinese message (not a
raw IntegrityError); an all-space display name is refused on create as on update (one rule)."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from staff_fixtures import PASSWORD, _staff_templates, world  # noqa: F401

from lib import auth
from lib.db import session_scope
from lib.errors import DashboardError, ValidationError
from lib.models import AuditLog, User

N = 4


def _users(engine, name: str) -> tuple[int, int]:
    with session_scope(engine) as s:
        return (s.scalar(select(func.count()).select_from(User).where(User.username == name)),
                s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "create_user",
                                                                         AuditLog.record_key == name)))


def test_concurrent_creates_of_one_name_make_one_account(world):
    if world.backend != "postgresql":
        pytest.skip("the race needs concurrent writers: PostgreSQL")
    barrier = threading.Barrier(N)

    def create(i: int) -> str:
        barrier.wait()
        try:
            auth.create_user("newstaff", PASSWORD, role="社区工作人员", community="中兴", display_name=f"新人{i}",
                             by=world.admin, engine=world.engine, rounds=4)
            return "created"
        except DashboardError as exc:
            return exc.message

    with ThreadPoolExecutor(max_workers=N) as pool:
        results = list(pool.map(create, range(N)))
    assert sorted(results) == ["created"] + ["「用户名」：“newstaff”已存在"] * (N - 1)
    assert _users(world.engine, "newstaff") == (1, 1)


def test_create_after_create_gives_the_same_message(world):
    auth.create_user("newstaff", PASSWORD, role="领导", by=world.admin, engine=world.engine, rounds=4)
    with pytest.raises(ValidationError) as err:
        auth.create_user("newstaff", PASSWORD, role="领导", by=world.admin, engine=world.engine, rounds=4)
    assert err.value.message == "「用户名」：“newstaff”已存在"


BLANK = ["   ", "\u3000", "", " \t "]


@pytest.mark.parametrize("name", BLANK, ids=repr)
def test_blank_display_name_is_refused_on_create_and_update(world, name):
    with pytest.raises(ValidationError) as err:
        auth.create_user("zx2", PASSWORD, role="社区工作人员", community="中兴", display_name=name, by=world.admin,
                         engine=world.engine, rounds=4)
    assert err.value.message == "「显示名称」：不能为空"
    assert _users(world.engine, "zx2") == (0, 0)
    with pytest.raises(ValidationError) as err:
        auth.update_user("zx", display_name=name, by=world.admin, engine=world.engine)
    assert err.value.message == "「显示名称」：不能为空"


@pytest.mark.parametrize(("given", "stored"), [(None, "zx2"), ("  中兴二号 ", "中兴二号")])
def test_display_name_defaults_to_the_user_name_and_is_trimmed(world, given, stored):
    actor = auth.create_user("zx2", PASSWORD, role="领导", display_name=given, by=world.admin, engine=world.engine,
                             rounds=4)
    assert actor.display_name == stored


def _audited(engine, action: str, name: str) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == action,
                                                                         AuditLog.record_key == name))


ACCOUNT_REPEATS = {  # one change sent N times at once (a double-click on two connections): one change, one audit row
    "set_password": (lambda w: auth.set_password("zx", "another-horse-43", by=w.admin, engine=w.engine, rounds=4),
                     "set_password"),
    "deactivate": (lambda w: auth.deactivate("boss", by=w.admin, engine=w.engine), "deactivate"),
    "update_user": (lambda w: auth.update_user("zx", display_name="中兴二号", by=w.admin, engine=w.engine), "update_user"),
}


@pytest.mark.parametrize("name", list(ACCOUNT_REPEATS))
def test_one_account_change_sent_at_once_is_audited_once(world, name):
    """8 identical password changes at once left 8 audit rows (4 deactivations, 4); the no-change check read the
    account without holding it."""
    change, action = ACCOUNT_REPEATS[name]
    barrier = threading.Barrier(N)

    def once(_i: int) -> str:
        barrier.wait()
        try:
            change(world)
            return "ok"
        except DashboardError as exc:
            return exc.message

    with ThreadPoolExecutor(max_workers=N) as pool:
        results = list(pool.map(once, range(N)))
    assert results == ["ok"] * N
    key = "boss" if name == "deactivate" else "zx"
    assert _audited(world.engine, action, key) == 1
