"""A figure counted over demo records and a staff entry says so (含示例), and names the entry, on every surface.

After staff recorded WH-063 (华盛) 已签约 on 2024年2月20日, the 征迁 page still said 「…签约户数与拆迁面积…为示例数据」
under 「已签订协议 · 含示例 63户」, badged the household counts 示例数据 with no source in the table, and the card, the
wall and the pack dropped who entered the step; the wall tagged its 未签约 15户 (78 − 63, resting on that signing)
示例. After staff assessed 中兴's 幸福和谐星 on 2024年2月1日, the 五星 page said its cards and its chart were 示例数据
and the wall tagged the chart 「示例」."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from db_helpers import private_app_db
from lib import auth, relocation_plan, writes
from lib.db import get_engine
from lib.figures import MIXED
from lib.queries import relocation, stars

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TODAY = dt.date(2024, 3, 1)
ALL_DEMO = "为示例数据（固定种子生成）"


@pytest.fixture(scope="module")
def entered(app_db, tmp_path_factory):
    with private_app_db(app_db, tmp_path_factory.mktemp("mixed")):
        admin = auth.create_user("mixed_admin", "correct-horse-42", role="街道管理员", display_name="测试管理员",
                                 by=auth.SYSTEM, rounds=4)
        writes.record_household_step(admin, code="WH-063", status="已签约", on=dt.date(2024, 2, 20),
                                     engine=get_engine(), today=TODAY)
        writes.record_star_assessment(admin, community="中兴", star="幸福和谐星", status="已达标", score=90,
                                      valid_from=dt.date(2024, 2, 1), engine=get_engine(), today=TODAY)
        yield


def _page(page: str, community: str | None = None, *, signed_in: bool = False) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    if community:
        at.query_params["community"] = community
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
    return at


def _wall(view: str) -> str:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["screen"] = "1"
    at.query_params["pause"] = "1"
    at.query_params["view"] = view
    at.run()
    assert not at.exception
    body = re.sub(r"<style>.*?</style>", "", "\n".join(h.proto.body for h in at.get("html")), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _grid_notes(at: AppTest) -> list[str]:
    return [re.sub(r"<[^>]+>", " ", n) for h in at.get("html")
            for n in re.findall(r'<div class="gw-kpis-note">(.*?)</div>', h.proto.body)]


def test_a_mixed_relocation_count_names_the_entry(entered):
    signed = relocation.headline(community="华盛", engine=get_engine()).signed
    assert (signed.kind, signed.author, signed.holds_from) == (MIXED, "测试管理员", dt.date(2024, 2, 20))


def test_the_relocation_page_does_not_call_a_mixed_count_demo(entered):
    at = _page("relocation", "华盛")
    notes = " ".join(_grid_notes(at))
    assert "签约户数与拆迁面积" in notes and "含示例数据" in notes and ALL_DEMO not in notes, notes
    counts = next(m.value for m in at.markdown if "未签约：" in m.value)
    assert "含示例" in counts and "[示例数据]" not in counts, counts
    table = next(d.value for d in at.dataframe if "编号" in d.value.columns)
    row = table[table["编号"] == "WH-063"].iloc[0]
    assert (row["状态"], row["来源"]) == ("已签约", "工作人员录入"), row.to_dict()
    assert table[table["编号"] != "WH-063"]["来源"].eq("示例数据").all()
    captions = " ".join(c.value for c in at.caption)
    assert "逐户编号、状态与面积为示例数据" not in captions, captions


def test_the_walls_unsigned_groups_rest_on_the_signing_too(entered):
    groups = relocation_plan.unsigned_by_group(community=None, engine=get_engine())
    assert int(groups["households"].sum()) == 15
    assert MIXED in set(groups["source_kind"]), groups
    text = _wall("征迁")
    assert re.search(r"未签约 15 户 · 按专班分组（逐户记录） 含示例", text), text


def test_star_progress_knows_its_sources_per_date(entered):
    progress = stars.star_progress(engine=get_engine())
    last = progress.iloc[-1]
    assert (last["date"], last["source_kind"]) == (dt.date(2024, 2, 1), MIXED)
    assert set(progress["source_kind"].iloc[:-1]) == {"demo"}


def test_the_stars_page_and_wall_do_not_call_mixed_figures_demo(entered):
    at = _page("stars")
    notes = " ".join(_grid_notes(at))
    assert "含示例数据" in notes and ALL_DEMO not in notes, notes
    captions = " ".join(c.value for c in at.caption)
    assert "各评定日期的状态分布为示例数据" not in captions and "各评定日期的状态分布含示例数据" in captions, captions
    assert "已达标星数（共55颗） · 含示例" in _wall("五星支部")
