"""The pack's map: the saved map layers (same geometry as the app's map) drawn as a light SVG, every
layer named on the map and every symbol in the legend. Labels are placed greedily without overlap."""
from __future__ import annotations

import html
import math
import re

from shapely.geometry import box, shape
from shapely.ops import unary_union

from geo.deck_style import POI_COLORS, POI_DEFAULT
from lib.briefing.fonts import FAMILY
from lib.map_origin import MapOrigin

W, H, MAP_W = 1200, 820, 860  # the SVG; the map takes the left MAP_W px, the legend the rest
STATUS_FILLS = {"已命名示范社区": "#A7F3D0", "先行先试": "#BFDBFE", "创建中": "#FDE68A", "未命名": "#F3F4F6"}
ROAD, RAIL, RIVER, WATER, PROJECT, OUTLINE, SELECTED = ("#B45309", "#374151", "#2563EB", "#93C5FD", "#DB2777",
                                                         "#111827", "#DC2626")
CHECK = "#DC2626"
INVENTED = "专业批发市场"  # positions invented for the map: marked 示意


def _hex(rgba) -> str:
    return "#{:02X}{:02X}{:02X}".format(*rgba[:3])


class _Canvas:
    def __init__(self, bounds) -> None:
        minx, miny, maxx, maxy = bounds
        k = math.cos(math.radians((miny + maxy) / 2))
        pad = 24
        scale = min((MAP_W - 2 * pad) / ((maxx - minx) * k), (H - 2 * pad) / (maxy - miny))
        ox = pad + ((MAP_W - 2 * pad) - (maxx - minx) * k * scale) / 2
        oy = pad + ((H - 2 * pad) - (maxy - miny) * scale) / 2
        self.xy = lambda lon, lat: (ox + (lon - minx) * k * scale, oy + (maxy - lat) * scale)
        self.parts: list[str] = []
        self.taken: list[tuple[float, float, float, float]] = []

    def path(self, coords, **attrs) -> None:
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (self.xy(*c[:2]) for c in coords))
        self.parts.append(f"<polyline points='{pts}' {_attrs(attrs)}/>")

    def polygon(self, geom, **attrs) -> None:
        for poly in getattr(geom, "geoms", [geom]):
            if poly.geom_type != "Polygon" or poly.is_empty:
                continue
            pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (self.xy(*c[:2]) for c in poly.exterior.coords))
            self.parts.append(f"<polygon points='{pts}' {_attrs(attrs)}/>")

    def label(self, candidates, text: str, *, size: int = 15, color: str = "#111827", weight: str = "normal",
              force: bool = False) -> bool:
        """Place `text` at the first candidate (x, y) where it overlaps no label; False if none fits."""
        w, h = size * len(text) * 1.0 + 4, size * 1.3
        for x, y in candidates:
            rect = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
            inside = rect[0] >= 0 and rect[2] <= MAP_W and rect[1] >= 0 and rect[3] <= H
            if inside and (force or not any(_overlap(rect, r) for r in self.taken)):
                self.taken.append(rect)
                self.parts.append(
                    f"<text x='{x:.1f}' y='{y + size * 0.36:.1f}' font-size='{size}' font-weight='{weight}' "
                    f"text-anchor='middle' fill='{color}' stroke='white' stroke-width='3' paint-order='stroke'>"
                    f"{html.escape(text)}</text>")
                return True
        return False


def _attrs(attrs: dict) -> str:
    return " ".join(f"{k.replace('_', '-')}='{v}'" for k, v in attrs.items())


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _lines(geom):
    if geom.is_empty:
        return []
    if geom.geom_type == "LineString":
        return [geom]
    return [g for g in getattr(geom, "geoms", []) if g.geom_type == "LineString"]


def _along(canvas: _Canvas, line, fractions=(0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9)):
    return [canvas.xy(*line.interpolate(f, normalized=True).coords[0]) for f in fractions]


