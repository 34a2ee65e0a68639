"""The one thin bridge between `lib` and Streamlit: cached queries and shared selection state.

Pages import only `from ui import bridge` and call `bridge.X` (or `from ui.bridge import KEYS, cn_date, …`); every
public name is re-exported here from the submodule that holds it:

- _cache: `cached` (ui/kept.py), clear_caches, data_token, TTL_SECONDS, rerun_on_new_data (freshness)
- keys: KEYS, the widget keys · queries: the cached lib queries · state: community, as-of, big-screen URL settings
- scope_panels: Scope, header, summary_panel, figure · user: the signed-in user and sessions
- wall_links: 大屏链接 · access: view permission, sign-in helpers, user management · audit_trail: the audit log
- ledgers, geometry, writes: imports and staff forms · my_checks: 「我的核查」 · briefing: alerts, 上次汇报日期, pack
- wall: the wall's views and the 征迁 deadline

A test that replaces a function replaces it in the submodule that holds it (callers inside the package look it up
there, e.g. `state.screen_mode` calls `wall_links.wall_cookie`), and here too when pages or app.py call it.
"""
from __future__ import annotations

# ruff: noqa: F401 - every import below is a re-export
from lib.errors import DashboardError, GeometryError, PermissionDenied
from lib.figures import MIXED, Figure
from lib.models import SourceKind  # views compare a figure's kind through here
from lib.fmt import cn_date, cn_number, format_value, percent, stamp_text  # pages format through here
from lib.panels import Header, SummaryPanel
from lib.scope import Scope, full_name, short_name  # full_name: pages name communities through here
from ui.bridge._cache import TTL_SECONDS, cached, clear_caches, data_token, rerun_on_new_data
from ui.bridge.access import (
    MIN_PASSWORD, ROLES, STAFF_ROLE, client_address, create_user, deactivate_user, list_users, set_password,
    sso_actor, update_user, view_allowed,
)
from ui.bridge.audit_trail import AUDIT_SYSTEM_USER, audit_log, audit_names, audit_usernames
from ui.bridge.briefing import (
    alerts, briefing_pack, can_set_briefing_date, key_figure_changes, last_briefing_date, set_last_briefing_date,
)
from ui.bridge.geometry import read_geometry_upload, restore_map_layer, save_map_layer
from ui.bridge.keys import KEYS
from ui.bridge.ledgers import (
    LEDGER_KIND_NAMES, ledger_columns_text, ledger_commit, ledger_current, ledger_preview, ledger_scope,
    ledger_template,
)
from ui.bridge.my_checks import NO_PHOTO, check_thumbnail, check_thumbnails, my_filed_count, my_open_checks
from ui.bridge.queries import (
    METRICS, average_score, care_facilities, check_points, community_metric, community_profile, community_summary,
    current_occupancy, data_as_of, facility_beds, facts_q, household_counts, household_kinds, household_status, improvement_projects,
    layer_versions, list_communities, map_layers, map_origin, model_date_caveat, model_history, model_status,
    model_timeline, notes_q, occupancy_overview, occupancy_series, occupancy_watch, party_network,
    red_property_projects,
    relocation_burnup, relocation_headline, relocation_milestones, reported_figures, site_check_table, site_checks,
    sources_q, star_counts, star_matrix, star_progress, subdistrict_overview,
)
from ui.bridge.scope_panels import (briefing_file_name, combined_kind, compare, emptied_figure, figure, header,
                                   naming_marks, naming_text, now_local, scope, status_changes, summary_panel)
from ui.bridge.state import (
    app_settings, as_of, community_options, ensure_entrypoint, known_community, max_upload_mb, screen_mode,
    screen_paused, screen_rotate_seconds, screen_view, selected_community, set_community,
)
from ui.bridge.user import (
    can_edit, current_actor, is_admin, my_sessions, resolve_sign_in, sign_in, sign_in_state, sign_out, signed_in,
)
from ui.bridge.wall import (
    DEADLINE_FIELD, can_set_deadline, countdown, counted_from, daily_target, relocation_deadline,
    set_relocation_deadline,
    unsigned_by_group, wall_care_circle, wall_has_care, wall_has_model, wall_model_map, wall_views,
)
from ui.bridge.wall_links import (
    create_display_link, display_links_table, revoke_display_link, wall_cookie, wall_name, wall_revoked,
)
from ui.bridge.writes import (
    WriteResult, file_site_check, form_options, local_today, record_fact, record_household_step,
    record_model_status, record_occupancy, record_star_assessment, update_site_check,
)
