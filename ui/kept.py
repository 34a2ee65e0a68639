"""Kept query results: one object per (query, arguments, data version), shared by every session of the process.

st.cache_data unpickles a fresh copy of a result on every read (a DataFrame a few times per run on the dashboard
pages); st.cache_resource hands out the kept object itself. A reader may still edit what it gets, so a read hands
out a cheap view that cannot reach the kept one:

- DataFrame / Series: a shallow copy. pandas ≥ 3 always copies on write, so `df["x"] = …`, `df.loc[…] = …` or
  an in-place sort on the copy copies its data first and the kept frame stays as it was; the kept frame's arrays
  come out read-only (`df.to_numpy()` raises on a write), so a stray write through numpy fails loudly.
- list / tuple / dict / set: a new container of handed-out items.
- str, numbers, dates, bytes, None, frozen dataclasses (Figure, Header …), and objects whose class says
  `kept_as_is = True` (geo.deck.SerializedDeck: its JSON text): immutable, as they are.
- anything else: a deep copy (rare; no current query returns one).

Keys carry the data version qualified by its database (lib.data_version.source_token), so a write on any replica,
or a switch of database in one process (tests, bench), reads afresh; a new version empties the store
(bridge: data_version.on_change(st.cache_resource.clear)), and bridge.clear_caches() empties it after a write.
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import decimal
import inspect
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from lib import data_version

_IMMUTABLE = (str, bytes, int, float, complex, bool, type(None), dt.date, dt.time, dt.timedelta, decimal.Decimal,
              frozenset, range)


def hand_out(value: Any) -> Any:
    """A reader's view of a kept value: edits to it never reach the kept value (see the module doc)."""
    if isinstance(value, _IMMUTABLE):
        return value
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy(deep=False)
    if isinstance(value, list):
        return [hand_out(v) for v in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(hand_out(v) for v in value)
    if isinstance(value, dict):
        return {k: hand_out(v) for k, v in value.items()}
    if isinstance(value, set):
        return set(value)
    if dataclasses.is_dataclass(value) and value.__dataclass_params__.frozen:  # type: ignore[union-attr]
        return value
    if getattr(type(value), "kept_as_is", False):
        return value
    if isinstance(value, tuple):  # named tuple of immutable fields
        return value
    return copy.deepcopy(value)


_TEXT_KEYED = (str, int, float, bool, type(None), dt.date, dt.time, dt.timedelta, decimal.Decimal)


def _text_keyed(value: Any) -> bool:
    """A value whose repr names its type and value exactly (a tuple of them too)."""
    return isinstance(value, _TEXT_KEYED) or (type(value) is tuple and all(map(_text_keyed, value)))


def kept(fn: Callable, *, ttl: float, max_entries: int = 2048) -> Callable:
    """`fn` with its results kept per argument set and data version (see the module doc).

    Plain arguments (text, numbers, dates, None, tuples of them: every query's filters) reach the cache with
    the data version as one key text, bound to their names through fn's signature (so positional and keyword
    use share an entry): Streamlit's hasher otherwise makes calls per argument name and value, and an
    inspect.signature per positional argument, ~0.1 ms a read. Other arguments are hashed by content."""
    store = st.cache_resource(ttl=ttl, show_spinner=False, max_entries=max_entries)(data_version.keyed(fn))
    signature = inspect.signature(fn)

    def by_text(key, _args, _kwargs):  # noqa: ARG001 - key is the cache key only; "_" names are not hashed
        return fn(*_args, **_kwargs)

    by_text.__module__, by_text.__qualname__ = fn.__module__, fn.__qualname__ + ".by_text"
    text_store = st.cache_resource(ttl=ttl, show_spinner=False, max_entries=max_entries)(by_text)

    def call(*args, **kwargs):
        token = data_version.source_token()
        if all(map(_text_keyed, args)) and all(map(_text_keyed, kwargs.values())):
            try:
                named = sorted(signature.bind(*args, **kwargs).arguments.items())
            except TypeError:  # a wrong call: fn raises its own error below
                pass
            else:
                return hand_out(text_store(key=repr((token, named)), _args=args, _kwargs=kwargs))
        return hand_out(store(token, *args, **kwargs))

    call.__doc__, call.__name__, call.__qualname__ = fn.__doc__, fn.__name__, fn.__qualname__
    call.__module__ = fn.__module__
    call.clear = lambda: (store.clear(), text_store.clear())  # type: ignore[attr-defined]
    return call
