"""A card's figure is read whole: 「8.5平方公里」 must not break into 「8.5平方公」/「里」 on a desk's 1280 px screen with
the sidebar open, nor on a tablet in portrait — the figure shrinks to fit its card instead (ui/layout.py). So does a
short label: at 768 px 「驻地机关企事业单位」 and 「网格联合党支部」 left their last character on a line of its own."""
from __future__ import annotations

import pytest
from browser_helpers import PAGES, page_url

pytestmark = pytest.mark.browser

# Each card's value (and label): how many lines its text takes, and whether it is wider than its card.
PROBE = """() => [...document.querySelectorAll('.gw-kpi .v, .gw-kpi .l')].map(el => {
  const tops = new Set(), walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const range = document.createRange(); range.selectNodeContents(walker.currentNode);
    for (const r of range.getClientRects()) if (r.width > 1) tops.add(Math.round(r.bottom / 6));
  }
  const card = el.closest('.gw-kpi').getBoundingClientRect(), own = el.getBoundingClientRect();
  return {text: el.innerText.trim(), lines: tops.size, overflow: el.scrollWidth > el.clientWidth + 1
          || own.right > card.right + 1, px: parseFloat(getComputedStyle(el).fontSize),
          value: el.classList.contains('v')};
})"""


@pytest.mark.parametrize("size", [(1280, 800, False), (820, 1180, True), (768, 1024, True)],
                         ids=["desk1280", "tablet820", "tablet768"])
def test_card_figures_are_not_broken(page_at, size):
    width, height, touch = size
    opened, failures, seen = None, [], 0
    for path in ("overview", "stars", "model_communities", "relocation", "eldercare", "profiles"):
        assert path in PAGES
        if opened is None:
            opened = page_at(page_url(path), width=width, height=height, touch=touch)
        else:
            opened.goto(page_url(path))
        for item in opened.page.evaluate(PROBE):
            seen += item["value"]
            short = len(item["text"]) <= 10  # a figure or a label, not a sentence
            if short and (item["lines"] > 1 or item["overflow"]):
                failures.append(f"{path}: 「{item['text']}」 {item['lines']} 行, 溢出={item['overflow']}")
            if item["value"] and item["px"] < 16:
                failures.append(f"{path}: 「{item['text']}」 字号 {item['px']}px 太小 / too small")
    assert seen >= 20, f"only {seen} card values found"
    assert not failures, "\n".join(failures)
