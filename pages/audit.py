"""审计日志 (administrators): who changed what and when, filtered by user, community, table and date."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from ui import audit_view, bridge, export, widgets

bridge.ensure_entrypoint()

KEY = {"user": "audit.user", "community": "audit.community", "table": "audit.table", "dates": "audit.dates",
       "grid": "audit.grid", "export": "audit.export"}
LIMIT = 2000
DEFAULT_DAYS = 30

st.title("审计日志")
if not bridge.is_admin():
    st.warning("审计日志仅街道管理员可查看，请先以管理员账号登录。", icon=":material/lock:")
    st.stop()
st.caption("每一次写入（录入、台账导入、地图导入、用户管理、登录）都在同一事务中留下一条记录，只追加、不可修改。"
           "时间为北京时间。")

today = audit_view.beijing_today()
with widgets.guard("审计筛选"):
    users = bridge.audit_usernames()
    c1, c2, c3, c4 = st.columns([2, 2, 2, 3])
    user = c1.selectbox("用户", users, index=None, key=KEY["user"], placeholder="全部用户")
    community = c2.selectbox("社区", bridge.community_options(), index=None, key=KEY["community"],
                             placeholder="全部社区")
    table = c3.selectbox("数据表", list(audit_view.TABLES), index=None, key=KEY["table"],
                         format_func=lambda t: audit_view.TABLES.get(t, t), placeholder="全部数据表")
    dates = c4.date_input("日期范围", value=(today - dt.timedelta(days=DEFAULT_DAYS), today), key=KEY["dates"],
                          max_value=today, format="YYYY-MM-DD", help="北京时间，含首尾两天；只选一天则从该天起")

with widgets.guard("审计日志"):
    picked = list(dates) if isinstance(dates, (list, tuple)) else [dates]
    start, end = (picked + [None, None])[:2]
    raw = bridge.audit_log(user=user, community=community, table=table, start=start, end=end, limit=LIMIT + 1)
    if len(raw) > LIMIT:
        st.caption(f"记录较多，只显示最新的 {LIMIT} 条；请缩小日期范围或增加筛选条件。")
        raw = raw.head(LIMIT)
    if raw.empty:
        st.info("没有符合条件的记录。", icon=":material/search_off:")
        st.stop()
    view = audit_view.audit_table(raw, bridge.audit_names())
    st.caption(f"共 {len(view)} 条记录（最新在前）。选中一行可查看修改前后的完整内容。")
    event = st.dataframe(view, hide_index=True, width="stretch", key=KEY["grid"], on_select="rerun",
                         selection_mode="single-row",
                         column_config={**widgets.date_columns(view),
                                        "修改前": st.column_config.TextColumn(width="large"),
                                        "修改后": st.column_config.TextColumn(width="large")})
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    if rows:
        row = raw.iloc[rows[0]]
        shown = view.iloc[rows[0]]
        st.markdown("**" + " · ".join(widgets.md_escape(v) for v in (audit_view.shown_time(row["at"]), row["username"],
                                                                     shown["操作"], shown["数据表"])) + "**")
        b, a = st.columns(2)
        with b:
            st.caption("修改前")
            st.json(row["before"] if isinstance(row["before"], dict) else {}, expanded=True)
        with a:
            st.caption("修改后")
            st.json(row["after"] if isinstance(row["after"], dict) else {}, expanded=True)
    span = f"{start:%Y%m%d}-{(end or today):%Y%m%d}" if start else f"{today:%Y%m%d}"
    export.download_xlsx(view, label="导出为 Excel", file_name=f"审计日志_{span}.xlsx", key=KEY["export"],
                         title=f"光武街道看板审计日志（{start or '最早'} 至 {end or today}，北京时间）",
                         sheet_name="审计日志")
