"""The administrator's forms are write paths like the staff forms: one submission is one row, even double-clicked,
even on two connections at once. 新建账号 said 「已存在」 to its own repeat; 创建大屏链接 stored a second link (and
showed a second address) for one click pressed twice."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from staff_fixtures import PASSWORD, _staff_templates, world  # noqa: F401

from lib import auth, display_links
from lib.db import session_scope
from lib.errors import ValidationError
from lib.models import AuditLog, DisplayLink, User

N = 4


def _count(engine, model, *conds) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(model).where(*conds))


def _audits(engine, action: str, key: str | None = None) -> int:
    return _count(engine, AuditLog, AuditLog.action == action, *([AuditLog.record_key == key] if key else []))


def test_a_repeated_link_submission_is_one_link_with_the_same_address(world):
    first = display_links.create_once("三楼会议室", days=30, by=world.admin, submission_key="k-link-1",
                                      engine=world.engine)
    again = display_links.create_once("三楼会议室", days=30, by=world.admin, submission_key="k-link-1",
                                      engine=world.engine)
    assert (first.repeated, again.repeated) == (False, True)
    assert again.path == first.path and again.name == "三楼会议室"
    assert display_links.check(first.path.removeprefix(display_links.PATH_PREFIX), engine=world.engine) == "三楼会议室"
    assert _count(world.engine, DisplayLink) == 1 and _audits(world.engine, "create_display_link") == 1
    other = display_links.create_once("三楼会议室", days=30, by=world.admin, submission_key="k-link-2",
                                      engine=world.engine)
    assert not other.repeated and other.path != first.path  # a new form: a new link
    assert _count(world.engine, DisplayLink) == 2


def test_links_without_a_key_stay_distinct(world):
    one = display_links.create("大厅", days=1, by=world.admin, engine=world.engine)
    two = display_links.create("大厅", days=1, by=world.admin, engine=world.engine)
    assert one != two and _count(world.engine, DisplayLink) == 2


def test_concurrent_link_submissions_of_one_key_store_one_link(world):
    if world.backend != "postgresql":
        pytest.skip("the race needs concurrent writers: PostgreSQL")
    barrier = threading.Barrier(N)

    def create(_i: int):
        barrier.wait()
        return display_links.create_once("大厅", days=7, by=world.admin, submission_key="k-race", engine=world.engine)

    with ThreadPoolExecutor(max_workers=N) as pool:
        results = list(pool.map(create, range(N)))
    assert sorted(r.repeated for r in results) == [False] + [True] * (N - 1)
    assert len({r.path for r in results}) == 1
    assert _count(world.engine, DisplayLink) == 1 and _audits(world.engine, "create_display_link") == 1


def test_a_repeated_account_submission_is_one_account_and_says_created(world):
    kw = dict(role="社区工作人员", community="中兴", display_name="新人", by=world.admin, engine=world.engine, rounds=4)
    first = auth.create_account("newstaff", PASSWORD, submission_key="k-user-1", **kw)
    again = auth.create_account("newstaff", PASSWORD, submission_key="k-user-1", **kw)
    assert (first.repeated, again.repeated) == (False, True)
    assert again.actor == first.actor == auth.Actor("newstaff", "新人", "社区工作人员", "中兴")
    assert _count(world.engine, User, User.username == "newstaff") == 1 and _audits(world.engine, "create_user", "newstaff") == 1
    with pytest.raises(ValidationError) as err:  # another form naming a taken user name is still refused
        auth.create_account("newstaff", PASSWORD, submission_key="k-user-2", **kw)
    assert err.value.message == "「用户名」：“newstaff”已存在"


def test_concurrent_account_submissions_of_one_key_make_one_account(world):
    if world.backend != "postgresql":
        pytest.skip("the race needs concurrent writers: PostgreSQL")
    barrier = threading.Barrier(N)

    def create(_i: int):
        barrier.wait()
        return auth.create_account("racer", PASSWORD, role="领导", by=world.admin, engine=world.engine, rounds=4,
                                   submission_key="k-user-race").repeated

    with ThreadPoolExecutor(max_workers=N) as pool:
        results = list(pool.map(create, range(N)))
    assert sorted(results) == [False] + [True] * (N - 1)
    assert _count(world.engine, User, User.username == "racer") == 1 and _audits(world.engine, "create_user", "racer") == 1


def test_a_repeated_user_change_or_password_reset_writes_once(world):
    auth.create_user("changer", PASSWORD, role="领导", by=world.admin, engine=world.engine, rounds=4)
    for _ in range(2):
        auth.update_user("changer", role="社区工作人员", community="西华", by=world.admin, engine=world.engine)
        auth.set_password("changer", PASSWORD + "-new", by=world.admin, engine=world.engine, rounds=4)
    assert _audits(world.engine, "update_user", "changer") == 1
    assert _audits(world.engine, "set_password", "changer") == 1
    assert auth.authenticate("changer", PASSWORD + "-new", engine=world.engine).community == "西华"
