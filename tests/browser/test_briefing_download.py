"""The 「汇报材料」 buttons download the pack: a 7-page PDF and an xlsx named by scope and date."""
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
    with page.expect_download(timeout=60_000) as info:
        side.get_by_role("button", name="汇报材料 PDF（中兴社区）").click()
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
