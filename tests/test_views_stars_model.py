"""The 五星支部 and 示范社区 pages' views kept per scope, viewer kind and data version (ui/views, issue #15):
a rerun with a scope seen before builds no card and reads no chart frame, a new scope builds its own, and the
kept views never show a signed-in viewer's staff names to anyone else. No timings (bench.rerun_cpu)."""
from __future__ import annotations

import copy
import types
from pathlib import Path

import pytest
from staff_apptest import _staff_templates, engine, session_cookie  # noqa: F401 - fixtures
from streamlit.testing.v1 import AppTest

import kpi_cards
from lib import clock, ledger
from lib.auth import Actor
from lib.fmt import cn_date
from tests.test_pages_apptest import assert_clean
from ui import bridge, chart_cache, kept, kpi_grid

APP = str(Path(__file__).resolve().parent.parent / "app.py")
STARS = ("支部过硬星", "平安法治星", "共建共享星", "工业兴业星", "幸福和谐星")


def _open(page: str, community: str | None, token: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["community"] = community
    if token:
        at.session_state["auth.token"] = token
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert_clean(at, page)
    return at


def _shown(at: AppTest) -> list[str]:
    """What the page draws, element by element (grids, charts, captions, tables)."""
    return [str(e.proto) for e in at.main]


@pytest.fixture
def spies(monkeypatch):
    """Count the cards built, the chart frames' values read and the kept values deep-copied on their way out
    (ui/kept.py: what a view hands out must be cheap to copy), from empty caches (no scope seen before)."""
    bridge.clear_caches()
    chart_cache.clear()
    seen = {"cards": 0, "frame_reads": 0, "deep_copies": 0}
    card, values = kpi_grid.card, chart_cache._values

    def counting_deepcopy(value):
        seen["deep_copies"] += 1
        return copy.deepcopy(value)

    def counting_card(*args, **kw):
        seen["cards"] += 1
        return card(*args, **kw)

    def counting_values(h, vals):
        seen["frame_reads"] += 1
        return values(h, vals)

    monkeypatch.setattr(kpi_grid, "card", counting_card)
    monkeypatch.setattr(chart_cache, "_values", counting_values)
    monkeypatch.setattr(kept, "copy", types.SimpleNamespace(deepcopy=counting_deepcopy))
    return seen


SEEN = {"stars": ("西华社区已达标星数 · 示例", "/5颗"), "model_communities": ("西华社区", "已命名示范社区")}


@pytest.mark.parametrize("page", list(SEEN))
def test_a_scope_seen_before_builds_no_card_and_reads_no_frame(app_db, spies, page):
    at = _open(page, "中兴")
    first = _shown(at)
    spies.update(cards=0, frame_reads=0)
    at.run()
    assert spies == {"cards": 0, "frame_reads": 0, "deep_copies": 0}  # kept views, chart specs, styled tables
    assert _shown(at) == first  # the same elements, tags and captions
    at.session_state["community"] = "西华"
    at.run()
    assert_clean(at, page)
    assert spies["cards"] > 0 and spies["frame_reads"] == 0  # a new scope: its own cards; charts keyed on it
    label, value = SEEN[page]
    assert kpi_cards.cards(at)[label].endswith(value)
    spies.update(cards=0)
    at.session_state["community"] = "中兴"
    at.run()
    assert spies["cards"] == 0 and _shown(at) == first


def _staff_stars(engine) -> None:
    """中兴's five stars entered by its staff (the 五星评定 ledger), so the cards carry a staff name."""
    today = clock.today()
    staff = Actor("zx", "中兴录入员", "社区工作人员", "中兴")
    rows = "".join(f"中兴,{s},已达标,95,{today.isoformat()}\n" for s in STARS)
    preview = ledger.read_ledger(("社区,星级,状态,得分,评定日期\n" + rows).encode(), "五星.csv", "五星评定",
                                 actor=staff, engine=engine, today=today)
    ledger.commit_ledger(staff, preview, engine=engine, today=today)


def test_kept_star_cards_show_staff_names_to_signed_in_viewers_only(engine):  # noqa: F811 - the fixture
    _staff_stars(engine)
    entered = f"{cn_date(clock.today())}录入"
    label = "中兴社区已达标星数 · 录入"
    for token, who in [(None, "工作人员"), (session_cookie("zx"), "中兴录入员"), (None, "工作人员")]:
        at = _open("stars", "中兴", token)
        assert kpi_cards.cards(at)[label] == "5/5颗"
        text = kpi_cards.grid_text(at)
        assert f"录入 · {who} · {entered}" in text, text
        if who == "工作人员":
            assert "中兴录入员" not in text


def test_kept_styled_table_sends_its_kept_data_bytes(app_db, monkeypatch):
    """示范社区's status table: a rerun converts none of its data to Arrow again, and sends the same bytes."""
    from streamlit import dataframe_util

    from ui import styled_tables

    styled_tables.clear()
    at = _open("model_communities", "中兴")
    first = at.dataframe[0].proto.arrow_data
    converted = []
    real = dataframe_util.convert_pandas_df_to_arrow_table
    monkeypatch.setattr(dataframe_util, "convert_pandas_df_to_arrow_table",
                        lambda df, **kw: (converted.append(list(df.columns)), real(df, **kw))[1])
    at.run()
    assert ["社区", "位置", "状态", "起始日期", "说明", "来源"] not in converted
    again = at.dataframe[0].proto.arrow_data
    assert again.data == first.data and again.styler.styles == first.styler.styles
    assert at.dataframe[0].value.set_index("社区").loc["中兴社区", "状态"] == "已命名示范社区"
