"""Shared Altair charts: dark theme, large readable fonts, Chinese axis titles. Drawing only — no queries."""
from __future__ import annotations

import functools
from collections.abc import Sequence

import altair as alt
import pandas as pd
import streamlit as st

from ui import widgets

STAR_STATUS_COLORS = {"已达标": "#2E9E5B", "创建中": "#E8A33A", "未启动": "#5B6270"}
MODEL_STATUS_COLORS = {"已命名示范社区": "#2E9E5B", "先行先试": "#3B82F6", "创建中": "#E8A33A", "未命名": "#5B6270"}
HOUSEHOLD_COLORS = {"已签约": "#3B82F6", "已交钥匙": "#E8A33A", "已拆除": "#2E9E5B"}
OK_COLOR, WARN_COLOR, LINE_COLOR, MUTED = "#3B82F6", "#E8463A", "#D1D5DB", "#9CA3AF"
HIGHLIGHT = "#FFFFFF"
DATE_FMT = "%Y年%-m月%-d日"
FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif"

# Altair validates every object against the Vega-Lite JSON schema as it is built and again in
# `to_dict()`: about two thirds of a page's server time. The specs are fixed code, checked once by
# tests/test_charts.py (which validates each builder's output), so the app builds and sends them unvalidated.
alt.utils.schemapi.disable_debug_mode()


def _scale(colors: dict[str, str]) -> alt.Scale:
    return alt.Scale(domain=list(colors), range=list(colors.values()))


def style(chart: alt.TopLevelMixin, *, height: int = 320) -> alt.TopLevelMixin:
    """Readable fonts on a dark, transparent background."""
    # One configure() call: each chained configure_*() deep-copies the whole chart.
    # aria=False: no English descriptions Vega writes for screen readers ("X-axis titled … for a linear scale").
    return chart.properties(height=height).configure(
        background="transparent", font=FONT, aria=False,
        axis=alt.AxisConfig(labelFontSize=14, titleFontSize=15, labelLimit=220, gridOpacity=0.25),
        legend=alt.LegendConfig(labelFontSize=14, titleFontSize=14, orient="bottom", symbolSize=160),
        text=alt.MarkConfig(fontSize=14), view=alt.ViewConfig(strokeWidth=0))


def _in_order(df: pd.DataFrame, communities: Sequence[str]) -> pd.DataFrame:
    """`df` with `order` = each community's place in `communities`, for sorting the y axis by a field:
    a sort list of every name would be copied with the chart at every step (211 names at district size)."""
    place = {name: i for i, name in enumerate(communities)}
    return df.assign(order=df["community"].map(place).fillna(len(place)))


def _by_order(title: str = "社区") -> alt.Y:
    return alt.Y("community:N", sort=alt.EncodingSortField(field="order", op="min"), title=title)


