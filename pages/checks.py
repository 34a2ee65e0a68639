"""现场核查: open items per community on the map and in a list (filing from tablets: sign in first)."""
from __future__ import annotations

import streamlit as st

from lib.fmt import cn_date
from lib.privacy import mask_phone_numbers
from ui import bridge, map_view, widgets

bridge.ensure_entrypoint()

community = bridge.selected_community()
as_of = bridge.as_of()
st.title("现场核查" + (f" · {community}社区" if community else ""))
widgets.as_of_stamp(bridge.header())
if bridge.can_edit():
    st.page_link("pages/check_form.py", label="登记现场核查", icon=":material/add_location_alt:")
signed_in = bridge.current_actor() is not None

with widgets.guard("核查清单"):
    open_only = st.toggle("只看未办结", value=True, key="checks.open_only")
    df = bridge.site_checks(community=community, open_only=open_only, as_of=as_of)
    if df.empty:
        st.info("暂无核查记录。" if not open_only else "没有未办结的核查事项。", icon=":material/task_alt:")
    else:
        if df["is_demo"].any():
            widgets.demo_note("部分核查记录")
        counts = df["status"].value_counts()
        cols = st.columns(3)
        for col, status in zip(cols, ["待整改", "整改中", "已办结"], strict=True):
            col.metric(status, f"{int(counts.get(status, 0))}项", border=True)
        if not signed_in:  # phone-number-like digit runs are hidden from viewers who are not signed in
            df = df.assign(finding=df["finding"].map(mask_phone_numbers))
        view = df.assign(due=df["due_on"].map(cn_date), created=df["created_at"].map(cn_date),
                         source=df["is_demo"].map({True: "示例数据", False: "工作人员录入"}))
        st.dataframe(view[["community", "category", "finding", "status", "due", "created", "created_by", "source"]]
                     .rename(columns={"community": "社区", "category": "类别", "finding": "问题", "status": "状态",
                                      "due": "整改期限", "created": "登记日期", "created_by": "登记人",
                                      "source": "来源"}),
                     hide_index=True, width="stretch")

with widgets.guard("核查地图"):
    st.caption("红圈为未办结的核查点。")
    map_view.render(key_prefix="checks", height=460, controls=False, checks=True, metric="stars")
