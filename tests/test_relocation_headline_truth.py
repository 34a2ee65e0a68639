"""The 征迁 headline tells the truth about each figure (audit round 2, findings 1, 3 and 4):

- 全街道's published figures (涉迁户, 已签约, 累计拆迁) each hold until a household record that changes THAT figure
  is dated after them; from then on the figure is the published one plus the records dated after it, so no
  change is ever made by switching from the article to the demo households;
- a step dated on or before the published figure's date is taken as already in it; when the records then disagree
  with it, the figure says so (its warning, shown on the 征迁 page) instead of disagreeing silently;
- a count's source comes from the records it counts (all demo: 示例), and its date is the newest of them on or before
  the 回看日期 (never the 回看日期 itself);
- the page's 「尚在签订中」 card is 涉迁户 − 已签约 with both sources and the newer date (as the pack's 未签约).
"""
from __future__ import annotations

import datetime as dt

from staff_fixtures import _staff_templates, world  # noqa: F401

from lib import writes
from lib.briefing import collect_pack
from lib.briefing_date import key_figure_changes
from lib.figures import MIXED, MULTI
from lib.queries import relocation
from ui import bridge
from ui.views import relocation as view

D = dt.date
ARTICLE_DAY = D(2023, 11, 22)
LAST_DEMO_SIGNING = D(2023, 11, 15)  # lib.demo.households: the 62 demo signings run 11-06 … 11-15


def _step(world, code: str, status: str, on: dt.date, **kw) -> None:
    result = writes.record_household_step(world.staff_hs, code=code, status=status, on=on, engine=world.engine,
                                          today=world.today, **kw)
    assert result.inserted, result.message


def _printed(world, label: str, last: dt.date | None = ARTICLE_DAY, community: str | None = None):
    pack = collect_pack(community=community, last_briefing=last, engine=world.engine)
    return next(f for p in pack.panels if p.key == "relocation" for f in p.figures if f.label == label)


def _strip(world, on: dt.date, community: str | None = None):
    return next(k for k in key_figure_changes(community=community, on=on, engine=world.engine)
                if k.label == "征迁已签约")


def test_a_step_that_demolishes_nothing_keeps_the_articles_area(world):
    """S7: 华盛录入员 records WH-051 已签约→已交钥匙 on 2023-11-25; every 已拆除 record is demo."""
    _step(world, "WH-051", "已交钥匙", D(2023, 11, 25))
    h = relocation.headline(engine=world.engine)
    for fig, display in ((h.total, "78户"), (h.signed, "62户"), (h.demolished_m2, "6100余平方米")):
        assert (fig.display, fig.kind, fig.holds_from) == (display, "article", ARTICLE_DAY), fig
    assert h.demolished_m2.citation == "截至目前已完成拆迁6100余平方米"
    area = _printed(world, "累计拆除面积")
    assert (area.value_text, area.source_kind, area.date) == ("6100余平方米", "报道", ARTICLE_DAY)
    assert "+50" not in area.delta_text and "持平" in area.delta_text
    # 华盛 counts its records: the demolitions are all demo (示例, not 含示例), dated by the newest of them
    hs = relocation.headline(community="华盛", engine=world.engine)
    area = hs.demolished_m2
    assert (round(area.value), area.kind, area.holds_from) == (6150, "demo", ARTICLE_DAY)
    assert (hs.signed.value, hs.signed.kind, hs.signed.holds_from) == (62, "demo", LAST_DEMO_SIGNING)


def _use(world, monkeypatch, header: dt.date) -> None:
    """The 征迁 page's view reads `world` (its bridge queries, patched)."""
    monkeypatch.setattr(bridge, "relocation_headline", lambda **kw: relocation.headline(engine=world.engine, **kw))
    monkeypatch.setattr(bridge, "data_as_of", lambda **kw: header)


