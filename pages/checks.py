"""现场核查: open items per community on the map and in a list (filing from tablets: sign in first)."""
from __future__ import annotations

import streamlit as st

from ui import bridge, map_view, widgets

bridge.ensure_entrypoint()

community = bridge.selected_community()
as_of = bridge.as_of()
st.title("现场核查" + (f" · {bridge.scope().label}" if community else ""))
widgets.as_of_stamp(bridge.header())
if bridge.can_edit():
    st.page_link("pages/check_form.py", label="登记现场核查", icon=":material/add_location_alt:")
signed_in = bridge.signed_in()

with widgets.guard("核查清单"):
    open_only = st.toggle("只看未办结", value=True, key="checks.open_only")
    table, df = bridge.site_check_table(bridge.scope(), open_only=open_only, signed_in=signed_in)
    if df.empty:
        st.info("暂无核查记录。" if not open_only else "没有未办结的核查事项。", icon=":material/task_alt:")
    else:
        if df["is_demo"].any():
            widgets.demo_note("部分核查记录")
        counts = df["status"].value_counts()
        cols = st.columns(3)
        for col, status in zip(cols, ["待整改", "整改中", "已办结"], strict=True):
            col.metric(status, f"{int(counts.get(status, 0))}项", border=True)
        table.insert(0, "照片", bridge.check_thumbnails(df["photo_id"]))
        # Pixel widths that add up to 772 px: every column is visible at 820 px (portrait tablet, 780 px of page).
        widths = {"社区": 60, "类别": 72, "问题": 156, "状态": 60, "整改期限": 108, "登记时间": 144, "登记人": 72,
                  "来源": 52}
        config = {name: st.column_config.Column(name, width=w) for name, w in widths.items()}
        config["照片"] = st.column_config.ImageColumn("照片", width=48)
        st.markdown("**核查清单**")  # also keeps the table's toolbar clear of the cards above
        st.dataframe(table, column_config=config, row_height=48, hide_index=True, width="stretch")

with widgets.guard("核查地图"):
    st.caption("红圈为未办结的核查点。")
    map_view.render(key_prefix="checks", height=460, controls=False, checks=True, metric="stars")
