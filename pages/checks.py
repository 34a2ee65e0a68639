"""现场核查: open items per community on the map and in a list (filing from tablets: sign in first)."""
from __future__ import annotations

import streamlit as st

from lib.clock import to_local
from lib.fmt import cn_date, cn_datetime
from lib.privacy import mask_person, mask_phone_numbers
from ui import bridge, map_view, widgets

bridge.ensure_entrypoint()

community = bridge.selected_community()
as_of = bridge.as_of()
st.title("现场核查" + (f" · {community}社区" if community else ""))
widgets.as_of_stamp(bridge.data_as_of(as_of=as_of), chosen=as_of)
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
        if not signed_in:  # phone numbers in findings and who recorded them are hidden from anonymous viewers
            df = df.assign(finding=df["finding"].map(mask_phone_numbers), created_by=df["created_by"].map(mask_person))
        view = df.assign(photo=[bridge.check_thumbnail(int(p)) if p is not None and p == p else None
                                for p in df["photo_id"]],
                         due=df["due_on"].map(cn_date), created=[cn_datetime(to_local(t)) for t in df["created_at"]],
                         source=df["is_demo"].map({True: "示例数据", False: "工作人员录入"}))
        columns = {"photo": "照片", "community": "社区", "category": "类别", "finding": "问题", "status": "状态",
                   "due": "整改期限", "created": "登记时间", "created_by": "登记人", "source": "来源"}
        if community:  # one community selected: its name on every row says nothing
            columns.pop("community")
        # Pixel widths that fit 780 px (820 portrait): every column visible, 问题 takes the rest.
        widths = {"照片": 56, "社区": 64, "类别": 76, "状态": 64, "整改期限": 112, "登记时间": 150, "登记人": 64,
                  "来源": 96}
        config = {name: st.column_config.Column(name, width=w) for name, w in widths.items()}
        config["照片"] = st.column_config.ImageColumn("照片", width=56)
        st.markdown("**核查清单**")  # also keeps the table's toolbar clear of the cards above
        st.dataframe(view[list(columns)].rename(columns=columns), column_config=config, row_height=48,
                     hide_index=True, width="stretch")

with widgets.guard("核查地图"):
    st.caption("红圈为未办结的核查点。")
    map_view.render(key_prefix="checks", height=460, controls=False, checks=True, metric="stars")
