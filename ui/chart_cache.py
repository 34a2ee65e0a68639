"""Every page chart drawn through one helper that keeps the finished Vega-Lite spec per input.

Building an Altair chart (its layers deep-copy each other) and turning it into a spec (`to_dict`) was most of
a chart page's server time, on every rerun, although the same inputs give the same spec. `draw(builder, …)`
keys the finished spec (and its data as an Arrow table) on the builder and a digest of its arguments (frames
by their content), keeps it in this process, and hands it to `st.vega_lite_chart`: a rerun with the same
inputs builds nothing, and sends the same element (the browser keeps the drawn chart). A chart whose data
is one top-level frame is sent as a fixed spec beside its data (see `charts.show`), so a new selection
changes its data only. Styling (`charts.style`: fonts, sizes, transparent background) is applied before
the spec is kept, as `charts.show` does.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd
import pyarrow as pa
import streamlit as st

from lib import data_version
from ui import arrow_bytes, charts

MAX_ENTRIES = 256
_specs: OrderedDict[tuple, tuple[Any, dict]] = OrderedDict()
_lock = threading.Lock()


def _values(h, values) -> None:
    h.update("\x1f".join(map(repr, values)).encode())
    h.update(b"\x1e")


def _digest(value: Any, h, *, frames: bool = True) -> None:
    """Feed `value` to the hash `h`. Frames by the repr of every value (deterministic, and ~10x faster than
    pandas' hash_pandas_object on Arrow-backed string columns; pickles differ between equal frames); with
    `frames=False` a frame or series adds only its shape (the caller's `key` stands for its content)."""
    if not frames and isinstance(value, (pd.DataFrame, pd.Series)):
        h.update(repr(("frame", value.shape)).encode())
    elif isinstance(value, pd.DataFrame):
        h.update(repr((value.shape, list(value.columns), [str(t) for t in value.dtypes])).encode())
        for i in range(value.shape[1]):
            _values(h, value.iloc[:, i].tolist())
        _values(h, value.index.tolist())
    elif isinstance(value, pd.Series):
        h.update(repr((value.name, str(value.dtype))).encode())
        _values(h, value.tolist())
        _values(h, value.index.tolist())
    elif isinstance(value, dict):
        h.update(b"{")
        for k in sorted(value, key=repr):
            h.update(repr(k).encode())
            _digest(value[k], h, frames=frames)
        h.update(b"}")
    elif isinstance(value, (list, tuple)):
        h.update(b"[")
        for v in value:
            _digest(v, h, frames=frames)
        h.update(b"]")
    else:
        h.update(repr(value).encode())


def key_of(builder: Callable, args: tuple, kwargs: dict, height: int, key: tuple | None = None) -> tuple:
    """The cache key: the builder, the height and a digest of every argument (frames by content). With `key`
    (what the frames were read for, e.g. the scope), frames are not read: the key and the data version
    (lib.data_version, qualified by its database) stand for their content, and the other arguments are
    digested as usual. Reading a frame's every value was a tenth of the 五星 page's rerun."""
    h = hashlib.blake2b(digest_size=20)
    frames = key is None
    _digest(list(args), h, frames=frames)
    _digest(kwargs, h, frames=frames)
    if key is not None:
        _digest([key, data_version.source_token()], h)
    return (builder.__module__, builder.__qualname__, height, frames, h.hexdigest())


def _arrow(df: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """The frame as an (immutable) Arrow table, converted once; as Streamlit converts it (index as metadata)."""
    try:
        return pa.Table.from_pandas(df)
    except (pa.ArrowException, TypeError, ValueError):  # mixed-type columns: let Streamlit convert it
        return df


def build(chart: alt.TopLevelMixin, *, height: int) -> tuple[Any, dict]:
    """(data, spec) for `st.vega_lite_chart(data, spec)`: a one-frame chart as a fixed spec beside its
    data; any other chart as Streamlit's own conversion of it (its datasets as Arrow bytes in the spec)."""
    styled = charts.style(chart, height=height)
    data = styled.data
    subcharts = getattr(styled, "layer", None) or []
    if isinstance(data, pd.DataFrame) and all(c.data is alt.Undefined for c in subcharts):
        spec = styled.copy(deep=False)
        spec.data = alt.Undefined
        return _arrow(data), charts.bare_spec(spec.to_dict(validate=False))
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec  # what st.altair_chart does

    return None, _convert_altair_to_vega_lite_spec(charts.unvalidated(styled))


def spec_for(builder: Callable, *args, height: int = 320, key: tuple | None = None, **kwargs) -> tuple[Any, dict]:
    """The kept (data, spec) for `builder(*args, **kwargs)` at `height`, built on first use (`key`: see key_of)."""
    key = key_of(builder, args, kwargs, height, key)
    with _lock:
        hit = _specs.get(key)
        if hit is not None:
            _specs.move_to_end(key)
            return hit
    made = build(builder(*args, **kwargs), height=height)
    if made[0] is not None:
        arrow_bytes.keep(made[0])  # a rerun sends these bytes instead of serialising the same table again
    with _lock:
        replaced = _specs.get(key)
        _specs[key] = made
        if replaced is not None:  # built twice at once by two sessions
            arrow_bytes.forget(replaced[0])
        while len(_specs) > MAX_ENTRIES:
            arrow_bytes.forget(_specs.popitem(last=False)[1][0])
    return made


def draw(builder: Callable, *args, height: int = 320, key: tuple | None = None, **kwargs) -> None:
    """Draw `builder(*args, **kwargs)` (a ui.charts builder) at `height`, from the kept spec when the inputs
    are unchanged. Pages call this instead of `charts.show(builder(...))`. Pass `key` (e.g. `(community,
    as_of)`) only when it and the data version decide every frame argument: the frames are then not read."""
    data, spec = spec_for(builder, *args, height=height, key=key, **kwargs)
    st.vega_lite_chart(data, spec, width="stretch")  # Streamlit copies the spec before changing it


def clear() -> None:
    with _lock:
        for data, _spec in _specs.values():
            arrow_bytes.forget(data)
        _specs.clear()
