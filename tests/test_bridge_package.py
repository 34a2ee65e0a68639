"""ui.bridge is a package of small modules behind one door: every name the app uses is still `bridge.X`."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _used_names() -> set[str]:
    """Every `bridge.X` and `from ui.bridge import X` in app.py, pages/ and ui/ outside the package."""
    names: set[str] = set()
    files = [ROOT / "app.py", *ROOT.glob("pages/*.py"), *(p for p in ROOT.glob("ui/*.py"))]
    for path in files:
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"\bbridge\.([A-Za-z_][A-Za-z0-9_]*)\s*[(\[,)=.:]", text))
        for group in re.findall(r"from ui\.bridge import ([^\n(]+)", text):
            names |= {n.strip() for n in group.split(",") if n.strip()}
    return names - {"py"}  # "ui/bridge.py" in old comments


def test_every_name_the_app_uses_is_on_the_one_door():
    from ui import bridge

    used = _used_names()
    assert {"KEYS", "cn_date", "scope", "header", "wall_cookie", "clear_caches", "briefing_pack"} <= used
    assert [n for n in sorted(used) if not hasattr(bridge, n)] == []


def test_the_bridge_modules_stay_small():
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in (ROOT / "ui" / "bridge").glob("*.py")}
    assert len(sizes) >= 10 and "__init__.py" in sizes
    assert {name: n for name, n in sizes.items() if n > 200} == {}


def test_a_replaced_wall_cookie_reaches_the_callers_inside_the_bridge(monkeypatch):
    from ui import bridge

    monkeypatch.setattr(bridge.wall_links, "wall_cookie", lambda: "some-link")
    assert bridge.screen_mode() is True  # state.screen_mode looks the cookie up in wall_links
    monkeypatch.setattr(bridge.wall_links, "wall_cookie", lambda: None)
    assert bridge.screen_mode() is False and bridge.wall_revoked() is False


def test_clear_caches_empties_what_cached_keeps():
    from ui import bridge

    calls = []

    def counted(x):
        calls.append(x)
        return [x]

    kept = bridge.cached(counted)
    assert kept(1) == [1] and kept(1) == [1] and calls == [1]  # kept: the second read is not a call
    bridge.clear_caches()
    assert kept(1) == [1] and calls == [1, 1]  # emptied: read afresh
