"""A briefing picture (PNG) of the current screen: title, 「数据截至」, key figures, and the map.

Drawn on the server with Pillow from the same data the screen shows, so it works offline and
without the browser. Does not import streamlit (testable from a script).
"""
from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo
from shapely.geometry import shape

from lib.figures import Figure
from lib.map_origin import MapOrigin

# The lines drawn over the communities, in drawing order: (layer, legend label — "{}" takes the features' names, so a
# layer an administrator replaced is named as it now is —, colour, width)
LINES = (("rivers", "河流（{}）", (72, 160, 255), 3), ("roads", "主干道", (203, 160, 92), 3),
         ("railway", "{}", (245, 245, 245), 4), ("projects", "{}（征迁项目）", (236, 72, 153), 4))


def _line_label(template: str, features: list[dict]) -> str:
    return template.format("、".join(dict.fromkeys(str(f.get("name") or "") for f in features if f.get("name"))))

FONT_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "C:/Windows/Fonts/msyh.ttc",
]
BG, FG, MUTED = (17, 19, 24), (241, 245, 249), (148, 163, 184)
ACCENT, SELECTED = (232, 70, 58), (255, 214, 10)
NO_DATA = (91, 98, 112)
WARN = (251, 191, 36)  # a figure's warning (lib: e.g. 征迁已签约 disputed by the household records), as on the wall


def figure_lines(figures: list[Figure], header: dt.date | None) -> list[tuple[str, str, str, tuple[int, int, int]]]:
    """(label, value, tag, tag colour) per figure: the tag carries source, who/when for 录入, and the
    figure's own date when it differs from the header's (the picture is read without hover)."""
    return [(fig.label, fig.display, fig.badge(header), fig.rgb) for fig in figures]


def _font(size: int) -> ImageFont.ImageFont:
    for path in FONT_CANDIDATES:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)  # no CJK glyphs: install fonts-noto-cjk


def font_has_cjk() -> bool:
    return any(Path(p).is_file() for p in FONT_CANDIDATES)


def _hex(color: str) -> tuple[int, int, int]:
    c = color.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def _projector(bounds: tuple[float, float, float, float], box: tuple[int, int, int, int]):
    """Equirectangular projection scaled by cos(latitude), fitted into `box` (x0, y0, x1, y1)."""
    minx, miny, maxx, maxy = bounds
    k = math.cos(math.radians((miny + maxy) / 2))
    w, h = (maxx - minx) * k, maxy - miny
    scale = min((box[2] - box[0]) / w, (box[3] - box[1]) / h)
    ox = box[0] + ((box[2] - box[0]) - w * scale) / 2
    oy = box[1] + ((box[3] - box[1]) - h * scale) / 2
    return lambda lon, lat: (ox + (lon - minx) * k * scale, oy + (maxy - lat) * scale)


def _rings(geom) -> list:
    polys = getattr(geom, "geoms", [geom])
    return [list(p.exterior.coords) for p in polys if p.geom_type == "Polygon"]


def _lines(geom) -> list:
    if geom.geom_type == "LineString":
        return [list(geom.coords)]
    return [list(g.coords) for g in getattr(geom, "geoms", []) if g.geom_type == "LineString"]


def _wrapped(draw: ImageDraw.ImageDraw, text: str, font, room: float) -> list[str]:
    """`text` cut into lines that fit `room` pixels (Chinese wraps between any two characters)."""
    lines, line = [], ""
    for ch in text:
        if line and draw.textlength(line + ch, font=font) > room:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


