"""One process at a time migrates and seeds a database (lib.seed.prepare / lib.seed.seed).

Replicas on several hosts may run `deploy.local migrate` (guangwu-migrate.service) at the same moment: without
a lock the second one's migration or seed collides with the first's half-done work and the unit fails (or
seeds twice). PostgreSQL: a session advisory lock on a connection of its own; SQLite: an exclusive `flock`
on a file beside the database. Waits at most WAIT_SECONDS for the other process, then raises
DatabaseUnavailable.
"""
from __future__ import annotations

import contextlib
import fcntl
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, text

from lib.errors import DatabaseUnavailable

KEY = 0x6775_616E_6777_75  # "guangwu": this application's advisory lock id
WAIT_SECONDS = 600.0  # a long migration on a large database may take minutes
POLL_SECONDS = 0.2


def _busy() -> DatabaseUnavailable:
    return DatabaseUnavailable(f"另一个进程正在迁移或载入数据库，等待 {WAIT_SECONDS:.0f} 秒仍未结束；请稍后重试。")


@contextlib.contextmanager
def _postgres(engine: Engine) -> Iterator[None]:
    with engine.connect() as conn:
        deadline = time.monotonic() + WAIT_SECONDS
        while not conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": KEY}):
            conn.rollback()
            if time.monotonic() > deadline:
                raise _busy()
            time.sleep(POLL_SECONDS)
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": KEY})
            conn.commit()


@contextlib.contextmanager
def _sqlite(path: str | None) -> Iterator[None]:
    if not path or path == ":memory:":
        yield  # one connection's private database: nobody else can reach it
        return
    try:
        fh = Path(f"{path}.setup-lock").open("a")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise DatabaseUnavailable(f"无法在数据库目录创建锁文件 {path}.setup-lock（{exc.strerror}）。") from exc
    with fh:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise _busy() from None
                time.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def exclusive(engine: Engine) -> contextlib.AbstractContextManager[None]:
    """Hold the database's setup lock for the block (not re-entrant: seed() and prepare() each take it once)."""
    return _postgres(engine) if engine.dialect.name == "postgresql" else _sqlite(engine.url.database)
