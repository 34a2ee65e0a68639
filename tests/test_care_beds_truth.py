"""The bed count has its own source and date (audit 2, finding 2): the 养老 figures made of residents and beds carry
both sources, and a staff 床位 figure (care_beds) is the bed count from its date on, for every user of it: the
occupancy figure, the overview table, the daily series and its warning line, the write check 入住 ≤ 床位 and the
free-beds alert. Before any 床位 figure holds (the demo days before the article), the register's count is used,
cited as the article reported it (「报道于2023年11月22日」)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import event
from staff_apptest import engine, sign_in  # noqa: F401
from staff_fixtures import TODAY as WORLD_TODAY
from staff_fixtures import _staff_templates, world  # noqa: F401

import kpi_cards
from lib import alerts, ledger, writes
from lib.auth import Actor
from lib.briefing import collect_pack
from lib.db import session_scope
from lib.errors import ValidationError
from lib.ledger_kinds import KINDS
from lib.queries import care
from lib.writes.base import WriteContext
from lib.writes.community import plan_fact
from lib.writes.progress import plan_occupancy

D = dt.date
ARTICLE_DAY = D(2023, 11, 22)
BEDS_DAY = D(2024, 1, 5)  # 中兴录入员 records 床位 60张 from this day
CENTRE = "光武街道综合养老服务中心"
BEDS_QUOTE = "原文：“床位50张(目前入住老人48名)”"


def _care(pack) -> dict:
    return {f.label: f for p in pack.panels if p.key == "care" for f in p.figures}


STAFF = Actor("zx", "中兴录入员", "社区工作人员", "中兴")  # the seeded 中兴 account (tests/staff_fixtures.py)


def _beds_60(e, today=WORLD_TODAY) -> None:
    writes.record_fact(STAFF, label="床位", value="60", unit="张", source_title="区民政局床位备案",
                       subject="综合养老服务中心", valid_from=BEDS_DAY, engine=e, today=today)


def _occupancy(e, day: dt.date, n: int, today=WORLD_TODAY):
    return writes.record_occupancy(STAFF, facility=CENTRE, day=day, occupied=n, engine=e, today=today)


def test_pack_beds_row_cites_the_beds_figure_not_the_residents(world):
    rows = _care(collect_pack(community=None, last_briefing=None, engine=world.engine))
    beds = rows["床位"]
    assert (beds.value_text, beds.source_kind, beds.citation, beds.date) == ("50张", "报道", BEDS_QUOTE, ARTICLE_DAY)
    assert rows["入住"].citation == "原文：“目前入住老人48名”"
    for label in ("空床", "入住率", "入住/床位"):  # made of both: each part's words, never one record's alone
        assert rows[label].source_kind == "报道", label
        assert rows[label].citation == "原文：“目前入住老人48名”；“" + BEDS_QUOTE.removeprefix("原文：“"), label
        assert rows[label].date == ARTICLE_DAY


def test_pack_after_a_staff_residents_count_keeps_the_reported_beds(world):
    _occupancy(world.engine, BEDS_DAY, 45)
    rows = _care(collect_pack(community=None, last_briefing=None, engine=world.engine, signed_in=True))
    assert (rows["床位"].source_kind, rows["床位"].citation, rows["床位"].date) == ("报道", BEDS_QUOTE, ARTICLE_DAY)
    assert (rows["入住"].source_kind, rows["入住"].date) == ("录入", BEDS_DAY)
    for label in ("空床", "入住率"):  # 录入 residents, 报道 beds: several sources, the newer date
        assert (rows[label].source_kind, rows[label].date) == ("多来源", BEDS_DAY), label


def test_pack_on_a_demo_day_before_the_article(world):
    """Before the article the register's 50 beds still bound the demo residents, but a facility figure holds from
    its own date only (README): no 床位 row (it said 「床位 50张 示例」); the figures made of both are 含示例, dated
    by the residents' day."""
    rows = _care(collect_pack(community=None, as_of=D(2023, 11, 10), last_briefing=None, engine=world.engine))
    assert "床位" not in rows
    assert (rows["入住"].source_kind, rows["入住"].date) == ("示例", D(2023, 11, 10))
    for label, text in (("空床", "1张"), ("入住/床位", "49/50床")):
        row = rows[label]
        assert (row.value_text, row.source_kind, row.date, row.reported_later) == (text, "含示例", D(2023, 11, 10),
                                                                                  False), label
    beds = care.current_occupancy(facility="care_centre", as_of=D(2023, 11, 10), engine=world.engine).beds_figure
    assert (beds.kind, beds.citation, beds.holds_from, beds.reported_later) == ("article", "床位50张(目前入住老人48名)",
                                                                             ARTICLE_DAY, True)
    assert beds.badge() == "报道于2023年11月22日"


