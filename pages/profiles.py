"""社区档案: the subdistrict profile and the 11 communities, or everything known about one community."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.bridge import cn_date
from ui import bridge, charts, kpi_grid, styled_tables, widgets

bridge.ensure_entrypoint()

ECONOMY = [("专业批发市场", "专业批发市场（11个）"), ("摩天中心", "摩天中心创业大厦"), ("星光大排档", "南阳市星光大排档（夜市）")]
NOTE_KINDS = {"概况": "概况", "红色物业小区": "“红色物业”小区"}

community = bridge.selected_community()
as_of = bridge.as_of()

st.title(f"社区档案 · {bridge.full_name(community)}" if community else "社区档案 · 光武街道")
widgets.as_of_stamp(bridge.header())


def metric_grid(df: pd.DataFrame, *, per_row: int = 4, label_col: str = "label") -> None:
    """Fact rows as KPI cards, `per_row` to a row; each card's hover shows its source quote."""
    latest = bridge.header().latest
    kpi_grid.grid([kpi_grid.card(bridge.figure(r), header=latest, label=r[label_col]) for r in df.to_dict("records")],
                  columns=per_row)  # one element for all the cards


def subdistrict() -> None:
    with widgets.guard("街道概况"):
        st.subheader("街道概况")
        overview = bridge.subdistrict_overview(as_of=as_of)
        if overview.empty:
            widgets.no_data("截至所选日期的街道概况")
        else:
            metric_grid(overview, per_row=4)
            st.caption("来源：新闻报道（悬停数字可见原文）。")
    for subject, title in ECONOMY:
        with widgets.guard(title):
            st.subheader(title)
            figs = bridge.facts_q(subject=subject, as_of=as_of)
            if figs.empty:
                widgets.no_data(f"截至所选日期的{subject}数字")
                continue
            metric_grid(figs, per_row=min(len(figs), 3))
            for r in bridge.notes_q(subject=subject).itertuples():
                st.caption(f"{widgets.md_escape(r.text)}（原文：“{widgets.md_escape(r.quote)}”）")
    with widgets.guard("各社区一览"):
        st.subheader("11个社区一览")
        summary = bridge.community_summary(as_of=as_of)
        known = summary["published_figures"] > 0
        table = pd.DataFrame({
            "社区": summary["full_name"], "位置": summary["side"],
            "示范社区状态": summary["model_status"].fillna("暂无记录"),
            "已达标星数（示例）": [f"{int(n)}颗" if pd.notna(n) else "暂无" for n in summary["stars"]],
            "报道公布的数字": [f"{n}项" if n else "暂无公开数据" for n in summary["published_figures"]],
            "荣誉": summary["honours"].replace("", "—"), "设施与场所": summary["places"].replace("", "—")})
        st.dataframe(styled_tables.styled_table(table, colors=charts.MODEL_STATUS_COLORS, status_cols=["示范社区状态"]),
                     hide_index=True, width="stretch", height=charts.table_height(len(table)),
                     column_config={"荣誉": st.column_config.TextColumn(width="large"),
                                    "设施与场所": st.column_config.TextColumn(width="large")})
        st.caption(f"报道公布了具体数字的社区：{'、'.join(summary.loc[known, 'name']) or '无'}；"
                   f"其余{int((~known).sum())}个社区暂无公开数据。{widgets.DEMO_BADGE} 星数为示例数据。")


def one_community(name: str) -> None:
    profile = None
    with widgets.guard("社区档案"):
        profile = bridge.community_profile(name, as_of=as_of)
    if profile is None:
        return
    st.caption(f"{profile.full_name} · {profile.side}")
    with widgets.guard("状态"):
        latest = bridge.header().latest
        ms = profile.model_status
        stars = bridge.summary_panel(bridge.Scope.of(name, as_of)).stars
        cards = []
        if ms is None:
            widgets.no_data("示范社区状态")
        else:
            cards.append(kpi_grid.card(bridge.figure({**ms.to_dict(), "label": "示范社区状态", "display": ms["status"],
                                                      "quote": ms["note"]}),
                                       header=latest, delta=f"自{cn_date(ms['valid_from'])}起", flat=True))
        if stars is None:
            widgets.no_data("五星评定")
        else:
            cards.append(kpi_grid.card(stars, header=latest, label="五星支部已达标"))
        kpi_grid.grid(cards, columns=2)  # one element for both cards
        if stars is not None and stars.is_demo:
            widgets.demo_note("五星达标星数")
    with widgets.guard("公开数字"):
        figs = profile.facts[~profile.facts["is_demo"]]
        if not profile.has_published_figures:
            st.info("该社区暂无公开数据。" + ("（报道数字截至2023年11月22日）" if as_of else ""),
                    icon=":material/info:")
        else:
            own = figs[figs["subject"] == profile.full_name]
            if not own.empty:
                st.subheader("社区概况")
                metric_grid(own)
                st.caption("来源：新闻报道（悬停数字可见原文）。")
            for subject, g in figs[figs["subject"] != profile.full_name].groupby("subject", sort=False):
                st.markdown(f"**{widgets.md_escape(subject)}**")
                metric_grid(g)
    with widgets.guard("荣誉与概况"):
        notes = profile.notes
        honours = notes[notes["kind"] == "荣誉"]
        if not honours.empty:
            st.subheader("荣誉")
            st.markdown("　".join(f":red-badge[{widgets.md_escape(t)}]" for t in honours["text"]))
            for q in honours["quote"].drop_duplicates():
                st.caption(f"来源：新闻报道。原文：“{widgets.md_escape(q)}”")
        for kind, title in NOTE_KINDS.items():
            part = notes[notes["kind"] == kind]
            if not part.empty:
                st.markdown(f"**{title}**：" + "；".join(widgets.md_escape(t) for t in part["text"]))
                st.caption(f"原文：“{widgets.md_escape(part['quote'].iloc[0])}”")
    with widgets.guard("辖区设施"):
        fac = bridge.care_facilities(community=name)
        if not fac.empty:
            st.subheader("辖区养老设施")
            st.dataframe(pd.DataFrame({
                "设施": fac["name"], "类型": fac["kind"],
                "床位": [f"{int(b)}张" if pd.notna(b) else "暂无公开数据" for b in fac["beds"]],
                "来源": fac["source_kind"].map(widgets.kind_label)}),
                hide_index=True, width="stretch")


if community:
    one_community(community)
else:
    subdistrict()
