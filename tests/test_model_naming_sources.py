"""A 示范社区 named by staff after the article's naming is shown as what it is, on the 示范社区 page and the wall:
its own date, its own source (录入), and never inside the article's 「2023年9月23日 … 4个社区」 sentence and quote;
the page's named count agrees with its table, and the table names each row's source (录入 rows read 工作人员录入)."""
from __future__ import annotations

import datetime as dt

from staff_apptest import engine, sign_in  # noqa: F401
from staff_fixtures import _staff_templates  # noqa: F401
from streamlit.testing.v1 import AppTest

from lib import writes
from lib.auth import Actor
from tests.test_wall_care_model import wall_view

ADMIN = Actor("admin", "街道管理员", "街道管理员", None)
DAY = dt.date(2024, 1, 5)
ARTICLE = "2023年9月23日，大官庄、中兴、工业路、西华被命名为示范社区（新闻报道）"
ENTERED = "2024年1月5日，榆树庄被命名为示范社区（工作人员录入）"


def _name_yushuzhuang(engine) -> None:
    writes.record_model_status(ADMIN, community="榆树庄", status="已命名示范社区", valid_from=DAY,
                               note="市指挥部命名", engine=engine, today=dt.date(2024, 3, 1))


def _page_text(at: AppTest) -> str:
    parts = [str(e.value) for kind in ("success", "info", "caption", "markdown") for e in getattr(at, kind)]
    return "\n".join([*parts, *(e.proto.body for e in at.get("html"))])


def test_the_page_names_each_naming_with_its_own_date_and_source(engine):
    _name_yushuzhuang(engine)
    at = sign_in(None, "model_communities")
    text = _page_text(at)
    assert ENTERED in text and ARTICLE in text, text
    assert "大官庄、中兴、工业路、西华、榆树庄" not in text  # not folded into the article's sentence
    assert "5个" in text and "4个" not in text.split("已命名示范社区")[1][:20]  # the card counts what the table lists
    table = at.dataframe[0].value
    row = table[table["社区"] == "榆树庄社区"].iloc[0]
    assert (row["状态"], row["来源"]) == ("已命名示范社区", "工作人员录入")
    assert set(table[table["社区"] == "中兴社区"]["来源"]) == {"新闻报道"}


def test_the_wall_names_each_naming_with_its_own_date_and_source(engine):
    _name_yushuzhuang(engine)
    at = wall_view("示范社区")
    body = "\n".join(e.proto.body for e in at.get("html"))
    groups = body[body.index("gw-model-groups"):]
    assert "<b>2024年1月5日</b>，榆树庄被命名为示范社区" in groups
    assert "<b>2023年9月23日</b>，大官庄、中兴、工业路、西华被命名为示范社区" in groups
    entered = groups[groups.index("<b>2024年1月5日</b>"):]
    assert ">录入" in entered.split("</div>")[0], entered[:400]
