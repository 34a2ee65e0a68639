"""Colours, classification and legend for the map (dark-theme friendly)."""
from __future__ import annotations

import math
from typing import Sequence

from geo.service_area import LEGEND as WALK_LEGEND

# low -> high; readable on a dark background (dark blue -> yellow)
DEFAULT_SCALE: tuple[str, ...] = ("#2c4f7c", "#2a7f8e", "#3aa77e", "#97cc5c", "#f2dd4e")
NO_DATA_COLOR = "#5b6270"
NO_DATA_LABEL = "无数据"
FONT_FAMILY = '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif'

RGBA = list[int]

COLORS: dict[str, RGBA] = {
    "context_fill": [148, 163, 184, 18],
    "context_line": [148, 163, 184, 110],
    "community_line": [226, 232, 240, 150],
    "outline": [241, 245, 249, 230],
    "selected": [255, 214, 10, 255],
    "reservoir_fill": [56, 132, 255, 170],
    "reservoir_line": [147, 197, 253, 220],
    "river": [72, 160, 255, 230],
    "road": [203, 160, 92, 210],
    "railway_base": [64, 64, 72, 255],
    "railway_dash": [245, 245, 245, 255],
    "project": [236, 72, 153, 235],
    "check": [239, 68, 68, 255],
    "circle_fill": [45, 212, 191, 40],
    "circle_line": [45, 212, 191, 220],
    "label": [248, 250, 252, 255],
    "label_halo": [15, 23, 42, 200],
}
POI_COLORS: dict[str, RGBA] = {
    "交通枢纽": [250, 250, 250, 255],
    "养老服务": [251, 146, 60, 255],
    "夜市": [244, 114, 182, 255],
    "商业楼宇": [167, 139, 250, 255],
    "文化设施": [250, 204, 21, 255],
    "街巷": [163, 230, 53, 255],
    "游园步道": [52, 211, 153, 255],
    "专业批发市场": [96, 165, 250, 255],
}
POI_DEFAULT: RGBA = [226, 232, 240, 255]


def hex_to_rgba(color: str, alpha: int = 255) -> RGBA:
    c = color.lstrip("#")
    return [int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16), alpha]


def _finite(v) -> bool:
    if v is None or isinstance(v, bool):
        return False
    try:
        return math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def class_breaks(values: Sequence, n: int) -> list[float]:
    """Equal-interval class edges (n + 1 numbers) over the finite values; [] if none."""
    nums = sorted(float(v) for v in values if _finite(v))
    if not nums:
        return []
    lo, hi = nums[0], nums[-1]
    if hi == lo:
        return [lo, hi]
    return [lo + (hi - lo) * k / n for k in range(n + 1)]


def color_for(value, breaks: list[float], scale: Sequence[str]) -> str:
    """Hex colour of one value; None/NaN -> the neutral no-data grey."""
    if not _finite(value) or not breaks:
        return NO_DATA_COLOR
    lo, hi = breaks[0], breaks[-1]
    if hi == lo:
        return scale[len(scale) // 2]
    idx = min(int((float(value) - lo) / (hi - lo) * len(scale)), len(scale) - 1)
    return scale[max(idx, 0)]


def _fmt(v: float, value_format: str) -> str:
    return value_format.format(v)


def legend_items(values, *, color_scale: Sequence[str] = DEFAULT_SCALE, value_format: str = "{:.1f}",
                 no_data_label: str = NO_DATA_LABEL) -> list[tuple[str, str]]:
    """[(label, hex colour)] low -> high, plus 「无数据」 if any value is missing.

    `values` is a dict {community: value} or a plain sequence of values.
    """
    vals = list(values.values()) if isinstance(values, dict) else list(values)
    breaks = class_breaks(vals, len(color_scale))
    items: list[tuple[str, str]] = []
    if len(breaks) == 2 and breaks[0] == breaks[1]:
        items.append((_fmt(breaks[0], value_format), color_scale[len(color_scale) // 2]))
    elif breaks:
        for k, color in enumerate(color_scale):
            items.append((f"{_fmt(breaks[k], value_format)}–{_fmt(breaks[k + 1], value_format)}", color))
    if not vals or any(not _finite(v) for v in vals):
        items.append((no_data_label, NO_DATA_COLOR))
    return items


# Every symbol drawn on the map, for its legend: (label, shape, RGBA). Shapes: line, dashed, area, dot, ring.
# The shipped 11 专业批发市场 sit at invented positions: the legend and their tooltip say 示意 (until surveyed points
# replace them: the 设施点位 layer's newest version, lib.map_origin).
MARKET_NOTE = "位置为示意（报道未给出具体位置）"


def symbols(*, markets_schematic: bool = True) -> tuple[tuple[str, str, RGBA], ...]:
    market = f"专业批发市场（{MARKET_NOTE}）" if markets_schematic else "专业批发市场"
    return (
        ("街道范围", "line", COLORS["outline"]),
        ("主干道路", "line", COLORS["road"]),
        ("焦枝铁路", "dashed", COLORS["railway_dash"]),
        ("河流", "line", COLORS["river"]),
        ("水库", "area", COLORS["reservoir_fill"]),
        ("文化路北延（征迁项目）", "line", COLORS["project"]),
        *((("南阳站" if cat == "交通枢纽" else market if cat == "专业批发市场" else cat), "dot", rgba)
          for cat, rgba in POI_COLORS.items()),
    )
CHECK_SYMBOL = ("现场核查点（红圈）", "ring", COLORS["check"])
CIRCLE_SYMBOL = (WALK_LEGEND, "area", COLORS["circle_line"])
# The 示范 view's highlighted communities (outlined polygons): the L-shaped cluster and the railway-west pilot.
HIGHLIGHT_COLORS = {"cluster": [249, 115, 22, 255], "pilot": [168, 85, 247, 255]}
