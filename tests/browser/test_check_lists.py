"""Issue 13 on a tablet: no English dead end at a mistyped address, the 现场核查 lists whole at 1024 and 820 px,
success messages shown whole, and the camera as the default photo source on a touch tablet.

Accounts are created the way an administrator would (`python -m lib.users create-user --password-stdin`)
in the suite's freshly seeded database.
"""
from __future__ import annotations

import re
import time

import pytest
from browser_helpers import create_account, wait_until


pytestmark = pytest.mark.browser

USER, PASSWORD, NAME = "zx_lists", "lists-pass-2026", "中兴网格员"
TABLET_UA = ("Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Chrome/120.0.0.0 Safari/537.36")
BAD_PATHS = ["/foo", "/nonexistent", "/check_form/extra", "/overview/x/y", "/Checks", "/index.html",
             "/foo?community=中兴"]
# Every visible text node, plus what a screen reader reads; dialogs and toasts are part of the body.
VISIBLE_TEXT = """() => {
  const out = [], shown = (el) => { const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const n = walker.currentNode, el = n.parentElement;
    if (!el || el.closest('script, style, [data-testid="stIconMaterial"]')) continue;
    if (!n.nodeValue.trim() || !shown(el)) continue;
    if (getComputedStyle(el).fontFamily.includes('Material')) continue;  // icon ligatures
    out.push(n.nodeValue.trim());
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [alt], [placeholder]'))
    for (const a of ['aria-label', 'title', 'alt', 'placeholder']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
  out.push(document.title);
  return out;
}"""


@pytest.fixture(scope="module")
def lists_account(seeded_db):
    return create_account(seeded_db, USER, PASSWORD, display_name=NAME)


def _english(texts: list[str]) -> list[str]:
    return sorted({t for t in texts if re.search(r"[A-Za-z]{2,}", t)})


def _sign_in(opened) -> None:
    page = opened.page
    page.get_by_label("用户名").fill(USER)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").tap()
    wait_until(page, lambda: NAME in page.locator('[data-testid="stMain"]').inner_text(), timeout=30,
               message="登录后未显示账号")
    opened.wait_ready()


def test_unknown_addresses_show_only_chinese(page_at):
    """A mistyped address: a Chinese 「页面不存在」 page (HTTP 404) with a link home, and at no moment in the
    first seconds any English word (Streamlit's 「Page not found … Running the app's main page」)."""
    opened = page_at("/", width=1024, height=768, touch=True)
    page = opened.page
    for path in BAD_PATHS:
        response = page.goto(opened.base + path, wait_until="commit")
        assert response.status == 404, (path, response.status)
        seen: set[str] = set()
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:  # poll: a dialog or toast that flashes by is caught too
            try:
                seen.update(page.evaluate(VISIBLE_TEXT))
            except Exception:  # noqa: BLE001, S112 - the page is still loading: look again
                continue
            page.wait_for_timeout(100)
        assert not _english(list(seen)), f"{path}: 英文 / English: {_english(list(seen))}"
        assert "页面不存在" in page.locator("h1").inner_text(), path
    page.locator("#home").click()  # the home link keeps the query: 中兴 stays selected
    page.wait_for_url(re.compile(r"/\?community="))
    opened.wait_ready()
    assert "中兴" in page.locator('[data-testid="stMain"] h1').first.inner_text()


def test_known_addresses_and_routes_pass(page_at):
    """The 404 page answers only unknown paths: pages, Streamlit's files and the app's routes still answer."""
    opened = page_at("/", width=1024, height=768)
    request = opened.page.request
    for path in ["/", "/checks", "/check_form", "/favicon.png", "/manifest.json", "/_stcore/health", "/readyz"]:
        assert request.get(opened.base + path).status == 200, path


def _list_boxes(page) -> dict:
    """The list's grid (its scroll width against its own width), its toolbar and the 已办结 card."""
    return page.evaluate("""() => {
      const box = (el) => { if (!el) return null; const r = el.getBoundingClientRect();
        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
      const frame = document.querySelector('[data-testid="stDataFrame"]');
      const scroller = frame && frame.querySelector('.dvn-scroller');
      const element = frame && frame.closest('[data-testid="stElementContainer"]');
      const card = [...document.querySelectorAll('[data-testid="stMetric"]')].find(m => m.innerText.includes('已办结'));
      return {grid: box(frame), scroll: scroller ? [scroller.scrollWidth, scroller.clientWidth] : null,
              toolbar: box(element && element.querySelector('[data-testid="stElementToolbar"]')), card: box(card),
              viewport: document.documentElement.clientWidth};
    }""")


def _overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


