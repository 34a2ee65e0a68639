"""Reading an uploaded geometry file into a checked EPSG:4326 GeoDataFrame (pure; no DB).

Accepted: GeoJSON, a zipped Shapefile (.zip with .shp/.shx/.dbf[/.prj/.cpg]) and
GeoPackage. Every rejection is a GeometryError with a Chinese message naming the file
and, where it applies, the feature (1-based index and name) or the part of the file.
What PROJ, GDAL/pyogrio and shapely say is put in Chinese by geo.import_errors.library_text;
their English (and the temporary path) goes to the server log only.
"""
from __future__ import annotations

import io
import json
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.raw
import shapely
from pyproj import CRS

from geo import crs_fit
from geo import schematic_plan as plan
from geo.crs import crs_text, parse_crs, to_wgs84
from geo.dbf_encoding import decoded
from geo.geojson_crs import declared_name, unresolved_name
from geo.import_errors import geometry_type_text, is_crs_problem, library_text  # ui/geo_preview uses it from here
from geo.layers import LAYER_LABELS, geom_to_metric, load_layer, row_properties
from geo.validate import is_finite
from lib.errors import CrsMismatch, GeometryError
from lib.scope import short_name
from lib.text import clean, printable, refused

GEOMETRY_KIND = {
    "outline": "polygon", "communities": "polygon", "reservoirs": "polygon", "context": "polygon",
    "roads": "line", "railway": "line", "rivers": "line", "projects": "line",
    "pois": "point",
}
_ALLOWED = {
    "polygon": ({"Polygon", "MultiPolygon"}, "面（Polygon）"),
    "line": ({"LineString", "MultiLineString"}, "线（LineString）"),
    "point": ({"Point"}, "点（Point）"),
}
NAME_COLUMNS = ("name", "名称", "NAME", "Name")
MAX_NAME_CHARS = 80  # map_feature.name
MAX_DISTANCE_M = 5000.0  # feature centroid farther than this from the outline is rejected
MAX_PROPERTY_CHARS = 4000  # a feature's other fields, as JSON text
MAX_REACH_M = 20_000.0  # any vertex farther than this (a stray part: one bad row of a survey table) is rejected
MAX_FEATURES = 10_000  # a subdistrict layer; more is a wrong file
MAX_VERTICES = 200_000  # an 8.5 km² subdistrict needs far fewer; the map could not draw more
MAX_ZIP_MEMBERS = 100
_SHP_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
_MAX_LISTED = 5
def _fail(message: str, details: list[str] | None = None):
    raise GeometryError(message, details=details)


def _listing(items: list[str]) -> str:
    shown = "；".join(items[:_MAX_LISTED])
    return shown + (f" 等共{len(items)}处" if len(items) > _MAX_LISTED else "")


def _detect(data: bytes, filename: str) -> str:
    suffix = PurePosixPath(filename.lower()).suffix
    if data[:4] == b"PK\x03\x04":
        return "zip"
    if data[:16] == b"SQLite format 3\x00":
        return "gpkg"
    if suffix in (".geojson", ".json") or data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        return "geojson"
    _fail(f"文件「{filename}」类型不受支持：请上传 GeoJSON、压缩的 Shapefile（.zip）或 GeoPackage（.gpkg）")


