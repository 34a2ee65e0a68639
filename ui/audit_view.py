"""Presenting `lib.audit.audit_log` rows: Beijing time, Chinese columns, readable before/after JSON (pure)."""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from lib import clock
from lib.audit import TABLE_LABELS

BEIJING = clock.CHINA.utcoffset(None)  # derived from the one clock (lib.clock), for pages that shift stored UTC
TABLES = {**TABLE_LABELS, "map_layer_version": "地图图层"}
COLUMNS = {"at": "时间（北京时间）", "username": "用户", "action_label": "操作", "table_label": "数据表",
           "record_key": "记录", "community": "社区", "before": "修改前", "after": "修改后"}


beijing_today = clock.today  # the one clock


def utc_bounds(start: dt.date | None, end: dt.date | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Beijing calendar days [start, end] as naive UTC datetimes for `audit_log(start=, end=)` (end inclusive)."""
    lo = dt.datetime.combine(start, dt.time()) - BEIJING if start else None
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time()) - BEIJING - dt.timedelta(microseconds=1) \
        if end else None
    return lo, hi


def _value(v) -> str:
    if v is None:
        return "（空）"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def change_text(d) -> str:
    """{"status": "已达标", "score": 95} -> 「status：已达标；score：95」; empty -> ""."""
    if d is None or (isinstance(d, float) and pd.isna(d)):
        return ""
    if not isinstance(d, dict):
        return _value(d)
    return "；".join(f"{k}：{_value(v)}" for k, v in d.items())


def audit_table(df: pd.DataFrame) -> pd.DataFrame:
    """The log with Chinese columns, Beijing times and one-line before/after texts."""
    out = df.copy()
    out["at"] = pd.to_datetime(out["at"]).map(
        lambda t: "" if pd.isna(t) else f"{clock.to_local(t.to_pydatetime()):%Y-%m-%d %H:%M:%S}")
    out["table_label"] = out["table_name"].map(lambda t: TABLES.get(t, t))
    out["community"] = out["community"].fillna("")
    out["record_key"] = out["record_key"].fillna("")
    out["before"] = out["before"].map(change_text)
    out["after"] = out["after"].map(change_text)
    return out[list(COLUMNS)].rename(columns=COLUMNS)