def test_a_staff_bed_count_holds_from_its_date_everywhere(world):
    e = world.engine
    _beds_60(e)
    with pytest.raises(ValidationError, match="超过光武街道综合养老服务中心的床位数 50"):
        _occupancy(e, BEDS_DAY - dt.timedelta(days=1), 52)  # the day before: still 50 beds
    assert _occupancy(e, D(2024, 1, 10), 52).inserted  # was refused: 「52 超过…床位数 50」
    occ = care.current_occupancy(facility="care_centre", engine=e)
    assert (occ.occupied, occ.beds, occ.free) == (52, 60, 8)
    assert (occ.beds_figure.kind, occ.beds_figure.holds_from, occ.beds_figure.author) == ("staff", BEDS_DAY,
                                                                                          "中兴录入员")
    _occupancy(e, D(2024, 1, 11), 50)
    row = care.occupancy_overview(free_beds_warning=3, engine=e).set_index("key").loc["care_centre"]
    assert (int(row["beds"]), int(row["free"]), bool(row["low_free"])) == (60, 10, False)
    assert not [a for a in alerts.alerts(community="中兴", engine=e) if a.kind == "free_beds"]  # was 空床0张
    rows = _care(collect_pack(community="中兴", last_briefing=None, engine=e, signed_in=True))
    assert (rows["床位"].value_text, rows["床位"].source_kind, rows["床位"].date) == ("60张", "录入", BEDS_DAY)
    assert rows["床位"].citation.startswith("录入：中兴录入员")
    assert (rows["空床"].value_text, rows["入住率"].value_text) == ("10张", "83%")


def test_the_series_and_its_warning_line_follow_the_bed_count_day_by_day(world):
    e = world.engine
    _beds_60(e)
    for day, n in ((D(2024, 1, 4), 49), (D(2024, 1, 5), 55), (D(2024, 1, 6), 58)):
        _occupancy(e, day, n)
    df = care.occupancy_watch(facility="care_centre", free_beds_warning=3, start=D(2024, 1, 4), engine=e)
    assert list(df["beds"]) == [50, 60, 60] and list(df["free"]) == [1, 5, 2]
    assert list(df["threshold"]) == [47, 57, 57] and list(df["low_free"]) == [True, False, True]
    # a day's residents are never shown above that day's beds; before the article the register's 50 holds
    early = care.occupancy_series(facility="care_centre", as_of=D(2023, 11, 10), engine=e)
    assert set(early["beds"]) == {50}


def test_the_series_reads_the_bed_counts_once_not_per_day(world):
    e = world.engine
    _beds_60(e)
    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731 - (conn, cursor, statement, …)
    event.listen(e, "before_cursor_execute", listen)
    try:
        df = care.occupancy_series(facility="care_centre", engine=e)
    finally:
        event.remove(e, "before_cursor_execute", listen)
    assert len(df) > 100 and len(statements) <= 4, statements


def test_the_eldercare_page_uses_the_staff_bed_count(engine):  # noqa: F811 - the imported fixture
    _beds_60(engine, today=D(2024, 3, 1))
    _occupancy(engine, D(2024, 1, 10), 52, today=D(2024, 3, 1))
    at = sign_in(None, "eldercare")
    cards = {c["label"]: c["value"] for c in kpi_cards.grid_cards(at)}
    assert cards["床位 · 录入"] == "60张" and cards["入住（2024年1月10日） · 录入"] == "52/60", cards
    assert [s.value for s in at.success] == ["入住率 87%：空床 8 张（预警值 3 张）。"] and not at.error


def test_a_bed_count_below_residents_already_recorded_is_refused(world):
    """The other side of 入住 ≤ 床位: a 床位 figure lower than residents recorded on a day it would hold for was
    stored (the page then capped the residents at the beds). Refused, naming the day and the count; nothing written."""
    e = world.engine
    _beds_60(e)
    _occupancy(e, D(2024, 1, 10), 55)
    with pytest.raises(ValidationError) as err:
        writes.record_fact(STAFF, label="床位", value="52", unit="张", source_title="区民政局床位备案",
                           subject="综合养老服务中心", valid_from=D(2024, 1, 8), engine=e, today=WORLD_TODAY)
    assert "2024年1月10日" in str(err.value) and "55" in str(err.value) and "床位" in str(err.value)
    assert care.facility_beds("care_centre", as_of=D(2024, 1, 10), engine=e).value == 60  # unchanged
    # a count from a later day than those residents, or one that still holds them, is fine
    writes.record_fact(STAFF, label="床位", value="52", unit="张", source_title="区民政局床位备案",
                       subject="综合养老服务中心", valid_from=D(2024, 1, 11), engine=e, today=WORLD_TODAY)
    writes.record_fact(STAFF, label="床位", value="55", unit="张", source_title="区民政局床位备案",
                       subject="综合养老服务中心", valid_from=D(2024, 1, 8), engine=e, today=WORLD_TODAY)
    assert care.facility_beds("care_centre", as_of=D(2024, 1, 10), engine=e).value == 55


