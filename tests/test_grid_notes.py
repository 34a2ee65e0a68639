"""A KPI grid (and the map legend) carries its own notes (issue #15: fewer elements per page, each one costs the browser ~1.4 ms
and the server ~0.15 ms a run): the demo sentence with its 示例数据 tag and the comparison note sit in the grid's
one element, and say the same as the captions they replace; 「当前范围」 rides in the 「最新数据」 line."""
from __future__ import annotations

import pytest
from child_python import REPO
from kpi_cards import grid_text
from shown_text import texts
from streamlit.testing.v1 import AppTest

from ui import kpi_grid, widgets

APP = str(REPO / "app.py")


@pytest.mark.parametrize(("cards", "note", "demo", "expect", "absent"), [
    ((), "", "", None, None),  # nothing at all: no element
    ((), "增减：较上一评定日。", "", ['<div class="gw-kpis-note">增减：较上一评定日。</div>'], ['class="gw-kpis"']),
    ((), "第一行\n第二行", "", ['>第一行</div>', '>第二行</div>'], None),
    ((), "<b>x</b>", "", ["&lt;b&gt;x&lt;/b&gt;"], ["<b>"]),  # text, never markup
    ((), "", "达标星数", ['data-tag="示例数据"', widgets.demo_sentence("达标星数")], None),
    ((kpi_grid.plain("社区", "11个"),), "", "", ['class="gw-kpis"', 'data-value="11个"'], ["gw-kpis-note"]),
])
def test_grid_html(cards, note, demo, expect, absent):
    if expect is None:
        assert not (cards or note or demo)
        return
    body = kpi_grid._grid_html(tuple(cards), 3, note, demo)
    for piece in expect:
        assert piece in body, body
    for piece in absent or ():
        assert piece not in body, body
    if demo and note:
        assert body.index("示例数据") < body.index(note)


def _open(page: str, community: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if community:
        at.session_state["community"] = community
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def _stamp(at: AppTest) -> str:
    return next(c for c in texts(at.caption) if c.startswith(":material/schedule: 最新数据"))


def test_stars_notes_sit_in_their_grids(app_db):
    at = _open("stars", "中兴")
    grids, captions = grid_text(at), texts(at.caption)
    assert widgets.demo_sentence("各社区五星评定状态、得分与达标星数") in grids
    assert "增减：较上一评定日（" in grids
    assert "来源：新闻报道（点按数字可见原文）。" in grids
    assert "报道只公布了全街道的数字，未按社区分列；中兴社区的数字：暂无公开数据。" in grids
    assert not any("来源：新闻报道（点按" in c or "增减：较上一评定日" in c for c in captions)
    assert "  \n当前范围：中兴社区。" in _stamp(at)


@pytest.mark.parametrize("page", ["overview", "checks"])
def test_the_maps_schematic_note_sits_in_its_legend(app_db, page):
    at = _open(page)
    legend = next(str(h.proto.body) for h in at.get("html") if "gw-legend" in str(h.proto.body))
    assert 'data-tag="示意图，非测绘成果"' in legend and "社区边界、道路、河流、水库为示意" in legend
    assert "高德" in legend  # where the east edge comes from (geo.layers.EAST_EDGE_NOTE)
    assert not any("非测绘成果" in c for c in texts(at.caption))


def test_relocation_and_model_pages_fold_their_lines(app_db):
    at = _open("relocation", "工业路")
    assert "  \n当前范围：项目整体（全街道）" in _stamp(at)
    assert "来源见各数字下方标注（点按数字可见原文）。" in grid_text(at) or "为示例数据（固定种子生成）" in grid_text(at)
    at = _open("model_communities", "工业路")
    boxes = [m for m in texts(at.markdown) if m.startswith("**“L”形连片") or m.startswith("**铁路以西先行先试")]
    assert len(boxes) == 2, boxes
    for box in boxes:  # the box's title, each text and its source (small, grey) in one element
        assert ":small[:gray[来源：新闻报道。原文：" in box, box