def unvalidated(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart, with Streamlit's `to_dict()` call skipping the schema validation (see above)."""
    object.__setattr__(chart, "to_dict", functools.partial(chart.to_dict, validate=False))
    return chart


def show(chart: alt.TopLevelMixin, *, height: int = 320) -> None:
    """Draw `chart`. When all its data is one top-level frame, the spec is sent without the data's name
    (Streamlit names datasets by a hash of their content): a rerun with new data but the same design
    then sends an identical spec, and the browser updates the drawn chart instead of rebuilding it."""
    styled = style(chart, height=height)
    data = styled.data
    subcharts = getattr(styled, "layer", None) or []
    if isinstance(data, pd.DataFrame) and all(c.data is alt.Undefined for c in subcharts):
        spec = styled.copy(deep=False)
        spec.data = alt.Undefined
        st.vega_lite_chart(data, bare_spec(spec.to_dict(validate=False)), width="stretch")
    else:
        st.altair_chart(unvalidated(styled), width="stretch")


def bare_spec(spec: dict) -> dict:
    """The spec for `st.vega_lite_chart(data, spec)`: layers read the top-level data (Altair points
    data-less layers at a placeholder "empty" dataset), and no 300 × 300 default view size."""
    for part in (spec, *spec.get("layer", [])):
        if part.get("data") == {"name": "empty"}:
            del part["data"]
    datasets = spec.get("datasets", {})
    datasets.pop("empty", None)
    if not datasets:
        spec.pop("datasets", None)
    view = spec.get("config", {}).get("view", {})
    for key in ("continuousWidth", "continuousHeight"):
        view.pop(key, None)
    return spec


def when_selected(channel: type, on: object, off: object) -> alt.SchemaBase:
    """`channel` (alt.OpacityValue, alt.ColorValue …) = `on` where `datum.selected`, else `off`. Built
    directly: `alt.condition()` returns a dict that Altair resolves by hashing its whole schema (~20 ms)."""
    return channel(condition={"test": "datum.selected", "value": on}, value=off)


def star_matrix(df: pd.DataFrame, *, stars: Sequence[str], communities: Sequence[str],
                highlight: str | None = None) -> alt.LayerChart:
    """Community × star cells coloured by status, labelled with the score; the selected row outlined.

    The selection lives in the data (`selected`, `opacity`), not in the spec: a new selection then
    changes only the data, and the browser updates the drawn chart instead of building it again."""
    selected = df["community"] == highlight
    data = _in_order(df, communities).assign(
        score_text=df["score"].map(lambda v: "—" if pd.isna(v) else f"{v:.0f}"), selected=selected,
        opacity=selected.map({True: 1.0, False: 0.55 if highlight else 0.9}),
        source_text=df["source_kind"].map(widgets.kind_label))  # each cell's own source (示例 / 工作人员录入 …)
    x = alt.X("star:N", sort=list(stars), title=None, axis=alt.Axis(orient="top", labelAngle=0))
    y = _by_order()
    tooltip = [alt.Tooltip("community:N", title="社区"), alt.Tooltip("star:N", title="星级"),
               alt.Tooltip("status:N", title="状态"), alt.Tooltip("score:Q", title="得分", format=".1f"),
               alt.Tooltip("source_text:N", title="来源")]
    base = alt.Chart().encode(x=x, y=y)  # data on the layer: sharing it per subchart makes Altair hash its repr
    cells = base.mark_rect(cornerRadius=3).encode(
        color=alt.Color("status:N", scale=_scale(STAR_STATUS_COLORS), title="状态"),
        opacity=alt.Opacity("opacity:Q", scale=None, legend=None), tooltip=tooltip)
    text = base.mark_text(fontSize=15, fontWeight="bold", color="#FFFFFF").encode(text=alt.Text("score_text:N"))
    outline = base.mark_rect(filled=False, stroke=HIGHLIGHT, strokeWidth=3).transform_filter("datum.selected")
    return alt.layer(cells, text, outline, data=data)


# Ticks on month starts for an axis labelled by month (a tick every ~2 weeks printed each month two or three times);
# overlapping labels are hidden, so a year's window shows every other month.
MONTHLY = {"interval": "month", "step": 1}
ZERO_COLOR = "#E5E7EB"  # light on the dark theme and the wall; a 0 must read as 0, not as a missing bar


def zero_visible(bars: alt.Chart, *, value: str, horizontal: bool = True) -> alt.LayerChart:
    """`bars` with a visible zero: where `value` is 0, a thick rule across the bar's band at the baseline
    and the text 「0」 beside it (a zero-length bar draws nothing). The data moves to the layer, so
    `show` can still send the spec bare."""
    data, base = bars.data, bars.copy(deep=False)
    base.data = alt.Undefined
    zero = f"datum['{value}'] === 0"
    tick = base.mark_tick(thickness=4, color=ZERO_COLOR).encode(
        color=alt.ColorValue(ZERO_COLOR)).transform_filter(zero)
    place = {"align": "left", "dx": 6, "baseline": "middle"} if horizontal else \
        {"align": "center", "dy": -8, "baseline": "bottom"}
    text = base.mark_text(fontWeight="bold", **place).encode(
        text=alt.TextValue("0"), color=alt.ColorValue(ZERO_COLOR)).transform_filter(zero)
    return alt.layer(base, tick, text, data=data)


def community_bars(df: pd.DataFrame, *, value: str, title: str, communities: Sequence[str],
                   highlight: str | None = None, domain_max: float | None = None) -> alt.LayerChart:
    """Horizontal bars per community, the selected one in the accent colour; a zero shows as 「0」."""
    data = _in_order(df, communities).assign(selected=df["community"] == highlight)
    scale = alt.Scale(domain=[0, domain_max]) if domain_max else alt.Undefined
    bars = alt.Chart(data).mark_bar(cornerRadiusEnd=3).encode(
        y=_by_order(),
        x=alt.X(f"{value}:Q", title=title, scale=scale, axis=alt.Axis(tickMinStep=1)),
        color=when_selected(alt.ColorValue, WARN_COLOR, OK_COLOR),
        tooltip=[alt.Tooltip("community:N", title="社区"), alt.Tooltip(f"{value}:Q", title=title)])
    return zero_visible(bars, value=value)


def column_bars(df: pd.DataFrame, *, value: str, title: str, highlight: str | None = None,
                domain_max: float | None = None, on: str = "#f2dd4e", off: str = "#3aa77e") -> alt.LayerChart:
    """Vertical bars per community in the frame's order (the wall's 五星 view), a zero shown as 「0」."""
    data = df.assign(selected=df["community"] == highlight)
    scale = alt.Scale(domain=[0, domain_max]) if domain_max else alt.Undefined
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("community:N", sort=None, title="社区", axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{value}:Q", title=title, scale=scale),
        color=when_selected(alt.ColorValue, on, off))
    return zero_visible(bars, value=value, horizontal=False)


def stacked_by_date(df: pd.DataFrame, *, columns: Sequence[str], colors: dict[str, str], y_title: str,
                    date_col: str = "date") -> alt.Chart:
    """Stacked bars per date from a wide frame (one column per category)."""
    long = df.melt(id_vars=[date_col], value_vars=list(columns), var_name="类别", value_name="数量")
    long["日期"] = pd.to_datetime(long[date_col]).dt.strftime("%Y年%-m月%-d日")
    return alt.Chart(long).mark_bar().encode(
        x=alt.X("日期:N", sort=None, title="评定日期", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("数量:Q", stack="zero", title=y_title),
        color=alt.Color("类别:N", scale=_scale(colors), title=None),
        order=alt.Order("类别:N", sort="descending"),
        tooltip=[alt.Tooltip("日期:N"), alt.Tooltip("类别:N"), alt.Tooltip("数量:Q")])


def status_timeline(df: pd.DataFrame, *, colors: dict[str, str], communities: Sequence[str],
                    marks: pd.DataFrame | None = None, highlight: str | None = None) -> alt.LayerChart:
    """Gantt-style spans (community, status, start, end); optional dated rules (date, label).

    Every layer reads one frame (the spans, then the marks' rows with `mark` set): with the selection in the data
    too, a new selection sends the same spec with new data, and the browser updates the drawn chart instead of
    building it again (see star_matrix)."""
    selected = df["community"] == highlight
    data = _in_order(df, communities).assign(start=pd.to_datetime(df["start"]), end=pd.to_datetime(df["end"]),
                                             selected=selected, mark=False,
                                             opacity=selected.map({True: 1.0, False: 0.6 if highlight else 0.9}))
    dated = marks is not None and not marks.empty
    if dated:
        rows = marks.assign(date=pd.to_datetime(marks["date"]), mark=True, selected=False, opacity=1.0)
        data = pd.concat([data, rows], ignore_index=True)
    bars = alt.Chart().mark_bar(cornerRadius=3, height=18).encode(
        y=_by_order(),
        x=alt.X("start:T", title="日期", axis=alt.Axis(format="%Y年%-m月", labelAngle=0, tickCount=MONTHLY)),
        x2=alt.X2("end:T"),
        color=alt.Color("status:N", scale=_scale(colors), title="状态"),
        opacity=alt.Opacity("opacity:Q", scale=None, legend=None),
        tooltip=[alt.Tooltip("community:N", title="社区"), alt.Tooltip("status:N", title="状态"),
                 alt.Tooltip("start:T", title="起", format=DATE_FMT), alt.Tooltip("end:T", title="止", format=DATE_FMT),
                 alt.Tooltip("note:N", title="说明")]).transform_filter("!datum.mark")
    layers = [bars]
    if dated:
        rule = alt.Chart().mark_rule(color=LINE_COLOR, strokeDash=[6, 4], size=2).encode(x=alt.X("date:T"))
        text = alt.Chart().mark_text(align="right", dx=-6, dy=-8, color=LINE_COLOR, fontSize=14).encode(
            x=alt.X("date:T"), y=alt.YValue(0), text=alt.Text("label:N"))
        layers += [rule.transform_filter("datum.mark"), text.transform_filter("datum.mark")]
    return alt.layer(*layers, data=data)


def burnup(df: pd.DataFrame, *, series: Sequence[str], total: float, total_label: str) -> alt.LayerChart:
    """Cumulative lines (one per ladder step) against a horizontal line at the total."""
    long = df.melt(id_vars=["date"], value_vars=list(series), var_name="进度", value_name="户数")
    long["date"] = pd.to_datetime(long["date"])
    colors = {k: HOUSEHOLD_COLORS.get(k, MUTED) for k in series}
    lines = alt.Chart(long).mark_line(point=True, strokeWidth=3).encode(
        x=alt.X("date:T", title="日期", axis=alt.Axis(format="%-m月%-d日", labelAngle=0)),
        y=alt.Y("户数:Q", title="户数（累计）", scale=alt.Scale(domain=[0, max(total, 1) * 1.08])),
        color=alt.Color("进度:N", scale=_scale(colors), title=None),
        tooltip=[alt.Tooltip("date:T", title="日期", format=DATE_FMT), alt.Tooltip("进度:N"), alt.Tooltip("户数:Q")])
    rule_df = pd.DataFrame({"户数": [total], "label": [total_label]})
    rule = alt.Chart(rule_df).mark_rule(color=WARN_COLOR, strokeDash=[6, 4], size=2).encode(y=alt.Y("户数:Q"))
    text = alt.Chart(rule_df).mark_text(align="left", dx=4, dy=-8, color=WARN_COLOR, fontSize=14).encode(
        y=alt.Y("户数:Q"), x=alt.XValue(4), text=alt.Text("label:N"))
    return alt.layer(lines, rule, text)


def occupancy(df: pd.DataFrame, *, beds: int, threshold: int) -> alt.LayerChart:
    """Daily residents (never above capacity) with the capacity line (grey) and the warning line
    (red); days with fewer free beds than the warning are marked with red dots."""
    data = df.assign(day=pd.to_datetime(df["day"]))
    x = alt.X("day:T", title="日期", axis=alt.Axis(format="%Y年%-m月", labelAngle=0, tickCount=MONTHLY))
    y_scale = alt.Scale(domain=[max(0, min(int(data["occupied"].min()), threshold) - 3), beds + 1], nice=False)
    tooltip = [alt.Tooltip("day:T", title="日期", format=DATE_FMT), alt.Tooltip("occupied:Q", title="入住"),
               alt.Tooltip("free:Q", title="空床"), alt.Tooltip("source_title:N", title="来源")]
    line = alt.Chart(data).mark_line(color=OK_COLOR, strokeWidth=2, interpolate="step-after").encode(
        x=x, y=alt.Y("occupied:Q", title="入住人数", scale=y_scale), tooltip=tooltip)
    low = alt.Chart(data[data["low_free"]]).mark_circle(size=70, color=WARN_COLOR, opacity=0.9).encode(
        x=x, y=alt.Y("occupied:Q"), tooltip=tooltip)
    rules = pd.DataFrame({"y": [beds, threshold], "color": [LINE_COLOR, WARN_COLOR]})
    rule = alt.Chart(rules).mark_rule(strokeDash=[6, 4], size=2).encode(
        y=alt.Y("y:Q"), color=alt.Color("color:N", scale=None))
    return alt.layer(line, low, rule)


def table_height(rows: int, *, max_rows: int = 12) -> int:
    """Pixel height that shows `rows` rows of an st.dataframe without an inner scrollbar (up to max_rows)."""
    return 38 + 35 * max(1, min(rows, max_rows))


STYLED_MAX_ROWS = 60


def styled_table(df: pd.DataFrame, *, colors: dict[str, str] | None = None, status_cols: Sequence[str] = (),
                 highlight: tuple[str, str] | None = None):
    """A pandas Styler for st.dataframe: status cells tinted by `colors` (matched on the cell's
    leading word), and the row whose `highlight[0]` column equals `highlight[1]` outlined in red.
    Longer than STYLED_MAX_ROWS rows: the plain frame (the status words are in the cells)."""
    if len(df) > STYLED_MAX_ROWS:  # Styler renders every cell to HTML: at district size that is the page's cost
        return df
    colors = colors or {}

    def tint(value: object) -> str:
        text = str(value)
        for key, colour in colors.items():
            if text.startswith(key):
                return f"background-color: {colour}; color: #FFFFFF"
        return ""

    def mark(row: pd.Series) -> list[str]:
        on = highlight is not None and row.get(highlight[0]) == highlight[1]
        return ["font-weight: bold; background-color: rgba(232,70,58,0.28)" if on else "" for _ in row]

    styler = df.style.apply(mark, axis=1)
    for col in status_cols:
        if col in df:
            styler = styler.map(tint, subset=[col])
    return styler