@pytest.mark.parametrize("size", [(1024, 768), (820, 1180)], ids=["1024x768", "820x1180"])
def test_check_list_every_column_in_view(page_at, size):
    """现场核查 list (signed out): every column (照片 … 登记时间, 登记人, 来源) inside the window, no sideways
    scrolling in the grid, and the grid's toolbar clear of the 已办结 card."""
    width, height = size
    opened = page_at("/checks", width=width, height=height, touch=True)
    page = opened.page
    frame = page.locator('[data-testid="stDataFrame"]').first
    frame.scroll_into_view_if_needed()
    frame.hover()  # the toolbar shows on hover
    page.wait_for_timeout(400)
    boxes = _list_boxes(page)
    opened.screenshot("checks-list")
    assert boxes["grid"]["right"] <= boxes["viewport"] + 0.5, boxes
    scroll, client = boxes["scroll"]
    assert scroll <= client + 1, f"清单需要横向滚动，有列被截掉 / columns cut: {boxes}"
    assert boxes["toolbar"] and not _overlap(boxes["toolbar"], boxes["card"]), boxes


def test_check_list_headers_and_time_sent(page_at):
    """The list's columns as the browser receives them (Arrow bytes hold the header names as UTF-8)."""
    opened = page_at("/", width=1024, height=768)
    frames: list[str] = []
    opened.page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda p: frames.append((p if isinstance(p, bytes) else str(p).encode()).decode(
            "utf-8", errors="ignore"))))
    opened.goto("/checks")
    sent = next((f for f in frames if "整改期限" in f and "登记人" in f), "")
    for header in ["照片", "社区", "类别", "问题", "状态", "整改期限", "登记时间", "登记人", "来源"]:
        assert header in sent, header
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", sent), "登记时间 not as 2023年10月31日 17:00"
    assert "data:image/svg+xml" in sent  # a check without a photo: the 「无照片」 tile, not "None"


def test_success_message_whole_and_my_checks_in_view(page_at, lists_account):
    """820×1180: a check with a long finding is filed; 「已保存（中兴／…）」 shows the whole finding, not cut;
    「我的核查」 then shows its photo tile, time, 状态 and 整改期限 inside the window."""
    opened = page_at("/account", width=820, height=1180, touch=True)
    page = opened.page
    _sign_in(opened)
    opened.goto("/check_form")
    finding = "3号楼东侧单元门口消防通道长期堆放废旧家具和纸箱，影响通行与消防车辆进出（平板核查1）"
    category = page.get_by_role("combobox", name="类别")
    category.scroll_into_view_if_needed()
    category.click()
    page.get_by_role("option", name="环境卫生").click()
    page.get_by_label("问题描述").fill(finding)
    page.get_by_role("button", name="提交核查记录").tap()
    alert = page.locator('[data-testid="stAlertContentSuccess"]').first
    alert.wait_for(state="visible", timeout=30000)
    opened.wait_ready()
    alert.scroll_into_view_if_needed()
    text = alert.inner_text()
    assert f"已保存（中兴／环境卫生／{finding}）" in text, text
    cut = alert.evaluate("""el => [...el.querySelectorAll('*')].concat([el])
        .filter(e => e.scrollWidth > e.clientWidth + 1 || getComputedStyle(e).textOverflow === 'ellipsis'
                     && e.scrollWidth > e.clientWidth)
        .map(e => `${e.tagName} ${e.scrollWidth}>${e.clientWidth}`)""")
    assert not cut, f"成功提示被截断 / message cut: {cut}"
    box = alert.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 820, box
    opened.screenshot("check-saved")

    opened.goto("/my_checks")
    card = page.locator('[data-testid="stVerticalBlockBorderWrapper"], [class*="st-key-mychecks-card"]').filter(
        has_text=finding[:12]).first
    card.wait_for(state="visible")
    caption = card.inner_text()
    assert re.search(r"登记于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} · 整改期限 未设期限 · 状态 待整改", caption), caption
    inside = card.evaluate("""el => [...el.querySelectorAll('[data-testid="stCaptionContainer"], p, img')]
        .filter(e => e.getBoundingClientRect().width > 0)
        .every(e => e.getBoundingClientRect().right <= document.documentElement.clientWidth + 0.5)""")
    assert inside, "「我的核查」卡片超出窗口"


def test_camera_is_the_default_on_a_touch_tablet(page_at, lists_account):
    """A touch tablet (820×1180, Android tablet browser): 照片来源 starts on 「用相机拍照」 and the form shows
    Streamlit's camera widget, not the file chooser."""
    opened = page_at("/account", width=820, height=1180, touch=True, user_agent=TABLET_UA)
    page = opened.page
    _sign_in(opened)
    opened.goto("/check_form")
    camera = page.get_by_role("radio", name="用相机拍照")
    assert camera.is_checked() and not page.get_by_role("radio", name="从相册选择").is_checked()
    main = page.locator('[data-testid="stMain"]')
    assert main.locator('[data-testid="stCameraInput"]').count() == 1
    assert main.locator('[data-testid="stFileUploader"]').count() == 0
    # the camera comes before the submit button, inside the form
    order = page.evaluate("""() => {
      const cam = document.querySelector('[data-testid="stCameraInput"]');
      const send = document.querySelector('[data-testid="stFormSubmitButton"]');
      return !!(cam && send && cam.closest('[data-testid="stForm"]')
                && (cam.compareDocumentPosition(send) & Node.DOCUMENT_POSITION_FOLLOWING));
    }""")
    assert order
