"""The one adapter from the data layer to the pack: today's `lib.queries`, figure by figure.

Each panel's figures carry their source kind (报道/录入/示例), citation or author, and date. With a
last-briefing date, the same figures are collected on that date and every figure gets its change.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
from sqlalchemy import Engine

from lib import alerts as alerts_mod
from lib import briefing_date
from lib.alerts import Alert
from lib.briefing.model import Pack, PackFigure, PackPanel, kind_label
from lib.config import settings
from lib.figures import MIXED, TAGS, Figure, compare
from lib.fmt import cn_date, percent
from lib.panels import no_relocation_note
from lib.queries import care, checks, communities, map_data, model_communities, relocation, stars
from lib.scope import Scope

DEMO_CITATION = "示例数据（固定随机种子生成，非官方数字）"
OVERVIEW_MAX = 10
CARE_WINDOW_DAYS = 90
STORED = object()  # collect_pack's default: the stored 「上次汇报日期」 (lib.briefing_date)


def _citation(kind: str | None, quote: str | None = None, title: str | None = None,
              recorded_by: str | None = None) -> str:
    if kind == "demo":
        return DEMO_CITATION
    if kind in ("staff", "survey"):
        return f"录入：{recorded_by or '工作人员'}"
    if quote:
        return f"原文：“{quote}”"
    return f"新闻报道《{title}》" if title else "新闻报道"


def _day(value) -> dt.date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def _fact_figure(panel: str, row: pd.Series, label: str | None = None) -> PackFigure:
    return PackFigure(panel, label or row["label"], str(row["display"]), kind_label(row["source_kind"]),
                      _citation(row["source_kind"], row.get("quote"), row.get("source_title"), row.get("recorded_by")),
                      _day(row["valid_from"]), None if pd.isna(row["value"]) else float(row["value"]),
                      str(row.get("unit") or ""), reported_later=bool(row.get("reported_later", False)))


def _overview(community: str | None, as_of, engine) -> list[PackFigure]:
    if community is None:
        rows = communities.subdistrict_overview(as_of=as_of, engine=engine)
        return [_fact_figure("概况", r) for _, r in rows.iterrows()]
    profile = communities.community_profile(community, as_of=as_of, engine=engine)
    own = {community, profile.full_name}
    published = profile.facts[~profile.facts["is_demo"]]
    published = published.assign(other=~published["subject"].isin(own)).sort_values("other", kind="stable")
    published = published.head(OVERVIEW_MAX)
    return [_fact_figure("概况", r, r["label"] if r["subject"] in own else f"{r['subject']}·{r['label']}")
            for _, r in published.iterrows()]


def _stars(community: str | None, as_of, engine) -> PackPanel:
    matrix = stars.star_matrix(community=community, as_of=as_of, engine=engine)
    counts = stars.star_counts(community=community, as_of=as_of, engine=engine)
    figures = []
    if not counts.empty:
        day = _day(matrix["valid_from"].max()) if not matrix.empty else None
        done, total = int(counts["stars"].sum()), 5 * len(counts)
        label = "已达标星数" if community else "各社区已达标星数合计"
        figures.append(PackFigure("五星", label, f"{done}/{total}颗", "示例", DEMO_CITATION, day, done, "颗"))
        if community is None:
            full = int((counts["stars"] == 5).sum())
            figures.append(PackFigure("五星", "五星全部达标的社区", f"{full}个", "示例", DEMO_CITATION, day, full, "个"))
        else:
            for _, r in matrix.iterrows():
                figures.append(PackFigure("五星", r["star"], str(r["status"]), "示例", DEMO_CITATION,
                                          _day(r["valid_from"])))
    note = "格内数字为示例得分（≥85 已达标，40–85 创建中，<40 未启动）；星级评定报道未公布，均为示例数据。"
    return PackPanel("stars", "五星支部创建", figures, note=note, chart_data=matrix,
                     chart_args={"stars": stars.STARS, "highlight": community,
                                 "communities": communities.community_names(engine=engine)})


def _model(community: str | None, as_of, engine) -> PackPanel:
    status = model_communities.model_status(community=community, as_of=as_of, engine=engine)
    everyone = model_communities.model_status(as_of=as_of, engine=engine)
    figures = []
    for _, r in status.iterrows() if community else []:
        figures.append(PackFigure("示范", "示范社区状态", str(r["status"]), kind_label(r["source_kind"]),
                                  _citation(r["source_kind"], r.get("note"), r.get("source_title")),
                                  _day(r["valid_from"])))
    if community is None:
        for name in ("已命名示范社区", "先行先试", "创建中"):
            rows = everyone[everyone["status"] == name]
            if rows.empty:
                continue
            r = rows.iloc[0]
            figures.append(PackFigure("示范", name, f"{len(rows)}个（{'、'.join(rows['community'])}）",
                                      kind_label(r["source_kind"]), _citation(r["source_kind"], r.get("note"),
                                                                             r.get("source_title")),
                                      _day(rows["valid_from"].min()), len(rows), "个"))
    named = everyone[everyone["status"] == "已命名示范社区"]
    note = (f"{cn_date(named['valid_from'].min())}，{'、'.join(named['community'])}被命名为示范社区（新闻报道）。"
            if not named.empty else "")
    spans = model_communities.model_timeline(as_of=as_of, until=communities.data_as_of(as_of=as_of, engine=engine), engine=engine)
    firsts = named.groupby("valid_from").size() if not named.empty else pd.Series(dtype=int)
    marks = pd.DataFrame({"date": list(firsts.index),
                          "label": [f"{cn_date(d)} 命名{n}个示范社区" for d, n in firsts.items()]})
    return PackPanel("model", "示范社区创建", figures, note=note, chart_data=spans,
                     chart_args={"marks": marks, "highlight": community,
                                 "communities": communities.community_names(engine=engine)})


def _relocation(community: str | None, as_of, engine) -> PackPanel:
    h = relocation.headline(community=community, as_of=as_of, engine=engine)
    note = ""
    if community and not h.total.value:
        note = f"{community}社区没有文化路北延涉迁户，本页为全街道的征迁进度。"
        community = None
        h = relocation.headline(as_of=as_of, engine=engine)
    prefix = "全街道·" if note else ""
    figures = []
    if not h.total.value:  # no household recorded yet: no figure (lib.panels says the same on the cards)
        return PackPanel("relocation", "文化路北延提升改造 · 征迁", figures,
                         note=no_relocation_note(Scope.of(None, as_of)), chart_data=pd.DataFrame(),
                         chart_args={"total": 0.0, "total_label": ""})
    for label, f in (("涉迁户", h.total), ("已签约", h.signed), ("累计拆除面积", h.demolished_m2)):
        figures.append(PackFigure("征迁", prefix + label, f.display, kind_label(f.kind),
                                  _citation(f.kind, f.citation, f.source_title, f.author), f.holds_from,
                                  f.value, "平方米" if label == "累计拆除面积" else "户"))
    if h.total.value and h.signed.value is not None:
        figures.insert(0, PackFigure("征迁", prefix + "签约进度", f"{h.signed.value:.0f}/{h.total.value:.0f}户（"
                                     f"{percent(h.signed.value, h.total.value)}）", kind_label(h.signed.kind),
                                     _citation(h.signed.kind, h.signed.citation, h.signed.source_title,
                                               h.signed.author),
                                     h.signed.holds_from))
    if h.total.value is not None and h.signed.value is not None:
        left = int(h.total.value - h.signed.value)
        demo = h.total.is_demo or h.signed.is_demo
        kind = h.signed.kind if h.signed.kind == h.total.kind else ("demo" if demo else h.signed.kind)
        figures.append(PackFigure("征迁", prefix + "未签约", f"{left}户", kind_label(kind),
                                  DEMO_CITATION if demo else f"涉迁户减已签约（{kind_label(kind)}数字）",
                                  h.signed.holds_from, left, "户"))
    burn = relocation.burnup(community=community, as_of=as_of, engine=engine)
    total = float(h.total.value or 0)
    return PackPanel("relocation", "文化路北延提升改造 · 征迁", figures, note=note, chart_data=burn,
                     chart_args={"total": total,
                                 "total_label": f"涉迁户 {int(total)} 户（{kind_label(h.total.kind)}）"})


def _care(community: str | None, as_of, engine) -> PackPanel:
    warn = settings().care_free_beds_warning
    fac = care.facilities(community=community, engine=engine)
    fac = fac[fac["beds"].notna()]
    note = ""
    if fac.empty:
        note = f"{community}社区没有登记床位的养老机构，本页为全街道的养老服务中心。"
        fac = care.facilities(engine=engine)
        fac = fac[fac["beds"].notna()]
    figures = []
    series = pd.DataFrame()
    if not fac.empty:
        key = fac["key"].iloc[0]
        occ = care.current_occupancy(facility=key, as_of=as_of, engine=engine)
        kind, cite = kind_label(occ.source_kind), _citation(occ.source_kind, None, occ.source_title)
        if occ.occupied is not None:
            figures += [
                PackFigure("养老", "入住/床位", f"{occ.occupied}/{occ.beds}床", kind, cite, occ.day),
                PackFigure("养老", "床位", f"{occ.beds}张", kind, cite, occ.day, occ.beds, "张"),
                PackFigure("养老", "入住", f"{occ.occupied}人", kind, cite, occ.day, occ.occupied, "人"),
                PackFigure("养老", "空床", f"{occ.free}张", kind, cite, occ.day, occ.free, "张",
                           alert=occ.free < warn),
                PackFigure("养老", "入住率", percent(occ.occupied, occ.beds), kind, cite, occ.day),
            ]
            start = occ.day - dt.timedelta(days=CARE_WINDOW_DAYS - 1)
            series = care.occupancy_watch(facility=key, free_beds_warning=warn, start=start, as_of=as_of,
                                          engine=engine)
        args = {"beds": int(occ.beds or 0), "threshold": int(series["threshold"].iloc[-1]) if not series.empty else 0}
    else:
        args = {}
    facility = f"{fac['name'].iloc[0]}（{fac['community'].iloc[0]}社区）：" if not fac.empty else ""
    note = facility + (note or f"最近 {CARE_WINDOW_DAYS} 天每日入住；红色虚线为预警线（空床少于 {warn} 张），红点为预警日。")
    return PackPanel("care", "养老服务 · 床位入住", figures, note=note, chart_data=series,
                     chart_args=args)


def _with_deltas(figures: list[PackFigure], before: list[PackFigure], last: dt.date) -> list[PackFigure]:
    """Each figure with its change since `last` under lib.figures.compare's rule (there is data on `last`
    only when the figure that held then is dated that day), in the words the wall uses (`Delta.brief`):
    「较2023年11月15日 +3人（2023年11月22日）」, 「…（对比值为示例数据）…」 or 「2023年11月15日无数据」."""
    previous = {(f.panel, f.label): f for f in before}
    out = []
    for f in figures:
        p = previous.get((f.panel, f.label))
        text = compare(_figure(f), _figure(p) if p else None, last, unit=f.unit).brief if f.value is not None else ""
        out.append(PackFigure(**{**f.__dict__, "delta_text": text}))
    return out


KINDS = {tag: kind for kind, (tag, _) in TAGS.items()}  # 报道 -> article …: a printed tag back to its kind


def _figure(f: PackFigure) -> Figure:
    """The lib.figures view of a printed figure, for `compare` (its kind says whether it is demo data)."""
    return Figure(f.label, f.value_text, KINDS.get(f.source_kind, MIXED), holds_from=f.date, value=f.value,
                  unit=f.unit)


def _figures_only(community, as_of, engine) -> list[PackFigure]:
    panels = [fn(community, as_of, engine) for fn in (_stars, _model, _relocation, _care)]
    return [*_overview(community, as_of, engine), *(f for p in panels for f in p.figures)]


def _alerts(community, as_of, engine) -> list[Alert]:
    """lib.alerts' alerts of the scope (整改逾期, 空床不足, 核查未办结, 数据未更新), most urgent first."""
    return alerts_mod.alerts(community=community, as_of=as_of, engine=engine)


