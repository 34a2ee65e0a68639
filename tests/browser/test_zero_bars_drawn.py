"""A zero bar is visible as zero in the browser (issue #14): on the 五星 page at 1920×1080, every community
with 0 stars has a drawn 「0」 label and a drawn baseline tick in the bar chart — not an empty row."""
from __future__ import annotations

import pytest
from browser_helpers import wait_until

pytestmark = pytest.mark.browser

# The bar chart's marks (not its axis labels): every text mark reading 「0」 and every tick, with its drawn size.
_ZERO_MARKS = """() => {
  const chart = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
      .find(c => c.textContent.includes('已达标星数（颗）'));
  if (!chart) return null;
  chart.scrollIntoView({block: 'center'});
  const seen = el => { const r = el.getBoundingClientRect(); const cs = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight && cs.visibility !== 'hidden'
             && parseFloat(el.getAttribute('fill-opacity') ?? el.getAttribute('opacity') ?? '1') > 0; };
  const texts = [...chart.querySelectorAll('g.mark-text.role-mark text')].filter(t => t.textContent.trim() === '0');
  const ticks = [...chart.querySelectorAll('g.mark-tick.role-mark path, g.mark-rect.role-mark path')]
      .filter(p => (p.getAttribute('fill') || '').toUpperCase() === '#E5E7EB');
  return {zeros: texts.filter(seen).length, fontPx: texts.map(t => parseFloat(getComputedStyle(t).fontSize)),
          ticks: ticks.filter(seen).length};
}"""


def test_zero_star_communities_show_a_visible_zero(page_at, seeded_db):
    from lib import db
    from lib.queries.stars import star_counts

    zero = int((star_counts(engine=db.get_engine(seeded_db))["stars"] == 0).sum())
    assert zero > 0, "the seed has communities with no star yet"
    opened = page_at("/stars", width=1920, height=1080)
    page = opened.page
    page.get_by_text("各社区已达标星数", exact=True).first.scroll_into_view_if_needed()  # charts draw when seen
    found = wait_until(page, lambda: page.evaluate(_ZERO_MARKS), timeout=20,
                       message="the 已达标星数 chart is drawn on the page")
    assert found["zeros"] == zero, found
    assert found["ticks"] == zero, found
    assert all(px >= 12 for px in found["fontPx"]), found
    opened.screenshot("zero-bars-stars")
