"""The one thin bridge between `lib` and Streamlit: cached queries and shared selection state.

Pages import query functions from here (cached per argument set) and read the shared state
(community, as-of date, big-screen mode) through the helpers below. Widget keys live in `KEYS`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from lib import audit, auth, clock, data_version, panels, sso
from lib.config import settings
from lib.errors import DashboardError, PermissionDenied
from lib.fmt import cn_date, cn_number, format_value, percent  # noqa: F401 - re-exported: pages format through here
from lib.figures import Figure, from_row
from lib.figures import compare as figures_compare
from lib.panels import Header, SummaryPanel
from lib.queries import care, checks, communities, facts, map_data, model_communities, relocation, stars
from lib.scope import Scope, full_name, short_name  # noqa: F401 - full_name: pages name communities through here
from ui.kept import kept

F = TypeVar("F", bound=Callable[..., Any])
# Entries are keyed on lib.data_version (a write on any replica changes it), so they may live long.
TTL_SECONDS = 6 * 3600

# Stable, namespaced widget keys. `community` and `as_of` double as URL query parameter names.
KEYS = {
    "community": "community",
    "as_of": "as_of",
    "metric": "map.metric",
    "layers": "map.layers",
    "map": "map.deck",
    "compare": "kpi.compare_date",
    "actor": "auth.actor",
    "token": "auth.token",
    "signin_state": "auth.state",
}


def cached(fn: F) -> F:
    """Keep a lib query's results per argument set and data version, shared by all sessions (ui/kept.py: a read
    hands out a view that cannot change the kept result); a new version empties the other caches too."""
    return kept(fn, ttl=TTL_SECONDS)  # type: ignore[return-value]


data_version.on_change(st.cache_data.clear)
data_version.on_change(st.cache_resource.clear)  # kept immutable results (the map) are keyed on the version too


def clear_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


def data_token() -> str | None:
    """The data version as one string, for caches of immutable results keyed on it (ui/map_view.py)."""
    return data_version.source_token()


# ---- cached queries (pages call only these) ----
facts_q = cached(facts.facts)
notes_q = cached(facts.notes)
sources_q = cached(facts.sources)
list_communities = cached(communities.list_communities)
subdistrict_overview = cached(communities.subdistrict_overview)
community_profile = cached(communities.community_profile)
data_as_of = cached(communities.data_as_of)
star_matrix = cached(stars.star_matrix)
star_counts = cached(stars.star_counts)
star_progress = cached(stars.star_progress)
party_network = cached(stars.party_network)
red_property_projects = cached(stars.red_property_projects)
model_status = cached(model_communities.model_status)
model_history = cached(model_communities.model_history)
model_timeline = cached(model_communities.model_timeline)
improvement_projects = cached(model_communities.improvement_projects)
community_summary = cached(communities.community_summary)
occupancy_watch = cached(care.occupancy_watch)
relocation_headline = cached(relocation.headline)
relocation_burnup = cached(relocation.burnup)
household_status = cached(relocation.household_status)
household_counts = cached(relocation.status_counts)
relocation_milestones = cached(relocation.milestones)
care_facilities = cached(care.facilities)
occupancy_series = cached(care.occupancy_series)
occupancy_overview = cached(care.occupancy_overview)
current_occupancy = cached(care.current_occupancy)
site_checks = cached(checks.site_checks)
map_layers = cached(map_data.map_layers)
community_metric = cached(map_data.community_metric)
METRICS = map_data.METRICS

# ---- the wall's 养老 and 示范 views (lib.wall_content, issue #14) ----
from lib import wall_content as _wall_content  # noqa: E402

wall_care_circle = cached(_wall_content.care_circle)
wall_model_map = cached(_wall_content.model_map)
wall_has_care = cached(_wall_content.has_care)
wall_has_model = cached(_wall_content.has_model)


# ---- scope and panels (figures with provenance and dates, decided in lib.panels) ----
def scope() -> Scope:
    """The viewer's selection: community (or 全街道) and as-of date."""
    return Scope.of(selected_community(), as_of())