def render_briefing(*, title: str, stamp: str, figures: list[Figure], layers: dict[str, list[dict]],
                    colors: dict[str, str], header: dt.date | None = None, selected: str | None = None,
                    legend: list[tuple[str, str]] = (), size: tuple[int, int] = (1920, 1080),
                    origin: MapOrigin | None = None) -> bytes:
    """PNG bytes. `layers` are feature records {name, geometry, properties}; `colors` community → hex; `origin`:
    what of the map is 示意, what surveyed (lib.map_origin; None: the shipped 示意 layers). The figure lines are also
    stored as the PNG text chunk 「figures」 (label｜value｜tag per line), the map's origin as 「map」."""
    origin = origin or MapOrigin()
    width, height = size
    img = Image.new("RGB", size, BG)
    draw = ImageDraw.Draw(img)
    unit = height / 1080
    big, mid, small = _font(int(44 * unit)), _font(int(30 * unit)), _font(int(20 * unit))
    draw.text((40 * unit, 24 * unit), title, font=big, fill=FG)
    draw.text((width - 40 * unit, 34 * unit), stamp, font=mid, fill=MUTED, anchor="ra")
    draw.line([(40 * unit, 96 * unit), (width - 40 * unit, 96 * unit)], fill=ACCENT, width=max(2, int(3 * unit)))

    map_box = (int(40 * unit), int(120 * unit), int(width * 0.62), int(height - 80 * unit))
    comms = [(f["name"], shape(f["geometry"])) for f in layers.get("communities", [])]
    if comms:
        from shapely.ops import unary_union

        area = unary_union([g for _, g in comms])
        project = _projector(area.bounds, map_box)
        for name, geom in comms:
            fill = _hex(colors[name]) if colors.get(name) else NO_DATA
            for ring in _rings(geom):
                draw.polygon([project(x, y) for x, y in ring], fill=fill, outline=(226, 232, 240))
        for key, _label, color, w in LINES:
            for f in layers.get(key, []):
                for line in _lines(shape(f["geometry"]).intersection(area)):
                    draw.line([project(x, y) for x, y in line], fill=color, width=max(1, int(w * unit)))
        for name, geom in comms:
            if name == selected:
                for ring in _rings(geom):
                    draw.line([project(x, y) for x, y in ring], fill=SELECTED, width=max(3, int(6 * unit)))
            p = geom.representative_point()
            draw.text(project(p.x, p.y), name, font=small, fill=FG, anchor="mm", stroke_width=2,
                      stroke_fill=BG)
    x = 40 * unit
    for label, color in legend:
        draw.rectangle([x, height - 62 * unit, x + 20 * unit, height - 42 * unit], fill=_hex(color))
        draw.text((x + 28 * unit, height - 64 * unit), label, font=small, fill=MUTED)
        x += (40 + 22 * len(label)) * unit
    drawn = [(_line_label(label, layers[key]), color, w) for key, label, color, w in LINES if comms and layers.get(key)]
    for label, color, w in drawn:  # every kind of line on the map is named: a leader asks what the pink one is
        draw.line([x, height - 52 * unit, x + 24 * unit, height - 52 * unit], fill=color, width=max(1, int(w * unit)))
        draw.text((x + 32 * unit, height - 64 * unit), label, font=small, fill=MUTED)
        x += (44 + 22 * len(label)) * unit
    draw.text((40 * unit, height - 34 * unit), f"{origin.tag}；「报道」出自新闻报道，「录入」为工作人员录入（附录入人与时间），"
              "「示例」为示例数据，不作正式引用。", font=small, fill=MUTED)

    col_x, y = width * 0.66, 130 * unit
    lines = figure_lines(figures, header)
    notes = [f"注：{fig.warning}" if fig.warning else "" for fig in figures]
    wraps = [_wrapped(draw, note, small, width - 40 * unit - col_x)[:2] for note in notes]
    extra = [22 * unit * len(w) for w in wraps]  # a figure's warning takes lines of its own under it
    row_h = min(112 * unit, (height - 220 * unit - sum(extra)) / max(1, len(lines)))
    for (label, value, tag, rgb), wrap, more in zip(lines, wraps, extra, strict=True):
        draw.text((col_x, y), label, font=small, fill=MUTED)
        draw.text((col_x, y + 24 * unit), value, font=mid, fill=FG)
        box = draw.textbbox((width - 40 * unit, y + 34 * unit), tag, font=small, anchor="ra")
        draw.rounded_rectangle([box[0] - 8 * unit, box[1] - 4 * unit, box[2] + 8 * unit, box[3] + 4 * unit],
                               radius=int(6 * unit), fill=rgb)
        draw.text((width - 40 * unit, y + 34 * unit), tag, font=small, fill=BG, anchor="ra")
        for i, part in enumerate(wrap):
            draw.text((col_x, y + (62 + 22 * i) * unit), part, font=small, fill=WARN)
        y += row_h + more
    meta = PngInfo()
    meta.add_text("map", f"{origin.tag}：{origin.note}")
    meta.add_text("figures", "\n".join("｜".join(line[:3]) for line in lines))
    meta.add_text("legend", "\n".join([label for label, _ in legend] + [label for label, _, _ in drawn]))
    meta.add_text("notes", "\n".join(f"{line[0]}｜{note}" for line, note in zip(lines, notes, strict=True) if note))
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True, pnginfo=meta)
    return buf.getvalue()