def render_map(layers: dict[str, list[dict]], *, status: dict[str, str], selected: str | None = None,
               checks: list[tuple[float, float]] = (), origin: MapOrigin | None = None) -> str:
    """SVG text of the map with its legend. `status`: community → 示范社区 status (the fill colour);
    `checks`: (lon, lat) of open site checks, drawn as red circles; `origin`: what is 示意 and what surveyed
    (lib.map_origin; None: the shipped 示意 layers)."""
    comms = [(f["name"], shape(f["geometry"])) for f in layers.get("communities", [])]
    outline = [shape(f["geometry"]) for f in layers.get("outline", [])]
    area = unary_union(outline or [g for _, g in comms])
    minx, miny, maxx, maxy = area.bounds
    dx, dy = (maxx - minx) * 0.04, (maxy - miny) * 0.04
    frame = box(minx - dx, miny - dy, maxx + dx, maxy + dy)
    c = _Canvas(frame.bounds)
    for f in layers.get("context", []):
        c.polygon(shape(f["geometry"]).intersection(frame), fill="#F9FAFB", stroke="#D1D5DB", stroke_width=1)
    for name, geom in comms:
        c.polygon(geom, fill=STATUS_FILLS.get(status.get(name, "未命名"), "#F3F4F6"), stroke="#6B7280",
                  stroke_width=1)
    for geom in outline:
        c.polygon(geom, fill="none", stroke=OUTLINE, stroke_width=2.5)
    for f in layers.get("reservoirs", []):
        c.polygon(shape(f["geometry"]), fill=WATER, stroke=RIVER, stroke_width=1.5)
    rivers = [(f["name"], ln) for f in layers.get("rivers", []) for ln in _lines(shape(f["geometry"]).intersection(frame))]
    roads = [(f["name"], ln) for f in layers.get("roads", []) for ln in _lines(shape(f["geometry"]).intersection(frame))]
    rails = [(f["name"], ln) for f in layers.get("railway", []) for ln in _lines(shape(f["geometry"]).intersection(frame))]
    projects = [(f["name"], ln) for f in layers.get("projects", []) for ln in _lines(shape(f["geometry"]).intersection(frame))]
    for _, ln in rivers:
        c.path(ln.coords, fill="none", stroke=RIVER, stroke_width=3)
    for _, ln in roads:
        c.path(ln.coords, fill="none", stroke=ROAD, stroke_width=4, stroke_linecap="round")
    for _, ln in rails:
        c.path(ln.coords, fill="none", stroke=RAIL, stroke_width=5)
        c.path(ln.coords, fill="none", stroke="white", stroke_width=2.5, stroke_dasharray="10 8")
    for _, ln in projects:
        c.path(ln.coords, fill="none", stroke=PROJECT, stroke_width=5, stroke_dasharray="12 6")
    if selected:
        for name, geom in comms:
            if name == selected:
                c.polygon(geom, fill="none", stroke=SELECTED, stroke_width=4)
    pois = layers.get("pois", [])
    for f in pois:
        cat = f["properties"].get("category", "")
        x, y = c.xy(*shape(f["geometry"]).coords[0])
        c.parts.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='5' fill='{_hex(POI_COLORS.get(cat, POI_DEFAULT))}' "
                       "stroke='#111827' stroke-width='1'/>")
        if cat == INVENTED:
            c.taken.append((x - 6, y - 6, x + 6, y + 6))
    for lon, lat in checks:
        x, y = c.xy(lon, lat)
        c.parts.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='11' fill='none' stroke='{CHECK}' stroke-width='3'/>")
    # Labels, most important first: communities, then linear features, then places.
    for name, geom in comms:
        p = geom.representative_point()
        x, y = c.xy(p.x, p.y)
        c.label([(x, y), (x, y - 20), (x, y + 20)], name, size=18, weight="bold", force=True)
    for f in layers.get("reservoirs", []):
        p = shape(f["geometry"]).representative_point()
        x, y = c.xy(p.x, p.y)
        c.label([(x, y + 22), (x, y - 22), (x + 50, y), (x - 50, y)], f["name"], size=14, color=RIVER)
    for items, color in ((rails, RAIL), (rivers, RIVER), (roads, ROAD), (projects, PROJECT)):
        for name, ln in items:
            c.label(_along(c, ln), name, size=14, color=color, weight="bold")
    for f in pois:
        if f["properties"].get("category") == INVENTED:
            continue
        x, y = c.xy(*shape(f["geometry"]).coords[0])
        text = f["name"]
        off = len(text) * 7 + 10
        near = [(x + off, y), (x - off, y), (x, y - 16), (x, y + 16), (x + off, y - 14), (x - off, y + 14),
                (x + off, y + 14), (x - off, y - 14)]
        far = [(x + dx * k, y + dy * k) for k in (2, 3) for dx, dy in ((0, -16), (0, 16), (off, 0), (-off, 0))]
        c.label(near + far, text, size=13)
    return _svg(c, pois, selected, origin or MapOrigin())


