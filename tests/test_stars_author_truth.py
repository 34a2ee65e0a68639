"""五星 figures credit the person and time of the same record, and an average over optional scores is never nan.

街道管理员 enters three of 中兴's stars on 2024-01-10; 中兴录入员 enters the other two on 2024-02-20 (no scores). The
card, its hover and the briefing named 街道管理员 with 中兴录入员's time (max(publisher) and max(recorded_at) taken
separately); the 五星 page showed 「五星平均得分 = nan分」."""
# ruff: noqa: F811 - pytest fixtures are imported and named as parameters
from __future__ import annotations

import datetime as dt
from unittest import mock

import kpi_cards
from staff_apptest import clean, engine  # noqa: F401 - engine is a fixture
from staff_fixtures import _staff_templates, world  # noqa: F401 - fixtures
from streamlit.testing.v1 import AppTest

from lib import clock, writes
from lib.auth import Actor
from lib.models import Star
from lib.panels import stars_figure
from lib.queries import stars as star_queries
from lib.queries.stars import star_counts
from lib.scope import Scope
from tests.test_pages_apptest import APP

STARS = [s.value for s in Star]
ADMIN = Actor("admin", "街道管理员", "街道管理员", None)
ZX = Actor("zx", "中兴录入员", "社区工作人员", "中兴")
ADMIN_AT = dt.datetime(2024, 1, 10, 2, 0)  # naive UTC: 10:00 China time
ZX_AT = dt.datetime(2024, 2, 20, 2, 0)


def _enter(engine, *, scores: bool = False, zx_too: bool = True) -> None:
    with mock.patch.object(clock, "now_utc", return_value=ADMIN_AT):
        for i, star in enumerate(STARS[:3]):
            writes.record_star_assessment(ADMIN, community="中兴", star=star, status="已达标",
                                          score=90 + i if scores else None, valid_from="2024-01-10", engine=engine,
                                          today=dt.date(2024, 1, 10))
    if not zx_too:
        return
    with mock.patch.object(clock, "now_utc", return_value=ZX_AT):
        for star in STARS[3:]:
            writes.record_star_assessment(ZX, community="中兴", star=star, status="创建中", valid_from="2024-02-20",
                                          engine=engine, today=dt.date(2024, 2, 20))


def test_two_people_the_newest_record_names_its_own_author_and_time_and_says_there_are_more(world):
    _enter(world.engine)
    for scope in (Scope("中兴"), Scope(None)):
        fig = stars_figure(scope, world.engine)
        assert fig.kind == ("staff" if scope.community else "mixed")  # 全街道: the other communities are demo data
        assert fig.recorded_at == ZX_AT
        assert fig.author == "中兴录入员等2人"  # the newest record's author, and that another's records count too
        assert fig.for_viewer(False).author == "工作人员"
    zx = stars_figure(Scope("中兴"), world.engine)
    assert zx.badge() == "录入 · 中兴录入员等2人 · 2024年2月20日录入"
    assert "录入：中兴录入员等2人，2024年2月20日 10:00" in zx.provenance()


def test_one_person_is_named_alone_with_that_records_time(world):
    _enter(world.engine, zx_too=False)
    fig = stars_figure(Scope("中兴"), world.engine)
    assert (fig.author, fig.recorded_at) == ("街道管理员", ADMIN_AT)
    row = star_counts(community="中兴", engine=world.engine).iloc[0]
    assert row["author"] == "街道管理员" and row["n"] == 5  # three entered, two demo


def test_average_score_is_over_scored_assessments_and_never_nan(world):
    _enter(world.engine)
    zx = star_counts(community="中兴", engine=world.engine)
    assert star_queries.average_score(zx) == ("无得分", "5项评定均未打分")
    _enter(world.engine, scores=True)  # the administrator scores three of them (90, 91, 92)
    zx = star_counts(community="中兴", engine=world.engine)
    assert star_queries.average_score(zx) == ("91.0分", "5项评定中3项有得分")
    everyone = star_counts(engine=world.engine)
    shown, note = star_queries.average_score(everyone)
    assert "nan" not in shown and note == f"{int(everyone['n'].sum())}项评定中{int(everyone['n'].sum()) - 2}项有得分"


def test_stars_page_shows_no_nan_average(engine):
    _enter(engine)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["community"] = "中兴"
    at.run()
    at.switch_page("pages/stars.py").run()
    clean(at)
    cards = {c["label"]: c["value"] for c in kpi_cards.grid_cards(at)}
    assert cards["五星平均得分 · 录入"] == "无得分", cards
    assert "nan" not in kpi_cards.grid_text(at) and "5项评定均未打分" in kpi_cards.grid_text(at)


def test_the_stars_figure_reads_the_staff_records_once(world):
    """The card's figure and its per-community counts share one read of the staff records (it was read twice)."""
    _enter(world.engine)
    calls: list[str | None] = []
    real = star_queries.staff_entries

    def counted(**kw):
        calls.append(kw.get("community"))
        return real(**kw)

    with mock.patch.object(star_queries, "staff_entries", counted):
        figure = stars_figure(Scope.of("中兴", dt.date(2024, 3, 1)), engine=world.engine)
    assert figure.author == "中兴录入员等2人" and calls == ["中兴"]
