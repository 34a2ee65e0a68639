"""「报道中的全部数字」 lists what the article says, and only that.

The 数据来源 page kept every figure that was not demo data and as it stood on the 回看日期: a staff entry
(已签订协议 70户, 2023年12月1日) took the article's 62户 out of the table and sat in it with an empty 「报道原文」
(「NaN」); the six party-organisation figures the article gives were missing; a look-back to 2023年10月15日 left
11 rows. The 征迁 page's 「报道中的全部征迁数字」 did the same. Both now list the article's figures, each with its
words, whatever was entered since and whatever day is looked back to."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from staff_apptest import APP, _staff_templates, clean, engine  # noqa: F401 - fixtures
from streamlit.testing.v1 import AppTest

from lib import writes
from lib.auth import Actor
from lib.queries import facts

ADMIN = Actor("admin", "街道管理员", "街道管理员", None)
PARTY = {"社区联合党委": "11个", "网格联合党支部": "48个", "小区党支部": "68个", "楼院党小组": "110个"}


def _enter(engine) -> None:  # noqa: F811 - the fixture's engine
    writes.record_fact(ADMIN, label="已签订协议", value="70", unit="户", source_title="指挥部周报",
                       subject="文化路北延", indicator="relocation_signed", valid_from=dt.date(2023, 12, 1),
                       engine=engine, today=dt.date(2023, 12, 1))


def _tables(page: str, **query) -> list[pd.DataFrame]:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at = clean(at.switch_page(page).run())
    return [d.value for d in at.dataframe]


def _reported(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return next(f for f in frames if "报道原文" in f.columns)


def test_the_sources_table_is_the_articles_figures(engine):  # noqa: F811 - the imported fixture
    _enter(engine)
    table = _reported(_tables("pages/sources.py"))
    signed = table[table["指标"] == "已签订协议"]
    assert signed["数值"].tolist() == ["62户"], signed
    assert "已签订协议62户" in signed["报道原文"].iloc[0]
    assert "70户" not in table["数值"].tolist()
    assert table["报道原文"].map(lambda q: isinstance(q, str) and len(q) > 1).all(), table[["指标", "报道原文"]]
    shown = dict(zip(table["指标"], table["数值"], strict=False))
    assert {k: shown.get(k) for k in PARTY} == PARTY
    assert len(table) == len(facts.reported(engine=engine))
    back = _reported(_tables("pages/sources.py", as_of="2023-10-15"))
    assert len(back) == len(table)


def test_the_relocation_table_keeps_the_articles_number(engine):  # noqa: F811 - the imported fixture
    _enter(engine)
    table = _reported(_tables("pages/relocation.py"))
    assert dict(zip(table["指标"], table["数值"], strict=False))["已签订协议"] == "62户", table
    assert "70户" not in table["数值"].tolist()
    assert table["报道原文"].map(lambda q: isinstance(q, str) and len(q) > 1).all(), table


def test_source_cards_wear_their_tag_colour(engine):  # noqa: F811 - the imported fixture
    """The staff card was blue like the article's; every card's tag is green for 录入 (README, lib.figures.TAGS)."""
    _enter(engine)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at = clean(at.switch_page("pages/sources.py").run())
    badges = [m.value.split("]")[0] + "]" for m in at.markdown if m.value.startswith(":")]
    assert ":blue-badge[新闻报道]" in badges and ":green-badge[工作人员录入]" in badges, badges
    assert ":blue-badge[工作人员录入]" not in badges
