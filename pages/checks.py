"""现场核查: open items per community on the map and in a list (filing from tablets: sign in first)."""
from __future__ import annotations

import streamlit as st

from ui import bridge, map_view, widgets
from ui.views import checks as checks_view

bridge.ensure_entrypoint()

community = bridge.selected_community()
as_of = bridge.as_of()
st.title("现场核查" + (f" · {bridge.scope().label}" if community else ""))
widgets.as_of_stamp(bridge.header())
if bridge.can_edit():
    st.page_link("pages/check_form.py", label="登记现场核查", icon=":material/add_location_alt:")

with widgets.guard("核查清单"):
    open_only = st.toggle("只看未办结", value=True, key="checks.open_only")
    view = checks_view.checks_list(community, as_of, open_only=open_only)
    if view.demo:
        widgets.demo_note(view.demo)
    if view.counts:  # every check in the scope, whatever the list shows
        for col, (status, count) in zip(st.columns(3), view.counts, strict=True):
            col.metric(status, count, border=True)
    if view.empty:
        st.info(view.empty, icon=":material/task_alt:")
    else:
        # Pixel widths that add up to 772 px: every column is visible at 820 px (portrait tablet, 780 px of page).
        widths = {"社区": 60, "类别": 72, "问题": 156, "状态": 60, "整改期限": 108, "登记时间": 144, "登记人": 72,
                  "来源": 52}
        config = {name: st.column_config.Column(name, width=w) for name, w in widths.items()}
        config["照片"] = st.column_config.ImageColumn("照片", width=48)
        st.markdown("**核查清单**")  # also keeps the table's toolbar clear of the cards above
        st.dataframe(view.table, column_config=config, row_height=48, hide_index=True, width="stretch")

with widgets.guard("核查地图"):
    st.caption("红圈为未办结的核查点。")
    map_view.render(key_prefix="checks", height=460, controls=False, checks=True, metric="stars")