def collect_pack(*, community: str | None, as_of: dt.date | None = None,
                 last_briefing: dt.date | None | object = STORED, engine: Engine | None = None) -> Pack:
    """The pack of `community` (None = 全街道) on `as_of` (None = latest), compared with the stored
    「上次汇报日期」 (or the date given; None = no comparison)."""
    if last_briefing is STORED:
        last_briefing = briefing_date.last_briefing_date(engine=engine)
    overview = _overview(community, as_of, engine)
    found = _alerts(community, as_of, engine)
    panels = [fn(community, as_of, engine) for fn in (_stars, _model, _relocation, _care)]
    panels = [replace(p, alerts=[a.line for a in found if a.topic == p.key]) for p in panels]
    if last_briefing is not None:
        before = _figures_only(community, last_briefing, engine)
        overview = _with_deltas(overview, before, last_briefing)
        panels = [PackPanel(**{**p.__dict__, "figures": _with_deltas(p.figures, before, last_briefing)})
                  for p in panels]
    open_checks = checks.site_checks(community=community, open_only=True, as_of=as_of, engine=engine)
    status = model_communities.model_status(as_of=as_of, engine=engine)
    titles = sorted({t for t in communities.subdistrict_overview(as_of=as_of, engine=engine)["source_title"]
                     if isinstance(t, str)})
    return Pack(community=community, as_of=as_of, data_as_of=communities.data_as_of(as_of=as_of, engine=engine),
                last_briefing=last_briefing, overview=overview, panels=panels, alerts=[a.line for a in found],
                alert_rows=[(a.label, a.community, a.on, a.line) for a in found],
                source_titles=titles, layers=map_data.map_layers(engine=engine),
                community_status=dict(zip(status["community"], status["status"], strict=True)),
                open_checks=[(float(x), float(y)) for x, y in zip(open_checks["lon"], open_checks["lat"], strict=True)
                             if pd.notna(x) and pd.notna(y)])

