"""The briefing picture: right size, the selected community outlined, community colours drawn."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from geo.layers import feature_records
from lib.figures import Figure
from ui.briefing_png import font_has_cjk, render_briefing

LAYERS = {k: feature_records(k) for k in ("communities", "roads", "railway", "rivers", "projects")}


@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160)])
def test_render_size_and_colours(size):
    colors = {r["name"]: "#ff0000" if r["name"] == "榆树庄" else "#0000ff" for r in LAYERS["communities"]}
    png = render_briefing(title="光武街道基层治理简报", stamp="数据截至 2023年11月22日",
                          figures=[Figure("征迁签约", "62/78户", "article")], layers=LAYERS, colors=colors,
                          selected="中兴", size=size)
    img = Image.open(io.BytesIO(png)).convert("RGB")
    assert img.size == size
    pixels = img.getcolors(maxcolors=1 << 20)
    counts = {c: n for n, c in pixels}
    assert counts.get((255, 0, 0), 0) > 1000, "榆树庄 drawn in its colour"
    assert counts.get((0, 0, 255), 0) > counts.get((255, 0, 0), 0), "the other ten communities drawn"
    assert counts.get((255, 214, 10), 0) > 100, "the selected community is outlined"


def test_cjk_font_available_for_labels():
    assert font_has_cjk(), "install fonts-noto-cjk (make test does) so Chinese labels are not boxes"


def test_every_line_on_the_map_is_in_the_legend():
    """A leader holding the picture asks what the pink line is: each kind of line drawn (河流, 主干道, 焦枝铁路,
    文化路北延) is named in the legend with its colour, by the features' own names (a replaced layer is named as it
    is); the picture's 「legend」 text chunk lists what was drawn."""
    png = render_briefing(title="简报", stamp="", figures=[], layers=LAYERS, colors={},
                          legend=[("已命名示范社区", "#ffff00")])
    legend = Image.open(io.BytesIO(png)).text["legend"].split("\n")
    assert legend == ["已命名示范社区", "河流（梅溪河、三里河）", "主干道", "焦枝铁路", "文化路北延（征迁项目）"], legend
    no_lines = render_briefing(title="简报", stamp="", figures=[], layers={"communities": LAYERS["communities"]},
                               colors={}, legend=[("已命名示范社区", "#ffff00")])
    assert Image.open(io.BytesIO(no_lines)).text["legend"] == "已命名示范社区"  # only what is drawn
