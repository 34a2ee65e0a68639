"""「较上次汇报」: the wall's strip of key figures and the briefing pack (PDF and Excel) state a figure's change since
the last briefing date by one rule (lib.figures.compare), with the same words, the same source tag and the same
unit; and a change measured against demo data says so wherever it is printed (as the pages already did)."""
from __future__ import annotations

import datetime as dt

import pytest

from lib.briefing import collect_pack
from lib.briefing_date import key_figure_changes

D = dt.date
DEMO_BASELINE = "对比值为示例数据"
# The wall's key figure -> the pack's panel and the labels of the same figure there (全街道 / one community).
SAME_FIGURE = {
    "五星达标": ("stars", {"各社区已达标星数合计", "已达标星数"}),
    "命名示范社区": ("model", {"已命名示范社区"}),
    "征迁已签约": ("relocation", {"已签约"}),
    "养老空床": ("care", {"空床"}),
}
# The seed's dates: the first 五星 evaluation (2023-09-30), the naming (2023-09-23), a day between records, a day with
# a demo occupancy record but no article figure (2023-11-20), the article's day, and a day before everything.
BRIEFING_DAYS = [D(2022, 6, 1), D(2023, 9, 23), D(2023, 9, 30), D(2023, 10, 15), D(2023, 11, 20), D(2023, 11, 22)]


def _pack_figure(pack, panel: str, labels: set[str]):
    return next((f for p in pack.panels if p.key == panel for f in p.figures if f.label in labels), None)


@pytest.mark.parametrize("on", BRIEFING_DAYS, ids=str)
@pytest.mark.parametrize("community", [None, "中兴"], ids=["全街道", "中兴"])
def test_wall_and_pack_state_the_same_change(seeded, community, on):
    wall = {k.label: k for k in key_figure_changes(community=community, on=on, engine=seeded)}
    pack = collect_pack(community=community, last_briefing=on, engine=seeded)
    matched = 0
    for label, (panel, labels) in SAME_FIGURE.items():
        printed, shown = _pack_figure(pack, panel, labels), wall.get(label)
        if printed is None or shown is None:
            continue
        matched += 1
        assert shown.change.brief == printed.delta_text, label
        assert shown.figure.tag == printed.source_kind, label
        assert shown.figure.value == printed.value and shown.figure.unit == printed.unit, label
    assert matched >= (4 if community is None else 2)


def test_a_star_count_compares_with_the_state_that_stood_on_the_day(seeded):
    """The 五星 assessments that stood on 2023-10-15 are dated 2023-09-30, and they stood until the next ones: the
    wall said 「2023年10月15日无数据」 while the pack for 2023-10-15 printed 16 stars. A count over a complete record
    of assessments (or of 示范社区 statuses) is compared with the state of that day, on the wall as in the pack."""
    on = D(2023, 10, 15)
    changes = {k.label: k for k in key_figure_changes(on=on, engine=seeded)}
    stars = changes["五星达标"]
    then = collect_pack(community=None, as_of=on, last_briefing=None, engine=seeded)
    stood = next(f for f in then.figures if f.label == "各社区已达标星数合计")
    assert stars.change.has_data and stars.change.sentence.startswith(f"2023年11月22日 {stars.figure.display}，较"
                                                                     f"2023年10月15日 {stood.value:g}颗")
    assert stars.figure.tag == "示例"
    named = changes["命名示范社区"]
    assert named.change.has_data and named.change.brief == "较2023年10月15日 持平"
    # before the first assessment there is still no data
    assert not next(k for k in key_figure_changes(on=D(2022, 1, 1), engine=seeded)
                    if k.label == "五星达标").change.has_data


def test_relocation_before_any_record_is_no_data_not_a_change(seeded):
    """Before the first relocation record there is no relocation figure: the pack printed 「+62户」 since 2023-10-15
    (against a demo count of zero households) while the wall said there was no data."""
    on = D(2023, 10, 15)
    pack = collect_pack(community=None, last_briefing=on, engine=seeded)
    for label in ("涉迁户", "已签约"):
        printed = _pack_figure(pack, "relocation", {label})
        assert printed.delta_text == "2023年10月15日无数据", label
    before = collect_pack(community=None, as_of=on, last_briefing=None, engine=seeded)
    relocation = next(p for p in before.panels if p.key == "relocation")
    assert relocation.figures == [] and "尚无征迁记录" in relocation.note


def test_a_change_against_demo_data_says_so_in_the_pack(seeded):
    """The article's 48 residents (2023-11-22) against the demo record of 2023-11-15: the 养老 page says
    「（对比值为示例数据）」; the pack printed the bare 「+1人」."""
    pack = collect_pack(community=None, last_briefing=D(2023, 11, 15), engine=seeded)
    occupied = _pack_figure(pack, "care", {"入住"})
    assert occupied.source_kind == "报道"
    assert DEMO_BASELINE in occupied.delta_text and occupied.delta_text.startswith("较2023年11月15日 ")
    # demo against demo is a change within the demo data: its own tag says 示例, no note
    stars = _pack_figure(collect_pack(community=None, last_briefing=D(2023, 9, 30), engine=seeded), "stars",
                         {"各社区已达标星数合计"})
    assert stars.source_kind == "示例" and stars.delta_text == "较2023年9月30日 +5颗（2023年11月22日）"
