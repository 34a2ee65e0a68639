"""The 数据来源 page states the map's sources as the map itself does: the east edge (人民路) follows 高德's
卧龙区/宛城区 line converted from GCJ-02 (geo.layers.EAST_EDGE_NOTE); the page said 「取自天地图行政区划数据」."""
from __future__ import annotations

from test_pages_apptest import goto, start

from geo.layers import EAST_EDGE_NOTE
from ui.widgets import md_escape


def test_the_sources_page_names_the_boundary_the_map_uses(app_db):
    at = goto(start(), "sources")
    said = "\n".join(str(m.value) for m in at.markdown)
    assert md_escape(EAST_EDGE_NOTE) in said, said  # (the map's note is text: a survey title may hold Markdown)
    assert "界线取自天地图" not in said, said


def test_the_schematic_sources_own_note_agrees_with_the_map(app_db):
    """The 示意图几何 source's card said 「卧龙区/宛城区界线取自天地图行政区划数据」 under the bullet that says 高德."""
    at = goto(start(), "sources")
    notes = "\n".join(str(t.value) for t in at.text)
    assert "卧龙区/宛城区界线取自天地图" not in notes, notes
    assert "卧龙区界线（街道东界）取自高德地图行政区划数据" in notes, notes
