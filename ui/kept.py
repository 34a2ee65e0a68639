"""Kept query results: one object per (query, arguments, data version), shared by every session of the process.

st.cache_data unpickles a fresh copy of a result on every read (a DataFrame a few times per run on the dashboard
pages); st.cache_resource hands out the kept object itself. A reader may still edit what it gets, so a read hands
out a cheap view that cannot reach the kept one:

- DataFrame / Series: a shallow copy. pandas ≥ 3 always copies on write, so `df["x"] = …`, `df.loc[…] = …` or
  an in-place sort on the copy copies its data first and the kept frame stays as it was; the kept frame's arrays
  come out read-only (`df.to_numpy()` raises on a write), so a stray write through numpy fails loudly.
- list / tuple / dict / set: a new container of handed-out items.
- str, numbers, dates, bytes, None, frozen dataclasses (Figure, Header …), and objects whose class says
  `kept_as_is = True` (geo.deck_json.SerializedDeck: its JSON text): immutable, as they are.
- anything else: a deep copy (rare; no current query returns one).

Keys carry the data version qualified by its database (lib.data_version.source_token), so a write on any replica,
or a switch of database in one process (tests, bench), reads afresh, and today's date (China time), so what counts
days up to today (alerts, countdowns, a pack's 生成时间) is not kept past midnight; a new version empties the stores
(bridge: data_version.on_change(clear_all)), and bridge.clear_caches() empties them after a write.

Calls with plain arguments (every query's filters, a Scope) are kept in this module's own store under one key
text: a read is a dict lookup (~9 µs with the key's making). st.cache_resource, which holds the rest, hashes its
key through Streamlit's hasher on every read (~70–240 µs; a dashboard rerun makes 3–15 reads).
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import decimal
import inspect
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from lib import clock, data_version
from lib.scope import Scope

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


_TEXT_KEYED = (str, int, float, bool, type(None), dt.date, dt.time, dt.timedelta, decimal.Decimal,
               Scope)  # (a frozen dataclass of a name and a date: its repr names both exactly)


def _text_keyed(value: Any) -> bool:
    """A value whose repr names its type and value exactly (a tuple of them too)."""
    return isinstance(value, _TEXT_KEYED) or (type(value) is tuple and all(map(_text_keyed, value)))


class Store:
    """Values by key text, shared by every session of the process: at most `max_entries` (the least recently
    read go first), each for `ttl` seconds. A missing value is computed once: concurrent readers of one key wait
    for the first (a new data version on a busy replica does not run the same query once per session)."""

    def __init__(self, *, ttl: float, max_entries: int) -> None:
        self.ttl, self.max_entries = ttl, max_entries
        self._items: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._computing: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        _stores.add(self)

    def _fresh(self, key: str) -> tuple[bool, Any]:
        hit = self._items.get(key)  # (under self._lock)
        if hit is None or time.monotonic() - hit[0] >= self.ttl:
            return False, None
        self._items.move_to_end(key)
        return True, hit[1]

    def get(self, key: str, compute: Callable[[], Any]) -> Any:
        with self._lock:
            found, value = self._fresh(key)
            if found:
                return value
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:
            with self._lock:
                found, value = self._fresh(key)  # computed by another reader while this one waited
            if found:
                return value
            try:
                value = compute()
            except BaseException:
                with self._lock:
                    self._computing.pop(key, None)
                raise
            with self._lock:  # kept and no longer computing in one step: a later reader finds the value
                self._items[key] = (time.monotonic(), value)
                self._items.move_to_end(key)
                while len(self._items) > self.max_entries:
                    self._items.popitem(last=False)
                self._computing.pop(key, None)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


_stores: weakref.WeakSet[Store] = weakref.WeakSet()


def clear_all() -> None:
    """Empty every kept store (the plain-argument ones; st.cache_resource.clear() empties the others)."""
    for store in list(_stores):
        store.clear()


def kept(fn: Callable, *, ttl: float, max_entries: int = 2048) -> Callable:
    """`fn` with its results kept per argument set and data version (see the module doc).

    Plain arguments (text, numbers, dates, None, a Scope, tuples of them: every query's filters) are bound to
    their names through fn's signature (so positional and keyword use share an entry) and, with the data
    version, make one key text in this module's Store. Other arguments (frames) go to st.cache_resource,
    which hashes them by content."""
    store = st.cache_resource(ttl=ttl, show_spinner=False, max_entries=max_entries)(data_version.keyed(fn))
    text_store = Store(ttl=ttl, max_entries=max_entries)
    signature = inspect.signature(fn)

    def call(*args, **kwargs):
        token = (data_version.source_token(), clock.today())  # results that count days up to today end at midnight
        if all(map(_text_keyed, args)) and all(map(_text_keyed, kwargs.values())):
            try:
                named = sorted(signature.bind(*args, **kwargs).arguments.items())
            except TypeError:  # a wrong call: fn raises its own error below
                pass
            else:
                return hand_out(text_store.get(repr((token, named)), lambda: fn(*args, **kwargs)))
        return hand_out(store(token, *args, **kwargs))

    call.__doc__, call.__name__, call.__qualname__ = fn.__doc__, fn.__name__, fn.__qualname__
    call.__module__ = fn.__module__
    call.clear = lambda: (store.clear(), text_store.clear())  # type: ignore[attr-defined]
    call.store = text_store  # type: ignore[attr-defined]
    return call
