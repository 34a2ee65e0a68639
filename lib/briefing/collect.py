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
from lib import briefing_date, map_origin, privacy
from lib.alerts import Alert
from lib.briefing.model import Pack, PackFigure, PackPanel, kind_label
from lib.config import settings
from lib.figures import KIND_NAMES, MIXED, MULTI, TAGS, Figure, combined_kind, compare, from_row, staff_line
from lib.fmt import percent
from lib.models import SourceKind
from lib.panels import naming_marks, naming_text, no_relocation_note, stars_figure
from lib.queries import care, checks, communities, map_data, model_communities, relocation, stars
from lib.scope import Scope

DEMO_CITATION = "示例数据（固定随机种子生成，非官方数字）"
ANONYMOUS_AUTHOR = privacy.ANONYMOUS_AUTHOR
OVERVIEW_MAX = 10
CARE_WINDOW_DAYS = 90
STORED = object()  # collect_pack's default: the stored 「上次汇报日期」 (lib.briefing_date)


def _citation(fig: Figure) -> str:
    """What a printed figure cites: the demo note, the kinds it mixes, who entered it, or the article's words."""
    if fig.kind == SourceKind.DEMO.value:
        return DEMO_CITATION
    if fig.kind in (MIXED, MULTI):  # with the staff entry among its sources named, as on its card (names_entry)
        return KIND_NAMES[fig.kind] + (f"；{staff_line(fig.author, fig.recorded_at)}" if fig.names_entry else "")
    if fig.kind in (SourceKind.STAFF.value, SourceKind.SURVEY.value):
        return staff_line(fig.author, fig.recorded_at)
    if fig.citation:
        return f"原文：“{fig.citation}”"
    return f"新闻报道《{fig.source_title}》" if fig.source_title else "新闻报道"


def _printed(panel: str, fig: Figure, *, label: str | None = None, value_text: str | None = None,
             alert: bool = False) -> PackFigure:
    """A lib Figure as the pack prints it: its own source, citation, date and (for staff figures) author."""
    named = fig.names_entry  # a staff figure, or a mixed one with a staff entry among its sources
    return PackFigure(panel, label or fig.label, value_text or fig.display, kind_label(fig.kind), _citation(fig),
                      fig.holds_from, fig.value, fig.unit, alert=alert, reported_later=fig.reported_later,
                      author=(fig.author or ANONYMOUS_AUTHOR) if named else None,
                      recorded_at=fig.recorded_at if named else None, continuous=fig.continuous,
                      sources=KIND_NAMES[fig.kind] if fig.kind in (MIXED, MULTI) else "",
                      warning=fig.warning or "", approximate=fig.approximate)


def _for_viewer(f: PackFigure, signed_in: bool) -> PackFigure:
    """Who entered a figure is named to signed-in viewers only (lib.privacy), in the pack as on the cards."""
    if signed_in or f.author is None:
        return f
    shown = privacy.shown_author(f.author, signed_in=False)
    return replace(f, author=shown, citation="；".join(p for p in (f.sources, staff_line(shown, f.recorded_at)) if p))


def _fact_figure(panel: str, row: pd.Series, label: str | None = None) -> PackFigure:
    return replace(_printed(panel, from_row(row.to_dict()), label=label), key=f"{row['subject']}/{row['indicator']}")


def _overview(community: str | None, as_of, engine) -> tuple[list[PackFigure], int]:
    """The 概况 figures, and how many of the community's were left out (the pack shows OVERVIEW_MAX)."""
    if community is None:
        rows = communities.subdistrict_overview(as_of=as_of, engine=engine)
        return [_fact_figure("概况", r) for _, r in rows.iterrows()], 0
    profile = communities.community_profile(community, as_of=as_of, engine=engine)
    own = {community, profile.full_name}
    published = profile.facts[~profile.facts["is_demo"]]
    published = published.assign(other=~published["subject"].isin(own)).sort_values("other", kind="stable")
    shown = published.head(OVERVIEW_MAX)
    return [_fact_figure("概况", r, r["label"] if r["subject"] in own else f"{r['subject']}·{r['label']}")
            for _, r in shown.iterrows()], len(published) - len(shown)


