"""Key figures of the four panels, and the selected community's card (overview and big screen)."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from lib.fmt import cn_date, percent
from ui import bridge, widgets


def relocation_metric(*, community: str | None, as_of: dt.date | None) -> None:
    h = bridge.relocation_headline(community=community, as_of=as_of)
    if not h.total.value:
        st.metric("文化路北延征迁", "无涉迁户", help="该社区没有文化路北延涉迁户记录", border=True)
        return
    label = "征迁签约" + (" · 示例" if h.signed.is_demo else "")
    st.metric(label, f"{h.signed.value:.0f}/{h.total.value:.0f}户", border=True,
              help=widgets.source_text(h.signed.source_kind, h.signed.source_title, h.signed.quote))
    st.caption(f"累计拆迁 {h.demolished_m2.display}" + ("（示例）" if h.demolished_m2.is_demo else ""))


def care_metric(*, community: str | None, as_of: dt.date | None) -> None:
    fac = bridge.care_facilities(community=community)
    with_beds = fac[fac["beds"].notna()]
    if with_beds.empty:
        st.metric("养老床位", "本社区无", border=True, help="所选社区没有登记床位的养老机构")
        return
    occ = bridge.current_occupancy(facility=with_beds["key"].iloc[0], as_of=as_of)
    if occ.occupied is None:
        st.metric("养老中心入住", "暂无数据", border=True)
        return
    label = "养老中心床位" + (" · 示例" if occ.is_demo else "")
    st.metric(label, f"{occ.occupied}/{occ.beds}床", delta=None, border=True,
              help=widgets.source_text(occ.source_kind, occ.source_title) + f"  \n日期：{cn_date(occ.day)}")
    st.caption(f"入住率 {percent(occ.occupied, occ.beds)}，空床 {occ.free} 张")


def stars_metric(*, community: str | None, as_of: dt.date | None) -> None:
    counts = bridge.star_counts(community=community, as_of=as_of)
    if counts.empty:
        st.metric("五星支部", "暂无数据", border=True)
        return
    done = int(counts["stars"].sum())
    total = 5 * len(counts)
    st.metric("五星达标 · 示例", f"{done}/{total}星", border=True,
              help="各社区星级评定为示例数据（报道未公布）")
    st.caption(widgets.DEMO_BADGE + " 星级评定报道未公布")


def model_metric(*, community: str | None, as_of: dt.date | None) -> None:
    status = bridge.model_status(community=community, as_of=as_of)
    named = status[status["status"] == "已命名示范社区"]
    if community:
        value = status["status"].iloc[0] if not status.empty else "暂无数据"
        st.metric("示范社区", value, border=True, help="来源：新闻报道")
    else:
        st.metric("命名示范社区", f"{len(named)}个", border=True,
                  help="2023年9月23日，中兴、大官庄、西华、工业路被命名为示范社区（新闻报道）")
    if not named.empty:
        st.caption(f"{cn_date(named['valid_from'].min())}命名：" + "、".join(named["community"]))


def panel_summaries(*, as_of: dt.date | None, community: str | None = None) -> None:
    """The four panels' key figures in a 2 × 2 grid."""
    top = st.columns(2)
    with top[0], widgets.guard("五星支部"):
        stars_metric(community=community, as_of=as_of)
    with top[1], widgets.guard("示范社区"):
        model_metric(community=community, as_of=as_of)
    bottom = st.columns(2)
    with bottom[0], widgets.guard("征迁"):
        relocation_metric(community=community, as_of=as_of)
    with bottom[1], widgets.guard("养老"):
        care_metric(community=community, as_of=as_of)


