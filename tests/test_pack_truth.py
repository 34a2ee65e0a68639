"""The 汇报材料 tells the truth after staff writes (a review of the pack against its screens found each of these).

- A staff update of one of a community's figures vanished from its pack: the update took the place of the article's
  figure in the list, at its end (Fact.id order), past the pack's first ten rows; the profile page moved it too.
- The sources page listed every title behind the 概况 as 「报道：《2024年1月入户核查》，王建国」 — a staff record called
  a report, with the staff member's name for viewers who are not signed in.
"""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from staff_fixtures import _staff_templates, world  # noqa: F401

from lib import auth, writes
from lib.auth import Actor
from lib.briefing import collect_pack
from lib.queries.facts import facts

T = dt.date(2024, 3, 1)


def test_an_updated_figure_keeps_its_place_and_its_pack_row(world):
    before = list(facts(subject="中兴社区", engine=world.engine)["label"])
    writes.record_fact(world.staff, label="常住人口", value="7200", unit="人", source_title="社区入户核查",
                       community="中兴", valid_from=dt.date(2024, 1, 10), engine=world.engine, today=T)
    after = facts(subject="中兴社区", engine=world.engine)
    assert list(after["label"]) == before  # the same list in the same order: the new figure in the old one's place
    row = after[after["label"] == "常住人口"].iloc[0]
    assert (row["value"], row["source_kind"]) == (7200, "staff")
    pack = collect_pack(community="中兴", last_briefing=None, signed_in=True, engine=world.engine)
    shown = {f.label: f for f in pack.overview}
    assert (shown["常住人口"].value_text, shown["常住人口"].source_kind) == ("7200人", "录入")


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_sources_page_lists_only_reports_as_reports(world, signed_in):
    wang = auth.create_user("wang", "correct-horse-42", role="街道管理员", display_name="王建国", by=world.admin,
                            engine=world.engine, rounds=4)
    writes.record_fact(Actor(wang.username, "王建国", "街道管理员", None), label="常住人口", value="8.2万", unit="人",
                       source_title="2024年1月入户核查", subject="光武街道", valid_from=dt.date(2024, 1, 10),
                       engine=world.engine, today=T)
    for community in (None, "中兴"):
        pack = collect_pack(community=community, last_briefing=None, signed_in=signed_in, engine=world.engine)
        assert pack.source_titles, community
        assert not [t for t in pack.source_titles if "入户核查" in t or "王建国" in t], pack.source_titles


def test_a_communitys_overview_title_claims_no_source_and_says_what_is_left_out(world):
    """The title read 「中兴社区概况（报道数字）」 above a 录入 card, and cut 25 figures to 10 without a word."""
    from lib.briefing.pdf import _data

    writes.record_fact(world.staff, label="常住人口", value="7200", unit="人", source_title="社区入户核查",
                       community="中兴", valid_from=dt.date(2024, 1, 10), engine=world.engine, today=T)
    pack = collect_pack(community="中兴", last_briefing=None, signed_in=True, engine=world.engine)
    assert len(pack.overview) == 10 and pack.overview_more == 15
    assert _data(pack, {})["overview_title"] == "中兴社区概况（列出 10 项，另有 15 项见看板「社区档案」页）"


def test_no_date_in_the_pack_claims_to_be_every_figures(world):
    """The cover, every panel's heading bar, the footer and the Excel's second row said 「数据截至 2024年2月20日」 (the
    newest entry), over figures of 2023年11月22日. They now say what the screen says: the newest data's date, and that
    each figure carries its own."""
    from pypdf import PdfReader

    from lib.briefing import render_pdf, render_xlsx

    writes.record_occupancy(world.staff, facility="care_centre", day=dt.date(2024, 2, 20), occupied=45,
                            engine=world.engine, today=T)
    pack = collect_pack(community=None, last_briefing=None, signed_in=True, engine=world.engine)
    pages = ["".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(render_pdf(pack, charts={}))).pages]
    assert not [i for i, p in enumerate(pages) if "数据截至" in p]
    assert "最新数据2024年2月20日；各数字日期见标注" in pages[0]
    ws = openpyxl.load_workbook(io.BytesIO(render_xlsx(pack)))["简报数字"]
    assert ws["A2"].value == "最新数据 2024年2月20日；各数字日期见标注"


def test_the_change_since_the_last_briefing_follows_the_figure_not_its_label(world):
    """An administrator recorded 光武街道's 常住人口 under the label 「常住人口（人）」 (the same indicator): the change
    read 「2023年11月22日无数据」, though the article's 8.15万 held that day — the pack matched figures by label."""
    writes.record_fact(world.admin, label="常住人口（人）", indicator="resident_population", value="8.2万", unit="人",
                       source_title="入户核查", subject="光武街道", valid_from=dt.date(2024, 1, 12),
                       engine=world.engine, today=T)
    pack = collect_pack(community=None, last_briefing=dt.date(2023, 11, 22), signed_in=True, engine=world.engine)
    shown = next(f for f in pack.overview if f.label == "常住人口（人）")
    assert shown.value == 82000
    assert "无数据" not in shown.delta_text and "+500人" in shown.delta_text, shown.delta_text


def test_a_long_label_keeps_the_sources_page_readable(world):
    """A 64-character label (the most a figure's label may hold) took the sources table's label column to the page's
    width: the citation column shrank to one character a line and the PDF grew from 7 pages to 20."""
    from pypdf import PdfReader

    from lib.briefing import PAGES, render_pdf

    label = ("超长指标名称" * 11)[:64]
    writes.record_fact(world.admin, label=label, value="8.2万", unit="人", source_title="街道统计", subject="光武街道",
                       indicator="resident_population", valid_from=dt.date(2024, 1, 10), engine=world.engine, today=T)
    pack = collect_pack(community=None, last_briefing=None, signed_in=True, engine=world.engine)
    pages = len(PdfReader(io.BytesIO(render_pdf(pack, charts={}))).pages)
    assert pages <= PAGES + 1, pages


@pytest.mark.parametrize("signed_in,who", [(True, "中兴录入员"), (False, "工作人员")])
def test_a_mixed_figure_in_the_pack_names_its_staff_entry_as_the_card_does(world, signed_in, who):
    """The card read 「多来源 · 中兴录入员 · …录入」; the pack only 「多种来源（报道、录入等，不含示例数据）」."""
    writes.record_model_status(world.staff, community="中兴", status="未命名", valid_from=dt.date(2024, 1, 6),
                               engine=world.engine, today=T)
    pack = collect_pack(community=None, last_briefing=None, signed_in=signed_in, engine=world.engine)
    named = next(f for f in next(p for p in pack.panels if p.key == "model").figures if f.label == "已命名示范社区")
    assert named.source_kind == "多来源"
    assert named.citation.startswith("多种来源（报道、录入等，不含示例数据）；录入：" + who), named.citation
    assert ("中兴录入员" in named.citation) == signed_in