def _legend(pois: list[dict], selected: str | None, origin: MapOrigin) -> list[str]:
    x0, y, out = MAP_W + 20, 40, []

    def text(s: str, dy: float = 0, size: int = 15, weight: str = "normal") -> None:
        out.append(f"<text x='{x0 + 44}' y='{y + 5 + dy}' font-size='{size}' font-weight='{weight}' fill='#111827'>"
                   f"{html.escape(s)}</text>")

    out.append(f"<text x='{x0}' y='{y}' font-size='18' font-weight='bold' fill='#111827'>图例</text>")
    y += 30
    out.append(f"<text x='{x0}' y='{y}' font-size='14' fill='#374151'>社区填色：示范社区状态</text>")
    y += 24
    for label, fill in STATUS_FILLS.items():
        out.append(f"<rect x='{x0}' y='{y - 9}' width='34' height='18' fill='{fill}' stroke='#6B7280'/>")
        text(label)
        y += 26
    lines = [("街道边界（示意）" if origin.schematic("outline") else "街道边界", OUTLINE, 2.5, ""),
             ("主干道", ROAD, 4, ""), ("焦枝铁路", RAIL, 5, ""), ("河流（三里河、梅溪河）", RIVER, 3, ""),
             ("文化路北延（征迁项目" + ("，示意线位）" if origin.schematic("projects") else "）"), PROJECT, 5, "12 6")]
    y += 8
    for label, color, width, dash in lines:
        out.append(f"<line x1='{x0}' y1='{y}' x2='{x0 + 34}' y2='{y}' stroke='{color}' stroke-width='{width}' "
                   + (f"stroke-dasharray='{dash}'" if dash else "") + "/>")
        if label == "焦枝铁路":
            out.append(f"<line x1='{x0}' y1='{y}' x2='{x0 + 34}' y2='{y}' stroke='white' stroke-width='2.5' "
                       "stroke-dasharray='10 8'/>")
        text(label)
        y += 26
    out.append(f"<rect x='{x0}' y='{y - 9}' width='34' height='18' fill='{WATER}' stroke='{RIVER}'/>")
    text("水库（洛洼、榆树庄）")
    y += 34
    out.append(f"<text x='{x0}' y='{y}' font-size='14' fill='#374151'>圆点：地点</text>")
    y += 24
    cats = list(dict.fromkeys(f["properties"].get("category", "") for f in pois))
    for cat in cats:
        color = _hex(POI_COLORS.get(cat, POI_DEFAULT))
        out.append(f"<circle cx='{x0 + 17}' cy='{y}' r='6' fill='{color}' stroke='#111827'/>")
        text(f"{cat}（位置为示意，未公开）" if cat == INVENTED and origin.schematic("pois") else cat)
        y += 24
    out.append(f"<circle cx='{x0 + 17}' cy='{y}' r='9' fill='none' stroke='{CHECK}' stroke-width='3'/>")
    text("现场核查未办结（红圈）")
    y += 24
    if selected:
        out.append(f"<rect x='{x0}' y='{y - 9}' width='34' height='18' fill='none' stroke='{SELECTED}' stroke-width='3'/>")
        text(f"所选社区（{selected}）")
        y += 24
    y += 12
    for line in _wrap(f"{origin.tag}。{origin.note}", 21):
        out.append(f"<text x='{x0}' y='{y}' font-size='13' fill='#374151'>{html.escape(line)}</text>")
        y += 20
    return out


def _wrap(text: str, width: float) -> list[str]:
    """Lines of at most `width` CJK-character widths, broken after punctuation or a space where possible;
    Latin words and numbers (GCJ-02) are never split."""
    def size(t: str) -> float:
        return sum(0.55 if ch.isascii() else 1.0 for ch in t)

    lines, line = [], ""
    for token in re.findall(r"[A-Za-z0-9.\-]+|.", text):
        if size(line + token) > width and line.strip() and token not in "，。；、）":
            cut = max(line.rfind(ch) for ch in "，。；、）/")
            head, line = (line[:cut + 1], line[cut + 1:]) if cut > len(line) // 3 else (line, "")
            lines.append(head.rstrip())
        line += token
    return [*lines, line] if line else lines


def _svg(c: _Canvas, pois, selected, origin: MapOrigin) -> str:
    body = "".join(c.parts) + "".join(_legend(pois, selected, origin))
    return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{W}' height='{H}' viewBox='0 0 {W} {H}' "
            f"font-family='{FAMILY}'><rect width='{W}' height='{H}' fill='white'/>{body}</svg>")