# Header and SummaryPanel are frozen dataclasses read several times a run: kept as shared resources keyed on
# the data version, so a read hands out the kept object instead of unpickling a copy (st.cache_data).
@st.cache_resource(ttl=TTL_SECONDS, show_spinner=False, max_entries=256)
def _header(version: str | None, s: Scope) -> Header:  # noqa: ARG001 - version: key only
    return panels.header(s)


def header(s: Scope | None = None) -> Header:
    """The stamp 「最新数据 …；各数字日期见标注」 for the scope (default: the viewer's)."""
    return _header(data_token(), s or scope())


@st.cache_resource(ttl=TTL_SECONDS, show_spinner=False, max_entries=256)
def _summary(version: str | None, s: Scope, warning: int, signed_in: bool) -> SummaryPanel:  # noqa: ARG001
    return panels.summary_panel(s, free_beds_warning=warning, signed_in=signed_in)


def summary_panel(s: Scope | None = None) -> SummaryPanel:
    """The four panels' key figures for the scope, staff names shown to signed-in viewers only."""
    return _summary(data_token(), s or scope(), int(settings().care_free_beds_warning), current_actor() is not None)


def figure(row, *, as_of: dt.date | None = None) -> Figure:
    """A query row as a Figure (provenance, date), for the pages' cards."""
    return from_row(row, as_of=as_of)


compare = figures_compare  # a Figure against the one that held on a date (names both dates)


def briefing_file_name(s: Scope | None = None, ext: str = "png") -> str:
    """光武街道-中兴社区-简报-2026-12-05.png/.pdf/.xlsx: the scope and the date shown (today by default)."""
    s = s or scope()
    return f"{s.file_stem('简报', s.as_of or clock.today())}.{ext}"


def now_local() -> dt.datetime:
    """The one clock, in China time (lib.clock)."""
    return clock.now_local()


site_check_table = cached(panels.site_check_table)
check_points = cached(panels.check_points)


# ---- audit log (administrators; the page checks the role, lib the data) ----
AUDIT_SYSTEM_USER = audit.SYSTEM_USER


def audit_log(**filters):
    return audit.audit_log(**filters)


def audit_usernames() -> list[str]:
    return sorted(set(auth.list_users()["username"]) | {audit.SYSTEM_USER})


# ---- shared state ----
@cached
def _community_names() -> tuple[str, ...]:
    return tuple(communities.community_names())


_names_memo: dict[str | None, tuple[str, ...]] = {}


def community_options() -> list[str]:
    """Community names in display order. Read about ten times a run (every membership check): kept per data
    version in this process, so only the first read of a version goes through the cache's hashing and copying."""
    version = data_version.token()
    names = _names_memo.get(version)
    if names is None:
        names = _community_names()
        _names_memo.clear()
        _names_memo[version] = names
    return list(names)


def known_community(value: object) -> str | None:
    """The one membership check: 「中兴」/「中兴社区」 → 「中兴」 when it is a known community, else None."""
    short = short_name(value)
    return short if short in community_options() else None


def selected_community() -> str | None:
    return known_community(st.session_state.get(KEYS["community"]))


def set_community(name: str | None) -> None:
    """Change the shared selection (call from callbacks, before the sidebar widget is drawn)."""
    st.session_state[KEYS["community"]] = known_community(name)


def as_of() -> dt.date | None:
    value = st.session_state.get(KEYS["as_of"])
    return value if isinstance(value, dt.date) else None


def screen_mode() -> bool:
    """The wall display: ?screen=1, or a browser opened with a 大屏链接 (which shows nothing else)."""
    return str(st.query_params.get("screen", "")) in {"1", "true", "yes"} or wall_cookie() is not None


def app_settings():
    return settings()


