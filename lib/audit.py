"""The audit trail: one `audit_log` row per write, in the same transaction as the write.

    record(session, actor, action, table, key, community_id, before, after) -> AuditLog
    audit_log(*, user=None, community=None, table=None, start=None, end=None, limit=None,
              engine=None) -> DataFrame

`actor` is an `Actor`, a username string, or None (the system, e.g. the CLI). `before`/`after` are
dicts of the changed fields (dates and decimals are stored as text so the JSON column accepts them);
passwords and photo bytes are never stored. Actions used: insert, update, import, login,
login_failed, login_locked, create_user, update_user, set_password, deactivate, logout, logout_all,
end_sessions, create_display_link, display_link_use, display_link_refused, revoke_display_link.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from lib import clock
from lib.models import AuditLog, Community
from lib.queries.common import frame

SYSTEM_USER = "system"
ACTION_LABELS = {
    "insert": "新增", "update": "修改", "import": "台账导入", "login": "登录", "login_failed": "登录失败", "login_locked": "登录锁定",
    "create_user": "创建用户", "update_user": "修改用户", "set_password": "修改密码", "deactivate": "停用用户",
    "logout": "退出登录", "logout_all": "在所有设备上退出", "end_sessions": "结束登录会话",
    "create_display_link": "创建大屏链接", "display_link_use": "使用大屏链接", "display_link_refused": "大屏链接被拒",
    "revoke_display_link": "撤销大屏链接",
}
# Where one action word names different things by table: (action, table) → label, before ACTION_LABELS.
TABLE_ACTION_LABELS = {("import", "map_layer_version"): "地图数据导入", ("restore", "map_layer_version"): "恢复地图版本"}
TABLE_LABELS = {
    "star_assessment": "五星评定", "model_status": "示范社区状态", "household_event": "征迁户状态",
    "care_occupancy": "每日入住", "fact": "指标数据", "site_check": "现场核查", "site_check_update": "核查进展",
    "app_user": "用户", "ledger": "台账", "user_session": "登录会话", "display_link": "大屏链接",
    "app_setting": "上次汇报日期", "map_layer_version": "地图图层",
}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(value)} bytes>"
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _username(actor: Any) -> str:
    if actor is None:
        return SYSTEM_USER
    if isinstance(actor, str):
        return actor[:64]
    return str(actor.username)[:64]


def record(session: Session, actor: Any, action: str, table: str, key: str | None, community_id: int | None,
           before: dict | None, after: dict | None) -> AuditLog:
    """Add an audit row to `session` (flushed with the write it describes; rolled back with it)."""
    row = AuditLog(username=_username(actor), action=action[:32], table_name=table[:40],
                   record_key=None if key is None else str(key)[:120], community_id=community_id,
                   before=None if before is None else _jsonable(before),
                   after=None if after is None else _jsonable(after))
    session.add(row)
    return row


def failed_logins(session: Session, *, since: dt.datetime, username: str | None = None,
                  client: str | None = None) -> int:
    """Failed sign-ins since `since` for the user name `username` (only those after its last successful
    sign-in) or from the client address `client`; the lockout in lib.auth counts these."""
    stmt = select(func.count()).select_from(AuditLog).where(AuditLog.action == "login_failed", AuditLog.at >= since)
    if username is not None:
        last_ok = (select(func.max(AuditLog.at)).where(AuditLog.action == "login", AuditLog.record_key == username,
                                                       AuditLog.at >= since).scalar_subquery())
        stmt = stmt.where(AuditLog.record_key == username, AuditLog.at > func.coalesce(last_ok, since))
    if client is not None:
        stmt = stmt.where(AuditLog.after["client"].as_string() == client)
    return int(session.scalar(stmt) or 0)


def _day_start(value: dt.date | dt.datetime) -> dt.datetime:
    """A stored-time bound: a datetime as given (naive UTC); a date is the China day's first instant."""
    return value if isinstance(value, dt.datetime) else clock.day_start_utc(value)


def audit_log(*, user: str | None = None, community: str | None = None, table: str | None = None,
              start: dt.date | dt.datetime | None = None, end: dt.date | dt.datetime | None = None,
              limit: int | None = None, engine: Engine | None = None) -> pd.DataFrame:
    """Audit rows, newest first. Dates are China days; `end` as a date includes that whole day. Columns:
    at, username, action, action_label, table_name, table_label, record_key, community, before, after."""
    stmt = (select(AuditLog.id, AuditLog.at, AuditLog.username, AuditLog.action, AuditLog.table_name,
                   AuditLog.record_key, Community.name.label("community"), AuditLog.before, AuditLog.after)
            .outerjoin(Community, Community.id == AuditLog.community_id)
            .order_by(AuditLog.at.desc(), AuditLog.id.desc()))
    if user:
        stmt = stmt.where(AuditLog.username == user)
    if community:
        stmt = stmt.where(Community.name == community)
    if table:
        stmt = stmt.where(AuditLog.table_name == table)
    if start:
        stmt = stmt.where(AuditLog.at >= _day_start(start))
    if end:
        stmt = (stmt.where(AuditLog.at <= end) if isinstance(end, dt.datetime)
                else stmt.where(AuditLog.at < _day_start(end + dt.timedelta(days=1))))
    if limit:
        stmt = stmt.limit(limit)
    df = frame(stmt, engine)
    df.insert(4, "action_label", [TABLE_ACTION_LABELS.get((a, t)) or ACTION_LABELS.get(a, a)
                                  for a, t in zip(df["action"], df["table_name"], strict=True)])
    df.insert(6, "table_label", df["table_name"].map(lambda t: TABLE_LABELS.get(t, t)))
    return df
