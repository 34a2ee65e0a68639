"""One way to show a moment: China time in the UI's own words (「2024年2月20日 10:00」), never 「2024-02-20 10:00」 —
in a figure's source, the briefing pack's citation and the administrators' tables (sessions, display links, users,
map versions, audit log). Stored times are naive UTC (lib.clock)."""
from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import pytest
from staff_apptest import _staff_templates, engine  # noqa: F401 - fixtures
from streamlit.testing.v1 import AppTest

from lib import fmt
from lib.briefing import collect
from lib.figures import Figure
from ui import audit_view, display_link_view, geo_preview, session_view, widgets

UTC_AT = dt.datetime(2024, 2, 20, 2, 0, 5)  # naive UTC, as stored


@pytest.mark.parametrize(("value", "seconds", "text"), [
    (UTC_AT, False, "2024年2月20日 10:00"),
    (UTC_AT, True, "2024年2月20日 10:00:05"),
    (pd.Timestamp(UTC_AT), False, "2024年2月20日 10:00"),
    (dt.datetime(2023, 11, 30, 17, 30), False, "2023年12月1日 01:30"),  # the China day, not the UTC one
    (dt.datetime(2024, 2, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), False, "2024年2月20日 10:00"),
    ("2024-02-20 02:00:00", False, "2024年2月20日 10:00"),  # SQLite may hand back text
    (None, False, ""),
    (pd.NaT, False, ""),
    (float("nan"), False, ""),
])
def test_stamp_text(value, seconds, text):
    assert fmt.stamp_text(value, seconds=seconds) == text


def test_a_staff_figure_names_its_time_in_chinese():
    fig = Figure("常住人口", "8.2万人", "staff", author="中兴录入员", recorded_at=UTC_AT)
    assert "录入：中兴录入员，2024年2月20日 10:00" in fig.provenance()
    assert "2024-02-20" not in fig.provenance()


def test_the_pack_cites_staff_figures_in_chinese_time():
    fig = Figure("常住人口", "8.2万人", "staff", author="中兴录入员", recorded_at=UTC_AT)
    assert collect._citation(fig) == "录入：中兴录入员，2024年2月20日 10:00"


def test_administrators_tables_show_chinese_times():
    assert session_view._stamp(UTC_AT) == "2024年2月20日 10:00"
    assert display_link_view._local(pd.Timestamp(UTC_AT)) == "2024年2月20日 10:00"
    versions = geo_preview.versions_table(pd.DataFrame({
        "id": [2], "schematic": [False], "source_title": ["测绘"], "features": [11], "recorded_by": ["admin"],
        "recorded_at": [UTC_AT], "note": [None]}))
    assert versions["保存时间（北京时间）"].tolist() == ["2024年2月20日 10:00"]


def test_the_audit_log_keeps_real_times_shown_in_chinese():
    """The log's time column stays a time (sorting by it is by time, not by text: 「12月」 before 「9月」 as text)
    in China time; the page shows it as 「2024年2月20日 10:00:05」 (widgets.date_columns)."""
    raw = pd.DataFrame({"at": [UTC_AT], "username": ["admin"], "action_label": ["新增"], "table_name": ["fact"],
                        "record_key": [None], "community": [None], "before": [None], "after": [None]})
    view = audit_view.audit_table(raw)
    at = view["时间（北京时间）"].iloc[0]
    assert at == pd.Timestamp("2024-02-20 10:00:05") and at.tzinfo is None  # China wall-clock time
    config = widgets.date_columns(view)["时间（北京时间）"]
    assert (config["type_config"]["type"], config["type_config"]["format"]) == ("datetime", "YYYY年M月D日 HH:mm:ss")
    assert fmt.stamp_text(raw["at"].iloc[0], seconds=True) == "2024年2月20日 10:00:05"


def test_admin_pages_show_times_in_chinese(engine):  # noqa: F811 - staff_apptest's fixture
    """The audit page's time column is a time shown as 「2026年12月7日 20:05:03」 (its column format), and the row
    heading after a selection says the same; the users page's 创建时间 is Chinese text."""
    from staff_apptest import APP, clean, session_cookie

    from lib import audit

    def open_page(path: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.session_state["auth.token"] = session_cookie("admin")
        at.run()
        return clean(at.switch_page(path).run())

    at = open_page("pages/audit.py")
    grid = at.dataframe[0]
    shown = grid.value["时间（北京时间）"]
    newest = audit.audit_log(limit=1)["at"].iloc[0]
    assert shown.iloc[0] == pd.Timestamp(newest) + pd.Timedelta(hours=8)
    config = json.loads(grid.proto.columns)["时间（北京时间）"]
    assert config["type_config"]["format"] == "YYYY年M月D日 HH:mm:ss", config
    users = open_page("pages/users.py").dataframe[0].value
    assert all(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", t) for t in users["创建时间"]), users["创建时间"]


@pytest.mark.parametrize("values, shown", [
    ([dt.date(2023, 11, 22), None], {"type": "date", "format": "YYYY年M月D日"}),
    ([pd.Timestamp("2023-11-22"), pd.NaT], {"type": "date", "format": "YYYY年M月D日"}),
    ([pd.Timestamp("2024-02-20 10:00:05"), pd.Timestamp("2024-02-21")],
     {"type": "datetime", "format": "YYYY年M月D日 HH:mm:ss"}),
    ([dt.datetime(2024, 2, 20, 10, 0, 5)], {"type": "datetime", "format": "YYYY年M月D日 HH:mm:ss"}),
    (["2023-11-22"], None),  # text stays text
    ([None, None], None),
])
def test_table_date_and_time_columns_are_chinese(values, shown):
    """A date column reads 「2023年11月22日」; a column with times of day keeps its time (「2024年2月20日 10:00:05」)
    instead of being cut to the date."""
    config = widgets.date_columns(pd.DataFrame({"列": values})).get("列")
    assert (config and {k: config["type_config"][k] for k in ("type", "format")}) == shown
