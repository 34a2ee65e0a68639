"""The pydeck map of the subdistrict (pure: no streamlit, no network requests).

`build_deck` returns a `pdk.Deck` with `map_provider=None` and no map style, so
nothing is fetched from outside; an optional self-hosted XYZ tile URL is drawn as a fixed grid of
BitmapLayers (a TileLayer needs a JavaScript `renderSubLayers` callback, which the
pydeck JSON bridge cannot express — see visgl/deck.gl#4637).
"""
from __future__ import annotations

import math
from typing import Sequence

import pydeck as pdk
import shapely

from geo import deck_data as dd
from geo.deck_labels import community_labels, feature_labels
from geo.deck_style import (COLORS, DEFAULT_SCALE, FONT_FAMILY, MARKET_NOTE, NO_DATA_LABEL, POI_COLORS, POI_DEFAULT,
                            class_breaks, color_for, hex_to_rgba, legend_items)
from geo.service_area import service_circle

__all__ = ["build_deck", "fit_view", "legend_items", "spec_size_bytes", "LAYER_IDS", "label_characters"]

LAYER_IDS = ("tiles", "context", "communities", "outline", "reservoirs", "rivers", "roads", "railway",
             "railway-dash", "projects", "cluster", "pilot", "circles", "pois", "checks", "selected", "labels", "feature-labels",
             *(f"preview-{k}-{g}" for k in ("current", "new") for g in ("areas", "lines", "points")),
             "pick", "pick-dots")
TOOLTIP = {
    "html": "<b>{name}</b><br/>{tip}",
    "style": {"backgroundColor": "#111827", "color": "#f3f4f6", "fontSize": "12px",
              "fontFamily": FONT_FAMILY, "padding": "6px 8px"},
}
SCHEMATIC_TIP = "示意位置，非测绘成果"
TIP_SOURCE_CHARS = 40
# An import preview: the layer's current version in grey beneath, the uploaded features highlighted.
PREVIEW_STYLE = {"current": ([148, 163, 184, 200], [148, 163, 184, 40], 2, "当前版本"),
                 "new": ([255, 214, 10, 255], [255, 214, 10, 70], 3, "导入预览")}
ZOOM = 13.4
_S = pdk.types.String  # literal string (pydeck otherwise turns strings into accessors)


def _fmt(value, value_format: str) -> str:
    try:
        return value_format.format(float(value)) if value is not None and math.isfinite(float(value)) else NO_DATA_LABEL
    except (TypeError, ValueError):
        return NO_DATA_LABEL


def _community_rows(items, values, metric_label, scale, value_format, tips):
    geoms = dd.simplify_coverage([g for _, g, _ in items])
    breaks = class_breaks(list(values.values()), len(scale)) if values else []
    rows = []
    for (name, _, props), geom in zip(items, geoms):
        value = values.get(name) if values else None
        metric = f"{metric_label}：{_fmt(value, value_format)}" if values else ""
        said = (tips or {}).get(name)  # the caller's words for this community (its value, source and date)
        tip = " · ".join(t for t in ((said,) if said else (props.get("side"), metric)) + (_status(props),) if t)
        fill = hex_to_rgba(color_for(value, breaks, scale), 200)
        for rings in dd.polygon_parts(geom):
            rows.append({"name": name, "tip": tip, "polygon": rings, "fill": fill})
    return rows


def _line_rows(items, tip_of):
    return [{"name": name, "tip": tip_of(props), "path": path}
            for name, geom, props in items for path in dd.line_parts(geom.simplify(dd.SIMPLIFY_DEG))]


def _polygon_rows(items, tip_of):
    return [{"name": name, "tip": tip_of(props), "polygon": rings}
            for name, geom, props in items for rings in dd.polygon_parts(geom.simplify(dd.SIMPLIFY_DEG))]


def _status(props: dict) -> str:
    """「示意位置」 for schematic features; imported survey data shows its source instead."""
    if props.get("schematic") is True:
        return SCHEMATIC_TIP
    source = str(props.get("source") or "").strip()
    if len(source) > TIP_SOURCE_CHARS:  # cut visibly: the whole title is in the note under the map (lib.map_origin)
        source = source[:TIP_SOURCE_CHARS - 1] + "…"
    return f"来源：{source}" if source else ""


def _tip(prefix: str):
    def tip(p: dict) -> str:
        direction = f"（{p['direction']}向）" if p.get("direction") else ""
        status = _status(p)
        return prefix + direction + (f" · {status}" if status else "")
    return tip


