"""Names on the map itself (issue #14): roads, railway, rivers, reservoirs, the 文化路北延 line and named places,
placed so that no two labels (nor a label and a community name) overlap.

    community_labels(points, *, zoom, size=13) -> list[dict]           # rows for the community names
    feature_labels(items, *, zoom, size=13, taken=(), taken_rows=()) -> list[dict]   # rows for a TextLayer

Placement is greedy, in priority order (南阳站, railway, rivers, reservoirs, roads, the project line, places): each
feature tries its candidate anchors (lines: points along the line, middle first; points: right, left, above,
below the dot; areas: the representative point) and takes the first whose text box, measured in metres at
`zoom` (CJK glyphs are about one `size` wide), overlaps no box already placed. A feature with no free anchor is
not labelled (its name stays in the tooltip). The boxes are computed for the smallest zoom the map is shown at,
so at any larger zoom (a wider box, the wall) they only move further apart.

Community names come first (`community_labels`): each on its point, or, when it would overlap a name already
placed (the wall's 24-px names: 榆树庄 and 小铁路 against 光彩), just below, above or beside it.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from shapely.geometry import LineString

from geo import deck_data as dd

EARTH = 40075016.686  # metres around the equator
REF_LAT = 33.0  # the subdistrict's latitude (it spans 0.03°): the east-west metre scale of the label boxes
LINE_STOPS = tuple(sorted((k / 20 for k in range(1, 20)), key=lambda f: (abs(f - 0.5), f)))  # middle first
# (dx, dy, anchor) in label heights: right of the dot, left, above, below.
POINT_OFFSETS = ((0.8, 0.0, "start"), (-0.8, 0.0, "end"), (0.0, -1.2, "middle"), (0.0, 1.2, "middle"))
ORDER = ("hubs", "railway", "rivers", "reservoirs", "roads", "projects", "pois")  # hubs: 南阳站 (交通枢纽)
HUB = "交通枢纽"
SKIP_CATEGORIES = {"专业批发市场"}  # 11 invented positions: one legend entry (示意), not 11 labels


def metres_per_pixel(lat: float, zoom: float) -> float:
    """deck.gl's MapView (512-px tiles)."""
    return EARTH * math.cos(math.radians(lat)) / (512 * 2 ** zoom)


def _box(lon: float, lat: float, text: str, *, mpp: float, size: float, dx: float = 0, dy: float = 0,
         anchor: str = "middle") -> tuple[float, float, float, float]:
    """The label's box in local metres (x east, y north), with a 3-px halo. One east-west scale for the whole
    map (REF_LAT): a scale from each label's own latitude shifted labels 0.003° apart in latitude by ~300 m
    against each other at 112.5° E, so names the model kept apart overlapped on the screen."""
    k_lat = 111320.0
    k_lon = k_lat * math.cos(math.radians(REF_LAT))
    w, h = (len(text) * size + 8) * mpp, (size + 6) * mpp
    cx, cy = lon * k_lon + dx * size * mpp, lat * k_lat - dy * size * mpp
    left = cx - w / 2 if anchor == "middle" else (cx if anchor == "start" else cx - w)
    return left, cy - h / 2, left + w, cy + h / 2


def mpp_lat(items: dict) -> float:
    """The mean latitude of the features (where metres per pixel are measured)."""
    lats = [g.centroid.y for rows in items.values() for _, g, _ in rows if g is not None and not g.is_empty]
    return sum(lats) / len(lats) if lats else 33.0


def _free(box, placed: list) -> bool:
    return all(box[2] <= b[0] or b[2] <= box[0] or box[3] <= b[1] or b[3] <= box[1] for b in placed)


# A community name that does not fit on its point: below, above, right, left of it (label heights).
NAME_OFFSETS = ((0.0, 0.0, "middle"), (0.0, 1.3, "middle"), (0.0, -1.3, "middle"), (0.6, 0.0, "start"),
                (-0.6, 0.0, "end"))


def _row(name: str, lon: float, lat: float, dx: float, dy: float, anchor: str, size: float, **extra) -> dict:
    return {"name": name, "position": [dd.round_deg(lon), dd.round_deg(lat)],
            "offset": [round(dx * size, 1), round(dy * size, 1)], "anchor": anchor, **extra}


