"""The CRS a GeoJSON file declares in its `crs` member, checked before GDAL's reading is trusted.

GDAL/pyogrio read a GeoJSON whose `crs` member they cannot resolve (a garbled name such as "EPSG:45x7", an EPSG
code that does not exist, a member of an unknown type) as EPSG:4326 without a word, so survey data in a projected
CRS would be placed wrongly. `unresolved_name` finds such a member and returns the declared name for the Chinese
message; the importer then treats it like an unreadable .prj (refused unless 「源坐标系」 is filled in).
A file without `crs` (or with `"crs": null`) is EPSG:4326 by RFC 7946 and passes.
"""
from __future__ import annotations

import json

from pyproj import CRS
from pyproj.exceptions import CRSError

from lib.text import printable

MAX_NAME_CHARS = 60  # of the declared name, as quoted in the message
MAX_DEFINITION_CHARS = 20_000  # a WKT definition is a few thousand characters; longer is not handed to PROJ
_NO_MEMBER = object()  # the root object has no `crs` member
_UNPARSED = object()  # the text is not JSON Python reads (GDAL's parser is more lenient)
_EMPTY = "（空）"


def _root_crs(data: bytes):
    """The root object's `crs` member (None for `"crs": null`), _NO_MEMBER or _UNPARSED."""
    try:
        root = json.loads(data)
    except (ValueError, RecursionError):
        return _UNPARSED
    if not isinstance(root, dict) or "crs" not in root:
        return _NO_MEMBER
    return root["crs"]


def _compact(member) -> str:
    return json.dumps(member, ensure_ascii=False, separators=(",", ":"))


def _declared_text(member) -> tuple[str, bool]:
    """(the declared CRS as GDAL's GeoJSON reader looks for it — type name/EPSG/link/url/OGC and its property —,
    whether that is a CRS name worth resolving: not for a member GDAL cannot read at all)."""
    if isinstance(member, str):
        return member, True
    if not isinstance(member, dict):
        return _compact(member), False
    kind = str(member.get("type") or "").lower()
    props = member.get("properties") if isinstance(member.get("properties"), dict) else {}
    if kind.startswith("name"):
        value = props.get("name")
    elif kind.startswith("epsg"):
        code = props.get("code")
        value = f"EPSG:{code}" if isinstance(code, (int, str)) and not isinstance(code, bool) else None
    elif kind.startswith(("link", "url")):
        value = props.get("href", props.get("url"))
    elif kind == "ogc":
        value = props.get("urn")
    else:
        return (member["type"] if isinstance(member.get("type"), str) else _compact(member)), False
    return (value, True) if isinstance(value, str) else (_compact(member), False)


def shown_name(text: str) -> str:
    """The declared name as quoted to the user: no control characters, at most MAX_NAME_CHARS characters."""
    text = " ".join(printable(text).split())
    if not text:
        return _EMPTY
    return text if len(text) <= MAX_NAME_CHARS else text[:MAX_NAME_CHARS] + "…"


def _is_wgs84(crs) -> bool:
    return CRS.from_user_input(crs).equals(CRS.from_epsg(4326), ignore_axis_order=True)


def declared_name(data: bytes) -> str:
    """The name a GeoJSON file declares in `crs`, as quoted to the user (（空） when there is none to show)."""
    member = _root_crs(data)
    if member is _NO_MEMBER or member is _UNPARSED or member is None:
        return _EMPTY
    return shown_name(_declared_text(member)[0])


def unresolved_name(data: bytes, read_crs) -> tuple[str, str] | None:
    """(the declared name as quoted to the user, the English reason for the log) when the file's `crs` member
    cannot be resolved, or is not what GDAL read (`read_crs`: GDAL's silent EPSG:4326 fallback); None when the file
    declares no CRS or one that GDAL read."""
    member = _root_crs(data)
    if member is _NO_MEMBER or member is None:
        return None  # RFC 7946: EPSG:4326 ("crs": null declares nothing either; GDAL reads it so)
    if member is _UNPARSED:
        if b'"crs"' not in data:
            return None
        return _EMPTY, "GeoJSON text GDAL read has a crs member that could not be parsed to check it"
    text, named = _declared_text(member)
    if not named or len(text) > MAX_DEFINITION_CHARS:
        return shown_name(text), f"GeoJSON crs member GDAL cannot read: {_compact(member)[:200]}"
    try:
        declared = CRS.from_user_input(text)
    except (CRSError, TypeError, ValueError) as exc:
        return shown_name(text), f"GeoJSON crs {text[:200]!r} is not a CRS PROJ knows: {exc}"
    if read_crs is None or (_is_wgs84(read_crs) and not _is_wgs84(declared)):
        return shown_name(text), f"GeoJSON crs {text[:200]!r} was not read by GDAL (read as {read_crs})"
    return None
