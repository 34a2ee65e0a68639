"""This replica's metrics for the monitoring host, in Prometheus' text format at GET /metrics (serve.py).

What an operator watches, per replica (Prometheus scrapes each replica's own port, not nginx):
- `guangwu_sessions{state}`: browser sessions held by this process (`active`: connected now, `all`: including
  those kept for a reconnect) — compare with the capacity `make bench` measured (README, 性能);
- `guangwu_page_runs_total{page,outcome}` and `guangwu_page_run_seconds{page}`: every page run and how long it
  took, its wait for a turn included (ui/admission.py), by page (`outcome`: ok, database — the page showed the
  Chinese database message —, error);
- `guangwu_panel_failures_total{kind}`: panels that showed a Chinese message instead of their content
  (`domain`: a refused or invalid request, `database`, `internal`: a bug, logged with its traceback);
- `guangwu_admission_timeouts_total`: page runs that waited their full turn (ui/admission.py) and ran anyway —
  rising means the replica is over capacity or one long run holds it;
- `guangwu_reconnect_redraws_total`: pages drawn again for browsers that came from another process (a replica
  lost, a restart: ui/reconnect.py) — a jump on the survivors marks a failover;
- `guangwu_db_pool_connections{state}`: the engine's pool (`checked_out`, `idle`, `overflow`), and
  `guangwu_db_pool_limit`: the most it opens (DB_POOL_SIZE + DB_MAX_OVERFLOW, lib/db_budget.py);
- `process_*`: resident memory, CPU seconds, open files (prometheus_client's process collector).

Labels hold page paths and fixed words only: no names, communities or user text. The route answers only peers
in METRICS_ALLOW (loopback by default); nginx does not pass /metrics at all (deploy/nginx_conf.py).
"""
from __future__ import annotations

import ipaddress
from pathlib import Path, PurePath

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, ProcessCollector
from prometheus_client import disable_created_metrics, generate_latest
from prometheus_client.core import GaugeMetricFamily
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from lib import backup, db_budget, health
from lib.config import settings
from ui import peer

disable_created_metrics()  # no `_created` series beside each counter (process-wide; nothing else here uses them)
REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)
# seconds: a desk page runs in ~10 ms unloaded; the capacity limit is a rerun p95 of 1 s (make bench, figure 7)
RUN_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
RUN_SECONDS = Histogram("guangwu_page_run_seconds", "Duration of a page run, its wait for a turn included",
                        ["page"], buckets=RUN_BUCKETS, registry=REGISTRY)
RUNS = Counter("guangwu_page_runs", "Page runs by page and outcome (ok, database, error)", ["page", "outcome"],
               registry=REGISTRY)
PANEL_FAILURES = Counter("guangwu_panel_failures", "Panels shown as a message instead of their content, by kind",
                         ["kind"], registry=REGISTRY)
ADMISSION_TIMEOUTS = Counter("guangwu_admission_timeouts", "Page runs that waited ADMISSION_WAIT_MS for their turn "
                             "and then ran beside the others (ui/admission.py)", registry=REGISTRY)
REDRAWS = Counter("guangwu_reconnect_redraws", "Pages drawn again for a browser that came from another process "
                  "(ui/reconnect.py); they wait behind other runs for up to REDRAW_WAIT_MS", registry=REGISTRY)
PANEL_KINDS = ("domain", "database", "internal")
for _kind in PANEL_KINDS:
    PANEL_FAILURES.labels(_kind)  # at 0 from the start, so a rate over them exists before the first failure
OTHER_PAGE = "other"


def page_name() -> str:
    """The page this run drew, by its file name (pages/stars.py → "stars": each page's url path is its file's name,
    and a navigation's default page, the overview or the big screen, has the url path ""); "other" when unknown."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    info = ctx.pages_manager.get_pages().get(ctx.page_script_hash) if ctx is not None else None
    path = (info or {}).get("script_path")
    return PurePath(path).stem if path else OTHER_PAGE


def record_run(page: str, seconds: float, outcome: str) -> None:
    RUN_SECONDS.labels(page).observe(seconds)
    RUNS.labels(page, outcome).inc()


def record_panel_failure(kind: str) -> None:
    PANEL_FAILURES.labels(kind).inc()


class _Live:
    """Figures read at scrape time (in a worker thread): sessions held by Streamlit's runtime, the database pool,
    readiness (bounded by READINESS_TIMEOUT_SECONDS), the newest backup."""

    def collect(self):
        sessions = GaugeMetricFamily("guangwu_sessions", "Browser sessions held by this replica", labels=["state"])
        active, held = _session_counts()
        sessions.add_metric(["active"], active)
        sessions.add_metric(["all"], held)
        yield sessions
        pool = GaugeMetricFamily("guangwu_db_pool_connections", "The database engine's connection pool",
                                 labels=["state"])
        for state, value in _pool_counts().items():
            pool.add_metric([state], value)
        yield pool
        yield GaugeMetricFamily("guangwu_db_pool_limit", "The most database connections this replica opens "
                                "(DB_POOL_SIZE + DB_MAX_OVERFLOW)", value=db_budget.per_process())
        yield GaugeMetricFamily("guangwu_ready", "1 when /readyz would answer 200 (lib.health.check), else 0",
                                value=1 if health.check().ready else 0)
        yield GaugeMetricFamily("guangwu_backup_last_success_timestamp_seconds",
                                "When the newest finished backup in BACKUP_DIR was made (0: none)",
                                value=backup.last_success(Path(settings().backup_dir)))


def _session_counts() -> tuple[int, int]:
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return 0, 0
    manager = Runtime.instance()._session_mgr  # noqa: SLF001 - Streamlit has no public count
    return manager.num_active_sessions(), manager.num_sessions()


def _pool_counts() -> dict[str, int]:
    from lib.db import get_engine

    pool = get_engine().pool
    counts = {}
    for state, method in (("checked_out", "checkedout"), ("idle", "checkedin"), ("overflow", "overflow")):
        reader = getattr(pool, method, None)
        if reader is not None:
            counts[state] = max(0, int(reader()))  # QueuePool's overflow starts at -pool_size
    return counts


REGISTRY.register(_Live())


def allowed(host: str | None, allow: str | None = None) -> bool:
    """Is the direct peer `host` in METRICS_ALLOW (comma-separated addresses or networks)? Headers are not read:
    behind nginx every request comes from loopback, which is why nginx refuses /metrics itself."""
    allow = settings().metrics_allow if allow is None else allow
    addr = peer.address(host)
    if addr is None:
        return False
    for item in filter(None, (part.strip() for part in allow.split(","))):
        try:
            if addr in ipaddress.ip_network(item, strict=False):
                return True
        except ValueError:
            continue  # a mistyped entry allows nothing (load_settings' caller sees it in the README table)
    return False


async def metrics(request: Request) -> Response:
    """GET /metrics: the text exposition, or 403 with a Chinese line for any other peer."""
    if not allowed(request.client.host if request.client else None):
        return PlainTextResponse("403：本接口只对监控主机开放（METRICS_ALLOW）。", status_code=403,
                                 headers={"Cache-Control": "no-store"})
    from anyio import to_thread

    body = await to_thread.run_sync(generate_latest, REGISTRY)  # the process collector reads /proc
    return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


ROUTES = [Route("/metrics", metrics, methods=["GET"])]

