"""Writes under concurrency, on SQLite and PostgreSQL: nothing lost, nothing doubled (issue #12).

- 20 threads × 50 writes by one user whose staff Source does not exist yet: 1000 rows, 1000 audit rows.
- 30 double submissions, each sent by two threads on two connections at the same moment (a barrier):
  30 rows, and the second of each pair answers 「已保存（重复提交已忽略）」.
"""
from __future__ import annotations

import datetime as dt
import io
import threading
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest
from PIL import Image
from sqlalchemy import func, select
from staff_fixtures import _staff_templates, world  # noqa: F401

from lib import ledger, writes
from lib.errors import DashboardError
from lib.ledger_kinds import KINDS
from lib.models import AuditLog, CareOccupancy, Photo, SiteCheck, Source, StarAssessment
from lib.writes.base import REPEAT_TEXT

D = dt.date
THREADS, PER_THREAD = 20, 50


def png(k: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (k % 256, 30, 30)).save(buf, "PNG")
    return buf.getvalue()



def scalar(engine, stmt):
    with engine.connect() as conn:
        return conn.scalar(stmt)


def run_threads(n: int, fn) -> list:
    """Run fn(i) on n threads; re-raise the first failure."""
    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(fn, range(n)))


def occupancy(world, k: int, **extra):
    return writes.record_occupancy(world.staff, facility="care_centre", day=D(2021, 1, 1) + dt.timedelta(days=k),
                                   occupied=k % 7, engine=world.engine, today=world.today, **extra)


def site_check(world, k: int, **extra):
    return writes.file_site_check(world.staff, community="中兴", category="环境卫生", finding=f"楼道堆物 第{k}处",
                                  lon=112.52, lat=33.0, photo=png(k), photo_mime="image/png",
                                  engine=world.engine, today=world.today, **extra)


@pytest.mark.parametrize("write,table", [(occupancy, CareOccupancy), (site_check, SiteCheck)],
                         ids=["occupancy", "site_check_with_photo"])
def test_twenty_threads_by_one_new_user_lose_nothing(world, write, table):
    who = table.recorded_by if table is CareOccupancy else table.created_by
    assert scalar(world.engine, select(func.count()).select_from(Source).where(Source.publisher == "中兴录入员")) == 0

    def worker(i: int) -> list:
        return [write(world, i * PER_THREAD + j) for j in range(PER_THREAD)]

    results = [r for batch in run_threads(THREADS, worker) for r in batch]
    n = THREADS * PER_THREAD
    assert sum(r.inserted for r in results) == n
    assert scalar(world.engine, select(func.count()).select_from(table).where(who == "zx")) == n
    assert scalar(world.engine, select(func.count()).select_from(AuditLog)
                  .where(AuditLog.username == "zx", AuditLog.table_name == table.__tablename__)) == n
    assert scalar(world.engine, select(func.count()).select_from(Source).where(Source.publisher == "中兴录入员")) == 1
    if table is SiteCheck:
        assert scalar(world.engine, select(func.count()).select_from(Photo)
                      .join(SiteCheck, SiteCheck.id == Photo.check_id).where(SiteCheck.created_by == "zx")) == n


