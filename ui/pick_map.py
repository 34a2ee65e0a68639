"""Where a site check is: the community's centre by default, or a point picked on the community map.

The map shows the community (roads, borders and names as on the overview map) with a grid of candidate
points laid out in metres by geo.pick; tapping one sets the location through the chart's `on_select`
callback. Touch-friendly: each point's tap target is 48 px wide and the points are at least that far
apart on screen (geo.pick.touch_spacing_m); blue dots, the chosen one larger and red, as the caption says.
No hover tooltip or highlight (both stick after a tap on a touch screen), and after each pick the chart
gets a new key: a selection kept by the chart would make Streamlit fade every other object (the red
point turned a dull purple).
"""
from __future__ import annotations

import streamlit as st

from geo.deck import build_deck
from geo.deck_json import SerializedDeck
from geo.pick import area_geometry, centre, device_point, feature_geometry, pick_grid, touch_spacing_m
from lib.config import basemap_url
from lib.errors import GeometryError, NotFound
from lib.form_options import PICK_SPACING_M
from ui import bridge, deck_ready, device_location

MODES = ["社区中心（默认）", "在地图上选点"]
HEIGHT = 420
MAP_LAYERS = {"communities", "outline", "roads", "railway", "rivers", "reservoirs", "pois", "labels"}


@st.cache_data(ttl=bridge.TTL_SECONDS, show_spinner=False, max_entries=32)
def community_geo(name: str, height: int = HEIGHT) -> tuple[tuple[float, float], tuple[float, ...],
                                                            tuple[tuple[float, float], ...]]:
    """(centre, bounds, candidate points) of a community, from the newest saved map layer."""
    geom = feature_geometry(bridge.map_layers().get("communities", []), name)
    if geom is None:
        raise NotFound(f"地图数据中没有「{name}社区」的范围，无法定位；请联系街道管理员检查地图数据")
    spacing = touch_spacing_m(geom.bounds, height, PICK_SPACING_M)
    return centre(geom), tuple(geom.bounds), tuple(pick_grid(geom, spacing))


@st.cache_data(ttl=bridge.TTL_SECONDS, show_spinner=False, max_entries=32)
def _deck(name: str, chosen: tuple[float, float] | None, height: int):
    _, bounds, grid = community_geo(name, height)
    points = [{"lon": lon, "lat": lat, "name": "点击选为核查位置", "tip": f"东经 {lon:.5f}°，北纬 {lat:.5f}°",
               "chosen": chosen is not None and abs(lon - chosen[0]) < 2e-5 and abs(lat - chosen[1]) < 2e-5}
              for lon, lat in grid]
    if chosen is not None and not any(p["chosen"] for p in points):
        points.append({"lon": chosen[0], "lat": chosen[1], "name": "已选位置", "tip": "", "chosen": True})
    deck = build_deck(layers=bridge.map_layers(), selected=name, visible=MAP_LAYERS,
                      tile_url=basemap_url(), pick_points=points, focus=bounds, height=height)
    deck._tooltip = False  # a tooltip stays up after a tap on a touch screen; the chosen point is named below
    return SerializedDeck(deck)


def _map_key(ns: str) -> str:
    """The chart's key: a new one after each pick, so the chart keeps no selection of its own."""
    return f"{ns}.map.{st.session_state.get(f'{ns}.map_gen', 0)}"


def _on_pick(ns: str, community: str) -> None:
    state = st.session_state.get(_map_key(ns))
    objects = (state or {}).get("selection", {}).get("objects", {}) if state else {}
    picked = objects.get("pick") or []
    if picked and picked[0].get("lon") is not None:
        set_point(ns, community, float(picked[0]["lon"]), float(picked[0]["lat"]))
    st.session_state[f"{ns}.map_gen"] = st.session_state.get(f"{ns}.map_gen", 0) + 1


def set_point(ns: str, community: str, lon: float, lat: float, how: str = "地图选点") -> None:
    """Choose (lon, lat) for `community` (the map callback; tests call it directly)."""
    st.session_state[f"{ns}.point"] = {"community": community, "lon": round(lon, 6), "lat": round(lat, 6),
                                       "how": how}
    st.session_state.pop(f"{ns}.device_error", None)


def _use_device(ns: str, community: str, position: dict) -> None:
    """A fix from 「使用本机定位」: taken when it lies inside the subdistrict, else a Chinese refusal kept on screen."""
    area = area_geometry(bridge.map_layers().get("outline", [])) or area_geometry(
        bridge.map_layers().get("communities", []))
    try:
        lon, lat = device_point(position.get("lon"), position.get("lat"), area)
    except GeometryError as exc:
        st.session_state[f"{ns}.device_error"] = str(exc)
        return
    set_point(ns, community, lon, lat, how="本机定位")


def chosen_point(ns: str, community: str) -> tuple[float, float] | None:
    point = st.session_state.get(f"{ns}.point")
    if not point or point.get("community") != community:
        return None
    return point["lon"], point["lat"]


def _chosen_how(ns: str) -> str:
    return (st.session_state.get(f"{ns}.point") or {}).get("how", "地图选点")


def location_picker(community: str, *, ns: str, height: int = HEIGHT) -> tuple[float, float, str]:
    """Draw the location choice; return (lon, lat, how) — how is 「社区中心」 or 「地图选点」."""
    middle, _, _ = community_geo(community, height)
    mode = st.radio("核查位置", MODES, key=f"{ns}.loc_mode", horizontal=True)
    if mode == MODES[1]:
        position = device_location.device_position(key=f"{ns}.device")
        if position is not None:
            _use_device(ns, community, position)
        if st.session_state.get(f"{ns}.device_error"):
            st.error(st.session_state[f"{ns}.device_error"], icon=":material/location_off:")
    picked = chosen_point(ns, community)
    if mode == MODES[1]:
        st.caption("点击地图上的蓝点选定核查位置，或使用本机定位；红色大点为已选位置。")
        deck = _deck(community, picked, height)
        st.pydeck_chart(deck, on_select=lambda: _on_pick(ns, community),
                        selection_mode="single-object", key=_map_key(ns), height=height)
        st.html(deck_ready.marker(deck.version, alone=True))  # the page script warms its picking
        if picked is None:
            st.info("尚未在地图上选点，暂用社区中心。", icon=":material/touch_app:")
    lon, lat, how = (*picked, _chosen_how(ns)) if mode == MODES[1] and picked else (*middle, "社区中心")
    st.markdown(f":material/location_on: **已选位置**（{how}）：东经 {lon:.5f}°，北纬 {lat:.5f}°")
    return lon, lat, how
