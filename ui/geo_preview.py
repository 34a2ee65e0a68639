"""The geometry-import preview: what changes against the current layer, a map of both, and a warning when
the import sits where a GCJ-02 / BD-09 offset would put it (pure; no streamlit)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import pydeck as pdk
import shapely
from shapely.geometry import shape

from geo.datum_offset import OffsetHint, detect_offset
from geo.deck import build_deck
from geo.importer import GEOMETRY_KIND, geometry_type_text
from geo.layers import LAYER_LABELS, LAYER_NAMES, geom_to_metric
from lib.fmt import stamp_text

__all__ = ["LAYER_LABELS", "LAYER_NAMES", "summarize", "suggestion_label"]

KIND_TEXT = {"polygon": "面（Polygon）", "line": "线（LineString）", "point": "点（Point）"}
CRS_HELP = ("文件已声明坐标系（GeoJSON 默认为 WGS-84，Shapefile 的 .prj）时留空。未声明或声明有误时填写 EPSG 代码："
            "CGCS2000 经纬度 4490；CGCS2000 高斯-克吕格 3 度带——光武街道约在东经 112.5°，"
            "恰在 37 带（中央经线 111°）与 38 带（114°）分界处：X 坐标带带号（8 位，如 38xxxxxx）用 "
            "4525（37 带）/ 4526（38 带），不带带号（6 位）用 4546（中央经线 111°）/ 4547（中央经线 114°）。")
CORRECTIONS = {"none": "无（已是 WGS-84 / CGCS2000）", "gcj02": "GCJ-02 高德·腾讯 → WGS-84",
               "bd09": "BD-09 百度 → WGS-84"}
SWAP_LABEL = "交换坐标顺序（X/Y）"
def correction_key(correction: str | None) -> str:
    """The radio option for a `geo.crs` correction (None -> "none")."""
    return correction or "none"


def suggestion_label(suggestion: dict, current_crs: str | None, swapped: bool) -> str:
    """Button text offering a CrsMismatch's suggestion, e.g. 改用 EPSG:4526 / 改用 EPSG:4547 并交换坐标顺序."""
    parts = []
    if suggestion.get("crs") and suggestion["crs"] != current_crs:
        parts.append(f"改用 {suggestion['crs']}")
    if bool(suggestion.get("swap_axes")) != swapped:
        parts.append("交换坐标顺序" if suggestion.get("swap_axes") else "取消交换坐标顺序")
    return "并".join(parts) or "按建议重试"


@dataclass
class ImportSummary:
    current: int
    new: int
    kept: int
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    max_shift_m: float | None = None  # largest Hausdorff distance between same-named features
    bounds: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    types: dict[str, int] = field(default_factory=dict)  # 线（LineString） -> count
    offset: OffsetHint | None = None  # consistently where a GCJ-02/BD-09 offset would put it

    @property
    def bounds_text(self) -> str:
        minx, miny, maxx, maxy = self.bounds
        return f"经度 {minx:.5f}～{maxx:.5f}，纬度 {miny:.5f}～{maxy:.5f}（WGS-84）"


def _current_geoms(current: list[dict]) -> dict[str, object]:
    out: dict[str, list] = {}
    for feat in current:
        geom = feat.get("geometry")
        out.setdefault(str(feat.get("name")), []).append(shape(geom) if isinstance(geom, dict) else geom)
    return {name: shapely.union_all(geoms) if len(geoms) > 1 else geoms[0] for name, geoms in out.items()}


def summarize(current: list[dict], new: gpd.GeoDataFrame, *, filename: str = "", correction: str | None = None
              ) -> ImportSummary:
    """Counts, names added/removed, bounds, how far same-named features moved (metres), and whether they
    moved the way an uncorrected (or wrongly corrected) GCJ-02 / BD-09 file would."""
    old = _current_geoms(current)
    new_names = [str(n) for n in new["name"]]
    shifts = []
    for name, geom in zip(new_names, new.geometry):
        if name in old and geom is not None and old[name] is not None:
            shifts.append(shapely.hausdorff_distance(geom_to_metric(old[name]), geom_to_metric(geom)))
    return ImportSummary(
        current=len(current), new=len(new), kept=len(set(new_names) & set(old)),
        added=sorted(set(new_names) - set(old)), removed=sorted(set(old) - set(new_names)),
        max_shift_m=max(shifts) if shifts else None, bounds=tuple(float(v) for v in new.total_bounds),
        types=dict(Counter(geometry_type_text(g.geom_type) for g in new.geometry if g is not None)),
        offset=detect_offset(new_names, list(new.geometry), old, applied=correction, filename=filename))


def feature_table(new: gpd.GeoDataFrame) -> pd.DataFrame:
    props = new["properties"] if "properties" in new.columns else [{}] * len(new)
    return pd.DataFrame({"名称": new["name"].astype(str),
                         "几何类型": [geometry_type_text(g.geom_type) for g in new.geometry],
                         "其他属性": ["；".join(f"{k}：{v}" for k, v in (p or {}).items() if k != "layer")
                                  for p in props]})


def preview_deck(current: list[dict], new: gpd.GeoDataFrame, base: dict, *, height: int = 480) -> pdk.Deck:
    """The street outline and district context for orientation; current version grey, import highlighted."""
    layers = {k: base[k] for k in ("outline", "context") if base.get(k)}
    return build_deck(layers=layers, visible={"outline", "context"}, height=height,
                      preview={"current": current, "new": new})


def expected_kind(layer: str) -> str:
    return KIND_TEXT[GEOMETRY_KIND[layer]]


def versions_table(df: pd.DataFrame) -> pd.DataFrame:
    """`layer_versions(layer=…)` with Chinese columns (newest first; the first row is on the map)."""
    return pd.DataFrame({
        "版本号": df["id"], "状态": ["当前（地图显示）" if i == 0 else "历史" for i in range(len(df))],
        "类型": df["schematic"].map(lambda s: "示意图" if s else "测绘/调查数据"),
        "数据来源": df["source_title"], "要素数": df["features"], "保存人": df["recorded_by"].fillna(""),
        "保存时间（北京时间）": df["recorded_at"].map(stamp_text), "备注": df["note"].fillna("")})
