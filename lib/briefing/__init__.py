"""The printable briefing pack (汇报材料): a PDF and an xlsx of the same figures. No streamlit.

`collect_pack` gathers a `Pack` from the data layer; `render_pdf` / `render_xlsx` print it; chart SVGs
come from the pages' own Vega-Lite specs through `charts.to_svg`.
"""
from lib.briefing.collect import collect_pack
from lib.briefing.model import Pack, PackFigure, PackPanel
from lib.briefing.names import file_name
from lib.briefing.pdf import PAGES, render_pdf
from lib.briefing.xlsx import render_xlsx

__all__ = ["PAGES", "Pack", "PackFigure", "PackPanel", "collect_pack", "file_name", "render_pdf", "render_xlsx"]
