"""The one mapping of what PROJ, GDAL/pyogrio and shapely say about an uploaded geometry file to Chinese.

`geometry_type_text` names a shapely geometry type as the pages do (面（Polygon）…).

`library_text(problem, filename, step=…)` turns a library exception (or a library's own message, such as
shapely's validity reason) into a sentence an administrator can act on: it names the file and the part at fault
(.shp/.shx/.dbf/.prj, the GeoJSON's crs member, the 「源坐标系」 field) and says what to do. The English text,
which may hold the server's temporary path, goes to the server log only.

Steps: "read" (reading a file of `kind` geojson, zip or gpkg), "crs" (the CRS typed in 「源坐标系」),
"declared_crs" (the CRS a file declares), "transform" (converting to longitude/latitude), "validity" (a phrase
for one feature, from shapely.is_valid_reason).
"""
from __future__ import annotations

import logging
import re

log = logging.getLogger("guangwu.geo")

_AGAIN = "请在 GIS 软件中重新导出后上传"
_TYPE_CRS = "请在「源坐标系」中填写 EPSG 代码（如 4490 或 4547）后重试"
_KINDS = {"geojson": "GeoJSON", "zip": "Shapefile", "gpkg": "GeoPackage"}
_POSITION = re.compile(r"line (\d+), character (\d+)", re.I)
_EPSG_MISSING = re.compile(r"crs not found: EPSG:(\d+)", re.I)
_AT = re.compile(r"\[\s*(-?[\d.eE+-]+)\s+(-?[\d.eE+-]+)\s*\]")
# shapely/GEOS validity reasons, most specific first.
_VALIDITY = (
    ("ring self-intersection", "边界环自相交"),
    ("self-intersection", "自相交（边界线交叉，如“8”字形）"),
    ("too few points", "点数过少（线至少 2 个点，面的每个环至少 4 个点）"),
    ("invalid coordinate", "坐标不是有效数值"),
    ("hole lies outside shell", "内洞在外边界之外"),
    ("holes are nested", "内洞相互嵌套"),
    ("interior is disconnected", "面的内部被分成互不相连的部分"),
    ("nested shells", "多个外边界相互嵌套"),
    ("duplicate rings", "有重复的边界环"),
    ("ring is not closed", "边界环未闭合"),
)
GEOMETRY_TYPE_TEXT = {"Point": "点（Point）", "MultiPoint": "多点（MultiPoint）", "LineString": "线（LineString）",
                      "MultiLineString": "多线（MultiLineString）", "LinearRing": "环（LinearRing）",
                      "Polygon": "面（Polygon）", "MultiPolygon": "多面（MultiPolygon）",
                      "GeometryCollection": "几何集合（GeometryCollection）"}


def geometry_type_text(geom_type: str) -> str:
    """面（Polygon）, 线（LineString）…: a shapely geometry type as the pages name it."""
    return GEOMETRY_TYPE_TEXT.get(geom_type, geom_type)


def _text(problem: BaseException | str) -> str:
    if isinstance(problem, BaseException):
        return f"{type(problem).__name__}: {problem}"
    return str(problem)


def is_crs_problem(exc: BaseException) -> bool:
    """Whether a reading error is about the file's declared coordinate reference system, not its data
    (pyogrio's and pyproj's CRSError alike)."""
    return type(exc).__name__ == "CRSError"


def _reading(text: str, low: str, filename: str, kind: str) -> str:
    head = f"无法读取文件「{filename}」："
    if "codec" in low or "decode" in low:
        return head + ("文字编码无法识别，请以 UTF-8 编码重新保存" if kind != "zip"
                       else "属性表（.dbf）的文字编码无法识别，请在压缩包中附带 .cpg 文件写明编码（UTF-8 或 GBK）") + "后上传"
    if kind == "zip":
        for part, name in ((".shx", "索引文件"), (".dbf", "属性表"), (".prj", "坐标系说明")):
            if part in low:
                return head + (f"其中的 {part}（{name}）已损坏或与 .shp 不匹配，请在 GIS 软件中重新导出，"
                               "把同一次导出的 .shp、.shx、.dbf、.prj 一起打包上传")
        return head + "其中的 .shp 不是有效的 Shapefile（已损坏或不完整），" + _AGAIN
    if kind == "gpkg":
        if "not a database" in low:
            return head + "不是有效的 GeoPackage（.gpkg）文件，" + _AGAIN
        return head + "GeoPackage 文件已损坏或不完整（可能在复制或下载时被截断），" + _AGAIN
    if "failed to read geojson" in low:
        at = _POSITION.search(text)
        where = f"（第{at.group(1)}行第{at.group(2)}个字符附近）" if at else ""
        return head + f"GeoJSON 内容不完整或有语法错误{where}，文件可能在复制或下载时被截断，" + _AGAIN
    if "not recognized" in low or "not recognised" in low:
        return head + "内容不是 GeoJSON（应为含 features 的 FeatureCollection），可能上传了表格、图片或其他文件；" \
                      "请上传 GeoJSON、压缩的 Shapefile（.zip）或 GeoPackage（.gpkg）"
    return head + f"{_KINDS.get(kind, '文件')}格式不受支持或文件已损坏，" + _AGAIN


def _declared(filename: str, kind: str, subject: str) -> str:
    where = {"zip": "中的 .prj（坐标系说明）", "geojson": "中声明的坐标系（crs 项）",
             "gpkg": "中图层声明的坐标系"}.get(kind, "中声明的坐标系")
    named = f"「{subject}」" if subject else ""
    return f"文件「{filename}」{where}{named}无法识别。{_TYPE_CRS}，或在 GIS 软件中改用标准坐标系重新导出"


def _typed(low: str, subject: str) -> str:
    missing = _EPSG_MISSING.search(low)
    why = (f"没有代码为 {missing.group(1)} 的 EPSG 坐标系，请核对代码" if missing
           else "请填写 EPSG 代码（如 4490、4547 或 EPSG:4547），或完整的 WKT 坐标系说明")
    return f"「源坐标系」中的「{subject}」无法识别：{why}。也可留空，按文件声明的坐标系读取"


def _transform(low: str, filename: str, subject: str) -> str:
    why = ("该坐标系不是地球上的坐标系" if "celestial" in low
           else "该坐标系没有到经纬度（WGS-84）的换算方法")
    return f"文件「{filename}」的坐标无法从 {subject} 换算到经纬度：{why}。{_TYPE_CRS}"


def _validity(text: str, low: str) -> str:
    what = next((chinese for english, chinese in _VALIDITY if english in low), "几何无效")
    at = _AT.search(text)
    if at:
        try:
            x, y = float(at.group(1)), float(at.group(2))
            what += f"，位置约 {x:.6g}, {y:.6g}（按文件中的坐标）"
        except ValueError:
            pass
    return what


def library_text(problem: BaseException | str, filename: str, *, step: str, kind: str = "", subject: str = "") -> str:
    """The Chinese for a library's error at `step` (see the module docstring); `kind` is the file's kind (geojson,
    zip, gpkg) and `subject` the CRS the message is about (what was typed, a label such as EPSG:4547, or the name
    a file declares, already shortened for showing).
    The English goes to the server log."""
    text = _text(problem)
    low = text.lower()
    if step != "validity":
        log.warning("geometry import %s: %s: %s", step, filename, text)
    if step == "validity":
        return _validity(text, low)
    if step == "crs":
        return _typed(low, subject)
    if step == "declared_crs":
        return _declared(filename, kind, subject)
    if step == "transform":
        return _transform(low, filename, subject)
    return _reading(text, low, filename, kind)
