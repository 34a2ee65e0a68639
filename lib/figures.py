"""`Figure`: one number as a leader must defend it — value and Chinese text, where it comes from
(报道 with the article's words, 录入 with who entered it and when, 示例, 官方 …), the date it holds
from, when it was recorded, and any warning. Comparisons (`compare`) name both dates and say when
the comparison date has no data. Pages only draw what these objects say.

What holds before the article (README, data model): the article's "截至目前" figures are dated
2023-11-22 (the latest date it mentions). The subdistrict's own profile (area, populations, units,
markets, enterprises …: `is_standing`) describes how the subdistrict is, not an event of that day, so
on an earlier date it is still shown, marked 「报道于2023年11月22日」 (`reported_later`). Everything
else (community and facility figures, the 2023-09-23 naming, relocation progress, residents on a day)
holds from its own date only; before it: no data.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from lib import clock, privacy
from lib.days import as_day
from lib.fmt import cn_date, stamp_text
from lib.models import SourceKind
from lib.values import blank

MIXED = "mixed"  # a count over records of several kinds, demo data among them (录入 for one community, 示例 …)
MULTI = "multi"  # a count over records of several kinds, none of them demo data (报道 for four communities, 录入 …)

# Tag text and colour per source kind: the tag alone carries the meaning (a wall has no hover).
TAGS: dict[str, tuple[str, str]] = {
    SourceKind.ARTICLE.value: ("报道", "blue"),
    SourceKind.OFFICIAL.value: ("官方", "violet"),
    SourceKind.STAFF.value: ("录入", "green"),
    SourceKind.DEMO.value: ("示例", "orange"),
    SourceKind.SURVEY.value: ("测绘", "gray"),
    MIXED: ("含示例", "orange"),
    MULTI: ("多来源", "green"),
}
# The same colours as RGB, for the PNG briefing and the big screen's HTML.
TAG_RGB = {"blue": (96, 165, 250), "violet": (167, 139, 250), "green": (52, 211, 153), "orange": (251, 146, 60),
           "gray": (148, 163, 184)}
KIND_NAMES = {SourceKind.ARTICLE.value: "新闻报道", SourceKind.OFFICIAL.value: "官方文件",
              SourceKind.DEMO.value: "示例数据", SourceKind.STAFF.value: "工作人员录入",
              SourceKind.SURVEY.value: "测绘/导入数据", MIXED: "多种来源（含示例数据）",
              MULTI: "多种来源（报道、录入等，不含示例数据）"}
ANONYMOUS_AUTHOR = privacy.ANONYMOUS_AUTHOR
# The subdistrict's standing profile (see the module docstring); the naming count is a dated event.
STANDING_SUBJECTS = {"光武街道"}
DATED_EVENTS = {"model_communities_named"}
QUOTES_JOIN = "”；“"  # several quotes in one citation: 原文：“A”；“B”
DEMO_BASELINE = "（对比值为示例数据）"  # a real figure's change measured against a demo one


def combined_kind(kinds: Iterable[str | None]) -> str:
    """The source of a figure counted over records of these kinds: their kind when they share one; MIXED (含示例)
    when demo data is among them; MULTI (多来源) otherwise. The one rule for every count over several records."""
    found = {k for k in kinds if k}
    if len(found) == 1:
        return found.pop()
    return MIXED if SourceKind.DEMO.value in found or MIXED in found else MULTI


def is_standing(subject: str | None, indicator: str | None) -> bool:
    return subject in STANDING_SUBJECTS and indicator not in DATED_EVENTS


def _stamp(v) -> dt.datetime | None:
    if blank(v):
        return None
    if isinstance(v, str):
        return dt.datetime.fromisoformat(v)
    return v.to_pydatetime() if hasattr(v, "to_pydatetime") else v


def staff_line(author: str | None, recorded_at: dt.datetime | None) -> str:
    """「录入：中兴录入员，2024年2月20日 10:00」: who entered a figure and when (China time), as a card's source and
    the briefing pack's citation say it."""
    when = f"，{stamp_text(recorded_at)}" if recorded_at else ""
    return f"录入：{author or ANONYMOUS_AUTHOR}{when}"


