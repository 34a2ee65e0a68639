"""The 征迁 page's view kept per scope (ui/views/relocation.py, issue #15): a rerun with the same selection
builds no card, table or caption again and shows the same page; the timeline is one element of escaped text."""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from streamlit.testing.v1 import AppTest

import kpi_cards
from tests.page_runs import open_page
from tests.test_pages_apptest import assert_clean
from ui import kpi_grid
from ui.views import relocation

EVIL = "![](//attacker.invalid/a)<img src=//attacker.invalid>**粗**"


def _page(community: str | None = None, as_of: dt.date | None = None) -> AppTest:
    return open_page("relocation", community, as_of)


def _shown(at: AppTest) -> tuple:
    """What the page shows: cards, captions, Markdown, the timeline and the household table."""
    return (kpi_cards.grid_cards(at), [c.value for c in at.caption], [m.value for m in at.markdown],
            [str(h.proto.body) for h in at.get("html")], at.dataframe[-1].value.to_json(force_ascii=False))


def _steps(at: AppTest) -> list[str]:
    """The timeline's boxes as text (tags stripped)."""
    body = next(str(h.proto.body) for h in at.get("html") if 'class="gw-steps"' in str(h.proto.body))
    return [re.sub(r"<[^>]+>", "", box.partition(">")[2]) for box in body.split('<div class="gw-step"')[1:]]


def test_same_selection_builds_nothing_again_and_shows_the_same_page(app_db, monkeypatch):
    at = _page()
    first = _shown(at)
    built = []
    card = kpi_grid.card
    monkeypatch.setattr(kpi_grid, "card", lambda *a, **kw: (built.append(kw.get("label")), card(*a, **kw))[1])
    at.run()
    assert built == []  # no card built on a rerun with the same selection (was 7 per rerun)
    assert _shown(at) == first
    assert kpi_cards.cards(at)["涉迁户"] == "78户" and len(at.dataframe[-1].value) == 78
    at.session_state["community"] = "华盛"  # where the demo households are: counts, not the article's figures
    at.run()
    assert_clean(at, "relocation")
    assert kpi_cards.cards(at)["涉迁户 · 示例"] == "78户"
    assert built == [] or set(built) >= {"涉迁户", "已签订协议"}  # built once (or already kept by an earlier test)
    assert _shown(at) != first
    built.clear()
    at.session_state["community"] = None
    at.run()
    assert built == [] and _shown(at) == first


def test_comparison_date_is_part_of_the_kept_view(app_db):
    at = _page()
    at.date_input(key="relocation.compare").set_value(dt.date(2023, 11, 5)).run()
    delta = next(c.get("delta") for c in kpi_cards.grid_cards(at) if c["label"] == "已签订协议")
    assert delta == "+62户"
    at.date_input(key="relocation.compare").set_value(None).run()  # default: 7 days before (11-15, demo 62)
    delta = next(c.get("delta") for c in kpi_cards.grid_cards(at) if c["label"] == "已签订协议")
    assert delta == "持平"


def test_timeline_is_one_element_up_to_the_shown_day(app_db):
    at = _page()
    steps = _steps(at)
    assert len(steps) == 6 and steps[0].startswith("2023年11月 · 工程建设指挥部成立")
    assert "原文：“11月，文化路北延提升改造工程建设指挥部成立”" in steps[0] and "来源：新闻报道" in steps[0]
    assert steps[-1].startswith("2023年11月22日 · 签约62户，累计拆迁6100余平方米")
    assert not any(c.value.startswith("来源：新闻报道。原文") for c in at.caption)  # no longer a caption each
    at = _page(as_of=dt.date(2023, 11, 15))
    assert [s.split(" · ")[0] for s in _steps(at)] == ["2023年11月"] * 3  # later milestones are hidden


def test_timeline_text_is_escaped():
    ms = pd.DataFrame({"happened_on": [dt.date(2023, 11, 1)], "date_precision": ["day"], "title": [f"标题{EVIL}"],
                       "detail": [f"详情{EVIL}"], "source_kind": ["staff"], "quote": [f"原文{EVIL}"]})
    body = relocation.timeline_html(ms)
    assert "<img" not in body and body.count("&lt;img src=//attacker.invalid&gt;") == 4  # title ×2, detail, quote
    assert "2023年11月1日</b> · 标题" in body and "来源：工作人员录入" in body
    assert relocation.timeline_html(ms.iloc[0:0]) == ""
