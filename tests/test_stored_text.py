"""Stored text (what staff type: a figure's 名称, 对象, 来源, 原文) is shown as text, never as Markdown
or HTML, on the overview, the profiles and the sources pages (issue #12: a stored <img> made viewers
fetch a URL)."""
# ruff: noqa: F811 - pytest fixtures are imported from staff_apptest and named as parameters
from __future__ import annotations

import pytest

import re

from staff_apptest import _staff_templates, engine, on_today  # noqa: F401 - fixtures
from streamlit.testing.v1 import AppTest

import kpi_cards

from lib.auth import Actor
from lib.writes import record_fact
from staff_apptest import APP, TODAY

pytestmark = pytest.mark.usefixtures("on_today")  # TODAY stays today when the run crosses midnight in China


ADMIN = Actor("admin", "街道管理员", "街道管理员", None)
STAFF = Actor("zx", "中兴录入员", "社区工作人员", "中兴")
EVIL = "![](//attacker.invalid/a)<img src=//attacker.invalid>**粗**"


def _live_markup(text: str) -> list[str]:
    """Markdown/HTML that would render (backslash-escaped characters are literal)."""
    bare = re.sub(r"\\.", "", text)
    return [m for m in ("![", "<img", "](", "**粗**", "__粗__") if m in bare]


def _shown(at: AppTest) -> list[str]:
    """Every string Streamlit renders as Markdown on the page (bodies, labels, hover help)."""
    out = []
    for kind in ("markdown", "caption", "info", "success", "warning", "error", "title", "subheader", "header"):
        out += [str(e.value) for e in getattr(at, kind)]
    for m in at.metric:
        out += [m.label, m.proto.help]
    return out


def test_stored_text_is_shown_as_text(engine):  # noqa: F811
    record_fact(ADMIN, label=f"街道{EVIL}", value="12", unit="个", source_title=f"来源{EVIL}",
                indicator="communities", quote=f"原文{EVIL}", engine=engine, today=TODAY)
    record_fact(STAFF, community="中兴", label=f"志愿者{EVIL}", value="300余", unit="名", source_title=f"台账{EVIL}",
                quote=f"说明{EVIL}", engine=engine, today=TODAY)
    record_fact(STAFF, community="中兴", subject=f"书屋{EVIL}"[:64], label="座位", value="20", unit="个",
                source_title="台账", engine=engine, today=TODAY)
    seen = 0
    for page, community in (("overview", None), ("overview", "中兴"), ("profiles", None), ("profiles", "中兴"),
                            ("sources", None)):
        at = AppTest.from_file(APP, default_timeout=60)
        at.session_state["community"] = community
        at.run()
        if page != "overview":
            at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        texts = _shown(at)
        hits = [t for t in texts if "attacker" in t]
        seen += len(hits)
        bad = [t for t in hits if _live_markup(t)]
        assert not bad, (page, community, bad)
        seen += sum("attacker" in c["label"] + c["hover"] for c in kpi_cards.grid_cards(at))  # HTML cards
        html = [str(getattr(h, "proto", h)) for h in at.get("html")]
        assert not any("<img src=//attacker" in h for h in html), page
    assert seen >= 5  # the stored text is on the pages (escaped), not silently dropped
