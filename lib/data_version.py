"""The data version: a cheap number that changes whenever the shared database's data changes.

Every write is append-only and audited, and the seed only inserts, so the newest id of each data table
(an index lookup each, one round trip in all) changes with every write — on whichever replica it was
made. Readers key their caches on it (`versioned`), so a write on replica A shows on replica B on B's next
run, and caches can live long. Re-read at most every POLL_SECONDS per process (shared by its sessions).
Account and sign-in-session tables are left out (a password change is not dashboard data); a login
still adds an audit row, which counts: logins are rare beside page views.
"""
from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, func, select

from lib.db import get_engine
from lib.errors import DashboardError
from lib.models import Base

POLL_SECONDS = 0.5
READ_TIMEOUT = 1.0
NOT_DATA = {"app_user", "alembic_version"}

_lock = threading.Lock()
_state: dict[str, Any] = {"at": float("-inf"), "version": None, "url": None, "reading": False}
_listeners: list[Callable[[], None]] = []


def _tables():
    return [t for name, t in sorted(Base.metadata.tables.items())
            if name not in NOT_DATA and "session" not in name and "id" in t.c]


@functools.cache
def _statement():
    """One statement for every table, built once: SQLAlchemy's compiled cache then finds it by identity."""
    return select(*[select(func.coalesce(func.max(t.c.id), 0)).scalar_subquery() for t in _tables()])


def read(engine: Engine | None = None) -> tuple[int, ...]:
    """max(id) of every data table, in one statement."""
    engine = engine or get_engine()
    with engine.connect() as conn:
        return tuple(conn.execute(_statement()).one())


def current() -> tuple[int, ...] | None:
    """The data version, re-read when older than POLL_SECONDS (one reader at a time per process; the others
    use the last value). The read runs in a helper thread and is waited for at most READ_TIMEOUT: a hung
    database leaves the last known version, and the page's own database check reports the fault."""
    try:
        engine = get_engine()
    except DashboardError:  # no usable database: nothing to key on; the page's database check says why
        return None
    url = str(engine.url)
    with _lock:
        fresh = _state["url"] == url and time.monotonic() - _state["at"] < POLL_SECONDS
        if fresh or _state["reading"]:
            return _state["version"] if _state["url"] == url else None
        _state["reading"] = True
    worker = threading.Thread(target=_read_into_state, args=(engine, url), name="data-version", daemon=True)
    worker.start()
    worker.join(READ_TIMEOUT)
    return _state["version"] if _state["url"] == url else None


def _read_into_state(engine: Engine, url: str) -> None:
    changed = False
    started = time.monotonic()  # fresh for POLL_SECONDS from when the read began, not when it returned
    try:
        version = read(engine)
        with _lock:
            changed = _state["url"] == url and version != _state["version"]
            _state.update(version=version, url=url, at=started)
    except Exception:  # noqa: BLE001, S110 - keep the last known version
        pass
    finally:
        _state["reading"] = False
    if changed:
        for listener in list(_listeners):
            listener()


def forget() -> None:
    """The database behind the URL was replaced (a test's fresh copy, a restore): read the version again on
    the next call, and empty what listeners keep (it may have been kept under a version the new one repeats)."""
    with _lock:
        _state.update(at=float("-inf"), version=None, url=None)
    for listener in list(_listeners):
        listener()


def on_change(listener: Callable[[], None]) -> None:
    """Call `listener` (e.g. emptying other caches) when this process sees a new version."""
    if listener not in _listeners:
        _listeners.append(listener)


def keyed(fn: Callable) -> Callable:
    """`fn` with a leading data-version argument (for a cache keyed on it); keeps fn's module and name
    so a cache that keys functions by them tells the wrapped functions apart."""
    def with_version(version, *args, **kwargs):  # noqa: ARG001 - part of the cache key only
        return fn(*args, **kwargs)
    with_version.__module__, with_version.__qualname__, with_version.__name__ = fn.__module__, fn.__qualname__, fn.__name__
    with_version.__doc__ = fn.__doc__
    return with_version


_joined: dict[str, tuple] = {"pair": (None, None)}  # (version, its text): joined once per version, not per read


def token() -> str | None:
    """The current version as one short string: a cache key hashes it in one step, where a tuple of
    a few dozen ints costs the cache a hashing call per int on every cached read."""
    version = current()
    if version is None:
        return None
    seen, text = _joined["pair"]  # one read of the pair: another thread may replace it meanwhile
    if seen is not version:
        text = ",".join(map(str, version))
        _joined["pair"] = (version, text)
    return text


def source_token() -> str | None:
    """The version qualified by the database it was read from: a key for caches that outlive a switch of
    database in one process (tests, bench) and are not emptied by `st.cache_data.clear()`."""
    version = token()
    return None if version is None else f"{_state['url']}|{version}"


def versioned(store: Callable) -> Callable:
    """Call `store` (a cache over `keyed(fn)`) with the current data version first."""
    def call(*args, **kwargs):
        return store(token(), *args, **kwargs)
    call.__doc__ = store.__doc__
    call.clear = getattr(store, "clear", None)
    return call
