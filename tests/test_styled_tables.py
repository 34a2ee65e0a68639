"""Styled tables kept with their rendered styles (ui/styled_tables.py, issue #15): the element is the one a
fresh Styler gives, a repeat renders nothing, and new content (or a new highlight) renders afresh."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

from tests.test_pages_apptest import assert_clean
from ui import charts, styled_tables

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def _tables():
    import pandas as pd
    import streamlit as st

    from ui import charts, styled_tables

    df = pd.DataFrame({"社区": ["中兴社区", "西华社区"], "状态": ["已命名示范社区", "未命名"]})
    kw = {"colors": charts.MODEL_STATUS_COLORS, "status_cols": ["状态"], "highlight": ("社区", "西华社区")}
    for make in (charts.styled_table, styled_tables.styled_table, styled_tables.styled_table):
        st.dataframe(make(df, **kw), hide_index=True)


def _styles(el):
    s = el.proto.arrow_data.styler
    return s.uuid, s.styles, s.display_values, el.proto.arrow_data.data


def test_kept_table_is_the_element_a_fresh_styler_gives():
    styled_tables.clear()
    at = AppTest.from_function(_tables, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    fresh, kept, again = (el for el in at.dataframe)
    assert "background-color" in fresh.proto.arrow_data.styler.styles
    for el in (kept, again):  # the same CSS rules and display values (the CSS id differs: fixed per content)
        uuid, styles, values, data = _styles(el)
        assert styles.replace(uuid, "X") == fresh.proto.arrow_data.styler.styles.replace(
            fresh.proto.arrow_data.styler.uuid, "X")
        assert data == fresh.proto.arrow_data.data and values
    assert _styles(kept) == _styles(again)


def test_repeat_renders_nothing_and_new_content_renders_afresh(monkeypatch):
    styled_tables.clear()
    df = pd.DataFrame({"社区": ["中兴社区", "西华社区"], "状态": ["已命名示范社区", "未命名"]})
    calls = []
    real = styled_tables._marshall
    monkeypatch.setattr(styled_tables, "_marshall", lambda *a: (calls.append(1), real(*a)))
    kw = {"colors": charts.MODEL_STATUS_COLORS, "status_cols": ["状态"]}
    a = styled_tables.styled_table(df, **kw)
    assert styled_tables.styled_table(df.copy(), **kw) is a and len(calls) == 1
    b = styled_tables.styled_table(df, highlight=("社区", "中兴社区"), **kw)
    c = styled_tables.styled_table(df.assign(状态=["未命名", "未命名"]), **kw)
    assert len({id(a), id(b), id(c)}) == 3 and len(calls) == 3
    big = pd.concat([df] * (charts.STYLED_MAX_ROWS // 2 + 1), ignore_index=True)
    assert isinstance(styled_tables.styled_table(big, **kw), pd.DataFrame)  # long: plain, as charts.styled_table


def test_a_keyed_table_is_kept_per_key_and_data_version_without_reading_the_frame(monkeypatch):
    styled_tables.clear()
    df = pd.DataFrame({"社区": ["中兴社区", "西华社区"], "状态": ["已命名示范社区", "未命名"]})
    kw = {"colors": charts.MODEL_STATUS_COLORS, "status_cols": ["状态"]}
    monkeypatch.setattr(styled_tables.chart_cache.data_version, "source_token", lambda: "db|1")
    a = styled_tables.styled_table(df, key=("中兴", None), **kw)
    assert a.uuid.startswith("t") and "background-color" in str(getattr(a, styled_tables._KEPT).styler.styles)
    read = []
    monkeypatch.setattr(styled_tables.chart_cache, "_values", lambda h, values: read.append(list(values)))
    assert styled_tables.styled_table(df.assign(状态=["未命名", "未命名"]), key=("中兴", None), **kw) is a
    assert read == []  # the key and the data version stand for the content: no value of the frame was read
    assert styled_tables.styled_table(df, key=("西华", None), **kw) is not a
    big = pd.concat([df] * (charts.STYLED_MAX_ROWS // 2 + 1), ignore_index=True)
    long = styled_tables.styled_table(big, key=("全街道", None), **kw)  # long: plain, as its Arrow table
    assert isinstance(long, pa.Table) and long.to_pandas().equals(big)
    assert styled_tables.styled_table(big, key=("全街道", None), **kw) is long  # converted once
    monkeypatch.setattr(styled_tables.chart_cache.data_version, "source_token", lambda: "db|2")  # a write
    assert styled_tables.styled_table(df, key=("中兴", None), **kw) is not a
    assert styled_tables.styled_table(big, key=("全街道", None), **kw) is not long


def _plain_and_arrow():
    import pandas as pd
    import streamlit as st

    from ui import arrow_bytes

    df = pd.DataFrame({"编号": ["WH-001", "WH-002"], "面积": [80.5, None], "日期": ["2023年11月1日", "—"]})
    st.dataframe(df, hide_index=True)
    st.dataframe(arrow_bytes.table(df), hide_index=True)


def test_an_arrow_table_is_the_element_its_frame_gives():
    at = AppTest.from_function(_plain_and_arrow, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    plain, arrow = at.dataframe
    assert arrow.proto.arrow_data.data == plain.proto.arrow_data.data and arrow.proto.columns == plain.proto.columns
    assert arrow.value["编号"].tolist() == ["WH-001", "WH-002"]


def test_model_communities_page_table_keeps_its_highlight(app_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["community"] = "中兴"
    at.run()
    at.switch_page("pages/model_communities.py").run()
    assert_clean(at, "model_communities")
    first = [_styles(el) for el in at.dataframe if el.proto.arrow_data.styler.styles]
    assert first and "rgba(232,70,58,0.28)" in first[0][1]
    at.run()
    assert [_styles(el) for el in at.dataframe if el.proto.arrow_data.styler.styles] == first
    at.session_state["community"] = "西华"
    at.run()
    now = [_styles(el) for el in at.dataframe if el.proto.arrow_data.styler.styles]
    assert now != first and "rgba(232,70,58,0.28)" in now[0][1]
