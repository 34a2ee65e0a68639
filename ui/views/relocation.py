"""The 文化路北延征迁 page's view per (community, as-of, data version): its cards, captions, timeline and tables,
built once and kept (ui/kept.py) so a selection change only draws them. Cards are kept per viewer kind
(`signed_in`: staff names for signed-in viewers only); frames come out as copies that cannot change the kept one."""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from ui import arrow_bytes, bridge, charts, kpi_grid, widgets
from ui.bridge import TTL_SECONDS, cn_date, cn_number
from ui.kept import kept

SERIES = ["已签约", "已交钥匙", "已拆除"]
LADDER_COLORS = {"未签约": charts.MUTED, **charts.HOUSEHOLD_COLORS}
DAY_FIGS = ["demolition_1122_buildings", "demolition_1122_rooms", "demolition_1122_m2"]
TABLE_ROWS = 200  # households listed at most; the database returns only these (household_status(limit=))


@dataclass(frozen=True)
class Reach:
    """Where the page looks: the selected community when households are recorded there, else the project."""
    scope: str | None
    missing: str  # the selected community without households (its full name), or ""
    caption: str  # 「当前范围：…」
    has_headline: bool  # the project has figures on the day (else: no cards, no comparison date)


@dataclass(frozen=True)
class Headline:
    cards: tuple[kpi_grid.Card, ...]
    demo: bool  # the count or the total is demo data: the demo note instead of the sources caption
    since: str  # 「签约增减：…」, or ""
    day_cards: tuple[kpi_grid.Card, ...]  # 2023年11月22日 集中拆除 (project view only)
    official: pa.Table | None  # every reported figure with its quote (the expander's table), converted once
    mixed: bool = False  # demo data is only part of them (a staff step among demo steps): 含示例, not 示例数据


CALIBRATED = "示例数据按报道总数校准：2023年11月22日已签约62户、累计拆迁6100余平方米。"


@dataclass(frozen=True)
class Progress:
    """The burn-up chart's frame: it counts the household records (which the cards above may not rest on)."""
    total: float
    total_label: str  # 「涉迁户 78 户（报道）」
    note: str  # the last day's counts; with the records' source unless `demo` (then the demo note says it)
    demo: bool  # every record counted is demo data
    calibrated: bool  # demo records are among them (the seed is calibrated to the article: CALIBRATED)
    warnings: tuple[str, ...] = ()  # what the records dispute in the cards above (lib headline's warnings)


@dataclass(frozen=True)
class Households:
    counts: str  # 「未签约：**16户**　…」 (Markdown)
    more: str  # 「共 … 户，表中列出 …」 when the table lists the first rows only, or ""
    kinds: tuple[str, ...] = ()  # the sources of the steps counted (示例数据, or 含示例 beside staff steps)


def _reach(community: str | None, as_of: dt.date | None) -> Reach:
    scope, missing = community, ""
    if community and not sum(bridge.household_counts(community=community, as_of=as_of).values()):
        scope, missing = None, bridge.full_name(community)
    where = f"{scope}社区（涉迁户所在社区依示意线位推定）" if scope else "项目整体（全街道）"
    has = bool(bridge.relocation_headline(community=scope, as_of=as_of).total.value)
    return Reach(scope, missing, f"当前范围：{where}", has)


def _headline(scope: str | None, as_of: dt.date | None, compare: dt.date | None, signed_in: bool) -> Headline:
    """The four cards (with the signed count's change since `compare`, default 7 days before the shown day),
    the day's demolition cards, and every reported figure with its quote (the expander's table)."""
    stamp = bridge.data_as_of(as_of=as_of, community=scope)
    h = bridge.relocation_headline(community=scope, as_of=as_of)
    base_day = as_of or stamp
    compare = compare or (base_day - dt.timedelta(days=7) if base_day else None)
    delta = None
    if compare and base_day and compare < base_day:
        before = bridge.relocation_headline(community=scope, as_of=compare)
        delta = bridge.compare(h.signed, before.signed if before.total.value else None, compare, unit="户")

    def card(fig, label: str, *, delta=None) -> kpi_grid.Card:
        # a figure that disagrees with the household records says so under the card (lib headline's warning)
        return kpi_grid.card(fig, signed_in=signed_in, header=stamp, label=label,
                             delta=delta.text if delta and delta.has_data else None,
                             flat=bool(delta and delta.flat), notes=(fig.warning,) if fig.warning else ())

    # 尚在签订中 = 涉迁户 − 已签约: both sources and the newer date (the pack's 未签约, the same lib function)
    cards = (card(h.total, "涉迁户"), card(h.signed, "已签订协议", delta=delta),
             card(h.unsigned("尚在签订中"), "尚在签订中"), card(h.demolished_m2, "累计完成拆迁"))
    off = h.official
    day = off[off["indicator"].isin(DAY_FIGS)] if scope is None else off.iloc[0:0]
    day_cards = tuple(card(bridge.figure(r), r["label"].replace("11月22日", "")) for r in day.to_dict("records"))
    said = h.reported  # the article's figures whatever was entered since (lib.queries.facts.reported)
    table = pd.DataFrame({"指标": said["label"], "数值": said["display"], "报道原文": said["quote"]})
    kinds = {h.signed.kind, h.total.kind}
    demo = h.signed.is_demo or h.total.is_demo
    return Headline(cards, demo, f"签约增减：{delta.sentence}" if delta else "",
                    day_cards, None if said.empty else arrow_bytes.table(table),
                    mixed=demo and kinds != {bridge.SourceKind.DEMO.value})


