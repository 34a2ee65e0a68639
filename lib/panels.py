"""Typed panels built from Figures: what the overview cards, the big screen and the PNG briefing show
for a Scope. Provenance, dates, warnings and the no-data wording are decided here; pages only draw.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import pandas as pd
from sqlalchemy import Engine

from lib.figures import KIND_NAMES, Figure, combined_kind, from_row
from lib.fmt import cn_date, cn_datetime, percent
from lib.models import ModelStatus, SourceKind
from lib.queries import care, communities, model_communities, relocation, stars
from lib.queries.facts import facts
from lib.scope import Scope

NAMED = ModelStatus.NAMED.value
NAMED_COUNT = "model_communities_named"  # the article's figure: 4 communities named on 2023-09-23


@dataclass(frozen=True)
class Header:
    """The page / wall stamp: the newest figure's date, and that each figure carries its own."""

    latest: dt.date | None
    chosen: dt.date | None = None

    @property
    def text(self) -> str:
        text = f"最新数据 {cn_date(self.latest)}；各数字日期见标注" if self.latest else "最新数据：暂无数据"
        return text + (f"（按 {cn_date(self.chosen)} 回看）" if self.chosen else "")


def header(scope: Scope, *, engine: Engine | None = None) -> Header:
    return Header(communities.data_as_of(as_of=scope.as_of, community=scope.community, engine=engine), scope.as_of)


@dataclass(frozen=True)
class SummaryPanel:
    scope: Scope
    header: Header
    stars: Figure | None  # 已达标星数 / 可达星数
    model: Figure | None  # named count (全街道) or the community's status; None before any status record
    model_named: list[str]
    relocation: Figure | None  # 已签约/涉迁户
    relocation_area: Figure | None
    relocation_note: str | None  # why there is no relocation figure
    care: Figure | None  # 入住/床位
    care_note: str | None
    care_detail: str = ""  # 「入住率 …，空床 … 张」, or 「入住率 …。空床仅 … 张，少于预警值 … 张」 (the warning)
    overview: list[Figure] = field(default_factory=list)  # the subdistrict's standing figures

    def figures(self) -> list[Figure]:
        """The briefing's figures in order: the four panels, then the first four of the subdistrict's profile."""
        out = [f for f in (self.relocation, self.relocation_area, self.care, self.model, self.stars) if f]
        return out + self.overview[:4]


def stars_figure(scope: Scope, engine: Engine | None = None) -> Figure | None:
    """已达标星数/可达星数 of the scope, with the source of every assessment counted; who entered the newest staff
    record counted and when (that one record's: 「中兴录入员等2人」 when several people's records count)."""
    entries = stars.staff_entries(community=scope.community, as_of=scope.as_of, engine=engine)
    counts = stars.star_counts(community=scope.community, as_of=scope.as_of, engine=engine, entries=entries)
    if counts.empty:
        return None
    kind = combined_kind(counts["source_kind"])
    author, entered = stars.entered_by(entries)
    # each assessment stands until the next one: the count is the state on every day since its date (continuous)
    return Figure("五星达标", f"{int(counts['stars'].sum())}/{5 * len(counts)}颗", kind,
                  max(counts["valid_from"]), value=float(counts["stars"].sum()), unit="颗",
                  source_title=None if kind != SourceKind.STAFF.value else "工作人员录入",
                  author=author, recorded_at=entered, continuous=True)


