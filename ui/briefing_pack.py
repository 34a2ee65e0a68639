"""The briefing pack (PDF + xlsx) of a scope: the pack's charts from the same builders the pages use
(ui/charts.py), drawn for print by lib.briefing. Importable without a running app (bench, tests)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from lib.briefing import Pack, PackPanel, collect_pack, render_pdf, render_xlsx
from lib.briefing.charts import to_svg
from lib.briefing.collect import STORED
from ui import charts

RELOCATION_SERIES = ["已签约", "已交钥匙", "已拆除"]
CHART_HEIGHT = 420


def _chart(panel: PackPanel):
    """The panel's Altair chart, built as its page builds it; None without data."""
    df, args = panel.chart_data, panel.chart_args
    if df is None or df.empty:
        return None
    if panel.key == "stars":
        return charts.star_matrix(df, stars=args["stars"], communities=args["communities"],
                                  highlight=args["highlight"])
    if panel.key == "model":
        return charts.status_timeline(df, colors=charts.MODEL_STATUS_COLORS, communities=args["communities"],
                                      marks=args["marks"], highlight=args["highlight"])
    if panel.key == "relocation":
        return charts.burnup(df, series=RELOCATION_SERIES, total=args["total"], total_label=args["total_label"])
    if panel.key == "care":
        return charts.occupancy(df, beds=args["beds"], threshold=args["threshold"])
    return None


def chart_specs(pack: Pack) -> dict[str, dict]:
    """Panel key → Vega-Lite spec (unvalidated, as the pages send them)."""
    out = {}
    for panel in pack.panels:
        chart = _chart(panel)
        if chart is not None:
            out[panel.key] = chart.to_dict(validate=False)
    return out


def _height(key: str, pack: Pack) -> int:
    """Print height of a chart: a matrix or timeline of one community is one row, not a page."""
    rows = len(pack.panels[[p.key for p in pack.panels].index(key)].chart_data["community"].unique()) \
        if key in ("stars", "model") else 0
    return min(CHART_HEIGHT, 60 + 34 * rows) if rows else CHART_HEIGHT


def chart_svgs(pack: Pack) -> dict[str, str]:
    return {key: to_svg(spec, height=_height(key, pack)) for key, spec in chart_specs(pack).items()}


def pack_files(*, community: str | None, as_of: dt.date | None, last_briefing: dt.date | None | object = STORED,
               signed_in: bool = False, engine: Engine | None = None) -> tuple[bytes, bytes]:
    """(PDF, xlsx) of the scope, compared with `last_briefing` (default: the stored 「上次汇报日期」); staff names
    only for a signed-in viewer."""
    pack = collect_pack(community=community, as_of=as_of, last_briefing=last_briefing, signed_in=signed_in,
                        engine=engine)
    return render_pdf(pack, charts=chart_svgs(pack)), render_xlsx(pack)
