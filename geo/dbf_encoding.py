"""The text of a shapefile's .dbf that came without a .cpg (common with Chinese data): read byte for byte as Latin-1
by the importer, decoded here as UTF-8 or else GBK — one encoding for the whole table, never a guess per row."""
from __future__ import annotations

import geopandas as gpd
import pandas as pd

from lib.errors import GeometryError

MAX_LISTED = 5


def decoded(gdf: gpd.GeoDataFrame, filename: str) -> gpd.GeoDataFrame:
    """The .dbf's text (read byte for byte as Latin-1) decoded as UTF-8, or else as GBK. A table mixing the two (rows
    edited in two programs) is refused, naming the rows: decoding it all as GBK turned the UTF-8 rows into garbage
    that was saved without a word."""
    columns = [c for c in gdf.columns if c != gdf.geometry.name
               and (gdf[c].dtype == object or pd.api.types.is_string_dtype(gdf[c]))]
    utf8, gbk = False, set()  # any UTF-8 text; the records with text that is not UTF-8
    for col in columns:
        for i, value in enumerate(gdf[col], start=1):
            if isinstance(value, str) and not value.isascii():
                if _decodes(value.encode("latin1"), "utf-8"):
                    utf8 = True
                else:
                    gbk.add(i)
    if utf8 and gbk:
        rows = sorted(gbk)
        listed = "、".join(map(str, rows[:MAX_LISTED])) + ("等" if len(rows) > MAX_LISTED else "")
        raise GeometryError(f"文件「{filename}」的属性表（.dbf）混用了 UTF-8 与 GBK 两种编码（第{listed}条记录为 GBK），"
                            "请在同一软件中另存一次，或附上注明编码的 .cpg 文件")
    fields = [c for c in gdf.columns if c != gdf.geometry.name]
    if gbk or utf8:
        encoding = "gbk" if gbk else "utf-8"
    else:  # text all ASCII: the field names say which
        encoding = "utf-8" if all(_decodes(c.encode("latin1"), "utf-8") for c in fields) else "gbk"
    try:
        for col in columns:
            gdf[col] = [v.encode("latin1").decode(encoding) if isinstance(v, str) else v for v in gdf[col]]
        gdf = gdf.rename(columns={c: c.encode("latin1").decode(encoding) for c in fields})
    except UnicodeDecodeError:
        why = f"文件「{filename}」的属性表（.dbf）的文字既不是 UTF-8 也不是 GBK 编码，请附上注明编码的 .cpg 文件"
        raise GeometryError(why) from None
    return gdf


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True
