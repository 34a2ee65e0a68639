"""lib.scope (names, labels, file names) and lib.figures (tags, dates, comparisons), without a database."""
from __future__ import annotations

import datetime as dt

import pytest

from lib.errors import NotFound
from lib.figures import Figure, compare, from_row
from lib.scope import Scope, full_name, short_name

D = dt.date


@pytest.mark.parametrize(("raw", "short"), [("中兴", "中兴"), ("中兴社区", "中兴"), (" 中兴社区 ", "中兴"), ("", None),
                                            (None, None), ("全街道", None), ("光武街道", None)])
def test_names_are_normalised_once(raw, short):
    assert short_name(raw) == short
    assert Scope.of(raw).community == short


def test_scope_validates_labels_and_names_files():
    known = ["中兴", "华盛"]
    assert Scope.of("华盛社区", known=known) == Scope("华盛")
    with pytest.raises(NotFound, match="未找到社区「西湖社区」"):
        Scope.of("西湖社区", known=known)
    assert (Scope().label, Scope("中兴").label, full_name("中兴")) == ("全街道", "中兴社区", "中兴社区")
    assert Scope("中兴").title == "光武街道 · 中兴社区"
    assert Scope("中兴").file_stem("简报", D(2026, 12, 5)) == "光武街道-中兴社区-简报-2026-12-05"
    assert Scope().file_stem("简报", D(2026, 12, 5)) == "光武街道-全街道-简报-2026-12-05"


def _fig(kind, value, day, **kw):
    return from_row({"label": "已签约", "display": f"{value}户", "value": value, "source_kind": kind,
                     "valid_from": day, **kw})


def test_tags_say_source_who_when_and_own_date():
    article = _fig("article", 62, D(2023, 11, 22), quote="已签订协议62户")
    staff = _fig("staff", 65, D(2026, 12, 5), source_publisher="中兴录入员",
                 recorded_at=dt.datetime(2026, 12, 4, 17, 30))  # 01:30 on 12-05 China time
    demo = _fig("demo", 60, D(2023, 11, 15))
    assert (article.tag, staff.tag, demo.tag) == ("报道", "录入", "示例")
    assert len({article.color, staff.color, demo.color}) == 3  # told apart at a glance
    assert article.badge(D(2023, 11, 22)) == "报道"
    assert article.badge(D(2026, 12, 5)) == "报道 · 2023年11月22日"  # its own date, not the header's
    assert staff.badge(D(2026, 12, 5)) == "录入 · 中兴录入员 · 2026年12月5日录入"
    assert staff.for_viewer(False).badge(D(2026, 12, 5)) == "录入 · 工作人员 · 2026年12月5日录入"
    assert "原文：“已签订协议62户”" in article.provenance()
    later = _fig("article", 8.15, D(2023, 11, 22), reported_later=True)
    assert later.badge(D(2023, 9, 23)) == "报道于2023年11月22日"


def test_comparisons_name_both_dates_and_say_when_there_is_no_data():
    now = _fig("staff", 65, D(2026, 12, 5))
    same_day = compare(now, _fig("demo", 62, D(2026, 11, 28)), D(2026, 11, 28), unit="户")
    assert (same_day.text, same_day.has_data) == ("+3户", True)
    assert same_day.sentence == "2026年12月5日 65户，较2026年11月28日 62户（对比值为示例数据）：+3户。"
    stale = compare(now, _fig("article", 65, D(2023, 11, 22)), D(2026, 11, 28), unit="户")
    assert stale.text is None and not stale.has_data  # never 「持平」 against a day without data
    assert stale.sentence == ("2026年12月5日 65户；对比日2026年11月28日无数据；此前最近的数字为2023年11月22日的65户，"
                              "不作比较。")
    assert compare(now, None, D(2026, 11, 28)).sentence.endswith("对比日2026年11月28日无数据，不作比较。")
    flat = compare(now, _fig("staff", 65, D(2026, 11, 28)), D(2026, 11, 28), unit="户")
    assert flat.flat and flat.sentence.endswith("：持平。")
    # a count over a complete record of steps is known on every day after its date (the 征迁 households)
    from dataclasses import replace

    counted = replace(_fig("demo", 62, D(2023, 11, 15)), continuous=True)
    since = compare(now, counted, D(2026, 11, 28), unit="户")
    assert (since.text, since.has_data) == ("+3户", True)
    assert compare(now, replace(counted, holds_from=D(2026, 11, 29)), D(2026, 11, 28)).text is None  # later: no


