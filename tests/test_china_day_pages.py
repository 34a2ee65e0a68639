"""Times a page shows from a stored (UTC) moment are China time. At 01:30 China time (17:30 UTC the day before) the
现场核查登记 page said 「登记于」 and the saved card's date as the UTC day, a day early; the audit log printed a wall
link's expiry as raw UTC under 「时间为北京时间」."""
from __future__ import annotations

import datetime as dt

import pytest
from staff_apptest import APP, TODAY, _staff_templates, engine, png, sign_in, submit, texts  # noqa: F401

from lib import clock, writes
from lib.auth import Actor
from lib.fmt import cn_date

ZX = Actor("zx", "中兴录入员", "社区工作人员", "中兴")


@pytest.fixture
def after_midnight(monkeypatch):
    """01:30 on TODAY in China: 17:30 UTC on the day before."""
    frozen = dt.datetime.combine(TODAY - dt.timedelta(days=1), dt.time(17, 30))
    monkeypatch.setattr(clock, "now_utc", lambda: frozen)
    assert clock.today() == TODAY
    return frozen


def test_the_check_forms_dates_are_china_days(engine, after_midnight):  # noqa: F811 - the imported fixture
    writes.file_site_check(ZX, community="中兴", category="环境卫生", finding="楼道堆放杂物", lon=112.5262, lat=33.0011,
                           client_token="tz-open", engine=engine)
    at = sign_in("zx", "check_form")
    opened = [c for c in texts(at.caption) if "登记于" in c]
    assert opened and f"登记于 {cn_date(TODAY)} 01:30" in opened[0], opened
    at.selectbox(key="checkform.category").set_value("环境卫生")
    at.text_area(key="checkform.finding").input("3号楼楼道堆放纸箱")
    at.radio(key="checkform.status").set_value("待整改")
    at.file_uploader(key="checkform.photo.0").set_value(("tiny.png", png(), "image/png"))
    submit(at, "checkform.submit")
    saved = [c for c in texts(at.caption) if "登记人" in c]
    assert saved and saved[0].endswith(f"{cn_date(TODAY)} 01:30"), saved


def test_a_stored_moment_in_the_audit_log_reads_in_china_time():
    from ui import audit_view

    created = {"name": "三楼会议室大屏", "expires_at": "2024-03-08T17:30:00"}  # as lib.display_links audits it (UTC)
    assert audit_view.change_text(created) == "名称：三楼会议室大屏；到期时间：2024年3月9日 01:30"
