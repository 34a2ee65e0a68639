"""A pilot that left 先行先试 is said, with its record's source, wherever the pilot is shown.

After staff recorded 榆树庄 as 创建中 on 2024年3月1日, the 示范社区 page's card for the pilot disappeared without a
word, its 「连片打造与先行先试」 box still headed 「铁路以西先行先试：榆树庄社区」 as if it held today, and the wall said
nothing of the change. Looking back to a day before the change, everything still reads as the article had it."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import kpi_cards
from db_helpers import private_app_db
from lib import auth, wall_content, writes
from lib.db import get_engine
from lib.panels import status_changes

APP = str(Path(__file__).resolve().parent.parent / "app.py")
LEFT = dt.date(2024, 3, 1)
CHANGE = "2024年3月1日，榆树庄改为创建中"


@pytest.fixture(scope="module")
def departed(app_db, tmp_path_factory):
    with private_app_db(app_db, tmp_path_factory.mktemp("pilot_left")):
        admin = auth.create_user("pilot_left_admin", "correct-horse-42", role="街道管理员", display_name="测试管理员",
                                 by=auth.SYSTEM, rounds=4)
        writes.record_model_status(admin, community="榆树庄", status="创建中", valid_from=LEFT, note="转入创建",
                                   engine=get_engine(), today=LEFT)
        yield


def _page(as_of: dt.date | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    if as_of:
        at.query_params["as_of"] = as_of.isoformat()
    at.run()
    at.switch_page("pages/model_communities.py").run()
    assert not at.exception
    return at


def _box(at: AppTest) -> str:
    """The 「连片打造与先行先试」 box about the pilot: the markdown that carries the pilot's heading."""
    texts = [m.value for m in at.markdown if "铁路以西先行先试" in m.value]
    assert len(texts) == 1, texts
    return texts[0]


def test_lib_says_the_departure_with_its_source(departed):
    assert status_changes(status="先行先试", engine=get_engine()) == [(LEFT, CHANGE, "工作人员录入")]
    assert status_changes(status="先行先试", as_of=dt.date(2024, 2, 1), engine=get_engine()) == []


def test_the_page_says_the_pilot_left(departed):
    at = _page()
    card = next(c for c in kpi_cards.grid_cards(at) if c["label"].startswith("铁路以西先行先试"))
    assert card["value"] == "暂无", card
    assert "录入" in card["label"] and "2024年3月1日" in card["hover"], card
    box = _box(at)
    assert "榆树庄社区**" not in box, box  # no heading that names it as today's pilot
    assert CHANGE in box and "工作人员录入" in box, box
    assert "选定榆树庄社区作为突破口" in box  # the article's words stay, as the article's


def test_looking_back_before_the_change_reads_as_the_article(departed):
    at = _page(dt.date(2024, 2, 1))
    card = next(c for c in kpi_cards.grid_cards(at) if c["label"].startswith("铁路以西先行先试"))
    assert card["value"] == "榆树庄社区", card
    box = _box(at)
    assert "铁路以西先行先试：榆树庄社区" in box and "改为" not in box, box


def test_the_wall_says_the_pilot_left(departed):
    m = wall_content.model_map(engine=get_engine())
    assert m.pilot == [] and m.pilot_changes == [(CHANGE, "staff")]
    wall = AppTest.from_file(APP, default_timeout=90)
    wall.query_params["screen"] = "1"
    wall.query_params["pause"] = "1"
    wall.session_state["screen.view"] = "示范社区"
    wall.run()
    assert not wall.exception
    text = re.sub(r"<[^>]+>", " ", "\n".join(h.proto.body for h in wall.get("html")))
    assert CHANGE in text, text