def screen_rotate_seconds() -> int:
    """Carousel interval: `?rotate=N` in the URL, else the configured default (min 5 s)."""
    try:
        return max(5, int(st.query_params.get("rotate", settings().screen_rotate_seconds)))
    except ValueError:
        return settings().screen_rotate_seconds


def screen_paused() -> bool:
    return str(st.query_params.get("pause", "")) in {"1", "true", "yes"}


def screen_view(names) -> str | None:
    """`?view=征迁`: the carousel view to start on, when it is one of `names`."""
    wanted = str(st.query_params.get("view", ""))
    return wanted if wanted in names else None


def ensure_entrypoint(*, in_app: bool = False) -> None:
    """Run every page through app.py.

    Because the repository has a `pages/` folder, Streamlit 1.67 starts a fresh server in its legacy
    multipage mode (v1) and, when the first request is a sub-page URL, runs that page without app.py
    (no filters, no theme, no database check). Switch the process to st.navigation mode; a page that
    was run directly reruns through app.py (app.py itself just carries on into st.navigation).
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        if not in_app:
            st.rerun()


# ---- signed-in user (the data layer re-checks permissions on every write) ----
def current_actor():
    """The signed-in `lib.auth.Actor` of this run (see resolve_sign_in), or None for an anonymous viewer."""
    return st.session_state.get(KEYS["actor"])


def sign_in(actor) -> None:
    """Single sign-on only (ui.auth_view.sso_panel); local accounts sign in through a session cookie."""
    st.session_state[KEYS["actor"]] = actor


def sign_out() -> None:
    st.session_state.pop(KEYS["actor"], None)


def can_edit() -> bool:
    actor = current_actor()
    return actor is not None and actor.can_edit


def is_admin() -> bool:
    actor = current_actor()
    return actor is not None and actor.is_admin


# ---- sign-in: sessions and wall-screen links (lib.sessions, lib.display_links, ui/session_routes.py) ----
def _cookie(name: str) -> str | None:
    try:
        value = st.context.cookies.get(name)
    except Exception:  # noqa: BLE001 - no browser context (bare script run)
        return None
    return value if isinstance(value, str) and value else None  # (AppTest's client is a mock)


def resolve_sign_in() -> None:
    """Once per run (app.py): who is signed in, decided by lib.sessions from the session cookie.

    Without a cookie the session keeps the actor single sign-on put there (sign_in), if any. AppTest cannot
    send cookies; tests put a session's cookie value in st.session_state[KEYS["token"]].
    """
    from lib.sessions import COOKIE, resolve

    value = _cookie(COOKIE) or st.session_state.get(KEYS["token"])
    try:
        resolved = resolve(value)
        actor, state = resolved.actor, resolved.state
    except Exception:  # noqa: BLE001 - runs before the page-run wrapper: never a traceback; app.py reports the database
        logging.getLogger("guangwu.ui").exception("sign-in check failed")
        actor, state = None, "unavailable"
    if state != "none":  # a browser with a session cookie: exactly what lib.sessions says, on every run
        st.session_state[KEYS["actor"]] = actor
    st.session_state[KEYS["signin_state"]] = state


def my_sessions():
    """The signed-in user's open sessions (lib.sessions.open_sessions), this browser first."""
    from lib.sessions import COOKIE, open_sessions

    return open_sessions(_cookie(COOKIE) or st.session_state.get(KEYS["token"]))


def sign_in_state() -> str:
    """none / ok / expired / ended / unavailable (lib.sessions.Resolved.state) for this run."""
    return st.session_state.get(KEYS["signin_state"], "none")


def wall_cookie() -> str | None:
    from lib.display_links import COOKIE

    return _cookie(COOKIE)


def wall_name() -> str | None:
    """The name of the 大屏链接 this browser was opened with, while it is valid; None otherwise."""
    from lib.display_links import check
    from lib.errors import DashboardError

    try:
        return check(wall_cookie())
    except DashboardError:
        return None