@dataclass(frozen=True)
class Figure:
    label: str
    display: str
    kind: str  # a SourceKind value, or MIXED
    holds_from: dt.date | None = None
    value: float | None = None
    unit: str = ""
    citation: str | None = None  # the article's words
    source_title: str | None = None
    author: str | None = None  # who entered it (display name), staff figures only
    recorded_at: dt.datetime | None = None  # naive UTC
    warning: str | None = None
    reported_later: bool = False  # shown on a date before the (article) date it was reported
    # known on every day from `holds_from` until the next change: a count over a complete record of steps (the
    # 征迁 households), so `compare` may take it on a later day; a measurement (residents, an assessment) is not
    continuous: bool = False
    # the number is approximate (the article's 「6100余」「600多」「超过10万」「约」): a change computed from it is too
    approximate: bool = False

    # ---- provenance ----
    @property
    def is_demo(self) -> bool:
        return self.kind in (SourceKind.DEMO.value, MIXED)

    @property
    def is_staff(self) -> bool:
        return self.kind == SourceKind.STAFF.value

    @property
    def tag(self) -> str:
        return TAGS.get(self.kind, ("未知", "gray"))[0]

    @property
    def color(self) -> str:
        return TAGS.get(self.kind, ("未知", "gray"))[1]

    @property
    def rgb(self) -> tuple[int, int, int]:
        return TAG_RGB[self.color]

    @property
    def names_entry(self) -> bool:
        """Whether the tag names who entered it and when: a staff figure, or one made of several sources with a
        staff entry among them (「多来源 · 中兴录入员 · 2026年12月5日录入」: a wall has no hover to find it)."""
        return self.is_staff or (self.kind in (MULTI, MIXED) and self.author is not None)

    def badge(self, header: dt.date | None = None) -> str:
        """The tag as read on a card, the wall and the PNG: 「报道」, 「示例 · 2023年6月30日」,
        「录入 · 中兴录入员 · 2026年12月5日录入」, 「报道于2023年11月22日」 — the figure's own
        date is added when it differs from `header` (the page's 「最新数据」 date)."""
        if self.reported_later:  # 「报道于…」 names the source itself (kept short: it sits under a card)
            return f"{self.tag}于{cn_date(self.holds_from)}"
        parts = [self.tag]
        if self.names_entry:
            parts.append(self.author or ANONYMOUS_AUTHOR)
            if self.recorded_at:
                parts.append(f"{cn_date(clock.to_local(self.recorded_at))}录入")
        if header is not None and self.date_note(header):
            parts.append(("数字日期" if self.is_staff else "") + cn_date(self.holds_from))
        return " · ".join(parts)

    def date_note(self, header: dt.date | None) -> str | None:
        """「2023年11月22日」 when the figure's own date differs from the header's date, else None."""
        if self.holds_from is None or self.holds_from == header:
            return None
        return cn_date(self.holds_from)

    def provenance(self) -> str:
        """Hover / caption text: source, title, quote, author."""
        parts = [f"来源：{KIND_NAMES.get(self.kind, self.kind)}"]
        if self.source_title and self.kind not in (SourceKind.DEMO.value, MIXED, MULTI):
            t = self.source_title
            parts.append(f"《{t[:40]}…》" if len(t) > 40 else f"《{t}》")
        if self.citation:
            parts.append(f"原文：“{self.citation}”")
        if self.is_staff:
            parts.append(staff_line(self.author, self.recorded_at))
        if self.holds_from:
            parts.append(("报道日期：" if self.reported_later else "数字日期：") + cn_date(self.holds_from))
        return "  \n".join(parts)

    def for_viewer(self, signed_in: bool) -> Figure:
        """Staff names are shown to signed-in users only; anonymous viewers see 「工作人员」."""
        return self if signed_in or not self.author else replace(self, author=privacy.shown_author(self.author,
                                                                                                     signed_in=False))


def derived(parts: Iterable[Figure], *, label: str, display: str, value: float | None = None,
            unit: str = "") -> Figure:
    """A figure made from other figures (已签约/涉迁户, 未签约 = 涉迁户 − 已签约): the kinds of all its parts
    (`combined_kind`), the newest part's date, who entered the newest staff entry any part names, and every part's
    warning (a
    figure made of a disputed or alarming one is so too, wherever it is shown); when every part is quoted, each
    quote once, in the parts' order (shown as 原文：“A”；“B”)."""
    parts = list(parts)
    dated = [f for f in parts if f.holds_from is not None]
    newest = max(dated, key=lambda f: f.holds_from) if dated else parts[0]
    staff = [f for f in parts if f.names_entry]  # 录入 parts, and mixed counts that name their newest entry
    entered = max(staff, key=lambda f: f.recorded_at or dt.datetime.min) if staff else None
    quotes = list(dict.fromkeys(f.citation for f in parts))
    titles = {f.source_title for f in parts}
    warnings = "；".join(dict.fromkeys(f.warning for f in parts if f.warning))
    return Figure(label, display, combined_kind(f.kind for f in parts), newest.holds_from, value=value, unit=unit,
                  citation=QUOTES_JOIN.join(quotes) if all(quotes) else None,
                  source_title=titles.pop() if len(titles) == 1 else None,
                  author=entered.author if entered else None, recorded_at=entered.recorded_at if entered else None,
                  reported_later=any(f.reported_later for f in parts), continuous=all(f.continuous for f in parts),
                  warning=warnings or None, approximate=any(f.approximate for f in parts))


