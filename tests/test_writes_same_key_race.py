"""Two different values for one key (one facility's residents on one day, one star on one date …) sent at the
same moment on two connections (bug: pg_conflict). Writers of one key take turns, so the second sees the first:
on PostgreSQL it is refused like the unique-key tables (「刚被其他人同时保存了不同的内容」); on SQLite, where
writers queue before they read, it is a correction audited from the first value. Never both from the old one."""
from __future__ import annotations

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select
from staff_fixtures import _staff_templates, world  # noqa: F401

from lib import audit, writes
from lib.db import session_scope
from lib.errors import DashboardError
from lib.models import AuditLog

D = dt.date
CONFLICT = "刚被其他人同时保存了不同的内容"

# form, the two values' fields, the table, the audited field
FORMS = {
    "occupancy": (writes.record_occupancy, [dict(facility="care_centre", day=D(2024, 2, 1), occupied=n)
                                            for n in (40, 45)], "care_occupancy", "occupied"),
    "star": (writes.record_star_assessment,
             [dict(community="中兴", star="支部过硬星", status="已达标", score=n, valid_from=D(2024, 2, 1))
              for n in (95, 96)], "star_assessment", "score"),
    "model": (writes.record_model_status, [dict(community="中兴", status=v, valid_from=D(2024, 2, 1))
                                           for v in ("创建中", "先行先试")], "model_status", "status"),
    "fact": (writes.record_fact, [dict(community="中兴", label="常住人口", value=n, unit="人", source_title="台账",
                                       valid_from=D(2024, 2, 1)) for n in (8000, 8100)], "fact", "value"),
}
HOLD_SECONDS = 0.5


def race(world, form, variants: list[dict], monkeypatch) -> list:
    """Both leave together; the first to reach its audit row holds its transaction open a moment, so the other
    certainly reads while the first has written but not committed (the race, made sure)."""
    barrier = threading.Barrier(2)
    first = threading.Lock()
    record = audit.record

    def slow_record(*args, **kwargs):
        if first.acquire(blocking=False):
            time.sleep(HOLD_SECONDS)
        return record(*args, **kwargs)

    monkeypatch.setattr(audit, "record", slow_record)
    actors = [world.staff, world.admin]

    def one(i: int):
        barrier.wait()
        try:
            return form(actors[i], **variants[i], engine=world.engine, today=world.today)
        except DashboardError as exc:
            return exc.message

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(one, range(2)))


def audit_trail(world, table: str) -> list[tuple[dict | None, dict]]:
    with session_scope(world.engine) as s:
        return [(r.before, r.after) for r in s.scalars(select(AuditLog).where(AuditLog.table_name == table)
                                                        .order_by(AuditLog.id))]


@pytest.mark.parametrize("name", list(FORMS))
def test_two_values_for_one_key_at_once_never_both_change_the_old_value(world, name, monkeypatch):
    form, variants, table, fieldname = FORMS[name]
    results = race(world, form, variants, monkeypatch)
    stored = [r for r in results if not isinstance(r, str)]
    assert all(r.inserted for r in stored), results
    trail = audit_trail(world, table)
    if world.backend == "postgresql":
        assert len(stored) == 1 and CONFLICT in next(r for r in results if isinstance(r, str)), results
        assert len(trail) == 1
    else:
        assert len(stored) == 2 and len(trail) == 2, results
        assert trail[1][0][fieldname] == trail[0][1][fieldname], trail  # audited from the first value


def test_two_progress_updates_of_one_check_at_once(world, monkeypatch):
    """Both were stored from 待整改 on PostgreSQL, and whichever committed last won: a check 已办结 was silently
    reopened as 整改中, its audit never showing the 已办结 → 整改中 step."""
    check = writes.file_site_check(world.staff, community="中兴", category="环境卫生", finding="楼道堆放杂物",
                                   lon=112.52, lat=33.0, client_token="race-check", engine=world.engine,
                                   today=world.today).id
    results = race(world, writes.update_site_check, [dict(check_id=check, status="整改中", note="清理中"),
                                                     dict(check_id=check, status="已办结", note="已清理")], monkeypatch)
    stored = [r for r in results if not isinstance(r, str)]
    trail = [(b, a) for b, a in audit_trail(world, "site_check") if b is not None]  # the updates, not the filing
    if world.backend == "postgresql":
        assert len(stored) == 1 and CONFLICT in next(r for r in results if isinstance(r, str)), results
        assert len(trail) == 1
    else:
        assert len(stored) == 2 and len(trail) == 2, results
        assert trail[1][0]["status"] == trail[0][1]["status"], trail  # audited from the first update's status
