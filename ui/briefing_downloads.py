"""「汇报材料」 download buttons (PDF and xlsx of the selected scope), on the overview and the big screen."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from ui import bridge

PDF_MIME = "application/pdf"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def buttons(*, community: str | None, as_of: dt.date | None, key: str, width: str = "content") -> None:
    """Two buttons; the pack is built only when one is pressed (then cached per scope for a minute)."""
    scope = f"{community}社区" if community else "全街道"
    st.download_button(f"汇报材料 PDF（{scope}）", data=lambda: bridge.briefing_pack(community, as_of)[0],
                       file_name=bridge.briefing_file_name(bridge.Scope.of(community, as_of), "pdf"), mime=PDF_MIME,
                       key=f"{key}.pack_pdf", icon=":material/picture_as_pdf:", width=width)
    st.download_button(f"汇报数字 Excel（{scope}）", data=lambda: bridge.briefing_pack(community, as_of)[1],
                       file_name=bridge.briefing_file_name(bridge.Scope.of(community, as_of), "xlsx"), mime=XLSX_MIME,
                       key=f"{key}.pack_xlsx", icon=":material/table_view:", width=width)


def section(*, community: str | None, as_of: dt.date | None) -> None:
    """The overview's 「汇报材料」 section in the sidebar."""
    with st.sidebar:
        st.subheader("汇报材料")
        st.caption("A4 横版 PDF：封面、地图、四个板块、数据来源；Excel 为其中每个数字及来源、日期。")
        buttons(community=community, as_of=as_of, key="overview", width="stretch")