def _path_layer(layer_id, rows, color, width, pickable=True):
    return pdk.Layer("PathLayer", data=rows, id=layer_id, get_path="path", get_color=color, get_width=width,
                     width_units=_S("pixels"), width_min_pixels=1, cap_rounded=True, joint_rounded=True,
                     pickable=pickable, auto_highlight=pickable)


def _polygon_layer(layer_id, rows, fill, line, line_width, pickable=True, filled=True):
    return pdk.Layer("PolygonLayer", data=rows, id=layer_id, get_polygon="polygon", get_fill_color=fill,
                     get_line_color=line, get_line_width=line_width, line_width_units=_S("pixels"),
                     filled=filled, stroked=True, pickable=pickable, auto_highlight=pickable)


def _highlight_layers(communities, highlights: Sequence[dict]) -> list[pdk.Layer]:
    """Thick outlines (and a light wash) around the named communities, one layer per highlight."""
    out = []
    for h in highlights:
        names = set(h["names"])
        rows = [{"name": n, "tip": h["label"], "polygon": rings}
                for n, g, _ in communities if n in names for rings in dd.polygon_parts(g.simplify(dd.SIMPLIFY_DEG))]
        r, g, b = h["color"][:3]
        out.append(_polygon_layer(h["id"], rows, [r, g, b, 70], [r, g, b, 255], 5, pickable=False))
    return out


def _tile_layers(tile_url: str, bounds, zoom: int) -> list[pdk.Layer]:
    """Self-hosted XYZ tiles as fixed BitmapLayers covering `bounds` at one zoom level."""
    def tile_xy(lon, lat):
        n = 2 ** zoom
        y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
        return int((lon + 180) / 360 * n), int(y)

    def tile_lonlat(x, y):
        n = 2 ** zoom
        return x / n * 360 - 180, math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))

    minx, miny, maxx, maxy = bounds
    x0, y0 = tile_xy(minx, maxy)
    x1, y1 = tile_xy(maxx, miny)
    layers = []
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            west, north = tile_lonlat(x, y)
            east, south = tile_lonlat(x + 1, y + 1)
            url = tile_url.replace("{z}", str(zoom)).replace("{x}", str(x)).replace("{y}", str(y))
            layers.append(pdk.Layer("BitmapLayer", data=None, id=f"tiles-{zoom}-{x}-{y}", image=_S(url),
                                    bounds=[round(v, 7) for v in (west, south, east, north)], pickable=False))
    return layers


def _preview_layers(preview: dict) -> list[pdk.Layer]:
    """Grey current features and highlighted new ones, whatever their geometry type."""
    out = []
    for key in ("current", "new"):
        line, fill, width, tip = PREVIEW_STYLE[key]
        items = dd.normalise(preview.get(key))
        polys = [{"name": n, "tip": tip, "polygon": r} for n, g, _ in items for r in dd.polygon_parts(g)]
        paths = [{"name": n, "tip": tip, "path": p} for n, g, _ in items for p in dd.line_parts(g)]
        points = [{"name": n, "tip": tip, "position": dd.point_xy(g)} for n, g, _ in items
                  if g is not None and g.geom_type in ("Point", "MultiPoint")]
        if polys:
            out.append(_polygon_layer(f"preview-{key}-areas", polys, fill, line, width))
        if paths:
            out.append(_path_layer(f"preview-{key}-lines", paths, line, width + 1))
        if points:
            out.append(pdk.Layer("ScatterplotLayer", data=points, id=f"preview-{key}-points", get_position="position",
                                 get_fill_color=line, get_radius=6, radius_units=_S("pixels"), pickable=True))
    return out


def label_characters(labels: Sequence[str]) -> str:
    """Sorted unique characters of all labels: the TextLayer's exact character_set."""
    return "".join(sorted(set("".join(labels))))


