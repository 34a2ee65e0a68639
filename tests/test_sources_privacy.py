"""The 数据来源 page listed every staff member's source card — 「中兴网格员 / 由中兴网格员（zx_lists）在本系统录入」 — to
viewers who are not signed in, while every figure hides staff names from them (lib.privacy: 「工作人员」). Signed out,
the staff and import sources read as one 「工作人员录入」 card; signed in, each is named as before."""
from __future__ import annotations

import datetime as dt

from staff_apptest import APP, _staff_templates, clean, engine, session_cookie  # noqa: F401 - fixtures
from streamlit.testing.v1 import AppTest

from lib import writes
from lib.auth import Actor
from lib.queries import facts

ZX = Actor("zx", "中兴录入员", "社区工作人员", "中兴")


def _enter(engine) -> None:  # noqa: F811 - the fixture's engine
    writes.record_occupancy(ZX, facility="care_centre", day=dt.date(2023, 11, 23), occupied=47, engine=engine,
                            today=dt.date(2023, 11, 23))


def _page(token: str | None) -> str:
    at = AppTest.from_file(APP, default_timeout=60)
    if token:
        at.session_state["auth.token"] = token
    at.run()
    at = clean(at.switch_page("pages/sources.py").run())
    return "\n".join([*(m.value for m in at.markdown), *(c.value for c in at.caption), *(t.value for t in at.text)])


def test_signed_out_viewers_see_no_staff_names(engine):  # noqa: F811 - the imported fixture
    _enter(engine)
    shown = _page(None)
    assert "中兴录入员" not in shown and "（zx）" not in shown, shown
    assert "工作人员录入" in shown
    rows = facts.sources(signed_in=False, engine=engine)
    staff = rows[rows["kind"] == "staff"]
    assert len(staff) == 1 and staff["publisher"].tolist() == ["工作人员"], staff
    assert "中兴录入员" not in " ".join(map(str, rows.to_numpy().ravel()))


def test_signed_in_staff_see_who_entered(engine):  # noqa: F811 - the imported fixture
    _enter(engine)
    shown = _page(session_cookie("admin"))
    assert "由中兴录入员（zx）在本系统录入" in shown, shown
    named = facts.sources(signed_in=True, engine=engine)
    assert "中兴录入员" in named["publisher"].tolist()
