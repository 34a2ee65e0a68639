"""A figure made of other figures names the staff entry any of them names; a 「数据未更新」 alert cites the source of
the records on the date it names.

- After staff recorded WH-063 (华盛) 已签约, 已签约 alone read 「含示例 · 测试管理员 · …录入」 but 签约进度 63/78户 and
  未签约 15户, made from it, read only 「含示例」 on the overview, the PNG and the pack (`derived` looked for a name
  only on parts that were 录入 alone).
- After staff assessed 中兴's 幸福和谐星 dated 2023年10月15日, the alert said 「五星评定…最近一次2023年11月22日
  （含示例数据）」 though every record of 2023年11月22日 is demo data: the note was worked out over all records ever."""
from __future__ import annotations

import datetime as dt

from staff_fixtures import _staff_templates, world  # noqa: F401

from lib import alerts, writes
from lib.queries import relocation


def test_figures_made_of_a_named_mixed_count_name_its_entry(world):
    writes.record_household_step(world.admin, code="WH-063", status="已签约", on=dt.date(2024, 2, 20),
                                 engine=world.engine, today=world.today)
    h = relocation.headline(community="华盛", engine=world.engine)
    assert h.signed.author == "街道管理员"
    assert (h.progress().author, h.unsigned().author) == ("街道管理员", "街道管理员")
    assert h.progress().recorded_at == h.signed.recorded_at is not None


def _stale_stars(world, community: str) -> str:
    found = [a.text for a in alerts.alerts(community=community, engine=world.engine) if a.kind == "stale"
             and "五星评定" in a.text]
    assert len(found) == 1, found
    return found[0]


def test_a_stale_alert_cites_the_records_of_the_day_it_names(world):
    writes.record_star_assessment(world.admin, community="中兴", star="幸福和谐星", status="已达标", score=90,
                                  valid_from=dt.date(2023, 10, 15), engine=world.engine, today=world.today)
    assert _stale_stars(world, "中兴").endswith("最近一次2023年11月22日（示例数据）")


def test_a_stale_alert_on_a_day_of_staff_and_demo_records_says_both(world):
    writes.record_star_assessment(world.admin, community="中兴", star="幸福和谐星", status="已达标", score=90,
                                  valid_from=dt.date(2023, 11, 22), engine=world.engine, today=world.today)
    assert _stale_stars(world, "中兴").endswith("最近一次2023年11月22日（含示例数据）")


def test_a_demo_check_updated_by_staff_says_both(world):
    """A demo check (白庄 #9) whose status staff updated: its 整改逾期 and 未办结 alerts said 「（示例数据）」 and its row
    「来源 示例」, though the status that keeps it open is the staff member's entry."""
    from lib import panels
    from lib.scope import Scope

    writes.update_site_check(world.admin, 9, status="整改中", note="复查仍未整改", engine=world.engine,
                             today=world.today)
    texts = {a.kind: a.text for a in alerts.alerts(community="白庄", engine=world.engine)}
    assert texts["overdue"].endswith("（含示例数据）") and texts["open_checks"].endswith("（含示例数据）"), texts
    table, raw = panels.site_check_table(Scope.of("白庄"), open_only=True, signed_in=True, engine=world.engine)
    row = table[(raw["id"] == 9).to_numpy()].iloc[0]
    assert row["来源"] == "含示例" and row["状态"] == "整改中", row.to_dict()
    assert raw.loc[raw["id"] == 9, "status_by"].iloc[0] == "街道管理员"
    assert (table[(raw["id"] != 9).to_numpy()]["来源"] == "示例").all()