def test_a_back_dated_signing_is_taken_as_in_the_article_and_said(world, monkeypatch):
    """S6: WH-063 signed, back-dated to 2023-11-20; then WH-051 已交钥匙 on 2023-11-25."""
    _step(world, "WH-063", "已签约", D(2023, 11, 20))
    for as_of in (ARTICLE_DAY, None):
        signed = relocation.headline(as_of=as_of, engine=world.engine).signed
        assert (signed.display, signed.kind, signed.holds_from) == ("62户", "article", ARTICLE_DAY)
        assert signed.warning and "63户" in signed.warning and "62户" in signed.warning  # not silent
    _use(world, monkeypatch, ARTICLE_DAY)
    card = next(c for c in view._headline(None, None, None, True).cards if c.label == "已签订协议")
    assert card.notes == (signed.warning,)  # said under the card on the 征迁 page
    hs = relocation.headline(community="华盛", as_of=ARTICLE_DAY, engine=world.engine).signed
    assert (hs.value, hs.kind, hs.holds_from) == (63, MIXED, D(2023, 11, 20))
    _step(world, "WH-051", "已交钥匙", D(2023, 11, 25))
    strip = _strip(world, ARTICLE_DAY)
    assert (strip.figure.display, strip.figure.tag) == ("62户", "报道")
    assert strip.change.text == "持平", strip.change.brief  # was 「+1户」, made by switching source
    assert _printed(world, "已签约").delta_text.startswith("较2023年11月22日 持平")


def test_a_newer_step_adds_to_the_published_figure(world):
    """A signing and a demolition entered after the article: 全街道 = the article's figure + the new records, from
    both sources and dated by the newest record; the change since the article's day is exactly what was entered."""
    _step(world, "WH-063", "已签约", D(2023, 11, 20))  # back-dated: already in the article's 62
    _step(world, "WH-064", "已签约", D(2024, 1, 10))
    _step(world, "WH-041", "已拆除", D(2024, 1, 12), demolished_area_m2=150)
    h = relocation.headline(engine=world.engine)
    assert (h.signed.display, h.signed.kind, h.signed.holds_from) == ("63户", MULTI, D(2024, 1, 10))
    assert h.signed.author == "华盛录入员" and h.signed.citation is None
    assert (h.demolished_m2.display, h.demolished_m2.value) == ("6250余平方米", 6250)
    assert (h.demolished_m2.kind, h.demolished_m2.holds_from) == (MULTI, D(2024, 1, 12))
    assert (h.total.display, h.total.kind) == ("78户", "article")  # no household added
    assert _strip(world, ARTICLE_DAY).change.text == "+1户"
    assert _printed(world, "累计拆除面积").delta_text.startswith("较2023年11月22日 +150平方米")
    # before the newer records, the article's figures still hold
    then = relocation.headline(as_of=D(2024, 1, 9), engine=world.engine)
    assert (then.signed.display, then.demolished_m2.display) == ("62户", "6100余平方米")


def test_a_count_is_dated_by_its_newest_record_not_the_look_back_day(world):
    """S13: 华盛 on 回看日期 2023-12-01 (no record after 11-22): the counts keep their records' dates."""
    hs = relocation.headline(community="华盛", as_of=D(2023, 12, 1), engine=world.engine)
    assert (hs.signed.value, hs.signed.kind, hs.signed.holds_from) == (62, "demo", LAST_DEMO_SIGNING)
    assert hs.demolished_m2.holds_from == ARTICLE_DAY
    assert hs.total.holds_from <= LAST_DEMO_SIGNING
    # a count over the whole record of steps is known on every day (Figure.continuous): on 11-30 it was 62 too
    strip = _strip(world, D(2023, 11, 30), community="华盛")
    assert strip.change.text == "持平" and strip.figure.holds_from == LAST_DEMO_SIGNING, strip.change.brief
    printed = _printed(world, "已签约", last=D(2023, 11, 30), community="华盛")
    assert printed.date == LAST_DEMO_SIGNING and printed.delta_text == strip.change.brief


def test_pending_card_carries_both_sources(world, monkeypatch):
    """S10: the admin records 涉迁户 80户 from 2024-01-05: 「尚在签订中」 = 80 − 62 from both sources, the newer date,
    without 已签约's quote — as the pack's 未签约 (one lib function)."""
    writes.record_fact(world.admin, label="涉迁户", value="80", unit="户", source_title="区征收办通报",
                       subject="文化路北延", valid_from="2024-01-05", engine=world.engine, today=world.today)
    _use(world, monkeypatch, D(2024, 1, 5))
    cards = {c.label.split(" · ")[0]: c for c in view._headline(None, None, None, True).cards}
    pending = cards["尚在签订中"]
    assert pending.value == "18户"
    assert "已签订协议62户" not in pending.hover and "来源：新闻报道" not in pending.hover
    assert pending.tag.startswith("多来源") and "2024年1月5日" in pending.hover
    unsigned = relocation.headline(engine=world.engine).unsigned("未签约")
    printed = _printed(world, "未签约", last=None)
    assert (unsigned.display, unsigned.kind, unsigned.holds_from) == ("18户", MULTI, D(2024, 1, 5))
    assert (printed.value_text, printed.date) == (unsigned.display, unsigned.holds_from)
