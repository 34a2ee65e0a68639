"""A form token (submission_key) sent again with different content is refused, not 「已保存」 (bug: key_reuse);
the same content again stays an idempotent no-op, also when both copies arrive at once on two connections."""
from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from staff_fixtures import _staff_templates, world  # noqa: F401

from lib import writes
from lib.db import session_scope
from lib.errors import DashboardError
from lib.models import AuditLog
from lib.writes.base import REPEAT_TEXT

D = dt.date
REUSED = "本次内容与已保存的不同"

# form, its first content, a different content sent with the same token
FORMS = {
    "occupancy": (writes.record_occupancy, dict(facility="care_centre", day=D(2024, 2, 1), occupied=40),
                  dict(facility="care_centre", day=D(2024, 2, 1), occupied=45)),
    "occupancy_other_day": (writes.record_occupancy, dict(facility="care_centre", day=D(2024, 2, 1), occupied=40),
                            dict(facility="care_centre", day=D(2024, 2, 2), occupied=40)),
    "star": (writes.record_star_assessment,
             dict(community="中兴", star="支部过硬星", status="已达标", score=95, valid_from=D(2024, 2, 1)),
             dict(community="中兴", star="支部过硬星", status="已达标", score=96, valid_from=D(2024, 2, 1))),
    "model": (writes.record_model_status, dict(community="中兴", status="创建中", valid_from=D(2024, 2, 1)),
              dict(community="中兴", status="先行先试", valid_from=D(2024, 2, 1))),
    "fact": (writes.record_fact, dict(community="中兴", label="常住人口", value=8000, unit="人",
                                      source_title="人口台账", valid_from=D(2024, 2, 1)),
             dict(community="中兴", label="常住人口", value=8100, unit="人", source_title="人口台账",
                  valid_from=D(2024, 2, 1))),
    "check": (writes.file_site_check, dict(community="中兴", category="环境卫生", finding="楼道堆放杂物",
                                           lon=112.52, lat=33.0),
              dict(community="中兴", category="环境卫生", finding="楼道堆放杂物（已清理一半）", lon=112.52, lat=33.0)),
}


def send(world, form, fields: dict, key: str):
    token = dict(client_token=key) if form is writes.file_site_check else dict(submission_key=key)
    return form(world.staff, **fields, **token, engine=world.engine, today=world.today)


def audits(world) -> int:
    with session_scope(world.engine) as s:
        return s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.username == "zx"))


@pytest.mark.parametrize("name", list(FORMS))
def test_same_token_same_content_is_a_repeat_different_content_is_refused(world, name):
    form, first, changed = FORMS[name]
    stored = send(world, form, first, "tok-1")
    assert stored.inserted
    again = send(world, form, first, "tok-1")
    assert not again.inserted and REPEAT_TEXT in again.message and again.id == stored.id
    refused = send(world, form, changed, "tok-1")  # the first was saved, this one is not: both said
    assert not refused.inserted and refused.message.startswith(REPEAT_TEXT) and REUSED in refused.message
    assert "未写入" in refused.message and refused.id == stored.id
    assert audits(world) == 1
    assert send(world, form, changed, "tok-2").inserted  # a new form (new token) stores the change


@pytest.mark.parametrize("name", ["occupancy_other_day", "star", "check"])
def test_same_token_different_content_at_once_on_two_connections_stores_one(world, name):
    form, first, changed = FORMS[name]
    barrier = threading.Barrier(2)

    def one(i: int):
        barrier.wait()
        try:
            return send(world, form, [first, changed][i], "tok-race")
        except DashboardError as exc:
            return exc.message

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(one, range(2)))
    stored = [r for r in results if not isinstance(r, str) and r.inserted]
    refused = [r for r in results if not isinstance(r, str) and not r.inserted]
    assert len(stored) == 1, results
    assert len(refused) == 1 and REUSED in refused[0].message and "未写入" in refused[0].message, results
    assert audits(world) == 1
