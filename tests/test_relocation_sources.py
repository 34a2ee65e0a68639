"""The 征迁 figures after staff write: the whole subdistrict follows a household step entered after the article
(its total agrees with the community that holds the households), and a figure made of two figures (已签约/涉迁户)
carries both their sources and the newer date — on the card, the wall's key figure and the pack alike."""
from __future__ import annotations

import datetime as dt

from staff_fixtures import _staff_templates, world  # noqa: F401

from lib import writes
from lib.briefing import collect_pack
from lib.briefing_date import key_figure_changes
from lib.figures import TAGS
from lib.panels import summary_panel
from lib.queries import relocation
from lib.scope import Scope

D = dt.date
LATER = D(2024, 2, 1)


def _card(world, community=None):
    return summary_panel(Scope(community), free_beds_warning=3, signed_in=True, engine=world.engine)


def test_a_step_entered_after_the_article_moves_the_whole_subdistrict(world):
    status = relocation.household_status(community="华盛", engine=world.engine)
    code = status[status["status"] == "未签约"]["code"].iloc[0]
    writes.record_household_step(world.staff_hs, code=code, status="已签约", on=LATER, engine=world.engine,
                                 today=world.today)
    whole, huasheng = _card(world).relocation, _card(world, "华盛").relocation
    assert huasheng.display == "63/78户"
    assert whole.display == huasheng.display, "全街道 kept the article's 62 after a newer step"
    # the article's 62 plus the one step entered after it: both sources, no demo record in it
    assert whole.holds_from == LATER and whole.tag == TAGS["multi"][0]
    assert _card(world).header.latest == LATER
    signed = next(k for k in key_figure_changes(on=None, engine=world.engine) if k.label == "征迁已签约")
    assert (signed.figure.display, signed.figure.holds_from) == ("63户", LATER)
    pack = collect_pack(community=None, last_briefing=None, engine=world.engine)
    printed = next(f for p in pack.panels if p.key == "relocation" for f in p.figures if f.label == "已签约")
    assert (printed.value_text, printed.date) == ("63户", LATER)
    # on the article's day the article's figure still holds
    assert _card(world).relocation.display == "63/78户"
    then = summary_panel(Scope(None, D(2023, 11, 22)), free_beds_warning=3, engine=world.engine).relocation
    assert (then.display, then.tag) == ("62/78户", "报道")


def test_a_figure_of_two_figures_carries_both_sources(world):
    writes.record_fact(world.admin, subject="文化路北延", label="涉迁户", value=80, unit="户",
                       source_title="征迁专班台账", valid_from=D(2024, 1, 1), engine=world.engine, today=world.today)
    card = _card(world).relocation
    assert card.display == "62/80户"
    assert card.tag == TAGS["multi"][0], "the entered 80 was shown under the article's tag"
    assert card.holds_from == D(2024, 1, 1) and card.author == "街道管理员"
    assert "报道" not in card.badge(D(2024, 1, 1))


def test_the_header_date_is_the_newest_date_of_the_selected_scope(world):
    """「最新数据」 names the newest figure of what is shown: a step entered for 华盛 dates 华盛's and the whole
    subdistrict's header, not 中兴's (whose figures are all older) — on the card panel and in the pack."""
    status = relocation.household_status(community="华盛", engine=world.engine)
    code = status[status["status"] == "未签约"]["code"].iloc[0]
    writes.record_household_step(world.staff_hs, code=code, status="已签约", on=LATER, engine=world.engine,
                                 today=world.today)
    assert _card(world).header.latest == LATER and _card(world, "华盛").header.latest == LATER
    zhongxing = _card(world, "中兴")
    shown = [f.holds_from for f in (zhongxing.stars, zhongxing.model, zhongxing.relocation, zhongxing.care) if f]
    assert zhongxing.header.latest == max(shown) < LATER
    assert collect_pack(community="中兴", last_briefing=None, engine=world.engine).data_as_of == max(shown)
