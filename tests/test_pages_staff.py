"""The 工作台 pages (登录 / 数据录入 / 现场核查登记) driven headless through AppTest.

Each test gets its own copy of the seeded staff database (tests/staff_fixtures.py: users admin,
zx = 中兴 staff, hs = 华盛 staff, boss = 领导, created with lib.auth.create_user(rounds=4)), and the app
is pointed at it — the shared app_db stays untouched for the read-only page tests. Rows are checked
through lib queries / the models, never through what the page says alone.

Photos go through both st.file_uploader and st.camera_input (AppTest drives both). The map tap
cannot be driven here (a pydeck selection cannot be set from a test): the test sets the state the
tap's on_select callback writes; tests/browser/test_tablet_checks.py really taps the map.
"""
# ruff: noqa: F811 - pytest fixtures are imported from staff_apptest and named as parameters
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select
from staff_apptest import (  # noqa: F401 - fixtures
    PASSWORD,
    STAFF_PAGES,
    TODAY,
    _staff_templates,
    count,
    engine,
    has_sign_in_form,
    jpeg,
    on_today,
    pages,
    png,
    sign_in,
    submit,
    texts,
)
from streamlit.testing.v1 import AppTest

from lib.db import session_scope
from lib.models import (
    CareOccupancy,
    HouseholdEvent,
    ModelCommunityStatus,
    Photo,
    SiteCheck,
    SiteCheckUpdate,
    StarAssessment,
)
from lib.queries.checks import site_checks
from lib.queries.facts import facts
from lib.queries.relocation import household_status

pytestmark = pytest.mark.usefixtures("on_today")  # TODAY stays today when the run crosses midnight in China


# ---- sign-in and navigation ----
def test_anonymous_sees_no_workbench(engine):
    at = sign_in(None)
    assert not pages(at) & STAFF_PAGES and "account" in pages(at)
    for page in ("entry", "check_form"):  # by URL: a Chinese sign-in prompt instead of the form
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception and any("需要登录（仅限社区工作人员和街道管理员使用）" in t for t in texts(at.info))
        assert has_sign_in_form(at) and not at.get("file_uploader")


def test_leader_and_admin_navigation(engine):
    assert not pages(sign_in("boss")) & STAFF_PAGES  # 领导: view only
    assert STAFF_PAGES | {"users", "audit"} <= pages(sign_in("admin"))


# ---- 数据录入 ----
def test_each_entry_form_writes(engine):
    at = sign_in("zx", "entry")
    box = at.selectbox(key="entry.community")
    assert box.value == "中兴" and box.disabled
    at.selectbox(key="entry.star.star").set_value("幸福和谐星")
    at.radio(key="entry.star.status").set_value("已达标")
    at.text_input(key="entry.star.score").input("96")
    submit(at, "entry.star.submit")
    assert any("已保存" in s for s in texts(at.success))
    with session_scope(engine) as s:
        row = s.scalars(select(StarAssessment).order_by(StarAssessment.id.desc())).first()
        assert (row.star, row.status, row.score, row.valid_from, row.recorded_by) == ("幸福和谐星", "已达标", 96, TODAY, "zx")

    at.selectbox(key="entry.model.status").set_value("先行先试")
    at.text_input(key="entry.model.note").input("街道批复")
    submit(at, "entry.model.submit")
    assert count(engine, ModelCommunityStatus, ModelCommunityStatus.note == "街道批复") == 1

    at.text_input(key="entry.occupancy.occupied").input("49")
    submit(at, "entry.occupancy.submit")
    assert count(engine, CareOccupancy, CareOccupancy.day == TODAY, CareOccupancy.occupied == 49) == 1
    assert any("49/50" in c for c in texts(at.caption))  # the form's "最近一次" shows the new figure

    at.text_input(key="entry.fact.label").input("志愿者")
    at.text_input(key="entry.fact.value").input("300余")
    at.text_input(key="entry.fact.unit").input("名")
    at.text_input(key="entry.fact.source").input("中兴社区志愿者台账")
    submit(at, "entry.fact.submit")
    f = facts(community="中兴", engine=engine)
    row = f[f["label"] == "志愿者"].iloc[0]
    assert (row["value"], row["display"], row["source_title"]) == (300, "300余名", "中兴社区志愿者台账")
    assert "中兴社区没有文化路北延征迁户。" in texts(at.info)  # 中兴 has no relocation households


