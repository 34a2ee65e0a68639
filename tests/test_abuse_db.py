"""Abuse suite, accounts and the database guard: hostile or careless input to user management, sign-in and
the data layer's NUL guard. Each case asserts a Chinese message naming the field, and that every table's row
count is unchanged (sign-in attempts add exactly their one audit row)."""
from __future__ import annotations

import pytest
from abuse_helpers import assert_unchanged, row_counts
from sqlalchemy import select
from staff_fixtures import PASSWORD, ROUNDS, _staff_templates, quiet_world, world  # noqa: F401

from lib import auth
from lib.audit import audit_log
from lib.db import session_scope
from lib.errors import DashboardError, NotFound, PermissionDenied, ValidationError
from lib.models import User
from lib.writes import file_site_check, record_fact

# (name, call(world) → raises, error class, text the message must contain)
CASES = [
    ("username SQL injection", lambda w: auth.create_user("admin'; DROP TABLE app_user;--", PASSWORD, role="领导",
                                                           by=w.admin, engine=w.engine, rounds=ROUNDS),
     ValidationError, "「用户名」"),
    ("username with NUL", lambda w: auth.create_user("ab\x00cd", PASSWORD, role="领导", by=w.admin, engine=w.engine,
                                                      rounds=ROUNDS), ValidationError, "「用户名」"),
    ("username 10 000 chars", lambda w: auth.create_user("a" * 10_000, PASSWORD, role="领导", by=w.admin,
                                                          engine=w.engine, rounds=ROUNDS), ValidationError, "「用户名」"),
    ("display name with NUL", lambda w: auth.create_user("newbie", PASSWORD, role="领导", display_name="张\x00三",
                                                          by=w.admin, engine=w.engine, rounds=ROUNDS),
     ValidationError, "「显示名称」：不能包含空字符"),
    ("password with NUL", lambda w: auth.create_user("newbie", "abc\x00defghij", role="领导", by=w.admin,
                                                      engine=w.engine, rounds=ROUNDS), ValidationError, "「密码」：不能包含空字符"),
    ("password over 72 bytes", lambda w: auth.set_password("zx", "密" * 30, by=w.admin, engine=w.engine,
                                                            rounds=ROUNDS), ValidationError, "「密码」：过长"),
    ("role with a trailing space", lambda w: auth.create_user("newbie", PASSWORD, role="街道管理员 ", by=w.admin,
                                                               engine=w.engine, rounds=ROUNDS), ValidationError, "「角色」"),
    ("staff creates an administrator", lambda w: auth.create_user("newbie", PASSWORD, role="街道管理员", by=w.staff,
                                                                   engine=w.engine, rounds=ROUNDS),
     PermissionDenied, "只有街道管理员可以管理用户"),
    ("nobody signed in (by=None)", lambda w: auth.create_user("newbie", PASSWORD, role="街道管理员", by=None,
                                                               engine=w.engine, rounds=ROUNDS),
     PermissionDenied, "未登录"),
    ("staff resets the admin's password", lambda w: auth.set_password("admin", "another-pass-9", by=w.staff,
                                                                       engine=w.engine, rounds=ROUNDS),
     PermissionDenied, "只有街道管理员可以管理用户"),
    ("admin demotes self", lambda w: auth.update_user("admin", by=w.admin, role="领导", engine=w.engine),
     ValidationError, "不能降低或停用自己的管理员账号"),
    ("blank display name", lambda w: auth.update_user("zx", by=w.admin, display_name="   ", engine=w.engine),
     ValidationError, "「显示名称」：不能为空"),
    ("display name with a control character", lambda w: auth.update_user("zx", by=w.admin, display_name="中兴\x07",
                                                                          engine=w.engine),
     ValidationError, "「显示名称」：不能包含空字符"),
    ("staff moved to an unknown community", lambda w: auth.update_user("zx", by=w.admin, community="火星",
                                                                        engine=w.engine),
     ValidationError, "「所属社区」：未知社区“火星”"),
    ("deactivate a user that does not exist", lambda w: auth.deactivate("ghost", by=w.admin, engine=w.engine),
     NotFound, "未找到用户“ghost”"),
    ("forged administrator actor", lambda w: auth.create_user("newbie", PASSWORD, role="领导",
                                                               by=auth.Actor("zx", "中兴录入员", "街道管理员", None),
                                                               engine=w.engine, rounds=ROUNDS),
     PermissionDenied, "权限已变更"),
    ("NUL in a site-check finding", lambda w: file_site_check(w.staff, community="中兴", category="其他",
                                                              finding="井盖\x00破损", lon=112.53, lat=33.01,
                                                              engine=w.engine, today=w.today),
     ValidationError, "NUL"),
    ("NUL in a fact's subject", lambda w: record_fact(w.admin, community="中兴", subject="中兴\x00社区",
                                                      label="常住人口", value="6100", unit="人",
                                                      source_title="入户调查", engine=w.engine, today=w.today),
     DashboardError, "NUL"),
]


@pytest.mark.parametrize(("name", "call", "error", "text"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_and_nothing_changes(quiet_world, name, call, error, text):
    world = quiet_world  # shared by the module: every case must write nothing
    before = row_counts(world.engine)
    with pytest.raises(error) as err:
        call(world)
    assert text in err.value.message, err.value.message
    assert_unchanged(world.engine, before)


SIGN_INS = [
    ("wrong password", "zx", "wrong-password"),
    ("unknown name", "nobody", PASSWORD),
    ("name with NUL", "zx\x00", PASSWORD),
    ("password with NUL", "zx", PASSWORD + "\x00"),
    ("SQL in the name", "zx' OR '1'='1", PASSWORD),
    ("10 000-character name", "z" * 10_000, PASSWORD),
    ("10 000-character password", "zx", "p" * 10_000),
    ("empty", "", ""),
]


@pytest.mark.parametrize(("name", "username", "password"), SIGN_INS, ids=[c[0] for c in SIGN_INS])
def test_bad_sign_in_is_refused_with_one_audit_row(world, name, username, password):
    before = row_counts(world.engine)
    assert auth.authenticate(username, password, engine=world.engine) is None
    after = {**before, "audit_log": before["audit_log"] + 1}
    assert_unchanged(world.engine, after)
    row = audit_log(engine=world.engine).iloc[0]
    assert row["action"] == "login_failed" and "\x00" not in row["record_key"] and len(row["record_key"]) <= 120
    with session_scope(world.engine) as s:  # the account itself is untouched
        assert s.scalar(select(User.active).where(User.username == "zx")) is True