def community_card(name: str, *, as_of: dt.date | None) -> None:
    p = bridge.community_profile(name, as_of=as_of)
    with st.container(border=True):
        st.subheader(p.full_name)
        st.caption(f"{p.side} · 位置与边界为示意")
        cols = st.columns(2)
        with cols[0]:
            status = p.model_status["status"] if p.model_status is not None else "暂无数据"
            st.metric("示范社区", status, border=True, help="来源：新闻报道")
        with cols[1]:
            st.metric("五星达标 · 示例", "暂无数据" if p.stars is None else f"{p.stars}/5星", border=True,
                      help="星级评定为示例数据（报道未公布）")
        published = p.facts[~p.facts["is_demo"]]
        if published.empty:
            st.info(f"{p.full_name}暂无公开数据（报道仅列出社区名称）。", icon=":material/info:")
        else:
            for _, row in published.head(8).iterrows():
                st.markdown(f"**{row['label']}**：{row['display']}", help=widgets.source_text(
                    row["source_kind"], row["source_title"], row["quote"]))
            if len(published) > 8:
                st.caption(f"另有 {len(published) - 8} 项，见「社区档案」页。")
        honours = p.notes[p.notes["kind"] == "荣誉"] if not p.notes.empty else p.notes
        if not honours.empty:
            st.markdown("**荣誉**：" + "、".join(honours["text"]))
    panel_summaries(as_of=as_of, community=name)


def briefing_figures(*, community: str | None, as_of: dt.date | None) -> list:
    """The figures of the briefing picture, each with 「示例」 where it is demo data."""
    from ui.briefing_png import Figure

    out = []
    h = bridge.relocation_headline(community=community, as_of=as_of)
    if h.total.value:
        out.append(Figure("文化路北延 已签约/涉迁户", f"{h.signed.value:.0f}/{h.total.value:.0f}户",
                          "示例" if h.signed.is_demo else "报道"))
        out.append(Figure("累计完成拆迁", h.demolished_m2.display, "示例" if h.demolished_m2.is_demo else "报道"))
    fac = bridge.care_facilities(community=community)
    with_beds = fac[fac["beds"].notna()]
    if not with_beds.empty:
        occ = bridge.current_occupancy(facility=with_beds["key"].iloc[0], as_of=as_of)
        if occ.occupied is not None:
            out.append(Figure("综合养老服务中心 入住/床位", f"{occ.occupied}/{occ.beds}床（{percent(occ.occupied, occ.beds)}）",
                              "示例" if occ.is_demo else "报道"))
    status = bridge.model_status(community=community, as_of=as_of)
    named = status[status["status"] == "已命名示范社区"]["community"].tolist()
    out.append(Figure("命名示范社区", "、".join(named) if named else "暂无", "报道"))
    counts = bridge.star_counts(community=community, as_of=as_of)
    if not counts.empty:
        out.append(Figure("五星达标", f"{int(counts['stars'].sum())}/{5 * len(counts)}星", "示例"))
    if community is None:
        for _, r in bridge.subdistrict_overview(as_of=as_of).head(4).iterrows():
            out.append(Figure(r["label"], r["display"], "报道"))
    return out


def briefing_png(*, community: str | None, as_of: dt.date | None) -> bytes:
    from geo.deck_style import DEFAULT_SCALE, class_breaks, color_for
    from ui.briefing_png import render_briefing

    values = bridge.community_metric("model", as_of=as_of).set_index("community")["value"]
    breaks = class_breaks(range(4), len(DEFAULT_SCALE))
    colors = {n: color_for(v, breaks, DEFAULT_SCALE) for n, v in values.items() if v == v and v is not None}
    legend = [(s, color_for(i, breaks, DEFAULT_SCALE)) for i, s in
              enumerate(["未命名", "创建中", "先行先试", "已命名示范社区"])]
    stamp = f"数据截至 {cn_date(bridge.data_as_of(as_of=as_of))}"
    title = "光武街道基层治理简报" + (f" · {community}社区" if community else "")
    return render_briefing(title=title, stamp=stamp, figures=briefing_figures(community=community, as_of=as_of),
                           layers=bridge.map_layers(), colors=colors, selected=community, legend=legend)