def test_household_step_offers_only_the_next_step(engine):
    at = sign_in("hs", "entry")
    hh = household_status(community="华盛", engine=engine).set_index("code")
    code = hh[hh["status"] == "已签约"].index[0]
    at.selectbox(key="entry.household.code").set_value(code).run()
    status = at.selectbox(key="entry.household.status")
    assert status.value == "已交钥匙" and status.disabled
    assert any("当前状态：**已签约**" in m and "下一步：**已交钥匙**" in m for m in texts(at.markdown))
    before = count(engine, HouseholdEvent)
    # out of order in time: earlier than the step already recorded
    at.date_input(key="entry.household.date").set_value(hh.loc[code, "since"] - dt.timedelta(days=1))
    submit(at, "entry.household.submit")
    assert any(e.startswith("「日期」") and "早于上一步「已签约」" in e for e in texts(at.error))
    # out of order on the ladder: a forged value skipping 已交钥匙 is refused by lib
    at.session_state["entry.household.status"] = "已拆除"
    at.date_input(key="entry.household.date").set_value(TODAY)
    submit(at, "entry.household.submit")
    assert any("下一步只能登记「已交钥匙」，不能跳级" in e for e in texts(at.error))
    assert count(engine, HouseholdEvent) == before
    at.session_state["entry.household.status"] = "已交钥匙"
    submit(at, "entry.household.submit")
    assert household_status(community="华盛", engine=engine).set_index("code").loc[code, "status"] == "已交钥匙"
    assert at.selectbox(key="entry.household.status").value == "已拆除"  # the page moved on to the next step


@pytest.mark.parametrize("field, value, message", [
    ("entry.occupancy.occupied", "51", "「入住人数」：51 超过光武街道综合养老服务中心的床位数 50"),
    ("entry.occupancy.occupied", "-3", "「入住人数」：“-3”不能小于0"),
    ("entry.occupancy.occupied", "1.5", "「入住人数」：“1.5”应为整数"),
    ("entry.occupancy.date", TODAY + dt.timedelta(days=3), "晚于今天"),
])
def test_occupancy_validation_writes_nothing(engine, field, value, message):
    at = sign_in("zx", "entry")
    if field.endswith("date"):
        at.date_input(key=field).set_value(value)
        at.text_input(key="entry.occupancy.occupied").input("40")
    else:
        at.text_input(key=field).input(value)
    before = count(engine, CareOccupancy)
    submit(at, "entry.occupancy.submit")
    assert any(message in e for e in texts(at.error)), texts(at.error)
    assert count(engine, CareOccupancy) == before and not at.success


def test_star_future_date_and_negative_score(engine):
    at = sign_in("zx", "entry")
    before = count(engine, StarAssessment)
    at.text_input(key="entry.star.score").input("-5")
    submit(at, "entry.star.submit")
    assert "「得分」：“-5”不能小于0" in texts(at.error)
    at.text_input(key="entry.star.score").input("")
    at.date_input(key="entry.star.date").set_value(TODAY + dt.timedelta(days=1))
    submit(at, "entry.star.submit")
    assert any(e.startswith("「评定日期」") and "不能录入未来日期" in e for e in texts(at.error))
    assert count(engine, StarAssessment) == before


def test_staff_cannot_write_for_another_community(engine):
    at = sign_in("zx", "entry")
    at.session_state["entry.community"] = "华盛"  # forged: the widget is locked to 中兴
    at.run()
    before = count(engine, ModelCommunityStatus)
    submit(at, "entry.model.submit")
    assert "社区工作人员只能修改本社区（中兴）的数据，不能修改「华盛」社区" in texts(at.error)
    assert count(engine, ModelCommunityStatus) == before


def test_repeated_submit_does_not_duplicate(engine):
    at = sign_in("zx", "entry")
    at.selectbox(key="entry.model.status").set_value("创建中")
    submit(at, "entry.model.submit")
    before = count(engine, ModelCommunityStatus)
    submit(at, "entry.model.submit")  # the same values again (a double-click)
    assert any(i.startswith("已保存（重复提交已忽略）") for i in texts(at.info))
    assert count(engine, ModelCommunityStatus) == before


# ---- 现场核查登记 ----
def _fill_check(at: AppTest, finding: str) -> None:
    at.selectbox(key="checkform.category").set_value("环境卫生")
    at.text_area(key="checkform.finding").input(finding)
    at.radio(key="checkform.status").set_value("待整改")
    at.date_input(key="checkform.due").set_value(TODAY + dt.timedelta(days=7))


