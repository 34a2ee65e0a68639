"""geo/validate.py: every problem line `validate_layers` returns (and `assert_valid` raises) is Chinese — shapely's
validity reason goes through geo.import_errors.library_text, a geometry type and a layer are named as the import
page names them — never shapely's English (「Self-intersection[…]」) or a layer's code name (communities)."""
from __future__ import annotations

import re

import pytest
from shapely.geometry import LineString, Polygon

from geo.layers import LAYER_LABELS, load_all
from geo.validate import assert_valid, validate_layers
from lib.errors import GeometryError

ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def _shown(line: str) -> str:
    """A problem line without what the project itself writes in parentheses after the Chinese: 面（Polygon）."""
    return re.sub(r"（(Point|MultiPoint|LineString|MultiLineString|Polygon|MultiPolygon)）", "", line)


def _bowtie(geom) -> Polygon:
    x0, y0, x1, y1 = geom.bounds
    return Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])


def _with(layers: dict, key: str, index: int, geom) -> dict:
    changed = layers[key].copy()
    changed.loc[changed.index[index], "geometry"] = geom
    return {**layers, key: changed}


@pytest.fixture(scope="module")
def layers():
    return load_all()


def _broken(layers, case):
    comms = layers["communities"]
    if case == "self-intersecting community":
        return _with(layers, "communities", 1, _bowtie(comms.geometry.iloc[1])), ["自相交", LAYER_LABELS["communities"]]
    if case == "reservoir drawn as a line":
        line = LineString(list(layers["reservoirs"].geometry.iloc[0].exterior.coords)[:3])
        return _with(layers, "reservoirs", 0, line), ["应为面", "线", LAYER_LABELS["reservoirs"]]
    if case == "ring with too few points":
        x0, y0, _x1, _y1 = comms.geometry.iloc[2].bounds
        flat = Polygon([(x0, y0), (x0 + 1e-4, y0), (x0, y0)])
        return _with(layers, "communities", 2, flat), ["几何无效", LAYER_LABELS["communities"]]
    if case == "a layer missing":
        return {k: v for k, v in layers.items() if k != "railway"}, ["缺少图层", LAYER_LABELS["railway"]]
    raise AssertionError(case)


@pytest.mark.parametrize("case", ["self-intersecting community", "reservoir drawn as a line",
                                  "ring with too few points", "a layer missing"])
def test_problem_lines_are_chinese(layers, case):
    broken, expected = _broken(layers, case)
    problems = validate_layers(broken)
    assert problems, case
    text = "\n".join(problems)
    for fragment in expected:
        assert fragment in text, (fragment, text)
    for line in problems:
        assert not ENGLISH_WORD.search(_shown(line)), line
    with pytest.raises(GeometryError) as err:
        assert_valid(broken)
    for line in [err.value.message, *err.value.details]:
        assert not ENGLISH_WORD.search(_shown(line)), line


def test_the_shipped_layers_still_pass(layers):
    assert validate_layers(layers) == []
