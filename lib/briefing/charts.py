"""Vega-Lite specs (the pages' own, from ui/charts.py) drawn offline as SVG in a light print theme."""
from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache

import vl_convert as vlc

from lib.briefing.fonts import FAMILY, font_dir
from lib.text import xml_safe

INK, MUTED, GRID = "#111827", "#374151", "#E5E7EB"
# Marks the screen draws light grey (readable on the dark theme), printed dark enough for paper.
ON_PAPER = {'"#D1D5DB"': '"#4B5563"', '"#9CA3AF"': '"#6B7280"'}
PRINT_CONFIG = {
    "background": "white", "font": FAMILY,
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": MUTED, "titleColor": INK,
             "gridColor": GRID, "domainColor": "#9CA3AF", "tickColor": "#9CA3AF", "labelLimit": 0},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": MUTED, "titleColor": INK,
               "orient": "bottom"},
    "title": {"color": INK}, "text": {"fontSize": 12}, "view": {"stroke": None},
}


@lru_cache(maxsize=1)
def _register_fonts() -> None:
    vlc.register_font_directory(font_dir())


def _plain(value: object) -> object:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


def print_spec(spec: dict, *, width: int, height: int) -> dict:
    """`spec` with the print theme and a fixed size (the screen's dark theme and sizes dropped)."""
    text = json.dumps(spec, default=_plain)  # a deep copy; dates in object columns as ISO text
    for light, dark in ON_PAPER.items():
        text = text.replace(light, dark)
    out = json.loads(text)
    out["config"] = {**{k: v for k, v in out.get("config", {}).items() if k not in PRINT_CONFIG}, **PRINT_CONFIG}
    out.update(width=width, height=height, background="white")
    out.pop("autosize", None)
    return out


def to_svg(spec: dict, *, width: int = 640, height: int = 420) -> str:
    _register_fonts()
    return xml_safe(vlc.vegalite_to_svg(print_spec(spec, width=width, height=height)))  # Typst parses it as XML
