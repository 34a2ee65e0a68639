"""Readiness: can this process read the database, within a timeout?

`/readyz` (mounted by serve.py) answers 200 {"status": "ready", ...} when a read of `community` returns
in time and the schema is not behind this code's migrations (lib.db.schema_revision), 503 otherwise —
nginx and systemd/monitoring take the replica out of rotation on non-200.
Liveness stays Streamlit's own `/_stcore/health` (the process answers at all).

The check runs in its own daemon thread: a database that accepts connections and never answers cannot
hold the probe past the timeout, and while one check is still stuck no second one piles up behind it.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlalchemy import Engine, text

from lib.config import settings
from lib.db import get_engine, schema_revision

_guard = threading.Lock()
_flight: dict = {"engine": None, "worker": None, "outcome": None}  # the check running (or last run), its answer


@dataclass(frozen=True)
class Readiness:
    ready: bool
    detail: str
    ms: float

    def as_json(self) -> dict:
        return {"status": "ready" if self.ready else "not ready", "database": self.detail, "ms": round(self.ms, 1)}


def _read(engine: Engine) -> str:
    """"ok", or why this code cannot serve the database (its schema is behind: lib.db.schema_revision)."""
    with engine.connect() as conn:
        conn.execute(text("SELECT id FROM community LIMIT 1")).all()
        revision = schema_revision(conn)
    return revision.behind or (f"ok（{revision.ahead}）" if revision.ahead else "ok")


def _run(engine: Engine | None, outcome: list[str]) -> None:
    try:
        outcome.append(_read(engine or get_engine()))
    except Exception as exc:  # noqa: BLE001 - any failure to read means not ready
        outcome.append(f"无法读取：{exc.__class__.__name__}")


def check(engine: Engine | None = None, timeout: float | None = None) -> Readiness:
    """Read one row through the app's engine; not ready on any error or after `timeout` seconds. One check at a
    time per database: a caller arriving while one runs (/readyz and the /metrics scrape together) waits for that
    one's answer instead of starting another — or being told "not ready" because another was running."""
    timeout = settings().readiness_timeout_seconds if timeout is None else timeout
    started = time.monotonic()
    with _guard:
        worker, outcome = _flight["worker"], _flight["outcome"]
        joined = worker is not None and worker.is_alive() and _flight["engine"] is engine
        if not joined:
            outcome = []
            worker = threading.Thread(target=_run, args=(engine, outcome), name="readiness-check", daemon=True)
            _flight.update(engine=engine, worker=worker, outcome=outcome)
            worker.start()
    worker.join(timeout)
    ms = (time.monotonic() - started) * 1000
    if not outcome:
        return Readiness(False, "上一次检查仍未返回" if joined else f"超时（{timeout:g} 秒内无响应）", ms)
    return Readiness(outcome[0].startswith("ok"), outcome[0], ms)


def idle() -> bool:
    """No check is running (tests wait for a stuck one to end)."""
    worker = _flight["worker"]
    return worker is None or not worker.is_alive()


async def readyz(_request):
    """Starlette handler for GET /readyz."""
    from anyio import to_thread
    from starlette.responses import JSONResponse

    result = await to_thread.run_sync(check)
    return JSONResponse(result.as_json(), status_code=200 if result.ready else 503,
                        headers={"Cache-Control": "no-store"})
