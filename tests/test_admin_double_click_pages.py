"""A double-click on the administrator's forms, driven through the pages: the second click arrives with the values
the browser still held (the first click's callback has emptied the form on the server). It must say the first was
saved, not 「已存在」, and must not store a second wall link or show a second address."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from db_helpers import private_app_db
from lib import auth, display_links
from lib.db import get_engine, session_scope
from lib.models import AuditLog, DisplayLink, User
from shown_text import texts

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PASSWORD = "correct-horse-42"


@pytest.fixture(scope="module")
def admin(app_db, tmp_path_factory):
    with private_app_db(app_db, tmp_path_factory.mktemp("admin-double")):
        yield auth.create_user("dc_admin", PASSWORD, role="街道管理员", display_name="管理员", by=auth.SYSTEM, rounds=4)


def _users_page(actor) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth.actor"] = actor
    at.run()
    at.switch_page("pages/users.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _count(model, *conds) -> int:
    with session_scope(get_engine()) as s:
        return s.scalar(select(func.count()).select_from(model).where(*conds))


def _fill_user(at: AppTest) -> None:
    for field, value in {"username": "dc_new", "display": "西华录入员", "password": PASSWORD,
                         "password2": PASSWORD}.items():
        at.text_input(key=f"users.new.{field}").set_value(value)
    at.selectbox(key="users.new.community").set_value("西华")


def test_double_click_on_create_user_is_one_account_and_says_so(admin):
    at = _users_page(admin)
    _fill_user(at)
    at.button(key="users.new.submit").click().run()
    assert any("已创建用户“dc_new”" in s for s in texts(at.success)), texts(at.error)
    _fill_user(at)  # the second click of a double-click: the browser still sends what was typed
    at.button(key="users.new.submit").click().run()
    assert not texts(at.error), texts(at.error)
    assert any("已创建用户“dc_new”" in s and "重复提交已忽略" in s for s in texts(at.info)), texts(at.info)
    assert _count(User, User.username == "dc_new") == 1
    assert _count(AuditLog, AuditLog.action == "create_user", AuditLog.record_key == "dc_new") == 1


def test_double_click_on_create_link_is_one_link_with_one_address(admin):
    at = _users_page(admin)
    before = _count(DisplayLink)
    for _ in range(2):  # the second click of a double-click carries the same name and days
        at.text_input(key="display_links.name").input("二楼大厅")
        at.number_input(key="display_links.days").set_value(30)
        at.button(key="display_links.create").click().run()
        assert not at.exception and not texts(at.error), texts(at.error)
        shown = [c.value for c in at.code]
        assert len(shown) == 1 and display_links.PATH_PREFIX in shown[0]
        if _ == 0:
            first = shown[0]
            assert any("已创建大屏链接“二楼大厅”" in s for s in texts(at.success))
    assert shown[0] == first  # the repeat shows the same address again
    assert any("二楼大厅" in s and "重复提交已忽略" in s for s in texts(at.info)), texts(at.info)
    assert _count(DisplayLink) == before + 1
    assert display_links.check(first.split(display_links.PATH_PREFIX)[1]) == "二楼大厅"


def test_a_repeat_after_the_link_was_revoked_shows_no_dead_address(admin):
    """Revoked between the two clicks (another administrator, another tab): the repeat must not present the
    address as created and usable; it says the link was revoked and shows no address."""
    at = _users_page(admin)
    at.text_input(key="display_links.name").input("三楼会议室")
    at.number_input(key="display_links.days").set_value(30)
    at.button(key="display_links.create").click().run()
    with session_scope(get_engine()) as s:
        link_id = s.scalar(select(DisplayLink.id).where(DisplayLink.name == "三楼会议室"))
    assert display_links.revoke(link_id, by=admin)
    at.text_input(key="display_links.name").input("三楼会议室")  # the second click carries the same values
    at.number_input(key="display_links.days").set_value(30)
    at.button(key="display_links.create").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [c.value for c in at.code], "a revoked link's address was shown again"
    said = texts(at.warning) + texts(at.info) + texts(at.error)
    assert any("三楼会议室" in s and "已被撤销" in s and "重复提交已忽略" in s for s in said), said
    assert _count(DisplayLink, DisplayLink.name == "三楼会议室") == 1