def _stars(community: str | None, as_of, engine) -> PackPanel:
    matrix = stars.star_matrix(community=community, as_of=as_of, engine=engine)
    counts = stars.star_counts(community=community, as_of=as_of, engine=engine)
    figures = []
    total = stars_figure(Scope.of(community, as_of), engine)
    if total is not None:
        figures.append(_printed("五星", total, label="已达标星数" if community else "各社区已达标星数合计"))
        if community is None:
            full = int((counts["stars"] == 5).sum())
            figures.append(_printed("五星", replace(total, display=f"{full}个", value=float(full), unit="个"),
                                    label="五星全部达标的社区"))
        else:
            for _, r in matrix.iterrows():
                figures.append(_printed("五星", from_row(r.to_dict()), label=r["star"], value_text=str(r["status"])))
    note = ("格内数字为评定得分（≥85 已达标，40–85 创建中，<40 未启动）；星级评定报道未公布，"
            + ("均为示例数据。" if total is None or total.kind == SourceKind.DEMO.value
               else "除注明「录入」者外均为示例数据。"))
    return PackPanel("stars", "五星支部创建", figures, note=note, chart_data=matrix,
                     chart_args={"stars": stars.STARS, "highlight": community,
                                 "communities": communities.community_names(engine=engine)})


def _model(community: str | None, as_of, engine) -> PackPanel:
    status = model_communities.model_status(community=community, as_of=as_of, engine=engine)
    everyone = model_communities.model_status(as_of=as_of, engine=engine)
    figures = []
    for _, r in status.iterrows() if community else []:
        fig = replace(from_row(r.to_dict()), warning=model_communities.date_caveat([r["note"]]) or None)
        figures.append(_printed("示范", fig, label="示范社区状态", value_text=str(r["status"])))
    if community is None:
        for name in ("已命名示范社区", "先行先试", "创建中"):
            rows = everyone[everyone["status"] == name]
            # the count rests on its members' records and on those that took a community out (named_basis): a
            # status everyone left is a count of 0 from that day (as on the wall), one nobody ever had is no figure
            basis = model_communities.named_basis(status=name, as_of=as_of, engine=engine).records
            if basis.empty:
                continue
            newest = basis.sort_values("valid_from", kind="stable").iloc[-1].to_dict()
            # a status stands until the next record: the count holds on every day since (continuous)
            fig = replace(from_row({**newest, "quote": None}), kind=combined_kind(basis["source_kind"]),
                          value=float(len(rows)), unit="个", warning=model_communities.date_caveat(rows["note"]) or None,
                          continuous=True)
            names = f"（{'、'.join(rows['community'])}）" if len(rows) else ""
            figures.append(_printed("示范", fig, label=name, value_text=f"{len(rows)}个{names}"))
    note = naming_text(as_of=as_of, engine=engine)
    spans = model_communities.model_timeline(as_of=as_of, until=communities.data_as_of(as_of=as_of, engine=engine),
                                             engine=engine)
    drawn = model_communities.date_caveat(spans["note"]) if not spans.empty else ""
    note += f"图中状态条：{drawn}。" if drawn else ""  # bars start on a date the article does not give
    marks = naming_marks(as_of=as_of, engine=engine)  # each naming date as made (the article's 4, whoever left)
    return PackPanel("model", "示范社区创建", figures, note=note, chart_data=spans,
                     chart_args={"marks": marks, "highlight": community,
                                 "communities": communities.community_names(engine=engine)})


