"""Accounts, roles, password hashing, the users CLI and the audit trail of user changes."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select
from staff_fixtures import PASSWORD, ROUNDS, _staff_templates, quiet_world, world  # noqa: F401

from lib import auth, users
from lib.audit import audit_log
from lib.auth import Actor, require
from lib.db import session_scope
from lib.errors import NotFound, PermissionDenied, ValidationError
from lib.models import User
from lib.queries.accounts import list_users
from lib.writes import record_star_assessment

ADMIN = Actor("a", "管理员", "街道管理员", None)
STAFF = Actor("z", "录入员", "社区工作人员", "中兴")
LEADER = Actor("b", "领导", "领导", None)


@pytest.mark.parametrize(("actor", "community", "message"), [
    (None, "中兴", "未登录，不能修改数据"),
    (LEADER, "中兴", "领导账号仅可查看"),
    (STAFF, "西华", "社区工作人员只能修改本社区（中兴）的数据"),
    (STAFF, None, "街道级数据须由街道管理员录入"),
    (Actor("x", "x", "社区工作人员", None), "中兴", "未绑定社区"),
    (Actor("x", "x", "访客", None), "中兴", "不能修改数据"),
])
def test_require_edit_refusals(actor, community, message):
    with pytest.raises(PermissionDenied) as err:
        require(actor, "edit", community=community)
    assert message in err.value.message


@pytest.mark.parametrize(("actor", "community"), [(ADMIN, "中兴"), (ADMIN, None), (STAFF, "中兴")])
def test_require_edit_allowed(actor, community):
    require(actor, "edit", community=community)


def test_only_admin_manages_users_and_geometry():
    require(ADMIN, "manage_users")
    require(ADMIN, "import_geometry")
    for actor in (STAFF, LEADER):
        with pytest.raises(PermissionDenied, match="只有街道管理员可以管理用户"):
            require(actor, "manage_users")
        with pytest.raises(PermissionDenied, match="只有街道管理员可以导入地图数据"):
            require(actor, "import_geometry")
    require(None, "view")  # viewing is open unless REQUIRE_LOGIN_TO_VIEW


def test_passwords_are_salted_bcrypt_hashes(world):
    auth.create_user("twin", PASSWORD, role="领导", by=world.admin, engine=world.engine, rounds=ROUNDS)
    with session_scope(world.engine) as s:
        hashes = dict(s.execute(select(User.username, User.password_hash)).all())
    assert hashes["twin"] != hashes["boss"]  # same password, different salt
    assert hashes["twin"].startswith(f"$2b$0{ROUNDS}$") and PASSWORD not in hashes["twin"]
    assert auth.authenticate("twin", PASSWORD, engine=world.engine) == Actor("twin", "twin", "领导", None)
    assert auth.authenticate("twin", PASSWORD + "x", engine=world.engine) is None
    assert auth.authenticate("nobody", PASSWORD, engine=world.engine) is None
    assert auth.authenticate("", "", engine=world.engine) is None
    assert auth.authenticate("twin", "x" * 100, engine=world.engine) is None  # > 72 bytes: refused, no crash


def test_authenticate_returns_actor_with_community(world):
    assert auth.authenticate(" zx ", PASSWORD, engine=world.engine) == world.staff
    log = audit_log(user="zx", engine=world.engine)
    assert log["action"].iloc[0] == "login"
    auth.authenticate("zx", "wrong-password", engine=world.engine)
    failed = audit_log(user="zx", engine=world.engine).iloc[0]
    assert failed["action"] == "login_failed" and failed["after"] == {"reason": "bad_password"}


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"username": "zx"}, "「用户名」：“zx”已存在"),
    ({"username": "a b"}, "「用户名」"),
    ({"password": "short"}, "「密码」：至少8个字符"),
    ({"password": "长" * 30}, "「密码」：过长"),
    ({"role": "超级用户"}, "「角色」：“超级用户”无效"),
    ({"role": "社区工作人员", "community": None}, "「所属社区」：社区工作人员必须选择所属社区"),
    ({"role": "社区工作人员", "community": "火星"}, "「所属社区」：未知社区“火星”"),
    ({"role": "领导", "community": "中兴"}, "领导账号不绑定社区"),
])
def test_create_user_validation(quiet_world, kwargs, message):
    world = quiet_world  # writes nothing
    args = {"username": "new1", "password": PASSWORD, "role": "社区工作人员", "community": "中兴", **kwargs}
    with pytest.raises(ValidationError) as err:
        auth.create_user(args.pop("username"), args.pop("password"), by=world.admin, engine=world.engine,
                         rounds=ROUNDS, **args)
    assert message in err.value.message


def test_only_admin_creates_users(quiet_world):
    world = quiet_world  # writes nothing
    for actor in (world.staff, world.leader):
        with pytest.raises(PermissionDenied):
            auth.create_user("new2", PASSWORD, role="领导", by=actor, engine=world.engine, rounds=ROUNDS)
    assert "new2" not in list_users(engine=world.engine)["username"].tolist()


def test_set_password_and_deactivate(world):
    auth.set_password("zx", "another-pass-9", by=world.admin, engine=world.engine, rounds=ROUNDS)
    assert auth.authenticate("zx", PASSWORD, engine=world.engine) is None
    assert auth.authenticate("zx", "another-pass-9", engine=world.engine) == world.staff
    with pytest.raises(PermissionDenied):  # staff cannot reset someone else's password
        auth.set_password("boss", "another-pass-9", by=world.staff, engine=world.engine, rounds=ROUNDS)
    auth.set_password("zx", "mine-own-pass-1", by=world.staff, engine=world.engine, rounds=ROUNDS)  # own: fine
    auth.deactivate("zx", by=world.admin, engine=world.engine)
    assert auth.authenticate("zx", "mine-own-pass-1", engine=world.engine) is None
    # a session opened before deactivation cannot write any more
    with pytest.raises(PermissionDenied, match="不存在或已停用"):
        record_star_assessment(world.staff, community="中兴", star="支部过硬星", status="已达标",
                               engine=world.engine, today=world.today)
    users_df = list_users(engine=world.engine).set_index("username")
    assert not users_df.loc["zx", "active"] and users_df.loc["hs", "active"]
    assert "password_hash" not in users_df.columns
    with pytest.raises(NotFound, match="未找到用户“ghost”"):
        auth.deactivate("ghost", by=world.admin, engine=world.engine)


def test_forged_or_stale_actor_cannot_write(world):
    forged = Actor("zx", "中兴录入员", "街道管理员", None)
    with pytest.raises(PermissionDenied, match="权限已变更"):
        record_star_assessment(forged, community="西华", star="支部过硬星", status="已达标",
                               engine=world.engine, today=world.today)
    auth.update_user("zx", by=world.admin, community="西华", engine=world.engine)
    with pytest.raises(PermissionDenied, match="权限已变更"):
        record_star_assessment(world.staff, community="中兴", star="支部过硬星", status="已达标",
                               engine=world.engine, today=world.today)


def test_admin_cannot_demote_self(quiet_world):
    world = quiet_world  # writes nothing
    with pytest.raises(ValidationError, match="不能降低或停用自己的管理员账号"):
        auth.update_user("admin", by=world.admin, role="领导", engine=world.engine)


def test_every_user_change_is_audited(world):
    before = len(audit_log(table="app_user", engine=world.engine))
    auth.create_user("audited", PASSWORD, role="社区工作人员", community="西华", by=world.admin,
                     engine=world.engine, rounds=ROUNDS)
    auth.update_user("audited", by=world.admin, display_name="西华录入员", engine=world.engine)
    auth.set_password("audited", "another-pass-9", by=world.admin, engine=world.engine, rounds=ROUNDS)
    auth.deactivate("audited", by=world.admin, engine=world.engine)
    log = audit_log(table="app_user", engine=world.engine)
    assert len(log) == before + 4
    mine = log[log["record_key"] == "audited"]
    assert mine["action"].tolist() == ["deactivate", "set_password", "update_user", "create_user"]
    assert set(mine["username"]) == {"admin"} and set(mine["community"]) == {"西华"}
    created = mine.iloc[-1]["after"]
    assert created == {"username": "audited", "display_name": "audited", "role": "社区工作人员",
                       "community": "西华", "active": True}
    assert mine.iloc[0]["before"]["active"] is True and mine.iloc[0]["after"]["active"] is False
    assert mine.iloc[1]["after"] == {"password_changed": True}
    assert "hash" not in str(log["after"].tolist()).lower()


def _db_url(world) -> str:
    return world.engine.url.render_as_string(hide_password=False)


def test_cli_create_admin_reads_password_from_stdin(world, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("cli-secret-123\n"))
    code = users.main(["--database-url", _db_url(world), "create-admin", "--username", "root2",
                       "--display-name", "总管理员", "--password-stdin"])
    assert code == 0 and "已创建街道管理员“root2”（总管理员）" in capsys.readouterr().out
    actor = auth.authenticate("root2", "cli-secret-123", engine=world.engine)
    assert actor is not None and actor.role == "街道管理员"
    assert audit_log(user="system", table="app_user", engine=world.engine)["record_key"].iloc[0] == "root2"
    assert users.main(["--database-url", _db_url(world), "list"]) == 0
    listing = capsys.readouterr().out
    assert "root2\t总管理员\t街道管理员" in listing and "zx\t中兴录入员\t社区工作人员\t中兴\t启用" in listing


def test_cli_has_no_default_password(world, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    code = users.main(["--database-url", _db_url(world), "create-admin", "--username", "root3", "--password-stdin"])
    assert code == 2 and "「密码」：至少8个字符" in capsys.readouterr().err
    answers = iter(["first-pass-1", "other-pass-2"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert users.main(["--database-url", _db_url(world), "create-admin", "--username", "root3"]) == 2
    assert "两次输入的密码不一致" in capsys.readouterr().err
    assert "root3" not in list_users(engine=world.engine)["username"].tolist()