def build_deck(*, layers: dict, community_values: dict | None = None, metric_label: str = "指标",
               color_scale: Sequence[str] = DEFAULT_SCALE, selected: str | None = None,
               visible: set[str] | frozenset[str] | None = None, tile_url: str | None = None,
               extra_points: list[dict] | None = None, circles: list[dict] | None = None,
               value_format: str = "{:.1f}", height: int = 560, tile_zoom: int = 15,
               preview: dict | None = None,
               pick_points: list[dict] | None = None, focus: Sequence[float] | None = None,
               width: int | None = None, highlights: Sequence[dict] | None = None,
               label_px: float | None = None, community_tips: dict[str, str] | None = None) -> pdk.Deck:
    """Build the subdistrict map. `visible` holds layer keys (LAYER_NAMES plus "labels").

    extra_points: [{"lon", "lat", "name", "tip"?}] drawn as the red "checks" layer.
    circles: [{"lon", "lat", "radius_m", "name"}], e.g. 15-minute service areas (geo.service_area, EPSG:4547).
    highlights: [{"id", "names", "color", "label"}]: those communities' polygons outlined in `color` (the
        示范 view's L-shaped cluster and the pilot), one layer per entry, above the community fill.
    preview: {"current": features, "new": features} (GeoDataFrame or feature dicts): an import preview,
    the current version in grey and the new one highlighted, above the other layers.
    pick_points: [{"lon", "lat", "name"?, "tip"?, "chosen"?}] drawn on top as the pickable "pick" layer
        (candidate locations; the row's lon/lat come back in the chart's selection).
    focus: (minx, miny, maxx, maxy) to centre and zoom the view on (e.g. one community).
    width: the map box's width in CSS pixels, when the caller knows it: the whole subdistrict is then fitted
        to `width`×`height` (nothing cropped). Without it the view keeps the fixed zoom ZOOM.
    community_tips: {community name: tooltip text} in place of 「side · metric：value」 (the app's: the value's
        display text with its source and date).
    label_px: the size of the names on the map in CSS pixels (FEATURE_LABEL_PX on the desk pages; the wall
        passes its own, which its CSS zoom scales with the screen height). Names never overlap at any size:
        community names move aside, feature names that find no free place are left to the tooltip.
    """
    label_px = label_px or FEATURE_LABEL_PX
    items = {key: dd.normalise(val) for key, val in (layers or {}).items()}
    show = set(visible) if visible is not None else {"context", "communities", "outline", "reservoirs",
                                                     "rivers", "roads", "railway", "projects", "pois", "labels"}
    outline_geoms = [g for _, g, _ in items.get("outline", [])] or [g for _, g, _ in items.get("communities", [])]
    bounds = shapely.unary_union(outline_geoms).bounds if outline_geoms else (112.494, 32.988, 112.534, 33.018)
    if focus:
        lon, lat, zoom = fit_view(focus, FOCUS_WIDTH_PX, height, min_zoom=FOCUS_MIN_ZOOM)
    elif width:
        lon, lat, zoom = fit_view(bounds, width, height)
    else:
        lon, lat, zoom = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, ZOOM
    out: list[pdk.Layer] = []
    if tile_url:
        out += _tile_layers(tile_url, (bounds[0] - 0.02, bounds[1] - 0.02, bounds[2] + 0.02, bounds[3] + 0.02),
                            tile_zoom)
    if "context" in show and items.get("context"):
        out.append(_polygon_layer("context", _polygon_rows(items["context"], lambda p: "行政区划参照（真实边界，已简化）"),
                                  COLORS["context_fill"], COLORS["context_line"], 1, pickable=False,
                                  filled=False))
    comm_rows = _community_rows(items.get("communities", []), community_values, metric_label, color_scale,
                                value_format, community_tips)
    if "communities" in show and comm_rows:
        out.append(_polygon_layer("communities", comm_rows, "fill", COLORS["community_line"], 1))
    if "outline" in show and items.get("outline"):
        rows = [{"name": n, "tip": "街道范围（东界为真实区界，其余示意）", "path": r[0] + r[0][:1]}
                for n, g, _ in items["outline"] for r in dd.polygon_parts(g)]
        out.append(_path_layer("outline", rows, COLORS["outline"], 2.5, pickable=False))
    if "reservoirs" in show and items.get("reservoirs"):
        out.append(_polygon_layer("reservoirs", _polygon_rows(items["reservoirs"], _tip("水库")),
                                  COLORS["reservoir_fill"], COLORS["reservoir_line"], 1))
    if "rivers" in show and items.get("rivers"):
        out.append(_path_layer("rivers", _line_rows(items["rivers"], _tip("河流")), COLORS["river"], 3))
    if "roads" in show and items.get("roads"):
        out.append(_path_layer("roads", _line_rows(items["roads"], _tip("主干道路")), COLORS["road"], 3))
    if "railway" in show and items.get("railway"):
        rows = _line_rows(items["railway"], _tip("铁路"))
        dashes = [{"name": r["name"], "tip": r["tip"], "path": d} for r in rows for d in dd.dash_segments(r["path"])]
        out.append(_path_layer("railway", rows, COLORS["railway_base"], 6))
        out.append(_path_layer("railway-dash", dashes, COLORS["railway_dash"], 2.5, pickable=False))
    if "projects" in show and items.get("projects"):
        out.append(_path_layer("projects", _line_rows(items["projects"], _tip("重点项目")), COLORS["project"], 4))
    if highlights:
        out += _highlight_layers(items.get("communities", []), highlights)
    if circles:
        rows = [{"name": c.get("name", "服务圈"), "tip": f"半径 {c['radius_m']:.0f} 米（直线距离，示意）",
                 "radius_m": c["radius_m"],
                 "polygon": dd.polygon_parts(service_circle(c["lon"], c["lat"], c["radius_m"]))[0]} for c in circles]
        out.append(_polygon_layer("circles", rows, COLORS["circle_fill"], COLORS["circle_line"], 3, pickable=False))
    if "pois" in show and items.get("pois"):
        rows = [{"name": n, "tip": (f"专业批发市场 · {MARKET_NOTE}"
                                    if p.get("category") == "专业批发市场" and p.get("schematic", True)
                                    else _tip(p.get("category") or "设施")(p)), "position": dd.point_xy(g),
                 "color": POI_COLORS.get(p.get("category"), POI_DEFAULT)}
                for n, g, p in items["pois"] if dd.point_xy(g)]
        out.append(pdk.Layer("ScatterplotLayer", data=rows, id="pois", get_position="position", get_fill_color="color",
                             get_line_color=COLORS["label_halo"], get_radius=5, radius_units=_S("pixels"),
                             stroked=True, line_width_min_pixels=1, pickable=True, auto_highlight=True))
    if extra_points:
        rows = [{"name": p.get("name", "核查点"), "tip": p.get("tip", ""),
                 "position": [dd.round_deg(p["lon"]), dd.round_deg(p["lat"])]}
                for p in extra_points]
        out.append(pdk.Layer("ScatterplotLayer", data=rows, id="checks", get_position="position",
                             get_fill_color=[0, 0, 0, 0], get_line_color=COLORS["check"], get_radius=9,
                             radius_units=_S("pixels"), stroked=True, filled=False, line_width_min_pixels=3,
                             pickable=True))
    if preview:
        out += _preview_layers(preview)
    sel = [r for r in comm_rows if r["name"] == selected] if selected else []
    if sel:
        rows = [{"name": r["name"], "tip": r["tip"], "path": r["polygon"][0] + r["polygon"][0][:1]} for r in sel]
        out.append(_path_layer("selected", rows, COLORS["selected"], 5, pickable=False))
    placed_names: list[dict] = []
    if "labels" in show and comm_rows:
        points = [(n, dd.point_xy(g)) for n, g, _ in items.get("communities", []) if dd.point_xy(g)]
        placed_names = community_labels(points, zoom=zoom, size=label_px)
        out.append(_text_layer("labels", placed_names, label_px, padding=[4, 2]))
    if "labels" in show:
        shown = {k: v for k, v in items.items() if k in show}
        rows = feature_labels(shown, zoom=zoom, size=label_px, taken_rows=placed_names)
        if rows:
            out.append(_text_layer("feature-labels", rows, label_px, padding=[3, 1]))
    if pick_points:
        out += _pick_layers(pick_points)
    view = pdk.ViewState(longitude=round(lon, 5), latitude=round(lat, 5), zoom=zoom, pitch=0, bearing=0,
                         min_zoom=11, max_zoom=18)
    # map_provider=None and pydeck's default map_style sentinel ("__MAP_STYLE__"): Streamlit reads the
    # sentinel as "no basemap". An explicit map_style=None would make Streamlit fetch a Carto style
    # from basemaps.cartocdn.com (checked against streamlit 1.67's DeckGlJsonChart), so it is not passed.
    # doubleClickZoom off: deck.gl otherwise holds every click ~300 ms to tell it from a double click, which
    # delayed selecting a community on the map by that much (bench/: map click latency). Wheel/drag zoom stay.
    view_spec = pdk.View(type="MapView", controller={"doubleClickZoom": False})
    return pdk.Deck(layers=out, initial_view_state=view, views=[view_spec], map_provider=None, tooltip=TOOLTIP,
                    height=height)


