"""A look-back day is a China day. A site check filed at 01:30 on 2024年3月2日 China time (17:30 UTC on 3月1日)
showed in a 2024年3月1日 look-back — in the list, on the map, in the 预警 as 「最早2024年3月1日登记」 — and moved the
「数据截至」 stamp of that look-back to 2024年3月2日 (lib.scope.day_end and lib.alerts read UTC days)."""
from __future__ import annotations

import datetime as D

import pytest
from staff_fixtures import _staff_templates, world  # noqa: F401

from lib import writes
from lib.alerts import alerts
from lib.audit import audit_log
from lib.queries.checks import site_checks
from lib.queries.communities import data_as_of

FILED_UTC = D.datetime(2024, 3, 1, 17, 30)  # 2024-03-02 01:30 in China
BEFORE, ON = D.date(2024, 3, 1), D.date(2024, 3, 2)


@pytest.fixture
def filed(world, monkeypatch):
    monkeypatch.setattr("lib.clock.now_utc", lambda: FILED_UTC)
    quiet = sorted({"大官庄", "中兴", "工业路", "西华", "刘庄", "白庄", "小铁路", "麒麟", "榆树庄", "光彩", "华盛"}
                   - {a.community for a in alerts(as_of=ON, engine=world.engine) if a.kind == "open_checks"})[0]
    counts = {day: len(site_checks(community=quiet, as_of=day, engine=world.engine)) for day in (BEFORE, ON)}
    stamp = data_as_of(as_of=BEFORE, community=quiet, engine=world.engine)
    writes.file_site_check(world.admin, community=quiet, category="环境卫生", finding="楼道堆放杂物", lon=112.52,
                           lat=33.0, client_token="china-day-1", engine=world.engine, today=ON)
    return world, quiet, counts, stamp


def test_a_check_filed_after_midnight_in_china_is_not_in_the_day_before(filed):
    world, community, counts, stamp = filed
    assert len(site_checks(community=community, as_of=BEFORE, engine=world.engine)) == counts[BEFORE]
    assert len(site_checks(community=community, as_of=ON, engine=world.engine)) == counts[ON] + 1
    assert data_as_of(as_of=BEFORE, community=community, engine=world.engine) == stamp


def test_its_alert_is_dated_on_its_china_day(filed):
    world, community, _, _ = filed
    assert community not in {a.community for a in alerts(as_of=BEFORE, engine=world.engine) if a.kind == "open_checks"}
    found = {a.community: a for a in alerts(as_of=ON, engine=world.engine) if a.kind == "open_checks"}
    assert found[community].text.startswith("1项现场核查未办结，最早2024年3月2日登记"), found[community].text
    assert found[community].on == ON


def test_the_audit_log_reads_dates_as_china_days(filed):
    """The audit page's day filter (a China day, as the column shows) is lib's rule, not the page's arithmetic."""
    world, community, _, _ = filed
    on = audit_log(table="site_check", start=ON, end=ON, engine=world.engine)
    before = audit_log(table="site_check", start=BEFORE, end=BEFORE, engine=world.engine)
    assert len(on) == 1 and on["at"].iloc[0] == FILED_UTC and on["community"].iloc[0] == community
    assert before.empty