def _extract_shapefile(data: bytes, filename: str, tmp: Path, max_bytes: int) -> tuple[Path, bool]:
    """Write the shapefile parts to tmp/upload.*; returns (path, has_cpg)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        _fail(f"无法读取文件「{filename}」：压缩包已损坏")
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir() and "__MACOSX" not in m.filename]
        if len(members) > MAX_ZIP_MEMBERS:
            _fail(f"文件「{filename}」中文件过多（{len(members)}个，上限 {MAX_ZIP_MEMBERS}），请只打包一个 Shapefile")
        if sum(m.file_size for m in members) > 5 * max_bytes:
            _fail(f"文件「{filename}」解压后过大（超过 {5 * max_bytes // 1_000_000} MB）")
        shps = [m for m in members if m.filename.lower().endswith(".shp")]
        if len(shps) != 1:
            names = "、".join(PurePosixPath(m.filename).name for m in shps)
            _fail(f"文件「{filename}」中应恰有一个 .shp 文件" + (f"（发现：{names}）" if names else "（未发现）"))
        stem = PurePosixPath(shps[0].filename.lower()).with_suffix("")
        parts = {}
        for m in members:
            p = PurePosixPath(m.filename.lower())
            if p.with_suffix("") == stem and p.suffix in _SHP_PARTS:
                parts[p.suffix] = m
        missing = [s for s in (".shx", ".dbf") if s not in parts]
        if missing:
            _fail(f"文件「{filename}」缺少 Shapefile 组成文件：{'、'.join(missing)}")
        for suffix, member in parts.items():  # fixed names: no path from the archive is used
            try:
                (tmp / f"upload{suffix}").write_bytes(archive.read(member))
            except (RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error, EOFError):
                _fail(f"无法读取文件「{filename}」中的「{PurePosixPath(member.filename).name}」：压缩包已加密或已损坏"
                      "（请解除密码或重新下载、打包后再上传）")
    return tmp / "upload.shp", ".cpg" in parts


def _read_frame(path: Path, source_layer: str | None, has_cpg: bool, filename: str) -> gpd.GeoDataFrame:
    if not has_cpg:  # Chinese shapefiles often come without .cpg: UTF-8, else GBK — one of them for the whole table
        return decoded(gpd.read_file(path, engine="pyogrio", encoding="latin1"), filename)
    return gpd.read_file(path, engine="pyogrio", layer=source_layer)


def _read_without_crs(path: Path, source_layer: str | None, has_cpg: bool, filename: str) -> gpd.GeoDataFrame:
    """The features of a file whose declared CRS PROJ cannot read: a shapefile without its .prj; otherwise the
    raw features (pyogrio.raw leaves the CRS as text)."""
    prj = path.with_suffix(".prj")
    if prj.exists():
        prj.unlink()
        return _read_frame(path, source_layer, has_cpg, filename)
    meta, _fids, geometry, fields = pyogrio.raw.read(path, layer=source_layer)
    return gpd.GeoDataFrame(dict(zip(meta["fields"], fields)), geometry=shapely.from_wkb(geometry))


def _read(data: bytes, filename: str, kind: str, tmp: Path, layer: str, max_bytes: int
          ) -> tuple[gpd.GeoDataFrame, str | None]:
    """(features, None), or (features whose CRS is unknown, the Chinese reason) when the file declares a CRS that
    cannot be read (a GeoJSON's `crs` member: geo.geojson_crs): usable when 「源坐标系」 is filled in."""
    has_cpg = True
    if kind == "zip":
        path, has_cpg = _extract_shapefile(data, filename, tmp, max_bytes)
    else:
        path = tmp / ("upload.gpkg" if kind == "gpkg" else "upload.geojson")
        path.write_bytes(data)
    try:
        source_layer = _pick_layer(path, filename, layer) if kind == "gpkg" else None
        try:
            gdf = _read_frame(path, source_layer, has_cpg, filename)
        except Exception as exc:  # noqa: BLE001 - an unreadable declared CRS here; the file itself below
            if not is_crs_problem(exc):
                raise
            subject = declared_name(data) if kind == "geojson" else ""
            reason = library_text(exc, filename, step="declared_crs", kind=kind, subject=subject)
            return _read_without_crs(path, source_layer, has_cpg, filename), reason
        if kind == "zip" and gdf.crs is None and path.with_suffix(".prj").exists():
            return gdf, library_text(".prj was not recognised by GDAL", filename, step="declared_crs", kind=kind)
        unresolved = unresolved_name(data, gdf.crs) if kind == "geojson" else None
        if unresolved:  # GDAL read it as EPSG:4326 regardless: the features are right, their CRS is not known
            name, why = unresolved
            return gdf, library_text(why, filename, step="declared_crs", kind=kind, subject=name)
        return gdf, None
    except GeometryError:
        raise
    except Exception as exc:  # noqa: BLE001 - pyogrio/GDAL raise many types for corrupt input
        _fail(library_text(exc, filename, step="read", kind=kind))


def _pick_layer(path: Path, filename: str, layer: str) -> str:
    names = [str(row[0]) for row in pyogrio.list_layers(path)]  # (a corrupt file raises: _read explains it)
    if not names:
        _fail(f"文件「{filename}」中没有图层")
    if len(names) == 1:
        return names[0]
    if layer in names:
        return layer
    _fail(f"文件「{filename}」包含多个图层（{'、'.join(names)}），请只保留一个或将目标图层命名为「{layer}」")


def _feature_label(i: int, name) -> str:
    return f"第{i}个要素" + (f"「{name}」" if isinstance(name, str) and name else "")


def _name_column(gdf: gpd.GeoDataFrame, filename: str) -> str:
    for col in NAME_COLUMNS:
        if col in gdf.columns:
            return col
    _fail(f"文件「{filename}」缺少名称字段：需要 name 或 名称 列")


def _check_geometries(gdf: gpd.GeoDataFrame, names: list, filename: str, layer: str) -> gpd.GeoSeries:
    allowed, label = _ALLOWED[GEOMETRY_KIND[layer]]
    geoms, empty, invalid, wrong, nonfinite = [], [], [], [], []
    for i, (geom, name) in enumerate(zip(gdf.geometry, names), start=1):
        if geom is None or geom.is_empty:
            empty.append(_feature_label(i, name))
            geoms.append(geom)
            continue
        if not is_finite(geom):
            nonfinite.append(_feature_label(i, name))
            geoms.append(geom)
            continue
        geom = shapely.force_2d(geom)
        if geom.geom_type == "MultiPoint" and len(geom.geoms) == 1:
            geom = geom.geoms[0]
        if geom.geom_type not in allowed:
            wrong.append(f"{_feature_label(i, name)}为{geometry_type_text(geom.geom_type)}")
        elif not geom.is_valid:
            reason = library_text(shapely.is_valid_reason(geom), filename, step="validity")
            invalid.append(f"{_feature_label(i, name)}：{reason}")
        geoms.append(geom)
    layer_label = LAYER_LABELS.get(layer, layer)
    if empty and len(empty) == len(geoms):
        _fail(f"文件「{filename}」中所有要素的几何都为空：文件可能已损坏或不完整（如 .shp 被截断）", empty)
    if empty:
        _fail(f"文件「{filename}」中有要素几何为空：{_listing(empty)}", empty)
    if nonfinite:
        _fail(f"文件「{filename}」中有要素的坐标不是有效数值（NaN 或无穷大）：{_listing(nonfinite)}", nonfinite)
    if wrong:
        _fail(f"文件「{filename}」的几何类型不符：图层「{layer_label}」需要{label}，{_listing(wrong)}", wrong)
    if invalid:
        _fail(f"文件「{filename}」中有无效几何（如自相交）：{_listing(invalid)}", invalid)
    return gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs)