def _text_layer(layer_id: str, rows: list[dict], size: float, *, padding: list[int]) -> pdk.Layer:
    """Names on the map: rows {name, position, offset (px), anchor} with a dark halo box."""
    return pdk.Layer("TextLayer", data=rows, id=layer_id, get_position="position", get_text="name",
                     get_size=size, size_units=_S("pixels"), get_color=COLORS["label"],
                     character_set=_S(label_characters([r["name"] for r in rows])),
                     font_family=_S(FONT_FAMILY), background=True,
                     get_background_color=COLORS["label_halo"], background_padding=padding,
                     get_pixel_offset="offset", get_text_anchor="anchor",
                     get_alignment_baseline=_S("center"), billboard=True, pickable=False)


PICK_COLOR = [56, 189, 248, 230]  # 「蓝点」
PICK_CHOSEN = [239, 68, 68, 255]  # 「红色大点」 (the caption names both colours)
PICK_TARGET_PX = 48  # diameter of a candidate's tap target (≥ 44 px, a finger); geo.pick spaces them this far
PICK_DOT_PX, PICK_CHOSEN_PX = 16, 28  # diameters of the drawn dots
PICK_HIT_FILL = [255, 255, 255, 1]  # the tap target itself: practically invisible, still picked
FOCUS_WIDTH_PX, FOCUS_MIN_ZOOM = 640, 13.0  # `focus` is fitted into this width (the picker's grid spacing uses it)