def community_labels(points: Sequence[tuple[str, Sequence[float]]], *, zoom: float, size: float = 13) -> list[dict]:
    """TextLayer rows {name, position, offset, anchor} for the community names (`points`: (name, (lon, lat))),
    greedy in the given order: each name on its point if free, else the first free place of NAME_OFFSETS;
    a name with no free place stays on its point (every community keeps its name)."""
    lats = [xy[1] for _, xy in points]
    mpp = metres_per_pixel(sum(lats) / len(lats) if lats else 33.0, zoom)
    placed: list = []
    out: list[dict] = []
    for name, (lon, lat) in points:
        choice = NAME_OFFSETS[0]
        for dx, dy, anchor in NAME_OFFSETS:
            if _free(_box(lon, lat, name, mpp=mpp, size=size, dx=dx, dy=dy, anchor=anchor), placed):
                choice = (dx, dy, anchor)
                break
        placed.append(_box(lon, lat, name, mpp=mpp, size=size, dx=choice[0], dy=choice[1], anchor=choice[2]))
        out.append(_row(name, lon, lat, *choice, size))
    return out


def _candidates(layer: str, geom) -> Iterable[tuple[float, float, float, float, str]]:
    """(lon, lat, dx, dy, anchor) in preference order."""
    if layer in ("pois", "hubs"):
        xy = dd.point_xy(geom)
        if xy:
            for dx, dy, anchor in POINT_OFFSETS:
                yield xy[0], xy[1], dx, dy, anchor
        return
    if layer == "reservoirs":
        p = geom.representative_point()
        yield p.x, p.y, 0, 0, "middle"
        for dx, dy, anchor in POINT_OFFSETS:
            yield p.x, p.y, dx * 2, dy * 1.5, anchor
        return
    parts = [LineString(part) for part in dd.line_parts(geom) if len(part) >= 2]
    parts.sort(key=lambda ln: -ln.length)
    for part in parts:
        for stop in LINE_STOPS:
            p = part.interpolate(stop, normalized=True)
            yield p.x, p.y, 0, 0, "middle"


def feature_labels(items: dict, *, zoom: float, size: float = 13,
                   taken: Sequence[tuple[str, Sequence[float]]] = (), taken_rows: Sequence[dict] = ()) -> list[dict]:
    """TextLayer rows {name, position, offset: [dx, dy] px, anchor} for every named feature that fits.
    `items`: {layer: [(name, shapely geometry, properties)]} (deck_data.normalise); `taken`: labels already on
    the map (names centred on their points), `taken_rows`: placed rows (community_labels), which the new
    labels avoid."""
    mpp = metres_per_pixel(mpp_lat(items), zoom)
    placed = [_box(xy[0], xy[1], name, mpp=mpp, size=size) for name, xy in taken]
    placed += boxes(list(taken_rows), zoom=zoom, size=size, lat=mpp_lat(items))
    out: list[dict] = []
    for layer in ORDER:
        rows = items.get("pois" if layer == "hubs" else layer, [])
        for name, geom, props in rows:
            category = (props or {}).get("category")
            if layer.endswith("pois") and category == HUB or layer == "hubs" and category != HUB:
                continue
            if not name or geom is None or geom.is_empty or category in SKIP_CATEGORIES:
                continue
            for lon, lat, dx, dy, anchor in _candidates(layer, geom):
                box = _box(lon, lat, name, mpp=mpp, size=size, dx=dx, dy=dy, anchor=anchor)
                if _free(box, placed):
                    placed.append(box)
                    out.append(_row(name, lon, lat, dx, dy, anchor, size, layer=layer))
                    break
    return out


def boxes(rows: list[dict], *, zoom: float, size: float = 13, lat: float = 33.0) -> list[tuple]:
    """The placed rows' boxes (for tests: no two overlap)."""
    mpp = metres_per_pixel(lat, zoom)
    return [_box(r["position"][0], r["position"][1], r["name"], mpp=mpp, size=size, dx=r["offset"][0] / size,
                 dy=r["offset"][1] / size, anchor=r["anchor"]) for r in rows]


__all__ = ["community_labels", "feature_labels", "boxes", "metres_per_pixel"]
