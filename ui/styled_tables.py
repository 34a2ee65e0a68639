"""Styled tables (charts.styled_table) kept per content, rendered to Streamlit's styles once.

Streamlit turns a pandas Styler into per-cell CSS and display text on every run (`marshall_styler`: the
Styler's _compute/_translate and a second Arrow table), ~10 ms for an 11-row table, most of a table page's
server time. `styled_table(df, …)` keeps the Styler per (content, colours, highlight), with its rendered styles;
`st.dataframe` then copies the kept rendering instead of redoing it, and sends the frame's Arrow bytes kept with
it instead of converting its data again (~0.3 ms a run for an 11-row table): the hooks below. The kept Styler
is only read, so sessions share it safely. A frame of more than
charts.STYLED_MAX_ROWS rows comes back plain, as from charts.styled_table.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

import pandas as pd
import streamlit.elements.arrow as _arrow
from streamlit import dataframe_util
from streamlit.proto.ArrowData_pb2 import ArrowData

from ui import chart_cache, charts

MAX_ENTRIES = 256
_KEPT = "_guangwu_rendered"  # the Styler attribute that holds its rendered ArrowData
_kept: OrderedDict[tuple, object] = OrderedDict()
_data: dict[int, tuple[pd.DataFrame, bytes]] = {}  # id(a kept Styler's frame) -> (the frame, its Arrow bytes)
_lock = threading.Lock()
_marshall = _arrow.marshall_styler
_to_bytes = dataframe_util.convert_pandas_df_to_arrow_bytes


def _kept_or_marshall(proto: ArrowData, styler, default_uuid: str) -> None:
    rendered = getattr(styler, _KEPT, None)
    if rendered is None:
        _marshall(proto, styler, default_uuid)
    else:
        proto.MergeFrom(rendered)


def _kept_or_convert(df, **kwargs) -> bytes:
    hit = _data.get(id(df))
    if hit is not None and hit[0] is df and not kwargs:
        return hit[1]
    return _to_bytes(df, **kwargs)


_arrow.marshall_styler = _kept_or_marshall  # st.dataframe's Styler step (streamlit/elements/arrow.py, 1.67)
dataframe_util.convert_pandas_df_to_arrow_bytes = _kept_or_convert  # and its data step (a Styler's .data)


def styled_table(df: pd.DataFrame, *, key: tuple | None = None, **kwargs):
    """charts.styled_table(df, **kwargs), kept and already rendered when the same content was shown before.
    `key`: what `df` was read for (e.g. the scope), when it and the data version decide its content: its values
    are then not read (chart_cache.key_of)."""
    key = chart_cache.key_of(charts.styled_table, (df,), kwargs, 0, key)
    with _lock:
        hit = _kept.get(key)
        if hit is not None:
            _kept.move_to_end(key)
            return hit
    made = charts.styled_table(df, **kwargs)
    if isinstance(made, pd.DataFrame):
        return made
    made.set_uuid("t" + key[-1][:10])  # a fixed id for its CSS, the same for every session
    rendered = ArrowData()
    _marshall(rendered, made, made.uuid)
    setattr(made, _KEPT, rendered)
    data = _to_bytes(made.data)
    with _lock:
        _kept[key] = made
        _data[id(made.data)] = (made.data, data)
        while len(_kept) > MAX_ENTRIES:
            _data.pop(id(_kept.popitem(last=False)[1].data), None)
    return made


def clear() -> None:
    with _lock:
        _kept.clear()
        _data.clear()