def _pick_layers(points: list[dict]) -> list[pdk.Layer]:
    """The candidate points: pickable tap targets PICK_TARGET_PX wide ("pick", whose rows come back in the
    selection) and, above them, the visible dots ("pick-dots": blue, the chosen one larger and red, drawn last)."""
    rows = [{"name": p.get("name", "候选位置"), "tip": p.get("tip", ""), "lon": dd.round_deg(p["lon"]),
             "lat": dd.round_deg(p["lat"]), "position": [dd.round_deg(p["lon"]), dd.round_deg(p["lat"])],
             "color": PICK_CHOSEN if p.get("chosen") else PICK_COLOR,
             "radius": (PICK_CHOSEN_PX if p.get("chosen") else PICK_DOT_PX) / 2}
            for p in sorted(points, key=lambda p: bool(p.get("chosen")))]  # the chosen point drawn last, on top
    # No auto-highlight: on a touch screen the last tapped point stays "hovered" and a highlight recolours it.
    targets = pdk.Layer("ScatterplotLayer", data=rows, id="pick", get_position="position",
                        get_fill_color=PICK_HIT_FILL, get_radius=PICK_TARGET_PX / 2, radius_units=_S("pixels"),
                        stroked=False, pickable=True, auto_highlight=False)
    dots = pdk.Layer("ScatterplotLayer", data=[{"position": r["position"], "color": r["color"], "radius": r["radius"]}
                                               for r in rows], id="pick-dots",
                     get_position="position", get_fill_color="color", get_line_color=COLORS["label_halo"],
                     get_radius="radius", radius_units=_S("pixels"), stroked=True, line_width_min_pixels=2,
                     pickable=False)
    return [targets, dots]


FEATURE_LABEL_PX = 13  # the names of roads, rivers, places (community names: 13 px too)
FIT_FILL = 0.9  # the fitted bounds take at most this share of the box in each direction (a small margin)


def _merc_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit_view(bounds: Sequence[float], width: int, height: int, *, fill: float = FIT_FILL, min_zoom: float = 11.0,
             max_zoom: float = 17.0) -> tuple[float, float, float]:
    """(lon, lat, zoom): the Web-Mercator view (512-px tiles, as deck.gl's MapView) on which `bounds` fit a
    `width`×`height` box with a margin, centred in Mercator so the margins are even; zoom clamped."""
    minx, miny, maxx, maxy = bounds
    dx = max(maxx - minx, 1e-5) / 360
    dy = max(_merc_y(maxy) - _merc_y(miny), 1e-7) / (2 * math.pi)
    zoom = min(math.log2(width * fill / (dx * 512)), math.log2(height * fill / (dy * 512)))
    zoom = math.floor(min(max_zoom, max(min_zoom, zoom)) * 100) / 100  # rounded down: never larger than fits
    mid_y = (_merc_y(miny) + _merc_y(maxy)) / 2
    lat = math.degrees(2 * math.atan(math.exp(mid_y)) - math.pi / 2)
    return (minx + maxx) / 2, lat, zoom


def spec_size_bytes(deck: pdk.Deck) -> int:
    """Size of the JSON spec sent to the browser."""
    return len(deck.to_json().encode("utf-8"))
