"""Settings: defaults, secrets.toml, environment precedence, and the basemap switch."""
from __future__ import annotations

import pytest

from lib.config import Settings, basemap_url, load_settings


def test_defaults_need_nothing_outside(tmp_path):
    s = load_settings(env={}, secrets_path=tmp_path / "missing.toml")
    assert s.database_url.startswith("sqlite:///") and s.database_url.endswith("data/guangwu.db")
    assert basemap_url(s) is None, "no tiles unless an administrator configures them"


def test_secrets_then_environment(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[dashboard]\ntile_url = "http://tiles.intranet/{z}/{x}/{y}.png"\n'
                       'care_free_beds_warning = 5\nrequire_login_to_view = true\n', encoding="utf-8")
    s = load_settings(env={}, secrets_path=secrets)
    assert (s.care_free_beds_warning, s.require_login_to_view) == (5, True)
    assert basemap_url(s) == "http://tiles.intranet/{z}/{x}/{y}.png"
    s = load_settings(env={"CARE_FREE_BEDS_WARNING": "2", "REQUIRE_LOGIN_TO_VIEW": "false"}, secrets_path=secrets)
    assert (s.care_free_beds_warning, s.require_login_to_view) == (2, False)


@pytest.mark.parametrize(("tile_url", "key", "expected"), [
    ("", "", None),
    ("", "abc123", "https://t0.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=abc123"),
    ("http://tiles.intranet/{z}/{x}/{y}.png", "abc123", "http://tiles.intranet/{z}/{x}/{y}.png"),
])
def test_basemap_url(tile_url, key, expected):
    assert basemap_url(Settings(tile_url=tile_url, tianditu_key=key)) == expected