def from_row(row, *, label: str | None = None, display: str | None = None, as_of: dt.date | None = None) -> Figure:
    """A Figure from a query row carrying source_kind/source_title/source_publisher, quote, valid_from,
    recorded_at (facts(), party_network() …). `as_of` before the row's date marks it `reported_later`."""
    r = dict(row)
    kind = r.get("source_kind") or (SourceKind.DEMO.value if r.get("is_demo") else SourceKind.ARTICLE.value)
    holds = as_day(r.get("valid_from", r.get("day")))
    value = r.get("value")
    return Figure(
        label=label or r.get("label", ""), display=display or r.get("display", ""), kind=kind, holds_from=holds,
        value=None if blank(value) else float(value), unit=r.get("unit") or "",
        citation=None if blank(r.get("quote")) else r.get("quote"), source_title=r.get("source_title"),
        author=(r.get("source_publisher") or r.get("recorded_by")) if kind == SourceKind.STAFF.value else None,
        recorded_at=_stamp(r.get("recorded_at")),
        reported_later=bool(r.get("reported_later")) or bool(as_of and holds and holds > as_of),
        approximate=not blank(r.get("qualifier")))


@dataclass(frozen=True)
class Delta:
    """A comparison of a figure with the one that held on `on`."""

    on: dt.date
    text: str | None  # 「+3户」 / 「持平」 / None when there is no data on `on`
    sentence: str  # names both dates (one, when the figure already held on the comparison day)
    has_data: bool
    now_day: dt.date | None = None  # the date of the figure compared; None when it already held on `on`
    demo_baseline: bool = False  # compared with a demo figure

    @property
    def flat(self) -> bool:
        return self.text == "持平"

    @property
    def brief(self) -> str:
        """The change as written under a figure (the wall's 「较上次汇报」 strip, the briefing PDF and Excel):
        「较2023年11月15日 +3户（2023年11月22日）」, 「较…（对比值为示例数据）…」, or 「2023年11月15日无数据」."""
        if not self.has_data:
            return f"{cn_date(self.on)}无数据"
        demo = DEMO_BASELINE if self.demo_baseline else ""
        return f"较{cn_date(self.on)} {self.text}{demo}" + (f"（{cn_date(self.now_day)}）" if self.now_day else "")


def compare(now: Figure, before: Figure | None, on: dt.date, *, unit: str = "") -> Delta:
    """`now` against `before` (the figure that held on `on`). There is data on `on` only when the figure
    that held then is dated that day, or is `continuous` (a count over a complete record of steps, known on every
    day since its date); otherwise the sentence says so and there is no delta."""
    here = cn_date(now.holds_from)
    held = before is not None and before.holds_from is not None and (
        before.holds_from == on or (before.continuous and before.holds_from <= on))
    if before is None or before.value is None or not held:
        last = (f"；此前最近的数字为{cn_date(before.holds_from)}的{before.display}"
                if before is not None and before.value is not None else "")
        return Delta(on, None, f"{here} {now.display}；对比日{cn_date(on)}无数据{last}，不作比较。", False,
                     now.holds_from)
    diff = (now.value or 0) - before.value
    text = "持平" if diff == 0 else f"{diff:+g}{unit}"
    if diff and (now.approximate or before.approximate):  # 「6100余」 − 4643.1 is not 「+1456.9」
        text = f"{diff:+.0f}{unit}（约）" if abs(diff) >= 10 else f"{diff:+.1g}{unit}（约）"
    demo = DEMO_BASELINE if before.is_demo and not now.is_demo else ""
    if diff == 0 and not demo and now.holds_from is not None and now.holds_from <= on:
        # the shown figure already held on the comparison day: one date, not the same day compared with itself
        return Delta(on, text, f"{here}以来为 {now.display}，对比日{cn_date(on)}相同：{text}。", True, None)
    return Delta(on, text, f"{here} {now.display}，较{cn_date(on)} {before.display}{demo}：{text}。", True,
                 now.holds_from, bool(demo))
