"""The briefing pack is wired to the stored 「上次汇报日期」 and to lib.alerts (issue #14): the cover names the
stored date, each panel page names both dates of every change (or says there was no data that day), and the
alerts of lib.alerts — 'figures not updated for N days' included — are on the panel pages and in the xlsx."""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace

import openpyxl
import pytest
from pypdf import PdfReader

from lib import alerts as alerts_mod
from lib.briefing import collect_pack, render_pdf, render_xlsx
from lib.config import Settings
from lib.fmt import cn_date
from lib.models import AppSetting
from lib.db import session_scope
from lib.queries import care

LAST = dt.date(2023, 11, 15)
LATER = dt.date(2024, 3, 1)  # the seed's daily records stop before this: more than 30 days stale


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_pages(pdf: bytes) -> list[str]:
    return [flat(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def stale_30(monkeypatch):
    monkeypatch.setattr(alerts_mod, "settings", lambda: replace(Settings(), care_free_beds_warning=0, stale_days=30))


@pytest.fixture
def stored_last(seeded):
    """The stored 「上次汇报日期」 (as the wall's control menu saves it), removed afterwards."""
    from lib.briefing_date import KEY

    def put(value):
        with session_scope(seeded) as s:
            row = s.get(AppSetting, KEY)
            if row is None:
                s.add(AppSetting(key=KEY, value=value, updated_at=dt.datetime(2024, 1, 1)))
            else:
                row.value = value
    put(LAST.isoformat())
    yield LAST
    put(None)


def test_pack_reads_the_stored_last_briefing_date(seeded, stored_last):
    pack = collect_pack(community=None, engine=seeded)
    assert pack.last_briefing == LAST
    assert f"上次汇报日期{cn_date(LAST)}" in pdf_pages(render_pdf(pack, charts={}))[0]
    # an explicit None still means 'no comparison'
    assert collect_pack(community=None, last_briefing=None, engine=seeded).last_briefing is None


def test_panel_pages_name_both_dates_of_each_change(seeded):
    pack = collect_pack(community=None, last_briefing=LAST, engine=seeded)
    pages = pdf_pages(render_pdf(pack, charts={}))
    occupied = next(f for f in pack.figures if f.label == "入住")
    now = care.current_occupancy(facility="care_centre", engine=seeded)
    then = care.current_occupancy(facility="care_centre", as_of=LAST, engine=seeded)
    diff = now.occupied - then.occupied
    change = "持平" if diff == 0 else f"{diff:+d}人"
    assert then.is_demo and not now.is_demo  # the seed: the article's figure against a demo record
    assert occupied.delta_text == f"较{cn_date(LAST)} {change}（对比值为示例数据）（{cn_date(now.day)}）"
    care_page = pages[5]
    assert flat(occupied.delta_text) in care_page
    assert f"较上次汇报（{cn_date(LAST)}）的变化" in care_page
    for page in pages[2:6]:
        assert f"上次汇报日期{cn_date(LAST)}" in page
    # a figure without data on that day says so, naming the day
    household = next(f for f in pack.overview if f.label == "户籍人口")
    assert household.delta_text == f"{cn_date(LAST)}无数据"


def test_panel_pages_without_a_last_briefing_say_so(seeded):
    pages = pdf_pages(render_pdf(collect_pack(community=None, last_briefing=None, engine=seeded), charts={}))
    for page in pages[2:6]:
        assert "上次汇报日期未设置，不显示变化" in page


def test_stale_alerts_on_panel_pages_and_xlsx(seeded, stale_30):
    pack = collect_pack(community="中兴", as_of=LATER, engine=seeded)
    expected = [a for a in alerts_mod.alerts(community="中兴", as_of=LATER, engine=seeded) if a.kind == "stale"]
    assert expected, "the seed's daily records end long before 2024-03-01"
    lines = [a.line for a in expected]
    assert set(lines) <= set(pack.alerts)
    care_panel = next(p for p in pack.panels if p.key == "care")
    assert any("每日入住超过30天未更新" in a for a in care_panel.alerts)
    pages = pdf_pages(render_pdf(pack, charts={}))
    stale_care = next(a for a in lines if "每日入住" in a)
    assert flat(stale_care) in pages[5], "the care page shows its stale alert"
    ws = openpyxl.load_workbook(io.BytesIO(render_xlsx(pack)))["预警"]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True)]
    assert ("数据未更新", "中兴") in {(r[0], r[1]) for r in rows}
    assert any(r[3] and "每日入住超过30天未更新" in r[3] for r in rows)


def test_download_uses_the_stored_date(app_db):
    """The 「汇报材料」 buttons' pack (ui.bridge) compares with the stored date, and a new date is a new pack."""
    from lib import db
    from lib.briefing_date import KEY
    from ui import bridge

    engine = db.get_engine(app_db)

    def put(value):
        with session_scope(engine) as s:
            row = s.get(AppSetting, KEY)
            if row is None:
                s.add(AppSetting(key=KEY, value=value, updated_at=dt.datetime(2024, 1, 1)))
            else:
                row.value = value
        bridge.clear_caches()
    try:
        put(None)
        assert "上次汇报日期未设置" in pdf_pages(bridge.briefing_pack("中兴", None)[0])[0]
        put(LAST.isoformat())
        pages = pdf_pages(bridge.briefing_pack("中兴", None)[0])
        assert f"上次汇报日期{cn_date(LAST)}" in pages[0]
        assert f"较上次汇报（{cn_date(LAST)}）的变化" in pages[5]
    finally:
        put(None)