def model_figure(scope: Scope, engine: Engine | None = None) -> tuple[Figure | None, list[str]]:
    """The named count (全街道) or the community's status, and the named communities; None before any status
    record holds."""
    status = model_communities.model_status(community=scope.community, as_of=scope.as_of, engine=engine)
    named = status[status["status"] == NAMED]
    if status.empty:
        return None, []
    if scope.community:
        r = status.iloc[0]
        # with the article's words where it reported the status (its note explains the record, it is no quote), and
        # what the article does not give (「报道未提及…」, 「起始日期报道未载明…」) said under the card
        fig = from_row(r.to_dict(), label="示范社区", display=r["status"])
        return replace(fig, warning=model_communities.date_caveat([r["note"]]) or None), list(named["community"])
    basis = model_communities.named_basis(as_of=scope.as_of, engine=engine)
    if named.empty and basis.left.empty:  # counted from the status records (none named yet): their sources and date
        return Figure("命名示范社区", "0个", combined_kind(status["source_kind"]), max(status["valid_from"]),
                      value=0.0, unit="个", continuous=True), []
    # the count rests on the namings and on every record that took a community out of the set (named_basis)
    records = basis.records
    kind = combined_kind(records["source_kind"])
    said = facts(subject="光武街道", indicators=[NAMED_COUNT], as_of=scope.as_of, engine=engine)
    said = said[(said["source_kind"] == kind) & (said["value"] == len(named))]  # the article's words for this count
    newest = records.sort_values("valid_from", kind="stable").iloc[-1]
    fig = from_row({**newest.to_dict(), "quote": said["quote"].iloc[0] if len(said) else None},
                   label="命名示范社区", display=f"{len(named)}个")
    # a naming stands until the status changes: the count holds on every day since (continuous)
    return replace(fig, kind=kind, holds_from=max(records["valid_from"]), value=float(len(named)),
                   continuous=True), list(named["community"])


@dataclass(frozen=True)
class Naming:
    """Communities named a 示范社区 on one date, and by whose word (their records' kinds, `combined_kind`)."""

    day: dt.date
    communities: tuple[str, ...]
    kind: str

    @property
    def sentence(self) -> str:
        return f"{cn_date(self.day)}，{'、'.join(self.communities)}被命名为示范社区"

    @property
    def source(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind)


def namings(named) -> list[Naming]:
    """`named` (model_status rows of 已命名示范社区: community, valid_from, source_kind) by date, oldest first: a
    community entered later is never folded into the article's naming."""
    ordered = named.sort_values("valid_from", kind="stable")
    return [Naming(day, tuple(rows["community"]), combined_kind(rows["source_kind"]))
            for day, rows in ordered.groupby("valid_from", sort=True)]


def naming_note(basis: model_communities.NamedBasis) -> str:
    """「2023年9月23日，大官庄、中兴、工业路、西华被命名为示范社区（新闻报道）；2024年1月5日，榆树庄被命名为示范社区
    （工作人员录入）；2024年1月6日，中兴改为未命名（工作人员录入）。」 — every naming as it was made, then who left the set
    since; empty when none was ever named."""
    made = basis.made
    parts = [(n.day, 0, f"{n.sentence}（{n.source}）") for n in namings(made)] if not made.empty else []
    parts += [(day, 1, f"{said}（{KIND_NAMES.get(kind, kind)}）") for day, said, kind in basis.changes]
    return "；".join(p for _, _, p in sorted(parts, key=lambda p: (p[0], p[1]))) + ("。" if parts else "")


def status_changes(*, status: str, as_of: dt.date | None = None,
                   engine: Engine | None = None) -> list[tuple[dt.date, str, str]]:
    """(day, 「2024年3月1日，榆树庄改为创建中」, 「工作人员录入」) of each record that took a community out of `status`
    by `as_of`, oldest first (the 先行先试 box's lines under the article's)."""
    return [(day, said, KIND_NAMES.get(kind, kind)) for day, said, kind
            in model_communities.named_basis(status=status, as_of=as_of, engine=engine).changes]


def emptied_figure(*, status: str, label: str, as_of: dt.date | None = None,
                   engine: Engine | None = None) -> Figure | None:
    """「暂无」 for a status every community has left by `as_of` (the pilot after 榆树庄 moved on), dated and sourced
    by the records that took them out; None while a community holds it, or when none ever did."""
    basis = model_communities.named_basis(status=status, as_of=as_of, engine=engine)
    if not basis.named.empty or basis.left.empty:
        return None
    records = basis.records
    newest = records.sort_values(["valid_from", "record_id"], kind="stable").iloc[-1]
    fig = from_row({**newest.to_dict(), "quote": None}, label=label, display="暂无")
    return replace(fig, kind=combined_kind(records["source_kind"]), continuous=True)