def _relocation(community: str | None, as_of, engine) -> PackPanel:
    h = relocation.headline(community=community, as_of=as_of, engine=engine)
    note = ""
    if community and not h.total.value:
        note = f"逐户记录中没有登记在{community}社区的涉迁户，本页为全街道的征迁进度。"  # the records, not a fact
        community = None
        h = relocation.headline(as_of=as_of, engine=engine)
    prefix = "全街道·" if note else ""
    figures = []
    if not h.total.value:  # no household recorded yet: no figure (lib.panels says the same on the cards)
        return PackPanel("relocation", "文化路北延提升改造 · 征迁", figures,
                         note=no_relocation_note(Scope.of(None, as_of)), chart_data=pd.DataFrame(),
                         chart_args={"total": 0.0, "total_label": ""})
    for label, f in (("涉迁户", h.total), ("已签约", h.signed), ("累计拆除面积", h.demolished_m2)):
        unit = "平方米" if label == "累计拆除面积" else "户"
        figures.append(_printed("征迁", replace(f, unit=unit), label=prefix + label))
    if h.signed.value is not None:
        progress = f"{h.signed.value:.0f}/{h.total.value:.0f}户（{percent(h.signed.value, h.total.value)}）"
        # made of 已签约 and 涉迁户 (their sources, date and warnings: RelocationHeadline.progress); a ratio, no change
        ratio = replace(h.progress(prefix + "签约进度", display=progress), value=None, unit="")
        figures.insert(0, _printed("征迁", ratio))
        figures.append(_printed("征迁", h.unsigned(prefix + "未签约")))  # the page's 尚在签订中, by the same rule
    burn = relocation.burnup(community=community, as_of=as_of, engine=engine)
    if not burn.empty:  # the curve counts the household records, which the figures above may not rest on
        note += f"累计进度曲线按逐户记录计（{KIND_NAMES[burn['source_kind'].iloc[0]]}）。"
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
        if occ.occupied is not None:  # each row its own sources: the residents', the beds', or both (derived)
            free, beds = occ.free_figure("空床"), occ.beds_part("床位")
            shown = beds is not None and not beds.reported_later  # a facility figure holds from its own date only
            figures += [_printed("养老", occ.pair_figure("入住/床位")), *([_printed("养老", beds)] if shown else []),
                        _printed("养老", occ.figure("入住"), value_text=f"{occ.occupied}人"),
                        _printed("养老", free, alert=free.value is not None and free.value < warn),
                        _printed("养老", occ.rate_figure("入住率"))]
            start = occ.day - dt.timedelta(days=CARE_WINDOW_DAYS - 1)
            series = care.occupancy_watch(facility=key, free_beds_warning=warn, start=start, as_of=as_of,
                                          engine=engine)
        args = {"beds": int(occ.beds or 0), "threshold": int(series["threshold"].iloc[-1]) if not series.empty else 0}
    else:
        args = {}
    facility = f"{fac['name'].iloc[0]}（{fac['community'].iloc[0]}社区）：" if not fac.empty else ""
    note = facility + (note or f"最近 {CARE_WINDOW_DAYS} 天每日入住；红色虚线为预警线（空床少于 {warn} 张），红点为预警日。")
    if not series.empty:  # the curve is the daily records, whose source the figures above may not share
        note += f"每日入住曲线按逐日记录计（{KIND_NAMES[combined_kind(series['source_kind'])]}）。"
    return PackPanel("care", "养老服务 · 床位入住", figures, note=note, chart_data=series,
                     chart_args=args)


def _with_deltas(figures: list[PackFigure], before: list[PackFigure],
                 since: briefing_date.Comparison) -> list[PackFigure]:
    """Each figure with its change since the last briefing under lib.figures.compare's rule (there is data on that
    date only when the figure that held then is dated that day), in the words the wall uses (`Delta.brief`):
    「较2023年11月15日 +3人（2023年11月22日）」, 「…（对比值为示例数据）…」 or 「2023年11月15日无数据」. When `since`
    does not compare (lib.briefing_date.comparison: the date is not before the shown one), its one line instead."""
    previous = {f.identity: f for f in before}
    out = []
    for f in figures:
        p = previous.get(f.identity)
        if f.value is None:
            text = ""
        elif since.on is None:
            text = since.note
        else:
            text = compare(_figure(f), _figure(p) if p else None, since.on, unit=f.unit).brief
        out.append(PackFigure(**{**f.__dict__, "delta_text": text}))
    return out


