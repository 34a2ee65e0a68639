"""我的核查: a 网格员's own checks still open (overdue first), with photo, time and 整改期限 — one card each,
one column, so it reads on a tablet held in one hand."""
from __future__ import annotations

import streamlit as st

from ui import bridge, forms, widgets
from ui.bridge import cn_date

bridge.ensure_entrypoint()

st.title("我的核查")
actor = forms.require_editor("我的核查")
st.caption(f":material/person: {widgets.md_escape(actor.display_name)} 登记的、尚未办结的核查事项；超过整改期限的排在最前。")
st.page_link("pages/check_form.py", label="登记新的核查 / 更新进展", icon=":material/add_location_alt:",
             width="stretch")

with widgets.guard("我的核查"):
    mine = bridge.my_open_checks(actor.username)
    if mine.empty:
        filed = bridge.my_filed_count(actor.username)
        st.info(f"您登记的 {filed} 项核查事项都已办结。" if filed else "您还没有登记过核查事项。",
                icon=":material/task_alt:")
    else:
        late = int(mine["overdue"].sum())
        st.markdown(f"共 **{len(mine)}** 项未办结" + (f"，其中 :red[**{late}** 项已超期]" if late else "") + "。")
    for r in mine.itertuples():
        with st.container(border=True, key=f"mychecks.card.{r.id}"):
            text, photo = st.columns([3, 1], gap="small", vertical_alignment="top")
            with text:
                due = cn_date(r.due_on) if r.due_on is not None else "未设期限"
                badge = ":red-badge[已超期]" if r.overdue else f":blue-badge[{r.status}]"
                st.markdown(f"{badge} **#{r.id} {widgets.md_escape(r.community)} · {widgets.md_escape(r.category)}**")
                st.text(str(r.finding))  # user text: shown as text, never Markdown
                st.caption(f"登记于 {r.created} · 整改期限 {due} · 状态 {r.status}")
            with photo:
                shot = bridge.check_thumbnail(int(r.photo_id)) if r.photo_id is not None else None
                if shot:
                    st.image(shot, caption="现场照片", width="stretch")
                else:
                    st.caption("无照片")
