"""The briefing pack (PDF and Excel) labels each figure with its true source after staff write, as the cards do:
a staff 五星 assessment is 录入 (not 示例 with the demo citation), a count over communities of several sources is
含示例 and dated by its newest record, and the name of who entered a figure reaches only signed-in viewers."""
from __future__ import annotations

import datetime as dt

from staff_fixtures import _staff_templates, world  # noqa: F401

from lib import writes
from lib.briefing import collect_pack
from lib.figures import TAGS
from lib.models import Star
from lib.panels import summary_panel
from lib.scope import Scope

D = dt.date
DAY = D(2024, 1, 5)
DEMO_CITATION = "示例数据（固定随机种子生成，非官方数字）"


def _stars_and_naming(world) -> None:
    for star in Star:
        writes.record_star_assessment(world.staff, community="中兴", star=star.value, status="已达标", score=95,
                                      valid_from=DAY, engine=world.engine, today=world.today)
    writes.record_model_status(world.admin, community="榆树庄", status="已命名示范社区", valid_from=DAY,
                               note="市指挥部命名", engine=world.engine, today=world.today)


def _figure(pack, panel: str, label: str):
    return next(f for p in pack.panels if p.key == panel for f in p.figures if f.label == label)


def test_staff_star_assessments_are_entered_figures_in_the_pack(world):
    _stars_and_naming(world)
    pack = collect_pack(community="中兴", last_briefing=None, engine=world.engine, signed_in=True)
    total = _figure(pack, "stars", "已达标星数")
    assert (total.value_text, total.source_kind, total.date) == ("5/5颗", "录入", DAY)
    assert total.citation.startswith("录入：中兴录入员") and DEMO_CITATION not in total.citation
    for star in Star:
        row = _figure(pack, "stars", star.value)
        assert (row.value_text, row.source_kind, row.date) == ("已达标", "录入", DAY), star
    # the card says the same
    card = summary_panel(Scope("中兴"), free_beds_warning=3, signed_in=True, engine=world.engine).stars
    assert card.tag == total.source_kind


def test_counts_over_communities_carry_every_source_and_the_newest_date(world):
    _stars_and_naming(world)
    pack = collect_pack(community=None, last_briefing=None, engine=world.engine, signed_in=True)
    stars = _figure(pack, "stars", "各社区已达标星数合计")
    assert (stars.source_kind, stars.date) == (TAGS["mixed"][0], DAY)  # 中兴 录入, the rest 示例
    named = _figure(pack, "model", "已命名示范社区")
    assert named.value_text.startswith("5个") and "榆树庄" in named.value_text
    # four were named in the article, the fifth was entered: several sources, no demo data among them
    assert (named.source_kind, named.date) == (TAGS["multi"][0], DAY) and "原文" not in named.citation
    assert "2023年9月23日，大官庄、中兴、工业路、西华被命名为示范社区（新闻报道）" in pack.panels[1].note
    assert "2024年1月5日，榆树庄被命名为示范社区（工作人员录入）" in pack.panels[1].note
    card = summary_panel(Scope(None), free_beds_warning=3, signed_in=True, engine=world.engine)
    assert card.model.tag == named.source_kind and card.stars.tag == stars.source_kind


def test_who_entered_a_figure_is_named_to_signed_in_viewers_only(world):
    _stars_and_naming(world)
    anonymous = collect_pack(community="中兴", last_briefing=None, engine=world.engine, signed_in=False)
    staff = collect_pack(community="中兴", last_briefing=None, engine=world.engine, signed_in=True)
    texts = [f.citation for f in anonymous.figures]
    assert not any("中兴录入员" in t or "zx" in t for t in texts), texts
    assert _figure(anonymous, "stars", "已达标星数").citation.startswith("录入：工作人员")
    assert any("中兴录入员" in f.citation for f in staff.figures)


def test_care_figures_from_the_article_cite_its_words(world):
    """On the article's day the residents figure is the article's: the pack quotes it (it cited the title only)."""
    pack = collect_pack(community=None, as_of=D(2023, 11, 22), last_briefing=None, engine=world.engine)
    residents = _figure(pack, "care", "入住")
    assert (residents.value_text, residents.source_kind, residents.date) == ("48人", "报道", D(2023, 11, 22))
    assert residents.citation == "原文：“目前入住老人48名”"
    # a demo day is not given the article's words
    demo = _figure(collect_pack(community=None, as_of=D(2023, 11, 20), last_briefing=None,
                                engine=world.engine), "care", "入住")
    assert demo.source_kind == "示例" and "原文" not in demo.citation


def test_no_naming_yet_is_counted_from_the_status_records_not_from_the_article(world):
    """Before the 2023-09-23 naming the article gives no count: 「0个」 is counted from the status records (创建中
    since 2023-01-01, themselves 报道 with an inferred start), dated by them, without the article's words; before
    any status record there is no figure at all (it said 「0个」 报道 on the 回看日期)."""
    card = summary_panel(Scope(None, D(2023, 9, 1)), free_beds_warning=3, engine=world.engine).model
    assert (card.display, card.kind, card.holds_from, card.citation) == ("0个", "article", D(2023, 1, 1), None)
    before = summary_panel(Scope(None, D(2022, 12, 1)), free_beds_warning=3, engine=world.engine)
    assert before.model is None and before.model_named == []
    assert summary_panel(Scope("中兴", D(2022, 12, 1)), free_beds_warning=3, engine=world.engine).model is None