KINDS = {tag: kind for kind, (tag, _) in TAGS.items()}  # 报道 -> article …: a printed tag back to its kind


def _figure(f: PackFigure) -> Figure:
    """The lib.figures view of a printed figure, for `compare` (its kind says whether it is demo data)."""
    return Figure(f.label, f.value_text, KINDS.get(f.source_kind, MIXED), holds_from=f.date, value=f.value,
                  unit=f.unit, continuous=f.continuous, approximate=f.approximate)


def _figures_only(community, as_of, engine) -> list[PackFigure]:
    panels = [fn(community, as_of, engine) for fn in (_stars, _model, _relocation, _care)]
    return [*_overview(community, as_of, engine)[0], *(f for p in panels for f in p.figures)]


def _alerts(community, as_of, engine) -> list[Alert]:
    """lib.alerts' alerts of the scope (整改逾期, 空床不足, 核查未办结, 数据未更新), most urgent first."""
    return alerts_mod.alerts(community=community, as_of=as_of, engine=engine)


def collect_pack(*, community: str | None, as_of: dt.date | None = None,
                 last_briefing: dt.date | None | object = STORED, signed_in: bool = False,
                 engine: Engine | None = None) -> Pack:
    """The pack of `community` (None = 全街道) on `as_of` (None = latest), compared with the stored
    「上次汇报日期」 (or the date given; None = no comparison) when it is before the shown date; otherwise every
    figure says why not (lib.briefing_date.comparison). Who entered a figure is named only when
    `signed_in` (lib.privacy); others read 「工作人员」."""
    if last_briefing is STORED:
        last_briefing = briefing_date.last_briefing_date(engine=engine)
    overview, more = _overview(community, as_of, engine)
    found = _alerts(community, as_of, engine)
    panels = [fn(community, as_of, engine) for fn in (_stars, _model, _relocation, _care)]
    panels = [replace(p, alerts=[a.line for a in found if a.topic == p.key]) for p in panels]
    if last_briefing is not None:  # compared only with a date before the shown one (lib.briefing_date.comparison)
        since = briefing_date.comparison(last_briefing, as_of)
        before = _figures_only(community, since.on, engine) if since.on is not None else []
        overview = _with_deltas(overview, before, since)
        panels = [PackPanel(**{**p.__dict__, "figures": _with_deltas(p.figures, before, since)}) for p in panels]
    overview = [_for_viewer(f, signed_in) for f in overview]
    panels = [replace(p, figures=[_for_viewer(f, signed_in) for f in p.figures]) for p in panels]
    open_checks = checks.site_checks(community=community, open_only=True, as_of=as_of, engine=engine)
    status = model_communities.model_status(as_of=as_of, engine=engine)
    profile = communities.subdistrict_overview(as_of=as_of, engine=engine)
    # each report's title with its publisher, which says what the report leaves out (「报道未注明刊载媒体与日期」);
    # reports only: a staff record is cited on its own figure (录入 · who, for signed-in viewers only)
    reports = profile[profile["source_kind"] == SourceKind.ARTICLE.value]
    titles = sorted({f"《{t}》" + (f"，{p}" if isinstance(p, str) and p else "")
                     for t, p in zip(reports["source_title"], reports["source_publisher"], strict=True)
                     if isinstance(t, str)})
    newest = communities.data_as_of(as_of=as_of, community=community, engine=engine)
    return Pack(community=community, as_of=as_of, data_as_of=newest,
                last_briefing=last_briefing, overview=overview, overview_more=more, panels=panels,
                alerts=[a.line for a in found],
                alert_rows=[(a.label, a.community, a.on, a.line) for a in found],
                source_titles=titles, layers=map_data.map_layers(engine=engine),
                map_origin=map_origin.read(engine=engine),
                community_status=dict(zip(status["community"], status["status"], strict=True)),
                open_checks=[(float(x), float(y)) for x, y in zip(open_checks["lon"], open_checks["lat"], strict=True)
                             if pd.notna(x) and pd.notna(y)])

