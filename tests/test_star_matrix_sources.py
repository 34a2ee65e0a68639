"""The 五星 matrix's hover names each cell's own source: a score entered by staff is not 「得分（示例）」."""
from __future__ import annotations

import pandas as pd

from ui import charts

STARS = ["支部过硬星", "平安法治星"]


def _cells(kinds: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"community": ["中兴", "中兴"], "sort_order": [1, 1], "star": STARS,
                         "status": ["已达标", "创建中"], "score": [90.0, 60.0], "source_kind": kinds})


def _tooltip_and_rows(kinds: list[str]) -> tuple[list[dict], list[dict]]:
    spec = charts.star_matrix(_cells(kinds), stars=STARS, communities=["中兴"]).to_dict()
    cells = spec["layer"][0]
    rows = next(iter(spec["datasets"].values()))
    return cells["encoding"]["tooltip"], rows


def test_the_score_is_not_called_demo_data_and_each_cell_says_its_source():
    tooltip, rows = _tooltip_and_rows(["staff", "demo"])
    titles = [t.get("title") for t in tooltip]
    assert "得分" in titles and not any("示例" in (t or "") for t in titles), titles
    assert "来源" in titles, titles
    field = next(t["field"] for t in tooltip if t.get("title") == "来源")
    assert [r[field] for r in rows] == ["工作人员录入", "示例数据"]
