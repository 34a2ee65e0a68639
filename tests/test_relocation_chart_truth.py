"""The 征迁 page's burn-up chart counts the household records, and says so: its heading names them, a figure the
records dispute is warned about beside the chart as above it, and the 「示例数据按报道总数校准」 line is said only
while the records are demo data (an administrator's real household register is not 「示例」).

The disputed figure is made as in tests/test_warning_everywhere.py: 华盛录入员 records WH-063 已签约 back-dated to
2023-11-20, so the records say 63 signed on the article's day while the article says 62.
"""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import update
from staff_apptest import clean, engine, sign_in  # noqa: F401 - fixtures
from staff_fixtures import _staff_templates, world  # noqa: F401 - fixtures

from lib import data_version, writes
from lib.auth import Actor
from lib.models import Source
from lib.queries import relocation
from shown_text import texts

HS = Actor("hs", "华盛录入员", "社区工作人员", "华盛")
CALIBRATED = "示例数据按报道总数校准"


def _section(at) -> list[str]:
    """What the page says, in order, from the chart's heading to the next section's (「逐户状态」)."""
    flat = _walk(at.main)
    head = next(i for i, t in enumerate(flat) if "累计进度" in t)
    end = next(i for i, t in enumerate(flat) if t.startswith("逐户状态"))
    return flat[head:end]


def _walk(node) -> list[str]:
    out = []
    for child in getattr(node, "children", {}).values():
        value = getattr(child, "value", None)
        if isinstance(value, str):
            out.append(texts([child])[0])
        out += _walk(child)
    return out


def test_the_chart_heading_names_the_household_records(engine):  # noqa: F811 - the imported fixture
    section = _section(sign_in(None, "relocation"))
    assert "逐户记录" in section[0], section
    assert any(CALIBRATED in t for t in section), section  # the seeded records are demo data
    assert not any("不一致" in t for t in section), section  # the records agree with the article today


def test_a_disputed_figure_is_warned_about_beside_the_chart(engine):  # noqa: F811 - the imported fixture
    result = writes.record_household_step(HS, code="WH-063", status="已签约", on=dt.date(2023, 11, 20), engine=engine)
    assert result.inserted, result.message
    warning = relocation.headline(engine=engine).signed.warning
    assert warning and "63户" in warning
    at = sign_in(None, "relocation")
    assert any(warning in t for t in _section(at)), _section(at)


def test_real_household_records_are_not_called_calibrated_demo_data(engine):  # noqa: F811 - the imported fixture
    """An administrator replaced the demo register with the real one (here: the demo source relabelled)."""
    with engine.begin() as conn:
        conn.execute(update(Source).where(Source.kind == "demo").values(kind="survey"))
    section = _section(sign_in(None, "relocation"))
    assert not any(CALIBRATED in t for t in section), section


def _wall_reloc(at) -> str:
    at.query_params["screen"] = "1"
    at.query_params["pause"] = "1"
    at.query_params["view"] = "征迁"
    at = clean(at.run())
    return "\n".join(str(e.proto.body) for e in at.get("html"))


def test_the_walls_curves_name_the_records_source(engine):  # noqa: F811 - the imported fixture
    """示例 while every household record is demo data; 含示例 once a staff step is among them (it was 示例)."""
    trend = "累计进度（逐户记录，虚线为涉迁户总数）<span class='gw-tag gw-tag-{}'"
    body = _wall_reloc(sign_in(None))
    assert trend.format("demo") in body, body[-2000:]
    result = writes.record_household_step(HS, code="WH-063", status="已签约", on=dt.date(2023, 11, 20), engine=engine)
    assert result.inserted, result.message
    data_version.forget()  # written beside the app, not through it: read the version now, not within POLL_SECONDS
    body = _wall_reloc(sign_in(None))
    assert trend.format("mixed") in body, re.findall(r"累计进度.{0,80}|gw-tag gw-tag-\w+|暂时无法显示[^<]*", body)
    assert re.search(r"签约 <b>\d+</b>户 · 目标 <b>[^<]+</b> <span class='gw-tag gw-tag-mixed'", body), body[-2000:]


def test_the_packs_curve_says_what_it_counts(engine):  # noqa: F811 - the imported fixture
    """The PDF's 征迁 chart is drawn from the household records too: its panel note says so, with their source."""
    from lib.briefing import collect_pack
    panel = next(p for p in collect_pack(community=None, engine=engine).panels if p.key == "relocation")
    assert "累计进度曲线按逐户记录计（示例数据）" in panel.note, panel.note
    writes.record_household_step(HS, code="WH-063", status="已签约", on=dt.date(2023, 11, 20), engine=engine)
    panel = next(p for p in collect_pack(community=None, engine=engine).panels if p.key == "relocation")
    assert "累计进度曲线按逐户记录计（多种来源（含示例数据））" in panel.note, panel.note


def test_a_community_without_household_records_is_not_said_to_have_no_households(engine):  # noqa: F811
    """The article never says where its 78 households live; the demo register puts them in one community. The pack of
    another community said 「中兴社区没有文化路北延涉迁户」 as a fact: it says what the records hold, with their source."""
    from lib.briefing import collect_pack
    panel = next(p for p in collect_pack(community="中兴", engine=engine).panels if p.key == "relocation")
    assert panel.note.startswith("逐户记录中没有登记在中兴社区的涉迁户，本页为全街道的征迁进度。"), panel.note
    assert "累计进度曲线按逐户记录计（示例数据）" in panel.note and "中兴社区没有文化路北延涉迁户" not in panel.note


def test_the_packs_care_curve_names_its_records_source(engine):  # noqa: F811 - the imported fixture
    """The PDF's 养老 curve is 90 days of daily records, demo data but for the article's day: its note said only
    「最近 90 天每日入住；…」. It names the records' source, as the 征迁 curve does."""
    from lib.briefing import collect_pack
    panel = next(p for p in collect_pack(community=None, engine=engine).panels if p.key == "care")
    assert "每日入住曲线按逐日记录计（多种来源（含示例数据））" in panel.note, panel.note
