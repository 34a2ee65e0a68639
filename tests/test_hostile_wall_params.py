"""Careless or hostile wall input: a huge ?rotate= (a browser timer overflows above ~24.8 days and then fires at
once, again and again: the wall reran back to back), and a display name typed with Markdown shown in the wall's
control menu (it rendered bold text and fetched an image)."""
from __future__ import annotations

import types

import pytest

from ui.bridge import state


@pytest.mark.parametrize("raw, expected", [
    ("20", 20), ("1", 5), ("2147484", state.MAX_ROTATE_SECONDS), ("9" * 40, state.MAX_ROTATE_SECONDS),
    ("abc", None), ("1e9", None),
])
def test_the_carousel_interval_stays_within_bounds(monkeypatch, raw, expected):
    monkeypatch.setattr(state, "st", types.SimpleNamespace(query_params={"rotate": raw}))
    default = state.settings().screen_rotate_seconds
    assert state.screen_rotate_seconds() == (default if expected is None else expected)


def test_a_display_name_is_text_in_the_wall_menu(monkeypatch):
    from ui import alerts_view

    shown = []
    monkeypatch.setattr(alerts_view.st, "caption", lambda body, **_: shown.append(body))
    alerts_view._date_form(key="k", part="p", field="征迁截止日期", current=None,
                           shown="2027年1月6日（录入 · 王**主任**![](http://attacker.invalid/p.png)）", allowed=False,
                           hint="", setter=None)
    assert shown and "**主任**" not in shown[0] and "![](" not in shown[0]
    assert "\\*\\*主任\\*\\*" in shown[0]


@pytest.mark.parametrize("written", ["中兴社区", " 中兴", "中兴 ", "中兴"])
def test_a_community_written_in_full_or_with_a_space_selects_it(app_db, written):
    """?community=中兴社区 silently showed 全街道 (the bound selectbox dropped the value before it was normalised)."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
    at.query_params["community"] = written
    at.run()
    assert not at.exception
    assert at.session_state["community"] == "中兴"
    assert any("中兴社区" in str(s.value) for s in at.subheader), [s.value for s in at.subheader]
