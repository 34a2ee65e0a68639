"""The big screen's own CSS (loaded after ui/chrome.py's screen theme): legible from 4 m at any size.

Rules, in vh so 1920×1080 and 3840×2160 look the same:
- no text below 2.2 % of the screen height (24 px at 1080, 48 px at 2160); headline figures far larger;
- no hover-only help (the tooltip icons are hidden: what a viewer needs is written on the screen);
- nothing cut or wrapped mid-word: labels keep whole words on one line, Chinese names never break per character;
- the maps are drawn at the screen's own resolution: deck.gl lays them out at the 1080-line reference size
  (REFERENCE_HEIGHT_PX) and a CSS zoom of screen height / 1080 enlarges them, so the view, the names
  (MAP_LABEL_PX, passed to the map by ui/screen_views.py) and the lines grow with the screen, and the canvas
  takes its pixels from the zoomed box (luma.gl's device-pixel-content-box): 1968×929 at 3840×2160, not a
  984×464 drawing stretched by a transform.
"""
from __future__ import annotations

import streamlit as st

MIN_SHARE = 0.022  # the smallest text anywhere on the wall, as a share of the screen height
MIN_TEXT = f"{MIN_SHARE * 100:g}vh"
REFERENCE_HEIGHT_PX = 1080  # the maps are laid out for this screen height and zoomed to the real one
MAP_LABEL_PX = 24  # names on the wall maps at the reference height: ≥ 2.2 % of it (23.8 px)
# The wall maps' boxes at the reference height are ≥ 880 px wide on 16:10 and wider screens (984 at 16:9):
# the subdistrict is fitted to 800 px (desk maps: 440): the height binds, it is ~470 px wide, a fifth larger.
MAP_FIT_WIDTH_PX = 800
WARNED = '[data-testid="stMain"]:has(.gw-change-warn) .st-key-screen-map'  # the 总览 map under a 3-line strip
MAPS = (".st-key-screen-map [data-testid=\"stDeckGlJsonChart\"] > div, "
        ".st-key-screen-model-map [data-testid=\"stDeckGlJsonChart\"] > div")

