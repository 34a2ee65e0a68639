"""Settings, declared once with defaults.

Precedence (highest first): environment variable, `.streamlit/secrets.toml`, the default here.
Read without importing streamlit so scripts and tests see the same values as the app.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"


@dataclass(frozen=True)
class Settings:
    """Every tunable of the app. Env var name = field name upper-cased."""

    database_url: str = f"sqlite:///{DATA_DIR / 'guangwu.db'}"
    # Optional self-hosted XYZ tile URL, e.g. http://tiles.intranet/{z}/{x}/{y}.png. Empty = no basemap.
    tile_url: str = ""
    # Optional 天地图 key; only useful where the intranet reaches 天地图. Empty = unused.
    tianditu_key: str = ""
    # When true, even viewing the dashboards needs a sign-in.
    require_login_to_view: bool = False
    # Elder care: warn when free beds fall below this number.
    care_free_beds_warning: int = 3
    # 预警: a regularly reported figure (每日入住, 五星评定, 征迁进度) older than this many days is flagged.
    stale_days: int = 30
    # Big screen: seconds per carousel view, and data refresh interval.
    screen_rotate_seconds: int = 30
    screen_refresh_seconds: int = 300
    # Uploads (photos, ledgers, geometry).
    max_upload_mb: int = 10
    # Sign-in (lib.sessions): a session ends after this many idle minutes, and in any case this many hours
    # after sign-in. The cookie-signing key: empty = generated on first start and kept in the database
    # (table app_secret), so every server sharing the database signs alike.
    session_idle_minutes: int = 480
    session_max_hours: int = 168
    session_secret: str = ""
    # Wall-screen display links (大屏链接): default validity offered when an administrator creates one.
    display_link_days: int = 365
    # Database faults: give up connecting after this many seconds (a server that accepts and never answers).
    db_connect_timeout_seconds: int = 5
    # PostgreSQL: cancel any statement running longer than this (0 = no limit) — page reads, and statements inside a
    # write transaction (lib.db.session_scope). A write no longer needs longer: waiting behind another writer is
    # bounded by db_lock_wait_seconds (lock_timeout), so a server that stops answering mid-write is said in ~10 s.
    db_statement_timeout_seconds: int = 8
    db_write_timeout_seconds: int = 8
    # PostgreSQL: end a transaction left idle this long (0 = never) — a replica frozen or cut off mid-write would
    # otherwise hold its row locks until the server's TCP keepalive gives up, hours later.
    db_idle_transaction_seconds: int = 60
    # A write waits this long for another writer (SQLite's lock and this process's queue of writers; PostgreSQL's
    # row locks and writers' turns: lock_timeout), and any query for a free pooled connection.
    db_lock_wait_seconds: int = 5
    # PostgreSQL connections one process keeps open, and may open beyond them under load. Every replica may hold
    # their sum: `python -m deploy.local budget --replicas N` checks N of them against the server's max_connections.
    db_pool_size: int = 10
    db_max_overflow: int = 20
    # How this process's connections are named in pg_stat_activity (a URL's own application_name wins);
    # the systemd units set guangwu@<port>, so a DBA sees which replica holds what.
    db_application_name: str = "guangwu"
    # Sign-in: after this many failed attempts within the lockout period, the account name (and, with the
    # larger number, the client address) is locked for the period.
    login_max_failures: int = 5
    login_max_failures_per_client: int = 20
    login_lockout_minutes: int = 15
    # Backups (`python -m lib.backup`): where they go and how many of the newest are kept.
    backup_dir: str = str(DATA_DIR / "backups")
    backup_keep: int = 14
    # /readyz: seconds a database read may take before the replica reports not ready.
    readiness_timeout_seconds: int = 2
    # Page runs of one process executing at once (0: no limit); the others wait their turn for at most
    # ADMISSION_WAIT_MS, then run anyway (ui/admission.py).
    max_concurrent_runs: int = 1
    admission_wait_ms: int = 1000
    # A page drawn again because its browser came from a lost process (a replica killed, a restart: ui/reconnect.py)
    # runs only while no other run waits, for at most this long; then it waits its turn as any run does.
    redraw_wait_ms: int = 10000
    # /metrics (Prometheus text, per replica): the peers allowed to read it — comma-separated addresses or networks.
    metrics_allow: str = "127.0.0.1/32,::1/128"
    # ---- ledger uploads: an .xlsx is a zip of XML, inspected before any XML is parsed ----
    # Refused when the parts inflate to more than this in total (a 1500-row ledger, what the deadline below
    # lets one file hold, is about 0.3 MB; openpyxl parses a sheet without a <dimension> twice before any
    # row, so this bounds that uninterruptible time) …
    upload_max_inflated_mb: int = 4
    # … when the shared-string table (read whole, before any row) inflates to more than this …
    upload_max_shared_strings_mb: int = 1
    # … when any part over 1 MB inflates more than this many times its compressed size (real sheets: 5–30×) …
    upload_max_ratio: int = 100
    # … or when the zip holds more parts than this (a workbook has about ten).
    upload_max_entries: int = 200
    # Reading and checking one ledger file (parse + dry run) stops with a Chinese message after this many
    # seconds: any upload is refused or previewed within ~5 s (make bench, figure 7).
    upload_read_seconds: int = 4


def _coerce(raw: object, default: object) -> object:
    if isinstance(default, bool):
        return str(raw).strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    return str(raw)


def _secrets(path: Path) -> dict:
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    # Accept both top-level keys and a [dashboard] table.
    merged = {k: v for k, v in data.items() if not isinstance(v, dict)}
    merged.update(data.get("dashboard", {}))
    return {k.lower(): v for k, v in merged.items()}


def load_settings(*, env: dict[str, str] | None = None, secrets_path: Path = SECRETS_FILE) -> Settings:
    env = dict(os.environ if env is None else env)
    secrets = _secrets(secrets_path)
    values = {}
    for f in fields(Settings):
        default = f.default
        if f.name.upper() in env and env[f.name.upper()] != "":
            values[f.name] = _coerce(env[f.name.upper()], default)
        elif f.name in secrets:
            values[f.name] = _coerce(secrets[f.name], default)
    return Settings(**values)


@lru_cache(maxsize=1)
def settings() -> Settings:
    return load_settings()


TIANDITU_VECTOR = "https://t0.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk="


def basemap_url(s: Settings | None = None) -> str | None:
    """The XYZ tile URL the map may request, or None (the default): no tiles, no outside request.

    A self-hosted TILE_URL wins; otherwise a TIANDITU_KEY enables 天地图's vector tiles (CGCS2000,
    Web Mercator), which only works where the network reaches 天地图.
    """
    s = s or settings()
    if s.tile_url:
        return s.tile_url
    if s.tianditu_key:
        return TIANDITU_VECTOR + s.tianditu_key
    return None
