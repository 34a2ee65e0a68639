"""The map's legends draw every swatch (issue #15 moved their shapes into the page's CSS, ui.layout.BASE_CSS,
so a run sends only each swatch's colour): on the desk and on the wall, every swatch has its size and a colour."""
from __future__ import annotations

import pytest
from browser_helpers import wait_until

pytestmark = pytest.mark.browser

SWATCHES = """() => [...document.querySelectorAll('.gw-legend .gw-sw')].map((el) => {
  const s = getComputedStyle(el), r = el.getBoundingClientRect();
  const painted = [s.backgroundColor, s.borderTopColor].some((c, i) =>
      c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent' && (i === 0 || parseFloat(s.borderTopWidth) > 0));
  return {kind: el.className, w: r.width, h: r.height, painted, label: el.parentElement.textContent.trim()};
})"""


@pytest.mark.parametrize("path", ["/", "/?screen=1"])
def test_every_swatch_is_drawn_with_its_colour(page_at, path):
    opened = page_at(path, width=1920, height=1080)
    page = opened.page
    wait_until(page, lambda: len(page.evaluate(SWATCHES)) >= 5, timeout=20, message="图例未显示 / no legend")
    swatches = page.evaluate(SWATCHES)
    kinds = {s["kind"].split()[-1] for s in swatches}
    assert {"fill", "line", "dashed", "dot"} <= kinds, kinds
    bad = [s for s in swatches if s["w"] < 4 or not s["painted"]]
    assert not bad, bad
    flat = [s for s in swatches if s["kind"].endswith(("fill", "area", "dot", "ring")) and s["h"] < 4]
    assert not flat, flat