def test_a_bed_count_and_residents_written_at_once_never_disagree(world, monkeypatch):
    """A residents writer reads the bed count, then (slowly) stores 55; a bed-count writer of 52 for the same days
    commits meanwhile. Without a shared turn both were stored (residents above the beds); now the second waits
    for the first and is refused."""
    import threading
    import time

    from lib.errors import DashboardError

    e = world.engine
    _beds_60(e)
    read = threading.Event()
    slow = care.beds_on

    def beds_on_then_pause(*args, **kwargs):
        out = slow(*args, **kwargs)
        if threading.current_thread().name == "residents":
            read.set()
            time.sleep(1.0)
        return out

    monkeypatch.setattr(care, "beds_on", beds_on_then_pause)
    results = {}

    def residents():
        try:
            results["residents"] = _occupancy(e, D(2024, 1, 10), 55).message
        except DashboardError as exc:
            results["residents"] = exc.message

    def beds():
        read.wait(10)
        try:
            results["beds"] = writes.record_fact(STAFF, label="床位", value="52", unit="张", source_title="备案",
                                                 subject="综合养老服务中心", valid_from=D(2024, 1, 8), engine=e,
                                                 today=WORLD_TODAY).message
        except DashboardError as exc:
            results["beds"] = exc.message

    threads = [threading.Thread(target=residents, name="residents"), threading.Thread(target=beds, name="beds")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert "不能小于" in results["beds"], results
    assert care.facility_beds("care_centre", as_of=D(2024, 1, 10), engine=e).value == 60


def test_the_care_page_tags_residents_over_beds_with_both_sources(engine):  # noqa: F811 - the imported fixture
    """「49/50」 on the 养老 page after a staff entry read 「录入」 only, while 50 is the article's (the overview said
    多来源); before the article, 「46/50」 read 「示例」. The card is the two records' figure, as the overview's."""
    import kpi_cards
    from staff_apptest import APP, clean
    from streamlit.testing.v1 import AppTest

    _occupancy(engine, dt.date(2023, 12, 1), 49, today=dt.date(2023, 12, 1))

    def cards(**query) -> dict[str, str]:
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        return kpi_cards.cards(clean(at.switch_page("pages/eldercare.py").run()))

    assert cards()["入住（2023年12月1日） · 多来源"] == "49/50"
    assert cards(as_of="2023-10-15")["入住（2023年10月15日） · 含示例"] == "46/50"


def _statements(e, run) -> list[str]:
    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731 - (conn, cursor, statement, …)
    event.listen(e, "before_cursor_execute", listen)
    try:
        run()
    finally:
        event.remove(e, "before_cursor_execute", listen)
    return statements


def test_a_ledger_of_daily_residents_reads_the_facility_and_beds_once_not_per_row(world):
    """A year of a facility's daily residents is one ledger. Its dry run read the facility list, the community's
    name and the bed counts again for every row (13 statements a row, 7 ms of CPU a row on a slow machine), so a
    valid 1000-row file ran past UPLOAD_READ_SECONDS and was refused 「预检 4 秒后仅完成 544 行」. Now a row costs
    its own reads and writes only: the day's stored row, the day before it, the row, its key and its audit."""
    def ledger_of(n: int) -> bytes:
        rows = [[CENTRE, D(2022, 1, 1) + dt.timedelta(days=i), 40] for i in range(n)]
        return ledger.template_xlsx("每日入住", rows=pd.DataFrame(rows, columns=KINDS["每日入住"].headers))

    def run(n: int) -> list[str]:
        return _statements(world.engine, lambda: ledger.read_ledger(ledger_of(n), "入住.xlsx", "每日入住", actor=STAFF,
                                                                    engine=world.engine, today=WORLD_TODAY))

    small, large = run(10), run(110)
    per_row = (len(large) - len(small)) / 100
    assert per_row <= 7, per_row  # the SAVEPOINT and its RELEASE are two of them
    facility_reads = [s for s in large if s.lstrip().startswith("SELECT") and "FROM care_facility" in s]
    assert len(facility_reads) <= 2, facility_reads  # the facility list and its register count, once each


def test_a_bed_count_written_earlier_in_the_same_transaction_is_read_again(world):
    """What a transaction remembers (WriteContext.remembered) is forgotten when it writes to what was read: a 床位
    figure stored after a residents check lets the next check use the new count, not the one read before."""
    with session_scope(world.engine) as s:
        ctx = WriteContext(s, STAFF, today=WORLD_TODAY)
        ctx.apply(plan_occupancy(ctx, facility=CENTRE, day=BEDS_DAY, occupied=40))  # checked against 50 beds
        with pytest.raises(ValidationError, match="床位数 50"):
            plan_occupancy(ctx, facility=CENTRE, day=BEDS_DAY + dt.timedelta(days=1), occupied=55)
        ctx.apply(plan_fact(ctx, label="床位", value="60", unit="张", source_title="区民政局床位备案",
                            subject="综合养老服务中心", valid_from=BEDS_DAY))
        after = ctx.apply(plan_occupancy(ctx, facility=CENTRE, day=BEDS_DAY + dt.timedelta(days=1), occupied=55))
    assert after.inserted
    assert care.facility_beds("care_centre", as_of=BEDS_DAY + dt.timedelta(days=1), engine=world.engine).value == 60
