"""KPI cards drawn as one element (issue #15, interaction latency): escaped text, tags with dates, and
an element count that stays low on the overview and 五星支部 pages (the browser draws each element)."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

import kpi_cards
from ui import kpi_grid

APP = str(Path(__file__).resolve().parent.parent / "app.py")
EVIL = "![](//attacker.invalid/a)<img src=//attacker.invalid>**粗**"


def _elements(node) -> int:
    kids = getattr(node, "children", None)
    if not isinstance(kids, dict):
        return 0
    return sum(1 + _elements(k) for k in kids.values())


def test_card_text_is_escaped_and_keeps_its_tag():
    c = kpi_grid.Card(f"志愿者{EVIL}", "300<b>余</b>名", tag="录入 · 工作人员 · 2026年12月5日", color="green",
                      hover=f"来源{EVIL}", delta="-1人", notes=(f"说明{EVIL}",))
    body = kpi_grid.card_html(c)
    assert "<img" not in body and "<b>余" not in body and "&lt;img src=//attacker.invalid&gt;" in body
    assert 'data-tag="录入 · 工作人员 · 2026年12月5日"' in body and 'class="d down"' in body


def test_a_card_with_a_source_opens_it_on_a_tap():
    """A tablet has no hover: the source is in the card, under a <details> a tap opens (escaped, line by line)."""
    c = kpi_grid.Card("常住人口", "8.15万人", tag="报道", hover=f"来源：新闻报道  \n原文：“常住人口8.15万人{EVIL}”")
    body = kpi_grid.card_html(c)
    assert body.startswith('<details class="gw-kpi" data-label="常住人口"') and "<summary>" in body
    source = body.split('<div class="q">', 1)[1]
    assert source.startswith("<div>来源：新闻报道</div><div>原文：“常住人口8.15万人") and "<img" not in source
    plain = kpi_grid.card_html(kpi_grid.Card("无记录", "—"))
    assert plain.startswith('<div class="gw-kpi"') and "<details" not in plain and 'class="q"' not in plain


def test_a_grid_is_rendered_once_per_content(monkeypatch):
    rendered = []
    real = kpi_grid.card_html
    monkeypatch.setattr(kpi_grid, "card_html", lambda c: (rendered.append(c.label), real(c))[1])
    kpi_grid._grid_html.cache_clear()
    cards = (kpi_grid.Card("涉迁户", "78户", tag="报道"), kpi_grid.Card("已签订协议", "62户", delta="+1户"))
    html = kpi_grid._grid_html(cards, 4, "")
    assert rendered == ["涉迁户", "已签订协议"] and 'data-value="78户"' in html
    again = (kpi_grid.Card("涉迁户", "78户", tag="报道"), kpi_grid.Card("已签订协议", "62户", delta="+1户"))
    assert kpi_grid._grid_html(again, 4, "") is html and len(rendered) == 2  # equal cards: not rendered again
    assert kpi_grid._grid_html(again, 2, "") != html and kpi_grid._grid_html(cards[:1], 4, "") != html
    assert kpi_grid._grid_html((kpi_grid.Card("涉迁户", "79户", tag="报道"),), 4, "") != html


def _run(community: str | None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["community"] = community
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_overview_draws_its_cards_as_one_element(app_db):
    at = _run(None)
    grids = [h for h in at.get("html") if 'class="gw-kpis"' in str(h.proto.body)]
    assert len(grids) == 2  # the subdistrict's figures; the four panels
    cards = kpi_cards.grid_cards(at)
    assert kpi_cards.cards(at)["常住人口"] == "8.15万人" and len(cards) >= 13 and not at.metric
    body = str(grids[0].proto.body)
    assert body.count('class="gw-kpi"') == body.count("data-tag=") >= 9  # every figure carries its tag
    assert all(c["hover"] for c in cards if c["label"] != "文化路北延征迁")  # the source on hover
    assert _elements(at.main) <= 20, _elements(at.main)  # was 62 with a metric and a caption per card


def test_stars_draws_few_elements(app_db):
    at = _run("中兴", "stars")
    assert kpi_cards.cards(at)["中兴社区已达标星数 · 示例"].endswith("/5颗")
    assert "示例 · " in kpi_cards.grid_text(at) or "示例" in kpi_cards.grid_text(at)
    assert _elements(at.main) <= 35, _elements(at.main)  # was 92 with columns of metrics and measure boxes


def test_profiles_and_relocation_draw_their_cards_as_grids(app_db):
    at = _run("中兴", "profiles")
    assert not at.metric and kpi_cards.cards(at)["党员"] == "298名"
    assert _elements(at.main) <= 30, _elements(at.main)  # was 118: a column, a metric and a caption per card
    at = _run(None, "relocation")
    assert not at.metric and kpi_cards.cards(at)["涉迁户"].endswith("户")
    assert _elements(at.main) <= 30, _elements(at.main)  # was 70; 47 before its timeline was one element


def test_card_rules_ride_in_the_page_css_not_in_each_element(app_db):
    """The cards' CSS is in the page's own CSS (ui.layout.BASE_CSS: the served desk page and the wall's CSS), not
    repeated in every grid: a page with three grids re-sent it three times per run, and the browser re-parsed
    a style sheet for each on every selection change."""
    import pandas as pd

    from ui import layout
    from ui.views.relocation import timeline_html

    at = _run("中兴", "stars")
    grids = [h.proto.body for h in at.get("html") if 'class="gw-kpi' in h.proto.body]
    assert len(grids) >= 2 and not any("<style" in body for body in grids)
    steps = timeline_html(pd.DataFrame({"happened_on": [pd.Timestamp("2023-09-23").date()], "date_precision": ["day"],
                                        "title": ["动员会"], "detail": [""], "source_kind": ["article"],
                                        "quote": ["原文"]}))
    assert 'class="gw-steps"' in steps and "<style" not in steps
    for rule in (".gw-kpis{", ".gw-kpi .v{", ".gw-steps{", ".gw-step{"):
        assert rule in layout.BASE_CSS and rule in layout.DESK_CSS


def _metric_app():
    from ui import kpi_grid as grid

    evil = "![](//attacker.invalid/a)<img src=//attacker.invalid>**粗**"
    grid.metric(grid.Card("入住", "48/50床", tag="录入 · 张三", color="green", notes=(f"累计拆迁（录入 · {evil}）",)))


def test_a_metric_cards_notes_are_text_not_markdown(app_db):
    """A card drawn as st.metric (the overview's summary cards) shows its notes as typed: a note can carry a staff
    display name (the 累计拆迁 tag under 征迁签约), which must not become an image or bold text."""
    at = AppTest.from_function(_metric_app).run()
    note = next(str(c.value) for c in at.caption if "累计拆迁" in str(c.value))
    assert "\\!\\[\\]" in note and "\\*\\*粗\\*\\*" in note, note