def _clean_names(raw: list, filename: str, layer: str) -> list[str]:
    names, missing, bad = [], [], []
    for i, value in enumerate(raw, start=1):
        text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else clean(str(value))
        if not text:
            missing.append(_feature_label(i, None))
        elif refused(text):
            bad.append(f"{_feature_label(i, None)}的名称含不可见的控制字符")
        elif len(text) > MAX_NAME_CHARS:
            bad.append(f"{_feature_label(i, text[:20] + '…')}的名称过长（{len(text)}个字，最多{MAX_NAME_CHARS}个字）")
        names.append(text)
    if missing:
        _fail(f"文件「{filename}」中有要素缺少名称：{_listing(missing)}", missing)
    if bad:
        _fail(f"文件「{filename}」中有要素名称无效：{_listing(bad)}", bad)
    if layer != "communities":
        return names
    normalised = [short_name(n) or n for n in names]
    unknown = [f"{_feature_label(i, n)}" for i, n in enumerate(normalised, start=1) if n not in plan.COMMUNITIES]
    if unknown:
        _fail(f"文件「{filename}」含未知社区名称：{_listing(unknown)}（应为光武街道11个社区之一，如「中兴」或「中兴社区」）", unknown)
    dupes = sorted({n for n in normalised if normalised.count(n) > 1})
    if dupes:
        _fail(f"文件「{filename}」中社区名称重复：{'、'.join(dupes)}")
    return normalised