def naming_text(*, as_of: dt.date | None = None, engine: Engine | None = None) -> str:
    """naming_note of the named set on `as_of` (the 示范社区 page's line under its cards)."""
    return naming_note(model_communities.named_basis(as_of=as_of, engine=engine))


def naming_marks(*, as_of: dt.date | None = None, engine: Engine | None = None) -> pd.DataFrame:
    """The timeline's dated rules (date, label): each naming date and how many were named that day, as made."""
    made = model_communities.named_basis(as_of=as_of, engine=engine).made
    days = made.groupby("valid_from").size() if not made.empty else pd.Series(dtype=int)
    return pd.DataFrame({"date": list(days.index), "label": [f"{cn_date(d)} 命名{n}个示范社区" for d, n in days.items()]})


def no_relocation_note(scope: Scope) -> str:
    """Why a scope has no relocation figure: no household is recorded for it (on its date)."""
    if scope.community is None and scope.as_of:
        return f"截至{cn_date(scope.as_of)}尚无征迁记录（工程建设指挥部于2023年11月成立）"
    return f"{scope.label}没有文化路北延涉迁户记录"


def _relocation(scope: Scope, engine) -> tuple[Figure | None, Figure | None, str | None]:
    h = relocation.headline(community=scope.community, as_of=scope.as_of, engine=engine)
    if not h.total.value:  # no household recorded: no figure (a count of zero would read as data)
        return None, None, no_relocation_note(scope)
    return h.progress("文化路北延 已签约/涉迁户"), h.demolished_m2, None


def _occupancy(scope: Scope, engine) -> care.Occupancy | None:
    """The occupancy of the scope's first facility with beds (the card's), or None when it has none."""
    fac = care.facilities(community=scope.community, engine=engine)
    with_beds = fac[fac["beds"].notna()]
    if with_beds.empty:
        return None
    return care.current_occupancy(facility=with_beds["key"].iloc[0], as_of=scope.as_of, engine=engine)


def _care(scope: Scope, engine, warning: int) -> tuple[Figure | None, str | None, str]:
    occ = _occupancy(scope, engine)
    if occ is None:
        return None, f"{scope.label}没有登记床位的养老机构", ""
    if occ.occupied is None:
        return None, "所选日期之前暂无入住数据", ""
    # residents over beds: both sources (the bed count has its own, lib.queries.care.beds_on)
    fig = replace(occ.pair_figure("综合养老服务中心 入住/床位", free_beds_warning=warning), value=float(occ.occupied),
                  unit="人")
    # the free beds said once: as the warning when there is one (「空床仅 2 张，少于预警值 3 张」), else plainly
    free = f"。{fig.warning}" if fig.warning else f"，空床 {occ.free} 张"
    return fig, None, f"入住率 {percent(occ.occupied, occ.beds)}{free}"


def key_figures(scope: Scope, *, engine: Engine | None = None) -> list[Figure]:
    """The wall's key figures (its 「较上次汇报」 strip), built as the cards build them: 五星达标, 命名示范社区,
    征迁已签约, 养老空床; a figure the scope has no data for is left out."""
    star = stars_figure(scope, engine)
    if scope.community is None:
        named = model_figure(scope, engine)[0]
    else:  # a community's status as a count, so it can be compared: 1 when named
        status = model_communities.model_status(community=scope.community, as_of=scope.as_of, engine=engine)
        named = None if status.empty else from_row(
            {**status.iloc[0].to_dict(), "quote": None, "value": int(status.iloc[0]["status"] == NAMED)},
            label="命名示范社区", display=f"{int(status.iloc[0]['status'] == NAMED)}个")
    h = relocation.headline(community=scope.community, as_of=scope.as_of, engine=engine)
    signed = h.signed if h.total.value and h.signed.value is not None else None
    occ = _occupancy(scope, engine)
    free = None
    if occ is not None and occ.free is not None:
        free = occ.free_figure("养老空床")  # residents and beds: both sources
    out = [replace(star, label="五星达标", display=f"{star.value:.0f}颗") if star else None,
           replace(named, label="命名示范社区", unit="个") if named and named.value is not None else None,
           replace(signed, label="征迁已签约", display=f"{signed.value:.0f}户", unit="户") if signed else None, free]
    return [f for f in out if f is not None]


