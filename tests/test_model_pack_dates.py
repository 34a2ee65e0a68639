"""The article does not date when 创建 began (「起始日期报道未载明，按2023年1月1日记」): the pages say so under the status,
but the pack printed 「先行先试 1个（榆树庄） 报道 2023年1月1日」 as if the article had dated it. A status whose date is
a convention carries that caveat wherever the pack prints it (PDF 「注：」, Excel 「数据说明」)."""
from __future__ import annotations

import datetime as dt

from lib.briefing import collect_pack

ASSUMED = "起始日期报道未载明，按2023年1月1日记"


def _model_figures(community):
    pack = collect_pack(community=community, as_of=dt.date(2023, 6, 30), last_briefing=None)
    return {f.label: f for p in pack.panels if p.key == "model" for f in p.figures}


def test_the_subdistricts_pilot_and_creating_counts_say_their_date_is_assumed(app_db):
    figures = _model_figures(None)
    assert figures["先行先试"].date == dt.date(2023, 1, 1)
    assert ASSUMED in figures["先行先试"].warning, figures["先行先试"]
    assert ASSUMED in figures["创建中"].warning, figures["创建中"]


def test_a_communitys_status_says_it_too_and_a_dated_one_does_not(app_db):
    assert ASSUMED in _model_figures("榆树庄")["示范社区状态"].warning
    named = collect_pack(community="中兴", last_briefing=None)
    status = next(f for p in named.panels if p.key == "model" for f in p.figures if f.label == "示范社区状态")
    assert status.value_text == "已命名示范社区" and status.warning == ""


def test_the_pages_pilot_card_says_its_date_is_assumed(app_db):
    """The 示范社区 page's 「铁路以西先行先试 · 报道 · 2023年1月1日」 card said the date without the caveat."""
    from test_pages_apptest import goto, start

    at = goto(start(), "model_communities")
    body = next(str(h.proto.body) for h in at.get("html") if 'data-label="铁路以西先行先试"' in str(h.proto.body))
    card = body[body.index('data-label="铁路以西先行先试"'):]
    card = card[:card.find('class="gw-kpi"', 1) if card.find('class="gw-kpi"', 1) > 0 else None]
    assert ASSUMED in card, card


def test_a_status_the_article_never_mentions_says_so_in_the_pack(app_db):
    """刘庄's 「未命名 · 报道 · 2023年1月1日」: the article says nothing of 刘庄's 创建 (the status is read from its silence
    and the date is a convention); the pack says so beside it, as the page's table does."""
    status = _model_figures("刘庄")["示范社区状态"]
    assert status.value_text == "未命名"
    assert "报道未提及该社区的示范社区创建情况" in status.warning, status


def test_the_packs_timeline_says_where_its_bars_start_by_convention(seeded):
    """Every bar of the PDF's 示范社区 timeline starts on 2023年1月1日 — a date the article never gives for 创建中 or
    先行先试; the chart's note says so (the figures beside it already did)."""
    from lib.briefing import collect_pack

    panel = next(p for p in collect_pack(community=None, engine=seeded).panels if p.key == "model")
    assert "图中状态条：起始日期报道未载明，按2023年1月1日记" in panel.note, panel.note
    assert "报道未提及该社区的示范社区创建情况" in panel.note, panel.note  # the 未命名 bars of unmentioned communities
