"""The 现场核查 cards count every check in the scope, whatever the list's filter shows.

With 「只看未办结」 on (the default) the cards read 「待整改 1项 / 整改中 3项 / 已办结 0项」 while the scope holds 10
checks already done: the count followed the filter. And a list of demo checks only said 「部分核查记录为示例数据」."""
from __future__ import annotations

from staff_apptest import APP, _staff_templates, clean, engine  # noqa: F401 - fixtures
from streamlit.testing.v1 import AppTest

from lib.queries.checks import site_checks


def _page(open_only: bool = True) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at = clean(at.switch_page("pages/checks.py").run())
    if not open_only:
        at = at.toggle(key="checks.open_only").set_value(False).run()
    return at


def test_the_cards_count_every_check_whatever_the_filter(engine):  # noqa: F811 - the imported fixture
    every = site_checks(engine=engine)["status"].value_counts()
    want = {s: f"{int(every.get(s, 0))}项" for s in ("待整改", "整改中", "已办结")}
    assert every.get("已办结", 0) > 0
    for open_only in (True, False):
        at = _page(open_only)
        assert {m.label: m.value for m in at.metric} == want, open_only
    table = _page(True).dataframe[0].value
    assert "已办结" not in set(table["状态"])  # the list itself still follows the filter


def test_a_list_of_demo_checks_says_all_are_demo(engine):  # noqa: F811 - the imported fixture
    captions = [c.value for c in _page().caption]
    assert any("核查记录为示例数据" in c for c in captions), captions
    assert not any("部分核查记录" in c for c in captions), captions


def test_the_open_rule_is_one_column_and_one_filter(engine):  # noqa: F811 - the imported fixture
    every = site_checks(engine=engine)
    assert set(every.loc[every["is_open"], "status"]) == {"待整改", "整改中"}
    assert list(site_checks(open_only=True, engine=engine)["id"]) == list(every.loc[every["is_open"], "id"])
