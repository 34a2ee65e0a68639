"""The wall's 五星 and 征迁 views through AppTest (pages/screen.py with ?screen=1&community=…): the star
matrix's cells for a known community, the 专班 groups adding up to the unsigned total, the countdown from a
set deadline with the clock frozen, 征迁 left out of the rotation for 中兴, the 「征迁截止日期」 form (街道管理员
only), and 已签约 in one colour on the wall and on the 征迁 page."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from staff_apptest import clean, engine, sign_in  # noqa: F401
from staff_fixtures import _staff_templates  # noqa: F401

from lib import clock, relocation_plan
from lib.auth import Actor
from lib.queries.relocation import burnup, status_counts
from lib.queries.stars import star_matrix
from ui import charts, wall_relocation

NOW = dt.datetime(2026, 12, 5, 2, 0)  # 10:00 in China
ADMIN = Actor("admin", "街道管理员", "街道管理员", None)


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "now_utc", lambda: NOW)


def html_text(at) -> str:
    return "\n".join(e.proto.body for e in at.get("html"))


def wall(at, view: str, **params):
    at.query_params["screen"] = "1"
    at.query_params["pause"] = "1"
    at.query_params["view"] = view
    for k, v in params.items():
        at.query_params[k] = v
    return clean(at.run())


def current(at) -> str:
    return next(str(c.value) for c in at.caption if str(c.value).startswith("当前："))


def test_star_matrix_cells_for_a_known_community(engine):
    at = wall(sign_in(None), "五星支部", community="中兴")
    assert current(at).startswith("当前：五星支部")
    body = html_text(at)
    row = re.search(r"<tr class='sel'><td class='c'>中兴</td>(.*?)</tr>", body).group(1)
    cells = re.findall(r"<td class='s'[^>]*>([^<]*)</td>", row)
    expected = star_matrix(community="中兴", engine=engine)
    assert cells == expected["status"].tolist() and len(cells) == 5
    assert "示例" in row  # the row's source tag
    assert body.count("<td class='c'>") == 11  # every community, 中兴 outlined
    for star in ("支部过硬星", "平安法治星", "共建共享星", "工业兴业星", "幸福和谐星"):
        assert f"<th>{star}</th>" in body


def test_relocation_groups_add_up_and_the_countdown_counts_from_the_set_deadline(engine, frozen):
    relocation_plan.set_deadline(ADMIN, dt.date(2026, 12, 31), engine=engine)
    at = wall(sign_in(None), "征迁")
    assert current(at).startswith("当前：征迁")
    body = html_text(at)
    groups = re.search(r"gw-groups'><div>未签约 <b>(\d+)</b>户.*?<div class='row'>(.*?)</div>", body)
    per_group = [int(n) for n in re.findall(r"第\d组 <b>(\d+)</b>户", groups.group(2))]
    assert int(groups.group(1)) == sum(per_group) == status_counts(engine=engine)["未签约"] == 16
    assert "按专班分组（逐户记录） <span class='gw-tag gw-tag-demo'" in body  # the grouping is 示例
    # 2026-12-05 (frozen, China) → 2026-12-31: 26 days; entered by staff (anonymous viewers see 「工作人员」)
    assert "<div class='big'>距截止 26 天</div><div>（截止日期 2026年12月31日，录入 · 工作人员 · 2026年12月5日录入）" in body


def test_relocation_countdown_says_demo_until_entered(engine, frozen):
    body = html_text(wall(sign_in(None), "征迁", as_of="2023-11-22"))
    assert "距截止 8 天</div><div>（截止日期 2023年11月30日，示例）" in body
    assert "2023年11月22日 签约 <b>0</b>户 · 目标 <b>2户</b>" in body


def test_the_demo_deadline_counts_from_the_demo_records_last_day(engine, frozen):
    """The 示例 deadline belongs to the demo records: on today's wall it read 「已过截止 1101 天」 beside a daily
    target drawn up to the records' last day. It now counts from that day, as the target does, and says so."""
    body = html_text(wall(sign_in(None), "征迁"))
    assert "已过截止" not in body
    assert ("<div class='big'>距截止 8 天</div><div>（截止日期 2023年11月30日，示例；按最新记录日 2023年11月22日计）"
            in body)
    assert "2023年11月22日 签约 <b>0</b>户 · 目标 <b>2户</b>" in body


