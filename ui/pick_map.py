"""Where a site check is: the community's centre by default, or a point picked on the community map.

The map shows the community with a grid of candidate points (~60 m apart, laid out in metres by
geo.pick); tapping one sets the location through the chart's `on_select` callback. Touch-friendly:
the points are ~40 px apart at the fitted zoom, 24 px dots (the chosen one 32 px, red), no hover
tooltip or highlight (both stick after a tap on a touch screen).
"""
from __future__ import annotations

import streamlit as st

from geo.deck import SerializedDeck, build_deck
from geo.pick import centre, feature_geometry, pick_grid
from lib.config import basemap_url
from lib.errors import NotFound
from lib.form_options import PICK_SPACING_M
from ui import bridge

MODES = ["社区中心（默认）", "在地图上选点"]
MAP_LAYERS = {"communities", "outline", "roads", "railway", "rivers", "reservoirs", "pois", "labels"}


@st.cache_data(ttl=bridge.TTL_SECONDS, show_spinner=False, max_entries=32)
def community_geo(name: str) -> tuple[tuple[float, float], tuple[float, ...], tuple[tuple[float, float], ...]]:
    """(centre, bounds, candidate points) of a community, from the newest saved map layer."""
    geom = feature_geometry(bridge.map_layers().get("communities", []), name)
    if geom is None:
        raise NotFound(f"地图数据中没有「{name}社区」的范围，无法定位；请联系街道管理员检查地图数据")
    return centre(geom), tuple(geom.bounds), tuple(pick_grid(geom, PICK_SPACING_M))


@st.cache_data(ttl=bridge.TTL_SECONDS, show_spinner=False, max_entries=32)
def _deck(name: str, chosen: tuple[float, float] | None, height: int):
    _, bounds, grid = community_geo(name)
    points = [{"lon": lon, "lat": lat, "name": "点击选为核查位置", "tip": f"东经 {lon:.5f}°，北纬 {lat:.5f}°",
               "chosen": chosen is not None and abs(lon - chosen[0]) < 2e-5 and abs(lat - chosen[1]) < 2e-5}
              for lon, lat in grid]
    if chosen is not None and not any(p["chosen"] for p in points):
        points.append({"lon": chosen[0], "lat": chosen[1], "name": "已选位置", "tip": "", "chosen": True})
    deck = build_deck(layers=bridge.map_layers(), selected=name, visible=MAP_LAYERS,
                      tile_url=basemap_url(), pick_points=points, focus=bounds, height=height)
    deck._tooltip = False  # a tooltip stays up after a tap on a touch screen; the chosen point is named below
    return SerializedDeck(deck)


def _on_pick(ns: str, community: str) -> None:
    state = st.session_state.get(f"{ns}.map")
    objects = (state or {}).get("selection", {}).get("objects", {}) if state else {}
    picked = objects.get("pick") or []
    if picked and picked[0].get("lon") is not None:
        set_point(ns, community, float(picked[0]["lon"]), float(picked[0]["lat"]))


def set_point(ns: str, community: str, lon: float, lat: float) -> None:
    """Choose (lon, lat) for `community` (the map callback; tests call it directly)."""
    st.session_state[f"{ns}.point"] = {"community": community, "lon": round(lon, 6), "lat": round(lat, 6)}


def chosen_point(ns: str, community: str) -> tuple[float, float] | None:
    point = st.session_state.get(f"{ns}.point")
    if not point or point.get("community") != community:
        return None
    return point["lon"], point["lat"]


def location_picker(community: str, *, ns: str, height: int = 420) -> tuple[float, float, str]:
    """Draw the location choice; return (lon, lat, how) — how is 「社区中心」 or 「地图选点」."""
    middle, _, _ = community_geo(community)
    mode = st.radio("核查位置", MODES, key=f"{ns}.loc_mode", horizontal=True)
    picked = chosen_point(ns, community)
    if mode == MODES[1]:
        st.caption("点击地图上的蓝点选定核查位置（点间距约60米）；红色大点为已选位置。")
        st.pydeck_chart(_deck(community, picked, height), on_select=lambda: _on_pick(ns, community),
                        selection_mode="single-object", key=f"{ns}.map", height=height)
        if picked is None:
            st.info("尚未在地图上选点，暂用社区中心。", icon=":material/touch_app:")
    lon, lat, how = (*picked, "地图选点") if mode == MODES[1] and picked else (*middle, "社区中心")
    st.markdown(f":material/location_on: **已选位置**（{how}）：东经 {lon:.5f}°，北纬 {lat:.5f}°")
    return lon, lat, how
