"""A community entered as 先行先试 by staff is not the article's: the wall's 示范 view, its map legend and the
示范社区 page name each pilot with its own source (榆树庄 报道 with the article's words, 麒麟 录入), and the page card
counts both (多来源) with the newer date. Before, the wall and legend said 「麒麟、榆树庄（报道）」, the article's
words for 榆树庄 disappeared, and the card took 麒麟's source for both, with no date."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

import kpi_cards
from db_helpers import private_app_db
from lib import auth, wall_content, writes
from lib.db import get_engine

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PILOT_QUOTE = "选定榆树庄社区作为突破口，借助南阳市城管局联建力量，作为铁路以西创建先行先试区"
DAY = dt.date(2024, 1, 5)


@pytest.fixture(scope="module")
def pilot_db(app_db, tmp_path_factory):
    with private_app_db(app_db, tmp_path_factory.mktemp("pilot")):
        admin = auth.create_user("pilot_admin", "correct-horse-42", role="街道管理员", display_name="测试管理员",
                                 by=auth.SYSTEM, rounds=4)
        writes.record_model_status(admin, community="麒麟", status="先行先试", valid_from=DAY, note="扩大试点",
                                   engine=get_engine(), today=DAY)
        yield SimpleNamespace(admin=admin)


def _text(at: AppTest) -> str:
    bodies = [re.sub(r"<style>.*?</style>", "", h.proto.body, flags=re.S) for h in at.get("html")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", "\n".join(bodies)))


def test_each_pilot_names_its_own_source(pilot_db):
    m = wall_content.model_map(engine=get_engine())
    assert [(p.communities, p.kind, p.day) for p in m.pilots] == [
        (("榆树庄",), "article", dt.date(2023, 1, 1)), (("麒麟",), "staff", DAY)]
    assert m.pilot_quote == PILOT_QUOTE

    wall = AppTest.from_file(APP, default_timeout=90)
    wall.query_params["screen"] = "1"
    wall.query_params["pause"] = "1"
    wall.session_state["screen.view"] = "示范社区"
    wall.run()
    assert not wall.exception
    text = _text(wall)
    assert "铁路以西先行先试区 · 榆树庄（报道）、麒麟（录入）" in text and "麒麟、榆树庄（报道）" not in text
    assert f"原文：“{PILOT_QUOTE}”" in text

    page = AppTest.from_file(APP, default_timeout=90).run()
    page.switch_page("pages/model_communities.py").run()
    card = next(c for c in kpi_cards.grid_cards(page) if c["label"].startswith("铁路以西先行先试"))
    assert card["value"] == "榆树庄、麒麟社区" or card["value"] == "麒麟、榆树庄社区"
    assert card["label"] == "铁路以西先行先试 · 多来源" and "2024年1月5日" in card["hover"], card
    assert PILOT_QUOTE not in card["hover"]  # the article's words are not the count's
