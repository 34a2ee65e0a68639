"""The wall and the overview through AppTest: the 预警 strip, ?pause=1 and the 暂停轮播 toggle, and the
「上次汇报日期」 form (a 领导 sets it; a 社区工作人员 cannot; the wall then names both dates)."""
from __future__ import annotations

import datetime as dt
import json
import re

from staff_apptest import clean, engine, sign_in  # noqa: F401
from staff_fixtures import _staff_templates  # noqa: F401

from geo.deck import FEATURE_LABEL_PX
from lib.briefing_date import last_briefing_date
from ui.wall_css import MAP_LABEL_PX, MIN_SHARE, REFERENCE_HEIGHT_PX


def html_text(at) -> str:
    return "\n".join(e.proto.body for e in at.get("html"))


def wall(at, **params):
    at.query_params["screen"] = "1"
    for k, v in params.items():
        at.query_params[k] = v
    return clean(at.run())


def test_overview_shows_the_alerts_strip(engine):
    at = sign_in(None, "overview")
    body = html_text(at)
    assert "gw-alerts" in body and "预警" in body
    assert "现场核查未办结" in body  # the seed has open checks


def _label_sizes(at) -> set:
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    return {lay["getSize"] for lay in spec["layers"] if lay["@@type"] == "TextLayer"}


def test_wall_map_names_are_sized_for_the_wall_and_desk_maps_keep_theirs(engine):
    """The wall passes MAP_LABEL_PX (≥ 2.2 % of the 1080-line reference; its CSS zoom scales it with the
    screen, tests/browser/test_wall.py); the overview page keeps the desk size."""
    assert _label_sizes(wall(sign_in(None), pause="1")) == {MAP_LABEL_PX}
    assert MAP_LABEL_PX >= MIN_SHARE * REFERENCE_HEIGHT_PX
    assert _label_sizes(sign_in(None, "overview")) == {FEATURE_LABEL_PX}


def test_pause_in_the_url_turns_the_toggle_on(engine):
    at = wall(sign_in(None), pause="1")
    assert at.toggle(key="screen.pause").value is True
    assert any("已暂停" in str(c.value) for c in at.caption)
    at.toggle(key="screen.pause").set_value(False).run()
    assert not any("已暂停" in str(c.value) for c in at.caption)


def test_leader_sets_the_last_briefing_date_on_the_wall(engine):
    at = wall(sign_in("boss"), pause="1")
    assert "上次汇报日期未设置" in html_text(at)
    at.date_input(key="screen.briefing_day").set_value(dt.date(2023, 11, 15))
    at.button(key="FormSubmitter:screen.briefing_form-保存上次汇报日期").click().run()
    clean(at)
    assert last_briefing_date(engine=engine) == dt.date(2023, 11, 15)
    assert any("已保存" in str(s.value) for s in at.success)
    body = html_text(at)
    assert "较上次汇报（2023年11月15日）" in body and "较2023年11月15日" in body
    # each key figure carries its source tag, as its card does (五星 is demo data), and the pack's words
    strip = body[body.index("gw-changes"):]
    assert re.search(r"五星达标 \d+颗</div><span class='gw-tag gw-tag-demo'[^>]*>示例</span>", strip), strip
    assert re.search(r"征迁已签约 62户</div><span class='gw-tag gw-tag-article'[^>]*>报道</span>", strip), strip
    # free beds: the article's 2 (2023-11-22) against the seed's demo record of that day (3 free) …
    assert "养老空床 2张" in strip and "较2023年11月15日 -1张（对比值为示例数据）（2023年11月22日）" in strip
    # … and 五星 is compared with the assessments that stood on that day (dated earlier; they stood until the next)
    assert re.search(r"较2023年11月15日 \+\d+颗（2023年11月22日）", strip), strip


def test_staff_cannot_set_it(engine):
    at = wall(sign_in("zx"), pause="1")
    assert not [d for d in at.date_input if d.key == "screen.briefing_day"]
    assert any("登录领导或街道管理员账号后可设置" in str(c.value) for c in at.caption)


def _chart_specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def test_every_wall_view_has_no_hover_help_and_no_english_chart_descriptions(engine):
    """Nobody can hover on a wall: no card carries a help tooltip; and Vega's English screen-reader
    descriptions ("X-axis titled …") are off on the wall's charts as on the pages' (config.aria false)."""
    charts = 0
    for view in ("总览", "五星支部", "示范社区", "征迁", "养老"):
        at = wall(sign_in(None), pause="1", view=view)
        helped = [m.label for m in at.metric if m.proto.help]
        assert not helped, f"{view}: 大屏上的卡片带有悬停说明 / hover help on the wall: {helped}"
        for spec in _chart_specs(at):
            charts += 1
            assert spec.get("config", {}).get("aria") is False, f"{view}: 图表仍有英文无障碍描述 / chart aria on"
            # and the wall's own sizes stay in the config (text from the window: the 2.2 % floor)
            assert "windowSize" in json.dumps(spec["config"].get("axis", {})), f"{view}: 坐标轴字号丢失 / axis sizes lost"
    assert charts >= 3, charts  # 五星, 征迁 and 养老 draw charts