def _crs_label(crs: CRS, swapped: bool, typed: bool = False) -> str:
    unnamed = "所填坐标系（无 EPSG 代码）" if typed else "文件声明的坐标系（无 EPSG 代码）"
    return crs_text(crs, unnamed) + ("（已交换坐标顺序）" if swapped else "")


def _check_crs_fit(raw_xy, filename: str, crs: CRS, swapped: bool, label: str) -> None:
    """Refuse numbers that the chosen CRS / axis order puts nowhere near, when another candidate fits them."""
    if raw_xy is None:
        return
    x, y = raw_xy
    try:
        dist = crs_fit.distance_m(crs, *((y, x) if swapped else (x, y)))
    except Exception as exc:  # noqa: BLE001 - PROJ has no way from some CRSs (another planet's) to WGS-84
        _fail(library_text(exc, filename, step="transform", subject=label))
    if dist <= crs_fit.FIT_RADIUS_M:
        return
    fits = [f for f in crs_fit.fits(raw_xy) if not f.same_as(crs, swapped)]
    if not fits:
        return  # nothing fits: the per-feature checks below say what is wrong
    fit = fits[0]
    problem = ("得到无效坐标（无穷大或超出经纬度范围），地图将无法显示这些要素" if not np.isfinite(dist)
               else f"位于距光武街道约 {dist / 1000:,.0f} 公里处")
    message = (f"文件「{filename}」的坐标按 {label} 换算后{problem}。"
               f"这些数值{crs_fit.looks_like(raw_xy, fit, crs.to_epsg())}，符合 {fit.text}。"
               f"{crs_fit.advice(fit, crs, swapped_now=swapped)}。")
    details = [f"可用的坐标系：{f.text}" + ("，交换坐标顺序" if f.swap_axes else "") for f in fits]
    raise CrsMismatch(message, details=details, suggestion=fit.as_dict())


def _check_result(gdf: gpd.GeoDataFrame, names: list[str], filename: str, crs_text: str) -> None:
    """Every converted feature is finite and near the subdistrict (a NaN distance is refused, not passed)."""
    bad = [_feature_label(i, n) for i, (g, n) in enumerate(zip(gdf.geometry, names), start=1) if not is_finite(g)]
    if bad:
        _fail(f"文件「{filename}」按 {crs_text} 换算后，有要素的坐标为无效数值（NaN 或无穷大），"
              f"请检查坐标系或带号：{_listing(bad)}", bad)
    outline = geom_to_metric(shapely.unary_union(list(load_layer("outline").geometry)))
    far = []
    for i, (geom, name) in enumerate(zip(gdf.geometry, names), start=1):
        metric = geom_to_metric(geom)
        dist = outline.distance(metric.centroid)
        # every vertex too: a small far part barely moves the centroid, yet opens the map centred far away
        reach = float(shapely.distance(outline, shapely.points(shapely.get_coordinates(metric))).max())
        if not dist <= MAX_DISTANCE_M:
            far.append(f"{_feature_label(i, name)}距街道 {dist / 1000:.1f} 公里")
        elif not reach <= MAX_REACH_M:
            far.append(f"{_feature_label(i, name)}有部分距街道 {reach / 1000:.1f} 公里")
    if far:
        _fail(f"文件「{filename}」中有要素远离光武街道（中心超过 {MAX_DISTANCE_M / 1000:.0f} 公里，或有部分超过 "
              f"{MAX_REACH_M / 1000:.0f} 公里），请检查坐标系或带号：{_listing(far)}", far)


