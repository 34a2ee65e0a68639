"""The named count rests on every community that left the named set, not only on those still in it.

After a staff user recorded 中兴 as 未命名 on 2024年1月6日, 全街道's card, the PNG and the 汇报材料 read
「3个 · 报道 · 2023年9月23日」, citing the article (which says 4), and the note rewrote history as 「2023年9月23日，
大官庄、工业路、西华被命名为示范社区（新闻报道）」."""
from __future__ import annotations

import datetime as dt

import pytest
from staff_fixtures import _staff_templates, world  # noqa: F401

from lib import wall_content, writes
from lib.briefing import collect_pack
from lib.panels import model_figure, naming_marks, naming_note, naming_text
from lib.queries import model_communities
from lib.scope import Scope

LEFT = dt.date(2024, 1, 6)
ARTICLE_NAMING = "2023年9月23日，大官庄、中兴、工业路、西华被命名为示范社区（新闻报道）"


@pytest.fixture
def left(world):
    writes.record_model_status(world.admin, community="中兴", status="未命名", valid_from=LEFT, note="复查未通过",
                               engine=world.engine, today=dt.date(2024, 3, 1))
    return world


def test_the_count_after_a_community_left_is_dated_and_sourced_by_that_change(left):
    fig, named = model_figure(Scope(), engine=left.engine)
    assert (fig.display, fig.kind, fig.holds_from) == ("3个", "multi", LEFT)
    assert not fig.citation  # the article's words are about 4
    assert named == ["大官庄", "工业路", "西华"]
    before, _ = model_figure(Scope(as_of=dt.date(2024, 1, 5)), engine=left.engine)
    assert (before.display, before.kind, before.holds_from) == ("4个", "article", dt.date(2023, 9, 23))


def test_the_note_keeps_the_articles_naming_and_says_who_left(left):
    basis = model_communities.named_basis(as_of=None, engine=left.engine)
    assert naming_note(basis) == f"{ARTICLE_NAMING}；2024年1月6日，中兴改为未命名（工作人员录入）。"
    assert naming_note(model_communities.named_basis(as_of=dt.date(2024, 1, 5), engine=left.engine)) == (
        ARTICLE_NAMING + "。")


def test_the_pack_says_the_same(left):
    pack = collect_pack(community=None, engine=left.engine, signed_in=True)
    panel = next(p for p in pack.panels if p.key == "model")
    named = next(f for f in panel.figures if f.label == "已命名示范社区")
    assert (named.value_text, named.source_kind, named.date) == ("3个（大官庄、工业路、西华）", "多来源", LEFT)
    assert panel.note.startswith(f"{ARTICLE_NAMING}；2024年1月6日，中兴改为未命名（工作人员录入）。")


def test_the_wall_keeps_the_articles_naming_beside_its_words_and_says_who_left(left):
    """The wall listed 「2023年9月23日，大官庄、工业路、西华被命名」 under the article's words about 中兴 and three
    others, and tagged 「已命名 3个」 报道 only."""
    m = wall_content.model_map(engine=left.engine)
    first = m.namings[0]
    assert (first.day, first.communities, first.kind) == (dt.date(2023, 9, 23), ("大官庄", "中兴", "工业路", "西华"),
                                                          "article")
    assert m.quote_of(first) and "中兴" in m.quote_of(first)
    assert m.changes == [("2024年1月6日，中兴改为未命名", "staff")]
    assert m.status_kinds["已命名示范社区"] == ("article", "staff")
    assert m.status_kinds["创建中"] == ("article",)


RENAMED = dt.date(2024, 2, 15)


@pytest.fixture
def renamed(left):
    writes.record_model_status(left.admin, community="中兴", status="已命名示范社区", valid_from=RENAMED,
                               note="复查通过", engine=left.engine, today=dt.date(2024, 3, 1))
    return left


def test_a_community_named_again_keeps_the_whole_story(renamed):
    """中兴 left and was named again: the line read 「2023年9月23日，大官庄、工业路、西华被命名…；2024年2月15日，中兴
    被命名…」 (the article's naming rewritten, the departure gone) and the wall put the article's words about four under
    three names."""
    assert naming_text(engine=renamed.engine) == (
        f"{ARTICLE_NAMING}；2024年1月6日，中兴改为未命名（工作人员录入）；2024年2月15日，中兴被命名为示范社区（工作人员录入）。")
    fig, named = model_figure(Scope(), engine=renamed.engine)
    assert (fig.display, fig.kind, fig.holds_from) == ("4个", "multi", RENAMED)
    m = wall_content.model_map(engine=renamed.engine)
    assert [(n.day, n.communities) for n in m.namings] == [(dt.date(2023, 9, 23), ("大官庄", "中兴", "工业路", "西华")),
                                                          (RENAMED, ("中兴",))]
    assert m.quote_of(m.namings[0]) and m.changes == [("2024年1月6日，中兴改为未命名", "staff")]


def test_the_charts_naming_marks_count_the_namings_as_made(left):
    """The chart's mark read 「2023年9月23日 命名3个示范社区」 beside a line (and an article) saying four."""
    assert list(naming_marks(engine=left.engine)["label"]) == ["2023年9月23日 命名4个示范社区"]
    pack = collect_pack(community=None, engine=left.engine, signed_in=True)
    marks = next(p for p in pack.panels if p.key == "model").chart_args["marks"]
    assert list(marks["label"]) == ["2023年9月23日 命名4个示范社区"]


def test_a_status_left_empty_is_a_count_of_zero_in_the_pack_as_on_the_wall(world):
    """榆树庄 (the article's 先行先试) recorded 创建中: the wall said 「先行先试 0个 · 录入」, the pack said nothing."""
    writes.record_model_status(world.admin, community="榆树庄", status="创建中", valid_from=dt.date(2024, 1, 10),
                               engine=world.engine, today=dt.date(2024, 3, 1))
    pack = collect_pack(community=None, engine=world.engine, signed_in=True)
    pilot = next(f for f in next(p for p in pack.panels if p.key == "model").figures if f.label == "先行先试")
    assert (pilot.value_text, pilot.source_kind, pilot.date) == ("0个", "录入", dt.date(2024, 1, 10))
    assert wall_content.model_map(engine=world.engine).status_kinds["先行先试"] == ("staff",)