def summary_panel(scope: Scope, *, free_beds_warning: int, signed_in: bool = False,
                  engine: Engine | None = None) -> SummaryPanel:
    """The four panels' key figures and (全街道) the subdistrict's figures, for `scope`."""
    model, named = model_figure(scope, engine)
    signed, area, rnote = _relocation(scope, engine)
    occ, cnote, detail = _care(scope, engine, free_beds_warning)
    overview = []
    if scope.community is None:
        overview = [from_row(r, as_of=scope.as_of) for r in
                    communities.subdistrict_overview(as_of=scope.as_of, engine=engine).to_dict("records")]
    figs = {"stars": stars_figure(scope, engine), "model": model, "relocation": signed, "relocation_area": area,
            "care": occ}
    figs = {k: (f.for_viewer(signed_in) if f else f) for k, f in figs.items()}
    return SummaryPanel(scope, header(scope, engine=engine), model_named=named, relocation_note=rnote,
                        care_note=cnote, care_detail=detail, overview=[f.for_viewer(signed_in) for f in overview],
                        **figs)


CHECK_COLUMNS = {"community": "社区", "category": "类别", "finding": "问题", "status": "状态", "due": "整改期限",
                 "created": "登记时间", "author": "登记人", "tag": "来源"}


def site_check_table(scope: Scope, *, open_only: bool, signed_in: bool, engine: Engine | None = None):
    """The checks list as shown: phone-number-like runs masked and staff names hidden (「工作人员」) for
    viewers who are not signed in; each row tagged 录入 / 示例 with its China-time date and time (登记时间). Returns
    (table with Chinese columns, raw frame for counts)."""
    from lib import clock
    from lib.privacy import ANONYMOUS_AUTHOR, mask_phone_numbers
    from lib.queries.checks import site_checks

    df = site_checks(community=scope.community, open_only=open_only, as_of=scope.as_of, engine=engine)
    if df.empty:
        return df, df
    finding = df["finding"] if signed_in else df["finding"].map(mask_phone_numbers)
    staff = df["source_kind"] == SourceKind.STAFF.value
    named = df["source_publisher"].where(staff, None).fillna(df["created_by"])
    author = named if signed_in else staff.map({True: ANONYMOUS_AUTHOR, False: "示例"})  # lib.privacy decides
    # a check whose status staff updated rests on that entry too (含示例 for a demo check; who and when: the audit
    # log — the list has no room for another column at 820 px)
    kinds = [combined_kind({k, SourceKind.STAFF.value} if isinstance(who, str) else {k})
             for k, who in zip(df["source_kind"], df["status_by"], strict=True)]
    view = df.assign(finding=finding, author=author, due=df["due_on"].map(cn_date),
                     created=[cn_datetime(clock.to_local(t.to_pydatetime() if hasattr(t, "to_pydatetime") else t))
                              for t in df["created_at"]], tag=[Figure("", "", k).tag for k in kinds])
    return view[list(CHECK_COLUMNS)].rename(columns=CHECK_COLUMNS), df


def check_points(as_of: dt.date | None, *, signed_in: bool, engine: Engine | None = None) -> list[dict]:
    """Open site checks as map points; the finding in the tooltip is masked for viewers not signed in."""
    from lib.privacy import mask_phone_numbers
    from lib.queries.checks import site_checks

    df = site_checks(community=None, as_of=as_of, open_only=True, engine=engine)
    return [{"lon": r.lon, "lat": r.lat, "name": f"{r.category}（{r.status}）",
             "tip": f"{r.community} · {r.finding if signed_in else mask_phone_numbers(r.finding)}"}
            for r in df.itertuples()]