def _pairs(n: int, send, *, at_once: int = 6) -> list:
    """n double submissions: both copies of pair k leave at the same moment (a barrier) on two threads, each
    with its own connection; `at_once` pairs run together (12 threads stay within the connection pool)."""
    results = []
    for start in range(0, n, at_once):
        stop = min(n, start + at_once)
        barriers = [threading.Barrier(2) for _ in range(start, stop)]

        def one(slot: int, start=start, barriers=barriers):
            barriers[slot // 2].wait()
            return send(start + slot // 2)

        results += run_threads(2 * (stop - start), one)
    return results


DOUBLES = 30


def _star(world, k: int, key: str | None):
    return writes.record_star_assessment(world.staff, community="中兴", star="支部过硬星", status="创建中", score=k,
                                         valid_from=D(2023, 1, 1) + dt.timedelta(days=k), engine=world.engine,
                                         today=world.today, submission_key=key)


@pytest.mark.parametrize("form_key", [True, False], ids=["form_token", "no_token"])
@pytest.mark.parametrize("form", ["occupancy", "star", "site_check"])
def test_double_submissions_on_two_connections_store_one_row(world, form, form_key):
    sends = {
        "occupancy": (lambda k: occupancy(world, k, submission_key=f"occ-{k}" if form_key else None), CareOccupancy,
                      CareOccupancy.recorded_by),
        "star": (lambda k: _star(world, k, f"star-{k}" if form_key else None), StarAssessment,
                 StarAssessment.recorded_by),
        "site_check": (lambda k: site_check(world, k, client_token=f"chk-{k}" if form_key else None), SiteCheck,
                       SiteCheck.created_by),
    }
    send, table, who = sends[form]
    results = _pairs(DOUBLES, send)
    assert sum(r.inserted for r in results) == DOUBLES
    assert all(REPEAT_TEXT in r.message for r in results if not r.inserted)
    assert scalar(world.engine, select(func.count()).select_from(table).where(who == "zx")) == DOUBLES
    assert scalar(world.engine, select(func.count()).select_from(AuditLog).where(AuditLog.username == "zx")) == DOUBLES


def _ledger_preview(world, n: int = 200):
    rows = [["光武街道综合养老服务中心", (D(2022, 1, 1) + dt.timedelta(days=k)).isoformat(), k % 5] for k in range(n)]
    data = ledger.template_xlsx("每日入住", rows=pd.DataFrame(rows, columns=KINDS["每日入住"].headers))
    preview = ledger.read_ledger(data, "入住.xlsx", "每日入住", actor=world.staff, engine=world.engine, today=world.today)
    assert preview.ok and preview.inserts == n
    return preview


def test_same_ledger_preview_committed_twice_at_once_stores_rows_once(world):
    preview = _ledger_preview(world)
    barrier = threading.Barrier(2)

    def commit(_i):
        barrier.wait()
        return ledger.commit_ledger(world.staff, preview, engine=world.engine, today=world.today)

    results = run_threads(2, commit)
    assert sorted(r.inserted for r in results) == [0, 200]
    assert any(REPEAT_TEXT in r.message for r in results)
    assert scalar(world.engine, select(func.count()).select_from(CareOccupancy)
                  .where(CareOccupancy.recorded_by == "zx")) == 200
    again = ledger.commit_ledger(world.staff, preview, engine=world.engine, today=world.today)
    assert again.inserted == 0 and REPEAT_TEXT in again.message
    assert scalar(world.engine, select(func.count()).select_from(AuditLog).where(AuditLog.username == "zx")) == 201


def test_two_previews_of_one_file_committed_at_once_store_rows_once(world):
    previews = [_ledger_preview(world, 50), _ledger_preview(world, 50)]
    barrier = threading.Barrier(2)

    def commit(i):
        barrier.wait()
        return ledger.commit_ledger(world.staff, previews[i], engine=world.engine, today=world.today)

    results = run_threads(2, commit)
    assert sorted(r.inserted for r in results) == [0, 50]
    assert scalar(world.engine, select(func.count()).select_from(CareOccupancy)
                  .where(CareOccupancy.recorded_by == "zx")) == 50


def test_one_household_step_sent_twice_with_different_dates_at_once_is_one_step(world):
    from lib.models import Household, HouseholdEvent
    barrier = threading.Barrier(2)

    def send(i):
        barrier.wait()
        try:
            return writes.record_household_step(world.staff_hs, code="WH-078", status="已签约", on=D(2024, 1, 10 + i),
                                                engine=world.engine, today=world.today)
        except DashboardError as exc:
            return exc.message

    results = run_threads(2, send)
    stored = [r for r in results if not isinstance(r, str)]
    refused = [r for r in results if isinstance(r, str)]
    assert len(stored) == 1 and stored[0].inserted
    # PostgreSQL: the unique step settles the race; SQLite: writers take turns and the ladder refuses the second
    assert len(refused) == 1 and ("刚被其他人同时保存了不同的内容" in refused[0] or "不能重复登记" in refused[0]), refused
    assert scalar(world.engine, select(func.count()).select_from(HouseholdEvent).join(Household)
                  .where(Household.code == "WH-078", HouseholdEvent.status == "已签约")) == 1
