"""Streamlit's own English, as Streamlit draws it, reads in Chinese (ui/chrome_words.py via the page script).

A tablet review found English a person meets: the camera box when the browser refuses the camera (a tablet's
default photo source) 「This app would like to use your camera.」, the dialog when the server cannot be reached
「Connection error」, a table's column menu 「Sort ascending … Hide column」 and its statistics, and the reason on an
upload's chip 「File must be 10.0MB or smaller.」. The column menu is opened for real; the rest is drawn into the
page the way Streamlit draws it (a text node appearing), for every word in the tables."""
from __future__ import annotations

import re

import pytest
from browser_helpers import page_url, wait_until

from ui import chrome_words

pytestmark = pytest.mark.browser

DRAWN = {**chrome_words.TRANSLATIONS,
         "File must be 10.0MB or smaller.": "文件不能超过 10.0MB。",
         "text/plain files are not allowed.": "不接受这种文件（text/plain）。"}


def test_every_chrome_word_is_shown_in_chinese(page_at):
    page = page_at(page_url("sources"), width=1024, height=768).page
    page.evaluate("""(words) => { const box = document.createElement('div'); box.id = 'gw-words';
        for (const w of words) { const d = document.createElement('div'); d.textContent = w; box.appendChild(d); }
        document.body.appendChild(box); }""", list(DRAWN))
    shown = page.locator("#gw-words > div").all_inner_texts()
    assert dict(zip(DRAWN, shown, strict=True)) == DRAWN


def test_a_tables_column_menu_is_chinese(page_at):
    opened = page_at(page_url("sources"), width=1024, height=768)
    page = opened.page
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    menu = page.locator('[role="menu"]')
    for x in range(40, int(box["width"]) - 10, 12):  # the header's menu button shows on hover, at its cell's right
        page.mouse.move(box["x"] + x, box["y"] + 18)
        page.mouse.click(box["x"] + x, box["y"] + 18)
        page.wait_for_timeout(150)
        if menu.count() and menu.first.is_visible():
            break
        page.keyboard.press("Escape")
    wait_until(page, lambda: menu.count() and menu.first.is_visible(), timeout=10, message="列菜单未打开 / no menu")
    items = [" ".join(w for w in t.split() if not re.fullmatch(r"[a-z_]+", w))  # minus icon ligatures
             for t in menu.first.locator('[role="menuitem"]').all_inner_texts()]
    assert "升序排列" in items and "隐藏列" in items, items
    assert not [t for t in items if re.search(r"[A-Za-z]{3,}", t)], items


_ENGLISH = """() => {
    const out = new Set();
    const english = (t) => t && /[a-z]{3,}/.test(t.replace(/Excel/g, ''));  // words, not codes (GCJ-02, CSV)
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const n = walker.currentNode, p = n.parentElement;
        if (!p || p.closest('script, style, noscript, svg, [data-testid="stIconMaterial"], [data-testid="stMarkdownContainer"]'))
            continue;  // icon ligatures and the app's own text are not chrome
        if (getComputedStyle(p).fontFamily.includes('Material')) continue;  // an icon's ligature (「schedule」)
        if (english(n.nodeValue.trim())) out.add('text: ' + n.nodeValue.trim());
    }
    for (const el of document.querySelectorAll('[aria-label], [aria-valuetext], [title], [alt], [aria-roledescription]'))
        for (const a of ['aria-label', 'aria-valuetext', 'title', 'alt', 'aria-roledescription']) {
            const v = el.getAttribute(a);
            if (english(v)) out.add(a + ': ' + v);
        }
    return [...out];
}"""


def test_a_screen_reader_hears_the_pop_ups_in_chinese(page_at):
    """What a screen reader reads in the community drop-down and the date picker (their instructions, 「N options
    available」, the calendar's heading) was English."""
    opened = page_at(page_url("overview"), width=1280, height=900)
    page = opened.page
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stSelectbox"] [role="combobox"]').first.click()
    wait_until(page, lambda: page.locator('[role="option"]').count() > 3, timeout=10, message="下拉选项未打开")
    page.wait_for_timeout(500)  # the live region's announcement
    heard = page.evaluate(_ENGLISH)
    page.keyboard.press("Escape")
    sidebar.locator('[data-testid="stDateInputCalendarButton"]').first.click()
    wait_until(page, lambda: page.locator('[data-testid="stDateInputCalendar"]').count(), timeout=10,
               message="日历未打开")
    page.wait_for_timeout(500)
    heard += page.evaluate(_ENGLISH)
    assert not heard, "\n".join(h[:160] for h in heard)


def test_a_screen_reader_hears_the_wall_in_chinese(page_at):
    """The big screen's control menu read 「tune icon」 and its date field 「Clear value」."""
    opened = page_at("/?screen=1", width=1920, height=1080)
    page = opened.page
    heard = page.evaluate(_ENGLISH)
    menu = page.locator('[data-testid="stPopover"] button')
    if menu.count():
        menu.first.click()
        page.wait_for_timeout(800)
        heard += page.evaluate(_ENGLISH)
    assert not heard, "\n".join(h[:160] for h in heard)