def test_relocation_is_left_out_for_a_community_without_households(engine):
    at = wall(sign_in(None), "征迁", community="中兴")
    caption = current(at)
    assert caption.startswith("当前：总览（1/4）")  # four views rotate, not five
    assert "<div class='gw-figures'>" not in html_text(at)  # the subdistrict's figure strip is not passed off as 中兴's
    assert "文化路北延提升改造 · 征迁进度" not in "\n".join(str(s.value) for s in at.subheader)
    assert "<div class='gw-figures'>" in html_text(wall(sign_in(None), "总览"))  # 全街道: the strip is there
    # 华盛 has the households: the view is there
    assert "当前：征迁" in current(wall(sign_in(None), "征迁", community="华盛"))


def test_admin_sets_the_deadline_on_the_wall_leader_cannot(engine):
    at = wall(sign_in("admin"), "征迁")
    at.date_input(key="screen.deadline_day").set_value(dt.date(2027, 6, 30))
    at.button(key="FormSubmitter:screen.deadline_form-保存征迁截止日期").click().run()
    clean(at)
    assert relocation_plan.deadline(engine=engine).day == dt.date(2027, 6, 30)
    assert any(str(s.value) == "已保存：「征迁截止日期」为2027年6月30日" for s in at.success)
    assert "（截止日期 2027年6月30日，录入 · 街道管理员 · " in html_text(at)  # signed in: the name shows
    boss = wall(sign_in("boss"), "征迁")
    assert not [d for d in boss.date_input if d.key == "screen.deadline_day"]
    assert any("登录街道管理员账号后可设置征迁截止日期" in str(c.value) for c in boss.caption)


def _colour_of(spec: dict, name: str) -> str:
    """The colour a chart spec gives the series `name` (its colour scale's domain → range)."""
    layers = spec.get("layer", [spec])
    for layer in layers:
        scale = layer.get("encoding", {}).get("color", {}).get("scale", {})
        if name in scale.get("domain", []):
            return scale["range"][scale["domain"].index(name)]
    raise AssertionError(f"{name} not in any colour scale")


def test_signed_is_one_colour_on_the_wall_and_on_the_relocation_page(engine):
    burn = burnup(engine=engine)
    wall_spec = wall_relocation.trend_chart(burn).to_dict(validate=False)
    page_spec = charts.burnup(burn, series=["已签约", "已交钥匙", "已拆除"], total=78, total_label="涉迁户").to_dict(
        validate=False)
    for status in ("已签约", "已交钥匙", "已拆除"):
        assert _colour_of(wall_spec, status) == _colour_of(page_spec, status) == charts.HOUSEHOLD_COLORS[status]
    plan = relocation_plan.daily_target(burn, total=78, deadline_day=dt.date(2023, 11, 30))
    daily = wall_relocation.target_chart(plan)
    assert daily.to_dict(validate=False)["layer"][0]["mark"]["color"] == charts.HOUSEHOLD_COLORS["已签约"]


def test_a_star_row_entered_by_staff_says_who_and_when_names_for_signed_in_viewers_only(engine, frozen):
    from lib.writes import record_star_assessment

    zx = Actor("zx", "中兴录入员", "社区工作人员", "中兴")
    record_star_assessment(zx, community="中兴", star="幸福和谐星", status="已达标", score=92,
                           valid_from=dt.date(2026, 12, 1),
                           engine=engine, today=dt.date(2026, 12, 5))

    def row(at) -> str:
        return re.search(r"<td class='c'>中兴</td>(.*?)</tr>", html_text(at)).group(1)

    anonymous = wall(sign_in(None), "五星支部")
    assert "已达标*</td><td>" in row(anonymous)  # 幸福和谐星: 已达标, entered by staff
    assert "含示例" in row(anonymous)  # four demo cells and one entered
    assert "* 工作人员录入：中兴 幸福和谐星 · 录入 · 工作人员 · 2026年12月5日录入" in html_text(anonymous)  # no name
    admin = wall(sign_in("admin"), "五星支部")
    assert "* 工作人员录入：中兴 幸福和谐星 · 录入 · 中兴录入员 · 2026年12月5日录入" in html_text(admin)


def test_relocation_before_any_household_step_says_no_data_not_zero(engine, frozen):
    at = wall(sign_in(None), "征迁", as_of="2023-10-01")
    body = html_text(at)
    assert "gw-groups" not in body.replace(".gw-groups", "")  # no 「未签约 0户」 before there were households
    assert any("所选日期的逐日进度：暂无公开数据" in str(i.value) for i in at.info)
    assert "距截止 60 天" in body  # 2023-10-01 → the 示例 deadline 2023-11-30
