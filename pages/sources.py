"""数据来源: where every figure comes from, and what is demo or schematic."""
from __future__ import annotations

import streamlit as st

from ui import bridge, widgets

bridge.ensure_entrypoint()

st.title("数据来源与说明")
widgets.as_of_stamp(bridge.header())

with widgets.guard("来源清单"):
    src = bridge.sources_q(signed_in=bridge.signed_in())  # staff names for signed-in viewers only (lib)
    for r in src.itertuples():
        with st.container(border=True):
            st.markdown(f"{widgets.kind_badge(r.kind)} **{widgets.md_escape(r.title)}**")
            if r.publisher:
                st.caption(widgets.md_escape(r.publisher))
            if r.note:
                st.text(r.note)
            if r.figures:
                st.caption(f"据此记录的数字：{r.figures} 项")

with widgets.guard("报道数字与原文"):
    st.subheader("报道中的全部数字（附原文）")
    table = bridge.reported_figures().rename(columns={  # the article's, whatever was entered since (lib)
        "subject": "对象", "label": "指标", "display": "数值", "valid_from": "截至", "quote": "报道原文"})
    st.dataframe(table, hide_index=True, width="stretch", column_config=widgets.date_columns(table))

st.subheader("示例数据与示意图")
origin = bridge.map_origin()  # what of the map is 示意 and what surveyed, with each survey's source
st.markdown(
    "- 报道未公布的数字（各社区五星得分、每日入住人数、逐户征迁状态、红色物业项目明细、现场核查示例）"
    "由固定随机种子生成，界面上一律标注「示例数据」，不得作为正式数字引用。\n"
    f"- 地图为「{origin.tag}」：{widgets.md_escape(origin.note)}管理员可用测绘数据替换任一图层。"
)