def create_display_link(name: str, days: int) -> str:
    """A new 大屏链接 by the signed-in administrator: its full path (shown once)."""
    from lib.display_links import create

    return create(name, days=days, by=current_actor())


def revoke_display_link(link_id: int) -> bool:
    from lib.display_links import revoke

    return revoke(link_id, by=current_actor())


def display_links_table():
    """lib.display_links.list_links(): id, name, state, created/expires/last used (naive UTC), creator."""
    from lib.display_links import list_links

    return list_links()


def wall_revoked() -> bool:
    """This browser was opened with a 大屏链接 that is no longer valid (checked on each carousel turn)."""
    return wall_cookie() is not None and wall_name() is None


# ---- access, sign-in and user management (pages/account.py, pages/users.py, ui/auth_view.py) ----
ROLES = list(auth.ROLES)
STAFF_ROLE = auth.Role.STAFF.value
MIN_PASSWORD = auth.MIN_PASSWORD


def view_allowed() -> bool:
    """May this session see the dashboards? (REQUIRE_LOGIN_TO_VIEW; app.py asks on every route, big screen
    included.) Hook for signed 大屏链接 (display links): grant viewing here when the session holds a valid one."""
    try:
        auth.require(current_actor(), "view")
    except PermissionDenied:
        return False
    return True


def client_address() -> str | None:
    """The client's IP address for the sign-in lockout. A direct connection's own address wins (its headers could
    be forged); a local connection (None: a reverse proxy on this host, deploy/) is taken from the proxy's headers."""
    ip = st.context.ip_address
    if isinstance(ip, str) and ip:
        return ip[:64]
    headers = st.context.headers

    def header(name: str) -> str:
        value = headers.get(name)
        return value if isinstance(value, str) else ""

    forwarded = header("X-Forwarded-For").split(",")[-1].strip()
    return (header("X-Real-IP") or forwarded).strip()[:64] or None


def sso_actor(identities: list[str | None]):
    """The local account for a single-sign-on identity (lib.sso), or None; raises DashboardError."""
    return sso.actor_for_identity(identities)


# User management: lib.auth checks `by` (the signed-in administrator) on every call.
def create_user(username: str, password: str, **kw):
    return auth.create_user(username, password, by=current_actor(), **kw)


def update_user(username: str, **kw):
    return auth.update_user(username, by=current_actor(), **kw)


def set_password(username: str, password: str) -> None:
    auth.set_password(username, password, by=current_actor())


def deactivate_user(username: str) -> None:
    auth.deactivate(username, by=current_actor())


list_users = auth.list_users


# ---- ledgers: the 台账导入导出 page's one door to lib.ledger ----
from lib import ledger as _ledger  # noqa: E402
from lib.ledger_kinds import KINDS as _LEDGER_KINDS  # noqa: E402
from lib.models import Role as _Role  # noqa: E402

LEDGER_KIND_NAMES = _ledger.KIND_NAMES
ledger_template = _ledger.template_xlsx
ledger_current = _ledger.current_ledger


def ledger_columns_text(kind: str) -> str:
    """「社区、星级、…、得分（选填）。同一社区＋星级＋评定日期视为同一条记录。」"""
    spec = _LEDGER_KINDS[kind]
    cols = "、".join(c.header + ("" if c.required else "（选填）") for c in spec.columns)
    return f"「{kind}」的列：{cols}。同一{spec.key_help}视为同一条记录。"


def ledger_scope(actor) -> str | None:
    """Staff see and import their own community only; administrators follow the shared community filter."""
    return actor.community if actor.role == _Role.STAFF else selected_community()


def ledger_preview(data: bytes, filename: str, kind: str):
    """The dry run of an upload for the signed-in user (raises DashboardError, always Chinese)."""
    return _ledger.read_ledger(data, filename, kind, actor=current_actor())


def ledger_commit(preview):
    return _ledger.commit_ledger(current_actor(), preview)


# ---- geometry import: pages/geo_import.py reaches geo.importer and lib.geometry_store only here ----
import logging  # noqa: E402