def test_mixed_kinds_are_not_called_one_kind():
    assert Figure("五星达标", "30/55颗", "mixed").tag == "含示例"
    assert Figure("五星达标", "30/55颗", "mixed").is_demo


@pytest.mark.parametrize(("day", "shown"), [
    (None, None), (D(2023, 11, 22), D(2023, 11, 22)), (D(2026, 12, 4), D(2026, 12, 4)),
    (D(2026, 12, 5), None), (D(2026, 12, 6), None), (D(2030, 1, 1), None)])
def test_a_look_back_date_is_a_past_day_or_the_latest_state(day, shown):
    from lib.scope import look_back
    assert look_back(day, today=D(2026, 12, 5)) == shown


def test_a_figure_unchanged_since_the_comparison_day_does_not_name_its_date_twice():
    """The 征迁 page's default comparison (7 days before the latest data) can fall on the very day the shown count
    dates from: 「2023年11月15日 62户，较2023年11月15日 62户：持平」 read as a comparison of a day with itself."""
    from dataclasses import replace

    counted = replace(_fig("demo", 62, D(2023, 11, 15)), continuous=True)
    delta = compare(counted, counted, D(2023, 11, 15), unit="户")
    assert delta.flat and delta.has_data
    assert delta.sentence == "2023年11月15日以来为 62户，对比日2023年11月15日相同：持平。"
    assert delta.brief == "较2023年11月15日 持平"
    later = compare(counted, counted, D(2023, 11, 18), unit="户")  # unchanged since before the comparison day
    assert later.sentence == "2023年11月15日以来为 62户，对比日2023年11月18日相同：持平。"
    assert later.brief == "较2023年11月18日 持平"


def test_a_change_from_an_approximate_figure_is_not_given_false_precision():
    """「6100余平方米」 against the demo curve's 4643.1 was printed 「+1456.9平方米」 in the pack: a precision the article's
    「余」 does not have. A figure with a qualifier (余、多、超过、约) is approximate, and so is its change."""
    from dataclasses import replace

    article = _fig("article", 6100, D(2023, 11, 22), qualifier="余", unit="平方米", display="6100余平方米")
    assert article.approximate and not _fig("article", 62, D(2023, 11, 22)).approximate
    before = replace(_fig("demo", 4643.1, D(2023, 11, 15), unit="平方米", display="4643.1平方米"), continuous=True)
    delta = compare(article, before, D(2023, 11, 15), unit="平方米")
    assert delta.text == "+1457平方米（约）", delta.text
    assert delta.sentence.endswith("：+1457平方米（约）。"), delta.sentence
    fewer = compare(before, replace(article, continuous=True), D(2023, 11, 22), unit="平方米")
    assert fewer.text == "-1457平方米（约）" and not fewer.flat
    exact = compare(_fig("staff", 65, D(2023, 11, 22)), _fig("staff", 62, D(2023, 11, 15)), D(2023, 11, 15), unit="户")
    assert exact.text == "+3户"


def test_the_pack_prints_an_approximate_change_as_approximate(app_db):
    """The briefing pack rebuilds each printed figure for the comparison: it must keep the figure approximate."""
    from lib.briefing import collect_pack

    pack = collect_pack(community=None, last_briefing=D(2023, 11, 15))
    area = next(f for p in pack.panels for f in p.figures if f.label == "累计拆除面积")
    assert area.value_text == "6100余平方米"
    assert "（约）" in area.delta_text and "1456.9" not in area.delta_text, area.delta_text
