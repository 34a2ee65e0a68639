"""The sidebar's start on narrow screens (ui/layout.py's page script): closed once per tab, never closed again
on a person who has opened it."""
from __future__ import annotations

from browser_helpers import wait_until

_RIGHT = "() => { const s = document.querySelector('[data-testid=\"stSidebar\"]'); " \
         "return s ? s.getBoundingClientRect().right : -1; }"


def test_a_sidebar_opened_at_once_on_a_phone_stays_open(page_at):
    """Under 768 px Streamlit starts the sidebar closed by itself; the script must then leave it alone. (It kept
    looking for the collapse button for 20 s and shut the sidebar a person had just opened.)"""
    page = page_at("/", width=600, height=900, touch=True, wait=False).page
    expand = page.locator('[data-testid="stExpandSidebarButton"]')
    expand.first.wait_for(state="visible", timeout=90_000)
    expand.first.tap()
    wait_until(page, lambda: page.evaluate(_RIGHT) > 200, timeout=10, message="侧栏未打开 / sidebar did not open")
    page.wait_for_timeout(4000)  # longer than the script's first retries, well inside its old 20-s window
    assert page.evaluate(_RIGHT) > 200, "侧栏被自动收起 / the opened sidebar was closed again"


def test_a_portrait_tablet_starts_closed_and_stays_open_once_opened(page_at):
    """At 820 px Streamlit starts the sidebar open: the script closes it once; opened by a person, it stays."""
    page = page_at("/", width=820, height=1180, touch=True).page
    wait_until(page, lambda: page.evaluate(_RIGHT) < 5, timeout=20, message="侧栏未收起 / sidebar not collapsed")
    page.locator('[data-testid="stExpandSidebarButton"]').first.tap()
    wait_until(page, lambda: page.evaluate(_RIGHT) > 200, timeout=10, message="侧栏未打开 / sidebar did not open")
    page.wait_for_timeout(3000)
    assert page.evaluate(_RIGHT) > 200, "侧栏被自动收起 / the opened sidebar was closed again"