from geo.importer import read_geometry_file  # noqa: E402
from lib.errors import GeometryError  # noqa: E402
from lib.geometry_store import save_layer  # noqa: E402

layer_versions = cached(map_data.layer_versions)


def read_geometry_upload(data: bytes, filename: str, **options):
    """`read_geometry_file` -> (GeoDataFrame, None) or (None, its Chinese DashboardError).

    A `CrsMismatch` carries `.suggestion` ({"crs", "swap_axes"}) for the page to offer."""
    try:
        return read_geometry_file(data, filename, max_bytes=settings().max_upload_mb * 1_000_000, **options), None
    except DashboardError as exc:
        return None, exc
    except Exception:  # noqa: BLE001 - never an English page
        logging.getLogger("guangwu.ui").exception("geometry import: reading %s failed", filename)
        return None, GeometryError(f"无法读取文件「{filename}」：系统内部错误，未保存任何数据。请检查文件后重试。")


def save_map_layer(layer: str, gdf, *, source_title: str, note: str | None):
    """`save_layer` as the signed-in user -> (SavedLayer, None) or (None, DashboardError); caches cleared."""
    try:
        return save_layer(current_actor(), layer=layer, gdf=gdf, source_title=source_title, note=note), None
    except DashboardError as exc:
        return None, exc
    except Exception:  # noqa: BLE001
        logging.getLogger("guangwu.ui").exception("geometry import: saving %s failed", layer)
        return None, GeometryError("保存失败：系统内部错误，数据未改动。请稍后重试或联系管理员。")
    finally:
        clear_caches()


# ---- writes: staff forms ----
# The forms' pages reach lib only through here. Writes re-check permissions and validate in lib; the
# form callbacks (ui/forms.py) clear the caches after each one and show the outcome with ui/flash.py.
from lib import form_options  # noqa: E402
from lib.writes import (  # noqa: E402
    WriteResult,
    file_site_check,
    local_today,
    record_fact,
    record_household_step,
    record_model_status,
    record_occupancy,
    record_star_assessment,
    update_site_check,
)


def max_upload_mb() -> int:
    return settings().max_upload_mb


# ---- alerts and the last briefing date ----
from lib import alerts as _alerts  # noqa: E402
from lib import briefing_date as _briefing  # noqa: E402


@cached
def alerts(*, community: str | None, as_of: dt.date | None) -> list:
    return _alerts.alerts(community=community, as_of=as_of)


@cached
def last_briefing_date() -> dt.date | None:
    return _briefing.last_briefing_date()


@cached
def key_figure_changes(*, community: str | None, as_of: dt.date | None, on: dt.date | None) -> list:
    return _briefing.key_figure_changes(community=community, as_of=as_of, on=on)


def can_set_briefing_date() -> bool:
    actor = current_actor()
    return actor is not None and actor.role in _briefing.ALLOWED


def set_last_briefing_date(day) -> tuple[str | None, str | None]:
    """(message, error): the lib checks the permission and audits the change."""
    try:
        return _briefing.set_last_briefing_date(current_actor(), day).message, None
    except DashboardError as exc:
        return None, exc.message
    finally:
        clear_caches()


# ---- freshness across replicas ----
@st.fragment(run_every=2)
def rerun_on_new_data() -> None:
    """For pages nobody touches (the wall): a full rerun when the data version changes, so a write on any
    replica shows within about 2 s. Draws nothing; costs one in-memory comparison per tick."""
    version = data_version.current()
    seen = st.session_state.setdefault("data_version.seen", version)
    if version != seen:
        st.session_state["data_version.seen"] = version
        st.rerun(scope="app")


# ---- briefing pack (汇报材料, issue #14) ----
def _briefing_pack(community: str | None, as_of: dt.date | None, last: dt.date | None) -> tuple[bytes, bytes]:
    """(PDF, xlsx) of the scope, built offline from the data layer (lib/briefing), compared with `last`."""
    from ui.briefing_pack import pack_files

    return pack_files(community=community, as_of=as_of, last_briefing=last)