WALL_CSS = f"""
<style>
/* Smallest text: captions, metric labels, figure labels, stamps, badges. */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stMetricLabel"] p, [data-testid="stMetricLabel"] div, [data-testid="stMetricDelta"] div,
.gw-figure .l, .gw-demo, .gw-stamp, [data-testid="stMarkdownContainer"] p, [data-testid="stAlert"] p,
.stPills button, [data-testid="stWidgetLabel"] p {{
  font-size: max({MIN_TEXT}, 1em) !important; }}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {{ font-size: {MIN_TEXT} !important; }}
.gw-figure .l, .gw-demo {{ font-size: {MIN_TEXT} !important; }}
.gw-stamp {{ font-size: 2.6vh !important; }}
/* Headline figures: far larger than the labels. */
/* … and shrunk with their card before they are cut (「已命名示范社区」 is 7 characters in a 1/4.4 column). */
[data-testid="stMetric"] {{ container-type: inline-size; }}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] div {{ font-size: min(5.6vh, 13cqi) !important;
  line-height: 1.1; }}
.gw-figure .v {{ font-size: 3.6vh !important; }}
.gw-title {{ font-size: 4.2vh !important; }}
/* Never cut 「已命名示范社…」 nor wrap 「西/华」: whole words, no ellipsis. */
[data-testid="stMetricValue"] > div, [data-testid="stMetricLabel"] p, .gw-figure .l, .gw-title {{
  white-space: nowrap !important; overflow: visible !important; text-overflow: clip !important;
  word-break: keep-all !important; }}
.gw-figure {{ flex: 1 1 auto !important; min-width: max-content !important; padding: 0.2rem 0.4rem !important; }}
.gw-figures {{ gap: 0.3rem !important; }}
.gw-figures {{ flex-wrap: wrap; row-gap: 0.6vh; }}
/* Text never splits a name (「已命名：大官庄、中兴、工业路、西/华」): lines break after 「、」, punctuation or
   spaces; only a run too long for its column breaks inside. */
[data-testid="stMain"] p, [data-testid="stMain"] li {{ word-break: keep-all; overflow-wrap: break-word; }}
/* No hover-only help on a wall. */
[data-testid="stTooltipIcon"] {{ display: none !important; }}
/* 预警 and 较上次汇报: one line each when it fits, wrapping between items (never inside one). */
.gw-alerts, .gw-changes {{ display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.2vh 1.0vw;
  font-size: {MIN_TEXT}; line-height: 1.3; }}
.gw-alerts ul {{ display: contents; }}
.gw-alert, .gw-change {{ list-style: none; white-space: nowrap; word-break: keep-all; }}
.gw-alerts-h, .gw-changes-h {{ font-weight: 700; white-space: nowrap; }}
.gw-alerts-h {{ color: #f87171; }}
.gw-alerts-none .gw-alerts-h {{ color: #34d399; }}
.gw-alert-overdue b, .gw-alert-free_beds b {{ color: #fca5a5; }}
.gw-change {{ display: flex; gap: 0.3vw; }}
.gw-change .d {{ opacity: 0.9; }}
/* A figure's warning (lib: e.g. 征迁已签约 disputed by the household records): its own item, amber, never hidden. */
.gw-change-warn {{ color: #fbbf24; font-weight: 700; }}
/* Room for the 预警 line and the 较上次汇报 strip, which takes two lines once a 上次汇报日期 is set (each figure's
   change): the map and the charts give up 10 % of the height. */
.st-key-screen-map [data-testid="stElementContainer"]:has([data-testid="stDeckGlJsonChart"]),
.st-key-screen-map [data-testid="stDeckGlJsonChart"] {{ height: 40vh !important; }}
.st-key-screen-model-map [data-testid="stElementContainer"]:has([data-testid="stDeckGlJsonChart"]),
.st-key-screen-model-map [data-testid="stDeckGlJsonChart"] {{ height: 50vh !important; }}
.st-key-screen-chart {{ height: 48vh !important; }}
/* A figure's warning in the strip takes it to a third line: the 总览 map gives up that line's height. */
{WARNED} [data-testid="stElementContainer"]:has([data-testid="stDeckGlJsonChart"]) {{ flex: 0 0 36vh !important; }}
{WARNED} [data-testid="stElementContainer"]:has([data-testid="stDeckGlJsonChart"]),
{WARNED} [data-testid="stDeckGlJsonChart"] {{ height: 36vh !important; }}
/* The maps' drawing follows the screen height (see the module docstring). Browsers without typed calc() in
   zoom get the nearest common height's factor. */
{MAPS} {{ width: 100% !important; height: 100% !important; transform: none !important; }}
@media (min-height: 1300px) {{ {MAPS} {{ zoom: 1.3333; }} }}
@media (min-height: 1800px) {{ {MAPS} {{ zoom: 2; }} }}
@supports (zoom: calc(100vh / 1px)) {{ {MAPS} {{ zoom: calc(100vh / {REFERENCE_HEIGHT_PX}px); }} }}
/* Source tags (「报道」, 「录入 · …」, 「示例」) are text a viewer reads: the floor, not 0.8 of a label. */
.gw-tag {{ font-size: {MIN_TEXT} !important; white-space: nowrap; }}
/* The map legend with its 「示意图」 note, grid notes and the 示例 badges; the legend lines sit close together. */
.st-key-screen-map .gw-legend, .st-key-screen-map .gw-kpis-note {{ line-height: 1.25; }}
[data-testid="stMain"] .gw-legend, [data-testid="stMain"] .gw-legend *,
[data-testid="stMain"] .gw-kpis-note, [data-testid="stMain"] .gw-kpis-note *,
[data-testid="stMarkdownContainer"] span, .stMarkdownBadge,
.gw-alerts *, .gw-changes * {{ font-size: {MIN_TEXT} !important; }}
</style>
"""


def apply() -> None:
    st.html(WALL_CSS)
