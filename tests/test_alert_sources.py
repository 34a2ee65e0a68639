"""An alert says when it rests on demo data. The seed's site checks, star assessments and daily occupancy before the
article's day are 示例: 「白庄 · 整改逾期：1项整改已过期限…」 read as a real overdue case on the overview, the wall,
the PDF and the Excel. Each alert now ends 「（示例数据）」 when all its records are demo data and 「（含示例数据）」
when some are; an alert on staff-entered or reported records carries no such note."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from staff_fixtures import _staff_templates, world  # noqa: F401

from lib import alerts as alerts_mod
from lib import writes
from lib.alerts import alerts
from lib.config import Settings

D = dt.date
DEMO, SOME_DEMO = "（示例数据）", "（含示例数据）"


@pytest.fixture(autouse=True)
def tuned(monkeypatch):
    monkeypatch.setattr(alerts_mod, "settings", lambda: replace(Settings(), care_free_beds_warning=3, stale_days=30))


def of(found, kind):
    return {a.community: a for a in found if a.kind == kind}


def test_alerts_on_demo_records_say_so(world):
    found = alerts(as_of=D(2023, 11, 22), engine=world.engine)
    checks = of(found, "open_checks")
    assert checks and all(a.text.endswith(DEMO) for a in checks.values()), [a.line for a in checks.values()]
    assert all(a.line.endswith(DEMO) for a in checks.values())
    overdue = of(found, "overdue")
    assert overdue and all(a.text.endswith(DEMO) for a in overdue.values()), [a.line for a in overdue.values()]
    # the article's 48 of 50 beds: a reported figure, no note
    beds = of(found, "free_beds")
    assert "中兴" in beds and "示例" not in beds["中兴"].text, beds
    stale = [a for a in alerts(as_of=D(2024, 3, 1), engine=world.engine) if a.kind == "stale"]
    stars = [a for a in stale if a.text.startswith("五星评定")]
    assert stars and all(a.text.endswith(DEMO) for a in stars), [a.text for a in stars]


def test_a_staff_check_beside_demo_ones_says_some_are_demo(world, monkeypatch):
    e = world.engine
    seeded = of(alerts(as_of=world.today, engine=e), "open_checks")
    community = sorted(seeded)[0]
    monkeypatch.setattr("lib.clock.now_utc", lambda: dt.datetime(2024, 2, 10, 2, 0))
    writes.file_site_check(world.admin, community=community, category="环境卫生", finding="楼道堆放杂物",
                           lon=112.52, lat=33.0, due_on=D(2024, 2, 20), client_token="alert-src-1",
                           engine=e, today=world.today)
    found = alerts(as_of=world.today, engine=e)
    assert of(found, "open_checks")[community].text.endswith(SOME_DEMO)
    others = [a for n, a in of(found, "open_checks").items() if n != community]
    assert all(a.text.endswith(DEMO) for a in others)


def test_alerts_on_staff_records_carry_no_note(world, monkeypatch):
    e, day = world.engine, D(2024, 2, 1)
    writes.record_occupancy(world.admin, facility="care_centre", day=day, occupied=49, engine=e, today=world.today)
    low = of(alerts(as_of=day, engine=e), "free_beds")["中兴"]
    assert "空床1张" in low.text and "示例" not in low.text
    quiet = sorted({"大官庄", "中兴", "工业路", "西华", "刘庄", "白庄", "小铁路", "麒麟", "榆树庄", "光彩", "华盛"}
                   - set(of(alerts(as_of=world.today, engine=e), "open_checks")))[0]  # no seeded open check
    monkeypatch.setattr("lib.clock.now_utc", lambda: dt.datetime(2024, 2, 10, 2, 0))
    writes.file_site_check(world.admin, community=quiet, category="环境卫生", finding="楼道堆放杂物",
                           lon=112.52, lat=33.0, due_on=D(2024, 2, 20), client_token="alert-src-2",
                           engine=e, today=world.today)
    found = alerts(community=quiet, as_of=world.today, engine=e)
    overdue, open_ = of(found, "overdue")[quiet], of(found, "open_checks")[quiet]
    assert overdue.text.startswith("1项整改已过期限") and open_.text.startswith("1项现场核查未办结")
    assert "示例" not in overdue.text and "示例" not in open_.text


def test_free_beds_on_demo_residents_and_reported_beds_say_some_are_demo(world):
    """2023-11-01: the residents' count is the seed's demo record, the 50 beds are the article's. The alert said
    「（示例数据）」 as if the beds were demo too."""
    low = of(alerts(as_of=D(2023, 11, 1), engine=world.engine), "free_beds")["中兴"]
    assert "空床2张（床位50张）" in low.text and low.text.endswith(SOME_DEMO), low.text