_briefing_pack_cached = cached(_briefing_pack)  # rebuilt after any write (keyed on the data version)


def briefing_pack(community: str | None, as_of: dt.date | None) -> tuple[bytes, bytes]:
    """The pack compared with the stored 「上次汇报日期」 (part of the cache key: a new date, a new pack)."""
    return _briefing_pack_cached(community, as_of, last_briefing_date())


# ---- tablets: 「我的核查」 ----
from lib.clock import to_local as _to_local  # noqa: E402
from lib.clock import today as _today  # noqa: E402
from lib.fmt import cn_datetime as _cn_datetime  # noqa: E402


def my_open_checks(username: str):
    """The signed-in 网格员's own open checks, overdue first (lib.queries.checks.my_open_checks), uncached:
    a check filed or closed a moment ago must show at once. `created` is the China-time text."""
    df = checks.my_open_checks(username, today=_today())
    return df.assign(created=[_cn_datetime(t) for t in (_to_local(t) for t in df["created_at"])])


from urllib.parse import quote as _quote  # noqa: E402

check_thumbnail = cached(checks.photo_thumbnail)
# A list cell without a photo: a grey 「无照片」 tile (an empty image cell would read "None").
NO_PHOTO = "data:image/svg+xml;charset=utf-8," + _quote(
    '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><rect width="96" height="96" rx="10" '
    'fill="#3a3f4b"/><text x="48" y="58" font-size="26" text-anchor="middle" fill="#c9ccd3">无照片</text></svg>')


def check_thumbnails(photo_ids) -> list[str]:
    """The list's photo column: each check's first photo as a small data URL, or NO_PHOTO."""
    out = []
    for p in photo_ids:
        shot = check_thumbnail(int(p)) if p is not None and p == p else None
        out.append(shot or NO_PHOTO)
    return out


def audit_names() -> dict[str, str]:
    """Internal keys in audit records -> names: facility keys, indicator codes, the subdistrict."""
    names = {"subdistrict": "全街道"}
    names.update(dict(zip(care_facilities()["key"], care_facilities()["name"], strict=True)))
    figures = facts_q()
    names.update(dict(zip(figures["indicator"], figures["label"], strict=True)))
    return names


# ---- the wall's views and 征迁 against its deadline (issue #14) ----
from lib import relocation_plan as _plan  # noqa: E402
from lib import wall_views as _wall_views  # noqa: E402

unsigned_by_group = cached(_plan.unsigned_by_group)
daily_target = _plan.daily_target
countdown = _plan.countdown
DEADLINE_FIELD = _plan.DEADLINE.field


@cached
def _wall_views_for(names: tuple[str, ...], community: str | None, as_of: dt.date | None) -> list[str]:
    return _wall_views.shown(names, community=community, as_of=as_of)


def wall_views(names, *, community: str | None, as_of: dt.date | None) -> list[str]:
    """The big-screen views to rotate for the scope: `names` without those with nothing for it (lib.wall_views)."""
    return _wall_views_for(tuple(names), community, as_of)


@cached
def _deadline():
    return _plan.deadline()


def relocation_deadline():
    """「征迁截止日期」: entered (录入 · who · when; names for signed-in viewers only) or the 示例 date."""
    d = _deadline()
    return _plan.Deadline(d.day, d.figure.for_viewer(current_actor() is not None))


def can_set_deadline() -> bool:
    actor = current_actor()
    return actor is not None and _plan.date_settings.may_set(_plan.DEADLINE, actor.role)


def set_relocation_deadline(day) -> tuple[str | None, str | None]:
    """(message, error): the lib checks the permission and audits the change."""
    try:
        return _plan.set_deadline(current_actor(), day).message, None
    except DashboardError as exc:
        return None, exc.message
    finally:
        clear_caches()