def test_file_a_check_with_a_photo_and_follow_up(engine):
    at = sign_in("zx", "check_form")
    assert at.selectbox(key="checkform.community").value == "中兴" and at.selectbox(key="checkform.community").disabled
    _fill_check(at, "3号楼楼道堆放纸箱，联系人13812345678")
    at.file_uploader(key="checkform.photo.0").set_value(("tiny.png", png(), "image/png"))
    submit(at, "checkform.submit")
    df = site_checks(community="中兴", open_only=True, engine=engine)
    assert len(df) == 1 and df.iloc[0]["created_by"] == "zx" and df.iloc[0]["due_on"] == TODAY + dt.timedelta(days=7)
    check_id = int(df.iloc[0]["id"])
    with session_scope(engine) as s:
        photo = s.scalar(select(Photo).where(Photo.check_id == check_id))
        assert photo.mime == "image/png" and photo.data == png()
    assert any("已保存" in s for s in texts(at.success)) and at.image  # the saved check with its photo
    link = at.get("page_link")[0].proto
    assert (link.page, link.label) == ("checks", "在「现场核查」地图上查看")
    assert at.session_state["community"] == "中兴"  # selected everywhere: the 现场核查 list shows it
    assert at.text_area(key="checkform.finding").value == ""  # an empty form for the next check
    # the same values sent again (a double-click after the form was reset) store nothing new
    _fill_check(at, "3号楼楼道堆放纸箱，联系人13812345678")
    submit(at, "checkform.submit")
    assert any(i.startswith("已保存（重复提交已忽略）") for i in texts(at.info))
    assert count(engine, SiteCheck) == count(engine, SiteCheck, SiteCheck.id <= check_id)
    # follow-up on the open item
    at.selectbox(key="checkform.follow.check").set_value(check_id)
    at.radio(key="checkform.follow.status").set_value("整改中")
    at.text_area(key="checkform.follow.note").input("已通知物业清理")
    submit(at, "checkform.follow.submit")
    assert count(engine, SiteCheckUpdate, SiteCheckUpdate.check_id == check_id) == 1
    assert site_checks(community="中兴", engine=engine).set_index("id").loc[check_id, "status"] == "整改中"


def test_camera_photo_and_map_pick(engine):
    at = sign_in("zx", "check_form")
    at.radio(key="checkform.photo_source").set_value("用相机拍照").run()
    at.radio(key="checkform.loc_mode").set_value("在地图上选点").run()
    spec = at.get("deck_gl_json_chart")[0].proto.json
    assert "pick" in {layer["id"] for layer in json.loads(spec)["layers"]}
    at.session_state["checkform.point"] = {"community": "中兴", "lon": 112.5262, "lat": 33.0011}  # what a tap sets
    at.run()
    assert any("（地图选点）：东经 112.52620°，北纬 33.00110°" in m for m in texts(at.markdown))
    _fill_check(at, "路灯不亮")
    at.camera_input(key="checkform.camera.0").set_value(("shot.jpg", jpeg(), "image/jpeg"))
    submit(at, "checkform.submit")
    row = site_checks(community="中兴", engine=engine).iloc[0]
    assert (row["finding"], row["lon"], row["lat"]) == ("路灯不亮", 112.5262, 33.0011)
    with session_scope(engine) as s:
        assert s.scalar(select(Photo.mime).where(Photo.check_id == int(row["id"]))) == "image/jpeg"


def test_check_validation_and_other_community(engine):
    at = sign_in("zx", "check_form")
    at.text_area(key="checkform.finding").input("没有选类别")
    submit(at, "checkform.submit")
    assert "「类别」：不能为空" in texts(at.error)
    at.file_uploader(key="checkform.photo.0").set_value(("fake.png", b"not an image at all", "image/png"))
    _fill_check(at, "照片不是图片")
    submit(at, "checkform.submit")
    assert any(e.startswith("「照片」") for e in texts(at.error))
    at.session_state["checkform.community"] = "华盛"  # forged
    at.run()
    _fill_check(at, "越权登记")
    submit(at, "checkform.submit")
    assert any("不能修改「华盛」社区" in e for e in texts(at.error))
    assert count(engine, SiteCheck, SiteCheck.created_by == "zx") == 0


def test_check_list_masks_phone_numbers_for_anonymous(engine):
    at = sign_in("zx", "check_form")
    _fill_check(at, "住户反映漏水，电话13812345678")
    submit(at, "checkform.submit")
    signed = sign_in("zx", "checks")
    assert "13812345678" in signed.dataframe[0].value["问题"].tolist()[0]
    assert [p.proto.page for p in signed.get("page_link")] == ["check_form"]  # staff: a link to the form
    anon = sign_in(None, "checks")
    assert anon.dataframe[0].value["问题"].tolist()[0] == "住户反映漏水，电话***********"
    assert not anon.get("page_link")
