"""台账导入导出 on a tablet: the three download buttons read whole.

Side by side in three columns they were cut to 「下载导入模板…」, 「下载当前数据（中兴社区…」 and 「下载当前数据…」 at
768 and 1024 px, so the last two could not be told apart. Each button's label now fits its button."""
from __future__ import annotations

import pytest
from browser_helpers import create_account, sign_in_form, wait_until

pytestmark = pytest.mark.browser

USER, PASSWORD = "zx_ledger_tab", "correct-horse-42"
BUTTONS = '[data-testid="stDownloadButton"] button[data-testid^="stBaseButton"]'  # not the ⓘ beside each


@pytest.fixture(scope="module")
def staff(seeded_db):
    return create_account(seeded_db, USER, PASSWORD, display_name="中兴台账")


@pytest.mark.parametrize("size", [(768, 1024), (1024, 768)], ids=["portrait", "landscape"])
def test_download_buttons_read_whole(page_at, staff, size):
    opened = page_at("account", width=size[0], height=size[1], touch=True)
    page = opened.page
    sign_in_form(page, USER, PASSWORD, shown="中兴台账")
    opened.goto("ledgers")
    buttons = page.locator(BUTTONS + ":visible")  # Streamlit also keeps a hidden copy of each
    wait_until(page, lambda: buttons.count() == 3, timeout=20, message="缺少三个下载按钮")
    labels = page.evaluate("""(sel) => [...document.querySelectorAll(sel)].filter(b => b.getClientRects().length)
        .map(b => { const p = b.querySelector('p') || b; const r = b.getBoundingClientRect();
                    const cut = [b, ...b.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1
                                                                  && getComputedStyle(e).overflowX !== 'visible');
                    return {text: p.innerText, cut, right: r.right}; })""", BUTTONS)
    assert not [t for t in labels if t["cut"]], labels
    assert all(t["right"] <= size[0] for t in labels), labels
    assert [t["text"] for t in labels] == ["下载导入模板（xlsx）", "下载当前数据（中兴社区，5 行）", "下载当前数据（CSV）"]
