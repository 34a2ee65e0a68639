"""Browser printing (Ctrl+P) of a page: a light A4 page without the sidebar or the controls.

Before the print stylesheet, printing gave a dark 4-page A4 with the sidebar."""
from __future__ import annotations

import io
import re
import unicodedata

import pytest
from browser_helpers import screenshot_dir
from PIL import Image, ImageStat

pytestmark = pytest.mark.browser

LIGHT = 200  # mean luminance (0–255) of the printed page, map included (the dark theme gives ~30)


@pytest.mark.parametrize("path", ["/?community=中兴", "/?screen=1&pause=1"], ids=["overview", "screen"])
def test_print_is_light_without_sidebar(page_at, path):
    from pypdf import PdfReader

    opened = page_at(path, width=1440, height=900)
    page = opened.page
    page.emulate_media(media="print")
    state = page.evaluate("""() => {
        const side = document.querySelector('[data-testid="stSidebar"]');
        const app = document.querySelector('.stApp');
        const h = document.querySelector('[data-testid="stMain"] h1, .gw-title');
        return {sidebar: side ? getComputedStyle(side).display : 'absent',
                buttons: [...document.querySelectorAll('.stDownloadButton, [data-testid="stPopover"]')]
                           .filter(e => e.offsetParent !== null).length,
                bg: getComputedStyle(app).backgroundColor, ink: h ? getComputedStyle(h).color : null};
    }""")
    assert state["sidebar"] in ("none", "absent"), state
    assert state["buttons"] == 0, state
    assert state["bg"] == "rgb(255, 255, 255)", state
    assert state["ink"] == "rgb(17, 24, 39)", state
    shot = page.screenshot(full_page=False)
    (screenshot_dir() / f"print-{'screen' if 'screen' in path else 'overview'}.png").write_bytes(shot)
    assert ImageStat.Stat(Image.open(io.BytesIO(shot)).convert("L")).mean[0] > LIGHT

    pdf = PdfReader(io.BytesIO(page.pdf(print_background=True, prefer_css_page_size=True)))
    # NFKC: the PDF's text maps some glyphs to Kangxi radicals (⽇ for 日)
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", "".join(p.extract_text() for p in pdf.pages)))
    printed = [s for s in ("回看日期", "打开大屏模式", "汇报材料PDF") if s in text]
    assert not printed, f"the sidebar is printed: {printed}"
    assert "光武街道" in text
    width, height = pdf.pages[0].mediabox.width, pdf.pages[0].mediabox.height
    assert width > height, "A4 landscape"
    first = Image.open(io.BytesIO(shot))
    assert first.size == (1440, 900)
