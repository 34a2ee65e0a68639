"""The 「汇报材料」 buttons download the pack: a 7-page PDF and an xlsx named by scope and date. The pack is built
when asked (「生成汇报材料」, ui/briefing_downloads.py), then its two download buttons take that button's place."""
from __future__ import annotations

import io

import pytest

from browser_helpers import days_since

from lib.briefing import PAGES
from lib.clock import today

pytestmark = pytest.mark.browser


def test_overview_downloads_named_pack(page_at):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    first_day = today()  # the server runs on the real clock: the day may turn during the test
    opened = page_at("/?community=中兴", width=1440, height=900)
    page = opened.page
    side = page.locator('[data-testid="stSidebar"]')
    side.get_by_role("button", name="生成汇报材料（中兴社区）").click()
    pdf_button = side.get_by_role("button", name="汇报材料 PDF（中兴社区）")
    pdf_button.wait_for(timeout=60_000)
    with page.expect_download(timeout=60_000) as info:
        pdf_button.click()
    pdf = info.value
    assert pdf.suggested_filename in {f"光武街道-中兴社区-简报-{d:%Y-%m-%d}.pdf" for d in days_since(first_day)}
    reader = PdfReader(io.BytesIO(open(pdf.path(), "rb").read()))
    assert len(reader.pages) == PAGES and "中兴社区" in reader.pages[0].extract_text()
    with page.expect_download(timeout=60_000) as info:
        side.get_by_role("button", name="汇报数字 Excel（中兴社区）").click()
    xlsx = info.value
    assert xlsx.suggested_filename in {f"光武街道-中兴社区-简报-{d:%Y-%m-%d}.xlsx" for d in days_since(first_day)}
    ws = load_workbook(io.BytesIO(open(xlsx.path(), "rb").read()))["简报数字"]
    assert ws["A1"].value == "光武街道基层治理汇报材料 · 中兴社区" and ws.max_row > 10


def test_wall_menu_builds_and_downloads_the_picture(page_at):
    """The big screen's control menu: 「生成简报图片」, then 「导出简报图片（PNG）」 downloads the picture."""
    first_day = today()
    page = page_at("/?screen=1&pause=1&community=中兴", width=1920, height=1080).page
    page.locator('[data-testid="stPopover"] button').first.click()
    menu = page.locator('[data-testid="stPopoverBody"]')
    menu.get_by_role("button", name="生成简报图片").click()
    png_button = menu.get_by_role("button", name="导出简报图片（PNG）")
    png_button.wait_for(timeout=60_000)
    with page.expect_download(timeout=60_000) as info:
        png_button.click()
    picture = info.value
    assert picture.failure() is None, picture.failure()
    assert picture.suggested_filename in {f"光武街道-中兴社区-简报-{d:%Y-%m-%d}.png" for d in days_since(first_day)}
    assert open(picture.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    assert "Failed" not in menu.inner_text()
