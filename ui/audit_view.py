"""Presenting `lib.audit.audit_log` rows: Beijing time, Chinese columns, readable before/after JSON (pure)."""
from __future__ import annotations

import json

import pandas as pd

from lib.fmt import stamp_text
from lib import clock
from lib.audit import TABLE_LABELS

BEIJING = clock.CHINA.utcoffset(None)  # derived from the one clock (lib.clock), for pages that shift stored UTC
TABLES = TABLE_LABELS
# Field names in before/after, as people call them.
FIELDS = {
    "community": "社区", "star": "星", "status": "状态", "score": "得分", "valid_from": "生效日期", "note": "备注",
    "day": "日期", "occupied": "入住人数", "beds": "床位", "facility": "机构", "category": "类别", "finding": "问题",
    "lon": "经度", "lat": "纬度", "due_on": "整改期限", "check_id": "核查编号", "photo": "照片", "code": "户编号",
    "subject": "对象", "indicator": "指标", "label": "名称", "value": "数值", "unit": "单位", "qualifier": "限定",
    "source": "来源", "id": "编号", "username": "用户名", "display_name": "姓名", "role": "角色", "active": "启用",
    "mime": "类型", "bytes": "字节", "kind": "类别", "rows": "行数", "file": "文件", "layer": "图层",
    "version": "版本", "features": "要素数", "inserted": "新增", "unchanged": "未变", "updated": "更正",
    "recorded_by": "录入人", "created_by": "登记人", "name": "名称", "expires_at": "到期时间",
    "from_version": "恢复自版本", "schematic": "示意图",
}
COLUMNS = {"at": "时间（北京时间）", "username": "用户", "action_label": "操作", "table_label": "数据表",
           "record_key": "记录", "community": "社区", "before": "修改前", "after": "修改后"}


beijing_today = clock.today  # the one clock
# The time column stays a time (sorted by time, not as text, where 「12月」 sorts before 「9月」), shown as
# 「2024年2月20日 10:00:05」 (widgets.date_columns); one row's time: shown_time.


def shown_time(stored) -> str:
    """A log row's stored (UTC) time as its heading shows it."""
    return stamp_text(stored, seconds=True)


def _value(v) -> str:
    if v is None:
        return "（空）"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def change_text(d, names: dict[str, str] | None = None) -> str:
    """{"status": "已达标", "score": 95} -> 「状态：已达标；得分：95」; internal keys among the values (a facility's
    key, an indicator code) are shown by their names; empty -> ""."""
    if d is None or (isinstance(d, float) and pd.isna(d)):
        return ""
    if not isinstance(d, dict):
        return _value(d)
    names = names or {}
    return "；".join(f"{FIELDS.get(k, k)}：{_moment(v) if k.endswith('_at') else names.get(_value(v), _value(v))}"
                    for k, v in d.items())


def _moment(v) -> str:
    """A stored moment (「…_at」: naive UTC) as the log's own times read, in China time."""
    try:
        return stamp_text(v) or _value(v)
    except (TypeError, ValueError):
        return _value(v)


def record_text(key: str | None, names: dict[str, str] | None = None) -> str:
    """「care_centre/2026-12-05」 -> 「光武街道综合养老服务中心 · 2026-12-05」: each part by its name when known."""
    if not key:
        return ""
    names = names or {}
    return " · ".join(names.get(part, part) for part in str(key).split("/"))


def audit_table(df: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """The log with Chinese columns, Beijing times and one-line before/after texts; `names` maps internal keys
    (facility keys, indicator codes, 「subdistrict」) to what people call them."""
    out = df.copy()
    out["at"] = pd.to_datetime(out["at"]) + BEIJING  # China wall-clock time, shown by widgets.date_columns
    out["table_label"] = out["table_name"].map(lambda t: TABLES.get(t, t))
    out["community"] = out["community"].fillna("")
    out["record_key"] = out["record_key"].map(lambda k: record_text(None if pd.isna(k) else k, names))
    out["before"] = out["before"].map(lambda d: change_text(d, names))
    out["after"] = out["after"].map(lambda d: change_text(d, names))
    return out[list(COLUMNS)].rename(columns=COLUMNS)
