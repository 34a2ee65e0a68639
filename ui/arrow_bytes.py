"""Arrow bytes kept beside kept tables, so Streamlit does not serialise the same immutable table on every run.

`st.vega_lite_chart(data, …)` and `st.dataframe(…)` turn their data into Arrow IPC bytes on every call
(streamlit.dataframe_util). A kept chart's data (ui/chart_cache.py: an immutable pyarrow Table) or a kept Styler's
frame (ui/styled_tables.py) is the same object on every run, so its bytes are made once, when it is kept
(`keep`), and handed back by identity from the hooks below; any other object is converted as before.
An entry holds its object, so an id is never reused while the entry lives; owners `forget` what they evict.
A table made by `table()` (the kept page views' tables) gets its bytes at its first drawing and keeps them for
as long as the table lives (a weak reference: no owner has to forget it).
"""
from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING

import pandas as pd
from streamlit import dataframe_util

if TYPE_CHECKING:
    import pyarrow as pa

_bytes: dict[int, tuple[object, bytes]] = {}
_lock = threading.Lock()
_tables: dict[int, list] = {}  # id -> [weak reference to a table made by table(), its bytes once drawn]
_anything = dataframe_util.convert_anything_to_arrow_bytes
_pandas = dataframe_util.convert_pandas_df_to_arrow_bytes
_arrow = dataframe_util.convert_arrow_table_to_arrow_bytes


def table(df) -> "pa.Table":
    """`df` as the Arrow table st.dataframe makes of it (Streamlit's own conversion and fixes): immutable, so a
    kept view hands it out without a copy, and st.dataframe serialises it once (a frame is converted per run)."""
    made = dataframe_util.convert_pandas_df_to_arrow_table(df)
    key = id(made)

    def gone(ref: weakref.ref, key: int = key) -> None:
        with _lock:
            if _tables.get(key, [None])[0] is ref:
                del _tables[key]

    with _lock:
        _tables[key] = [weakref.ref(made, gone), None]
    return made


def keep(obj: object) -> bytes:
    """Make `obj`'s Arrow bytes once and hand them back whenever Streamlit converts this same object."""
    data = _pandas(obj) if isinstance(obj, pd.DataFrame) else _anything(obj)  # as st.dataframe / charts do
    with _lock:
        _bytes[id(obj)] = (obj, data)
    return data


def forget(obj: object) -> None:
    if obj is None:
        return
    with _lock:
        hit = _bytes.get(id(obj))
        if hit is not None and hit[0] is obj:
            del _bytes[id(obj)]


def clear() -> None:
    with _lock:
        _bytes.clear()
        _tables.clear()


def _kept(obj: object) -> bytes | None:
    hit = _bytes.get(id(obj))
    return hit[1] if hit is not None and hit[0] is obj else None


def _convert_anything(data, *args, **kwargs) -> bytes:
    kept = None if args or kwargs else _kept(data)
    return kept if kept is not None else _anything(data, *args, **kwargs)


def _convert_pandas(df, *args, **kwargs) -> bytes:
    kept = None if args or kwargs else _kept(df)
    return kept if kept is not None else _pandas(df, *args, **kwargs)


def _convert_arrow(data, *args, **kwargs) -> bytes:
    entry = None if args or kwargs else _tables.get(id(data))
    if entry is None or entry[0]() is not data:
        kept = None if args or kwargs else _kept(data)
        return kept if kept is not None else _arrow(data, *args, **kwargs)
    if entry[1] is None:
        entry[1] = _arrow(data)  # two runs at once may both make it: the same bytes
    return entry[1]


# Looked up on the module at call time by streamlit/elements/vega_charts.py and arrow.py (1.67).
dataframe_util.convert_anything_to_arrow_bytes = _convert_anything
dataframe_util.convert_pandas_df_to_arrow_bytes = _convert_pandas
dataframe_util.convert_arrow_table_to_arrow_bytes = _convert_arrow