def timeline_html(ms: pd.DataFrame) -> str:
    """Milestones as bordered boxes (date · title, detail, source and quote), one element; stored text escaped."""
    def e(text: object) -> str:
        return html.escape(str(text), quote=True)

    boxes = "".join(
        f'<div class="gw-step" data-label="{e(title)}"><b>{e(cn_date(day, precision=precision))}</b> · {e(title)}'
        + (f"<div>{e(detail)}</div>" if detail else "")
        + f'<div class="n">来源：{e(widgets.kind_label(kind))}。原文：“{e(quote)}”</div></div>'
        for day, precision, title, detail, kind, quote in zip(
            ms["happened_on"], ms["date_precision"], ms["title"], ms["detail"], ms["source_kind"], ms["quote"],
            strict=True))
    return f'<div class="gw-steps">{boxes}</div>' if boxes else ""


def _timeline(as_of: dt.date | None) -> str:
    """The milestones up to `as_of` as one HTML element ("" when there are none yet)."""
    return timeline_html(bridge.relocation_milestones(as_of=as_of))


def _progress(scope: str | None, as_of: dt.date | None) -> tuple[Progress | None, pd.DataFrame]:
    """The burn-up chart's total line and the last day's counts, with the daily frame the chart draws, the records'
    source, and the warnings of the headline figures the records dispute (said beside the chart as above it)."""
    burn = bridge.relocation_burnup(community=scope, as_of=as_of)
    head = bridge.relocation_headline(community=scope, as_of=as_of)
    total = head.total
    if burn.empty or not total.value:
        return None, burn
    last = burn.iloc[-1]
    kind = str(last["source_kind"])
    demo = kind == bridge.SourceKind.DEMO.value
    note = (f"逐日进度（{cn_date(last['date'])}：已签约{last['已签约']}户、已交钥匙{last['已交钥匙']}户、"
            f"已拆除{last['已拆除']}户、拆除面积{cn_number(last['拆除面积'])}平方米）"
            + ("" if demo else f"，来源：{widgets.kind_label(kind)}。"))
    warnings = tuple(dict.fromkeys(f.warning for f in (head.total, head.signed, head.demolished_m2) if f.warning))
    return Progress(float(total.value), f"涉迁户 {int(total.value)} 户（{total.tag}）", note, demo,
                    demo or kind == bridge.MIXED, warnings), burn


def _households(scope: str | None, as_of: dt.date | None) -> tuple[Households | None, pd.DataFrame]:
    """Counts per rung (all households, counted in the database) and the table of the first TABLE_ROWS."""
    counts = bridge.household_counts(community=scope, as_of=as_of)
    total = sum(counts.values())
    hh = bridge.household_status(community=scope, as_of=as_of, limit=TABLE_ROWS) if total else pd.DataFrame()
    if hh.empty:
        return None, hh
    kinds = bridge.household_kinds(community=scope, as_of=as_of)  # the steps the counts rest on
    line = "　".join(f"{s}：**{int(counts.get(s, 0))}户**" for s in LADDER_COLORS) + (
        f"　{widgets.kind_badge(bridge.combined_kind(set(kinds)))}")
    more = f"共 {total:,} 户，表中列出按编号排序的前 {len(hh):,} 户；在侧栏选择社区可缩小范围。" if total > len(hh) else ""
    table = pd.DataFrame({
        "编号": hh["code"], "所在社区（示意）": [bridge.full_name(v) if v else "—" for v in hh["community"]],
        "状态": hh["status"], "状态日期": hh["since"].map(cn_date), "建筑面积（平方米）": hh["floor_area_m2"],
        "拆除面积（平方米）": hh["demolished_area_m2"], "来源": hh["source_kind"].map(widgets.kind_label)})
    return Households(line, more, kinds), table


reach = kept(_reach, ttl=TTL_SECONDS)
headline = kept(_headline, ttl=TTL_SECONDS)
timeline = kept(_timeline, ttl=TTL_SECONDS)
progress = kept(_progress, ttl=TTL_SECONDS)
households = kept(_households, ttl=TTL_SECONDS)
