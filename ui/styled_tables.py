"""Styled tables (charts.styled_table) kept per content, rendered to Streamlit's styles once.

Streamlit turns a pandas Styler into per-cell CSS and display text on every run (`marshall_styler`: the
Styler's _compute/_translate and a second Arrow table), ~10 ms for an 11-row table, most of a table page's
server time. `styled_table(df, …)` keeps the Styler per (content, colours, highlight), with its rendered styles;
`st.dataframe` then copies the kept rendering instead of redoing it (the hook below) and sends the frame's Arrow
bytes made when it was kept (ui/arrow_bytes.py). The kept Styler is only read, so sessions share it safely. A frame
of more than charts.STYLED_MAX_ROWS rows comes back plain, as from charts.styled_table; with a `key` (the scope
stands for its content), as its Arrow table, converted once (st.dataframe then only serialises it).
"""
from __future__ import annotations

import threading
from collections import OrderedDict

import pandas as pd
import streamlit.elements.arrow as _arrow
from streamlit.proto.ArrowData_pb2 import ArrowData

from ui import arrow_bytes, chart_cache, charts

MAX_ENTRIES = 256
_KEPT = "_guangwu_rendered"  # the Styler attribute that holds its rendered ArrowData
_kept: OrderedDict[tuple, object] = OrderedDict()
_lock = threading.Lock()
_marshall = _arrow.marshall_styler


def _kept_or_marshall(proto: ArrowData, styler, default_uuid: str) -> None:
    rendered = getattr(styler, _KEPT, None)
    if rendered is None:
        _marshall(proto, styler, default_uuid)
    else:
        proto.MergeFrom(rendered)


_arrow.marshall_styler = _kept_or_marshall  # st.dataframe's Styler step (streamlit/elements/arrow.py, 1.67)


def styled_table(df: pd.DataFrame, *, key: tuple | None = None, **kwargs):
    """charts.styled_table(df, **kwargs), kept and already rendered when the same content was shown before.
    `key` (e.g. the scope): as in chart_cache.draw, only when it and the data version decide `df` (its values
    are then not read); a long (plain) table is then kept as its Arrow table."""
    keyed = key is not None
    key = chart_cache.key_of(charts.styled_table, (df,), kwargs, 0, key)
    with _lock:
        hit = _kept.get(key)
        if hit is not None:
            _kept.move_to_end(key)
            return hit
    made = charts.styled_table(df, **kwargs)
    if isinstance(made, pd.DataFrame) and not keyed:
        return made
    if isinstance(made, pd.DataFrame):
        made = arrow_bytes.table(made)
    else:
        made.set_uuid("t" + key[-1][:10])  # a fixed id for its CSS, the same for every session
        rendered = ArrowData()
        _marshall(rendered, made, made.uuid)
        setattr(made, _KEPT, rendered)
        arrow_bytes.keep(made.data)  # a rerun sends these bytes instead of converting the frame again
    with _lock:
        _kept[key] = made
        while len(_kept) > MAX_ENTRIES:
            arrow_bytes.forget(getattr(_kept.popitem(last=False)[1], "data", None))
    return made


def clear() -> None:
    with _lock:
        for made in _kept.values():
            arrow_bytes.forget(getattr(made, "data", None))
        _kept.clear()
