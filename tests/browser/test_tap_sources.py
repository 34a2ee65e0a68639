"""A figure's source without hovering: a 网格员 on a tablet cannot hover, so a tap on a KPI card (or a community's
fact line) opens its source and the article's words under it, and a second tap closes them. On a desk the same
click works, and the hover text stays."""
from __future__ import annotations

import pytest
from browser_helpers import page_url, problems

pytestmark = pytest.mark.browser

SOURCE = """(label) => {
  const card = [...document.querySelectorAll('[data-label]')].find(el => el.dataset.label === label);
  if (!card) return null;
  const q = card.querySelector('.q');
  // a closed <details> keeps its content laid out but not rendered: checkVisibility and innerText say so
  const text = q ? q.innerText.trim() : '';
  return {shown: !!(q && q.checkVisibility() && text), text, open: !!card.open};
}"""


def _tap(page, label: str) -> None:
    page.locator(f'[data-label="{label}"] > summary').first.tap()
    page.wait_for_timeout(200)


@pytest.mark.parametrize("size", [(820, 1180), (1024, 768)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_tap_on_a_card_shows_its_source(page_at, size):
    opened = page_at(page_url("/"), width=size[0], height=size[1], touch=True)
    page = opened.page
    before = page.evaluate(SOURCE, "常住人口")
    assert before is not None, "概览上没有「常住人口」卡片 / no card"
    assert not before["shown"], f"原文应在点按后才显示 / source shown before the tap: {before}"
    _tap(page, "常住人口")
    after = page.evaluate(SOURCE, "常住人口")
    assert after["shown"] and after["open"], f"点按卡片后应显示来源 / tap did not open the source: {after}"
    assert "来源：新闻报道" in after["text"] and "原文：“" in after["text"] and "8.15万" in after["text"], after
    _tap(page, "常住人口")
    assert not page.evaluate(SOURCE, "常住人口")["shown"], "再点一次应收起 / a second tap should close it"
    grid_notes = page.locator(".gw-kpis-note").all_inner_texts()
    assert any("点按数字可见原文" in t or "点按" in t for t in grid_notes), grid_notes
    assert not any("悬停" in t for t in page.locator('[data-testid="stMain"]').all_inner_texts()), "仍写着「悬停」"
    assert not problems(page)


def test_a_tap_on_a_community_fact_shows_its_source(page_at):
    opened = page_at(page_url("/?community=中兴"), width=820, height=1180, touch=True)
    page = opened.page
    label = "辖区面积"
    before = page.evaluate(SOURCE, label)
    assert before is not None and not before["shown"], before
    _tap(page, label)
    after = page.evaluate(SOURCE, label)
    assert after["shown"] and "原文：“中兴社区辖区面积0.45平方公里" in after["text"], after
