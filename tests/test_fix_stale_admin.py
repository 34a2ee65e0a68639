"""大屏链接 and map-layer imports check the acting account as stored, like every other write: a deactivated or
demoted administrator, a forged role and a name with no account are refused; nothing is written or audited."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from staff_fixtures import PASSWORD, _staff_templates, world  # noqa: F401

from geo.importer import read_geometry_file
from geo.layers import load_layer
from lib import auth, display_links
from lib.auth import Actor
from lib.db import session_scope
from lib.errors import PermissionDenied
from lib.geometry_store import save_layer
from lib.models import AuditLog, DisplayLink, MapLayerVersion

GONE = "账号“{}”不存在或已停用，不能修改数据"
CHANGED = "账号权限已变更，请重新登录后再操作"
ADMIN2 = Actor("admin2", "二号管理员", "街道管理员", None)


def _deactivated(world) -> Actor:
    auth.deactivate(ADMIN2.username, by=world.admin, engine=world.engine)
    return ADMIN2


def _demoted(world) -> Actor:
    auth.update_user(ADMIN2.username, role="领导", by=world.admin, engine=world.engine)
    return ADMIN2


STALE: list[tuple[str, Callable, str]] = [
    ("deactivated administrator", _deactivated, GONE.format("admin2")),
    ("demoted administrator", _demoted, CHANGED),
    ("staff account with a forged role", lambda w: Actor("zx", "中兴录入员", "街道管理员", None), CHANGED),
    ("no such account", lambda w: Actor("nobody", "不存在", "街道管理员", None), GONE.format("nobody")),
]


def _roads():
    roads = load_layer("roads")
    roads["geometry"] = roads.geometry.translate(xoff=0.0005)
    return read_geometry_file(roads[["name", "geometry"]].to_json().encode(), "roads.geojson", layer="roads")


def _create(world, by: Actor, link_id: int) -> object:
    return display_links.create("三楼会议室大屏", days=30, by=by, engine=world.engine)


def _revoke(world, by: Actor, link_id: int) -> object:
    return display_links.revoke(link_id, by=by, engine=world.engine)


def _save(world, by: Actor, link_id: int) -> object:
    return save_layer(by, layer="roads", gdf=_roads(), source_title="伪造测绘", engine=world.engine)


WRITES = [("create link", _create), ("revoke link", _revoke), ("save layer", _save)]


def _state(engine) -> tuple:
    with session_scope(engine) as s:
        return (s.scalar(select(func.count()).select_from(DisplayLink)),
                s.scalar(select(func.count()).select_from(DisplayLink).where(DisplayLink.revoked_at.is_not(None))),
                s.scalar(select(func.count()).select_from(MapLayerVersion)),
                s.scalar(select(func.count()).select_from(AuditLog)))


@pytest.mark.parametrize("write", [w[1] for w in WRITES], ids=[w[0] for w in WRITES])
@pytest.mark.parametrize(("make", "message"), [s[1:] for s in STALE], ids=[s[0] for s in STALE])
def test_stale_or_forged_administrator_is_refused(world, write, make, message):
    auth.create_user(ADMIN2.username, PASSWORD, role="街道管理员", display_name=ADMIN2.display_name, by=world.admin,
                     engine=world.engine, rounds=4)
    display_links.create("大厅", days=7, by=world.admin, engine=world.engine)
    link_id = int(display_links.list_links(engine=world.engine).iloc[0]["id"])
    actor = make(world)
    before = _state(world.engine)
    with pytest.raises(PermissionDenied) as err:
        write(world, actor, link_id)
    assert err.value.message == message
    assert _state(world.engine) == before


@pytest.mark.parametrize("write", [w[1] for w in WRITES], ids=[w[0] for w in WRITES])
def test_the_stored_administrator_still_may(world, write):
    display_links.create("大厅", days=7, by=world.admin, engine=world.engine)
    link_id = int(display_links.list_links(engine=world.engine).iloc[0]["id"])
    before = _state(world.engine)
    write(world, world.admin, link_id)
    assert _state(world.engine)[3] == before[3] + 1  # audited