def _check_properties(props: list[dict], names: list[str], filename: str) -> None:
    """A feature's other fields are carried to every map, the pack and the wall: refused past MAX_PROPERTY_CHARS
    (the shipped layers' largest is ~260), naming the features."""
    big = [f"{_feature_label(i, n)}（约 {size:,} 字）" for i, (p, n) in enumerate(zip(props, names), start=1)
           if (size := len(json.dumps(p, ensure_ascii=False, default=str))) > MAX_PROPERTY_CHARS]
    if big:
        _fail(f"文件「{filename}」中有要素的属性字段过长（每个要素合计最多 {MAX_PROPERTY_CHARS:,} 字），请删去不需要的字段："
              f"{_listing(big)}", big)


def _clean_value(value):
    """Property values as shown and stored: control and invisible characters (NUL included) removed."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [_clean_value(v) for v in value]
    if isinstance(value, dict):
        return {printable(str(k)): _clean_value(v) for k, v in value.items()}
    return value


def _swap_xy(geom):
    return shapely.transform(geom, lambda c: c[:, ::-1])


def read_geometry_file(data: bytes, filename: str, *, layer: str, source_crs=None, correction=None,
                       swap_axes: bool = False, max_bytes: int = 20_000_000) -> gpd.GeoDataFrame:
    """Parse and check an uploaded file for `layer`; returns name/properties/geometry in EPSG:4326.

    `swap_axes` reads each coordinate pair as (y, x): latitude-first or northing-first files.
    """
    if layer not in GEOMETRY_KIND:
        _fail(f"未知图层「{layer}」，无法导入")
    if not data:
        _fail(f"文件「{filename}」为空")
    if len(data) > max_bytes:
        _fail(f"文件「{filename}」过大：{len(data) / 1e6:.1f} MB，上限 {max_bytes / 1e6:.0f} MB")
    kind = _detect(data, filename)
    if kind == "geojson" and b"\\u0000" in data.lower():
        _fail(f"文件「{filename}」含 NUL 字符（\\u0000）：名称或属性会被截断，请清除后重新导出")
    with tempfile.TemporaryDirectory(prefix="geo_import_") as tmp:
        gdf, unreadable_crs = _read(data, filename, kind, Path(tmp), layer, max_bytes)
    if len(gdf) == 0:
        _fail(f"文件「{filename}」中没有要素")
    if len(gdf) > MAX_FEATURES:
        _fail(f"文件「{filename}」要素过多：{len(gdf)}个，上限 {MAX_FEATURES}个")
    name_col = _name_column(gdf, filename)
    names = _clean_names(list(gdf[name_col]), filename, layer)
    gdf = gdf.set_geometry(_check_geometries(gdf, names, filename, layer))
    vertices = int(shapely.get_num_coordinates(gdf.geometry.values).sum())
    if vertices > MAX_VERTICES:
        _fail(f"文件「{filename}」顶点过多：{vertices:,}个，上限 {MAX_VERTICES:,}个，请先简化几何后再导入")
    if source_crs is None and unreadable_crs:
        _fail(unreadable_crs)
    if gdf.crs is None and source_crs is None:
        _fail(f"文件「{filename}」未声明坐标系（缺少 .prj 或 CRS 信息），请在导入时指定坐标系，例如 EPSG:4490 或 EPSG:4547")
    crs = parse_crs(source_crs) if source_crs is not None else CRS.from_user_input(gdf.crs)
    label = _crs_label(crs, swap_axes, typed=source_crs is not None)
    raw_xy = crs_fit.median_xy(gdf.geometry)
    if swap_axes:
        gdf = gdf.set_geometry([_swap_xy(g) for g in gdf.geometry], crs=gdf.crs)
    _check_crs_fit(raw_xy, filename, crs, swap_axes, label)
    try:
        gdf = to_wgs84(gdf, source_crs=crs, correction=correction)
    except GeometryError as exc:
        _fail(f"文件「{filename}」：{exc.message}", exc.details)
    except Exception as exc:  # noqa: BLE001 - PROJ refuses some exotic CRSs
        _fail(library_text(exc, filename, step="transform", subject=label))
    _check_result(gdf, names, filename, label)
    props = [_clean_value(row_properties(row, ("geometry", name_col))) for _, row in gdf.iterrows()]
    _check_properties(props, names, filename)
    return gpd.GeoDataFrame({"name": names, "properties": props}, geometry=list(gdf.geometry), crs="EPSG:4326")
