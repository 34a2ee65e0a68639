"""The wall once a leader has set 「上次汇报日期」: every key figure with its source tag and its change since that day
(demo baselines said so) still fits 1080p and 4K without scrolling, and the strip reads as the pack does."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest
from browser_helpers import create_account, problems, scroll_metrics
from conftest import _close, _opener, _serve

from lib import briefing_date, db
from lib.auth import Actor

pytestmark = pytest.mark.browser
ON = dt.date(2023, 11, 15)


@pytest.fixture
def briefed_page_at(browser, seeded_db, tmp_path, request):
    """A server on a copy of the seeded database whose 「上次汇报日期」 a 领导 has set to 2023-11-15."""
    path = tmp_path / "briefed.db"
    shutil.copyfile(seeded_db.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    create_account(url, "boss", "correct-horse-42", display_name="街道领导", role="领导", community=None)
    engine = db.get_engine(url)
    briefing_date.set_last_briefing_date(Actor("boss", "街道领导", "领导", None), ON, engine=engine)
    engine.dispose()
    contexts: list = []
    with _serve(url, tmp_path) as base:
        yield _opener(browser, base, contexts)
        _close(contexts, request)


@pytest.mark.parametrize(("view", "size"), [("总览", (1920, 1080)), ("总览", (3840, 2160)), ("五星支部", (1920, 1080)),
                                            ("征迁", (1920, 1080)), ("养老", (1920, 1080)), ("示范社区", (1920, 1080))],
                         ids=lambda v: f"{v[0]}x{v[1]}" if isinstance(v, tuple) else v)
def test_the_wall_with_a_briefing_date_fits_and_names_each_change(briefed_page_at, view, size):
    width, height = size
    opened = briefed_page_at(f"/?screen=1&pause=1&view={view}", width=width, height=height)
    page = opened.page
    strip = page.locator(".gw-changes").first.inner_text()
    assert "较上次汇报（2023年11月15日）" in strip and "（对比值为示例数据）" in strip, strip
    assert "示例" in strip and "报道" in strip, strip  # each figure's source tag
    m = scroll_metrics(page)
    assert m["mainScrollHeight"] <= m["mainClientHeight"] + 2, f"内容超出屏幕高度 / content taller than screen: {m}"
    assert m["mainScrollWidth"] <= m["mainClientWidth"] + 1, f"内容超出屏幕宽度 / content wider than screen: {m}"
    assert not problems(page), problems(page)
    opened.screenshot(f"wall-briefed-{view}")
