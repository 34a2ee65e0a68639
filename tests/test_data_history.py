"""As-of behaviour, the demo flag, idempotent seeding and append-only history, on both backends."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import func, select

from lib.db import session_scope
from lib.models import Fact, StarAssessment
from lib.queries import facts as fq
from lib.queries.care import current_occupancy, occupancy_series
from lib.queries.communities import data_as_of
from lib.queries.model_communities import model_status
from lib.queries.relocation import burnup, headline, household_status, status_counts
from lib.queries.stars import star_counts, star_matrix, star_progress
from lib.seed import seed

D = dt.date


@pytest.mark.parametrize(("as_of", "named"), [
    (D(2023, 9, 22), []),
    (D(2023, 9, 23), ["大官庄", "中兴", "工业路", "西华"]),
    (None, ["大官庄", "中兴", "工业路", "西华"]),
])
def test_model_status_as_of(seeded, as_of, named):
    df = model_status(as_of=as_of, engine=seeded)
    assert df[df["status"] == "已命名示范社区"]["community"].tolist() == named
    if as_of == D(2023, 9, 22):
        assert df.set_index("community").loc["中兴", "status"] == "创建中"


def test_before_any_data_nothing_is_shown(seeded):
    assert model_status(as_of=D(2022, 12, 31), engine=seeded).empty
    early = fq.facts(as_of=D(2022, 12, 31), engine=seeded)  # README: only the subdistrict's standing profile,
    assert set(early["subject"]) == {"光武街道"} and early["reported_later"].all()  # flagged as reported later
    assert "model_communities_named" not in set(early["indicator"]) and len(early) == 10
    assert data_as_of(as_of=D(2022, 12, 31), engine=seeded) is None


def test_data_as_of_is_article_date(seeded):
    assert data_as_of(engine=seeded) == D(2023, 11, 22)
    assert data_as_of(as_of=D(2023, 10, 1), engine=seeded) == D(2023, 10, 1)  # daily occupancy
    assert data_as_of(as_of=D(2022, 12, 31), engine=seeded) is None


@pytest.mark.parametrize(("as_of", "signed", "demolished"), [
    (D(2023, 11, 5), 0, 0),
    (D(2023, 11, 21), 62, 36),
    (D(2023, 11, 22), 62, 40),
])
def test_household_ladder_as_of(seeded, as_of, signed, demolished):
    counts = status_counts(as_of=as_of, engine=seeded)
    assert sum(counts.values()) == 78
    assert counts["已签约"] + counts["已交钥匙"] + counts["已拆除"] == signed
    assert counts["已拆除"] == demolished


def test_demo_households_agree_with_article_totals(seeded):
    hh = household_status(engine=seeded)
    assert len(hh) == 78 and hh["is_demo"].all()
    assert hh["code"].str.fullmatch(r"WH-\d{3}").all(), "anonymised codes only"
    b = burnup(engine=seeded)
    last = b.iloc[-1]
    assert (last["已签约"], last["总户数"]) == (62, 78)
    assert 6100 <= last["拆除面积"] < 6200, "demo area must agree with 「6100余平方米」"
    day = b.set_index("date")
    assert 600 <= day.loc[D(2023, 11, 22), "拆除面积"] - day.loc[D(2023, 11, 21), "拆除面积"] < 700
    assert b["已签约"].is_monotonic_increasing and b["拆除面积"].is_monotonic_increasing


def test_headline_before_article_date_is_demo(seeded):
    h = headline(as_of=D(2023, 11, 15), engine=seeded)
    assert h.signed.is_demo and h.signed.kind == "demo" and h.signed.tag == "示例"
    assert h.total.value == 78


def test_star_results_are_flagged_demo(seeded):
    m = star_matrix(engine=seeded)
    assert len(m) == 55 and m["is_demo"].all()
    assert set(m["status"]) <= {"已达标", "创建中", "未启动"}
    counts = star_counts(engine=seeded)
    assert len(counts) == 11 and counts["stars"].between(0, 5).all()
    progress = star_progress(engine=seeded)
    assert (progress[["已达标", "创建中", "未启动"]].sum(axis=1) == 55).all()
    assert progress["已达标"].is_monotonic_increasing


def test_star_matrix_as_of_uses_older_assessment(seeded):
    early = star_matrix(as_of=D(2023, 4, 1), engine=seeded)
    assert set(early["valid_from"]) == {D(2023, 3, 31)}


def test_occupancy_never_above_capacity_and_flagged(seeded):
    s = occupancy_series(facility="care_centre", engine=seeded)
    assert (s["occupied"] <= s["beds"]).all() and (s["free"] >= 0).all()
    assert s.iloc[-1]["occupied"] == 48 and not s.iloc[-1]["is_demo"]
    assert s.iloc[:-1]["is_demo"].all()
    earlier = current_occupancy(facility="care_centre", as_of=D(2023, 6, 1), engine=seeded)
    assert earlier.day == D(2023, 6, 1) and earlier.is_demo


def test_reseed_is_idempotent(seeded):
    with session_scope(seeded) as s:
        before = s.scalar(select(func.count()).select_from(Fact)), s.scalar(
            select(func.count()).select_from(StarAssessment))
    added = seed(seeded)
    assert sum(added.values()) == 0
    with session_scope(seeded) as s:
        after = s.scalar(select(func.count()).select_from(Fact)), s.scalar(
            select(func.count()).select_from(StarAssessment))
    assert before == after


def test_changed_figure_is_appended_not_overwritten(empty_engine, monkeypatch):
    seed(empty_engine, with_demo=False)
    import lib.seed as seed_mod

    original = seed_mod._csv

    def patched(name):
        rows = original(name)
        if name == "facts.csv":
            for r in rows:
                if r["indicator"] == "relocation_signed":
                    r["value"] = "63"
        return rows

    monkeypatch.setattr(seed_mod, "_csv", patched)
    added = seed(empty_engine, with_demo=False)
    assert added["fact"] == 1
    with session_scope(empty_engine) as s:
        values = s.scalars(select(Fact.value).where(Fact.indicator == "relocation_signed").order_by(Fact.id)).all()
    assert values == [62, 63]
    assert headline(engine=empty_engine).signed.value == 63


@pytest.mark.parametrize("as_of", [None, D(2023, 11, 5), D(2023, 11, 21)])
def test_household_pages_agree_with_counts(seeded, as_of):
    """Paging in the database (by code) covers every household exactly once, and agrees with the
    counts aggregated in the database and with the burn-up's total."""
    whole = household_status(as_of=as_of, engine=seeded)
    pages = [household_status(as_of=as_of, limit=25, offset=o, engine=seeded) for o in range(0, 100, 25)]
    assert [len(p) for p in pages] == [25, 25, 25, 3]
    assert list(pd.concat(pages)["code"]) == list(whole["code"]) == sorted(whole["code"])
    counts = status_counts(as_of=as_of, engine=seeded)
    assert counts == {s: int((whole["status"] == s).sum()) for s in counts}
    assert household_status(community="华盛", as_of=as_of, limit=10, engine=seeded)["community"].eq("华盛").all()
    assert household_status(community="中兴", as_of=as_of, limit=10, engine=seeded).empty


def test_household_status_is_the_newest_record_of_the_latest_step(empty_engine):
    """A correction recorded later for the same day wins; a step after as_of does not count."""
    from lib.db import session_scope
    from lib.models import Household, HouseholdEvent
    from lib.seed import seed

    seed(empty_engine)
    with session_scope(empty_engine) as s:
        hid = s.scalar(select(Household.id).where(Household.code == "WH-078"))
        src = s.scalar(select(HouseholdEvent.source_id).where(HouseholdEvent.household_id == hid).limit(1))
        s.add_all([
            HouseholdEvent(household_id=hid, status="已签约", valid_from=D(2023, 12, 1), source_id=src,
                           recorded_at=dt.datetime(2023, 12, 1, 9)),
            HouseholdEvent(household_id=hid, status="已交钥匙", valid_from=D(2023, 12, 1), source_id=src,
                           recorded_at=dt.datetime(2023, 12, 1, 17)),  # the same day, recorded later: wins
            HouseholdEvent(household_id=hid, status="已拆除", valid_from=D(2023, 12, 9), source_id=src,
                           recorded_at=dt.datetime(2023, 12, 2, 9)),  # recorded early, valid later
        ])
    row = lambda when: household_status(as_of=when, engine=empty_engine).set_index("code").loc["WH-078"]  # noqa: E731
    assert (row(D(2023, 12, 5))["status"], row(D(2023, 12, 5))["since"]) == ("已交钥匙", D(2023, 12, 1))
    assert row(D(2023, 12, 9))["status"] == "已拆除"
    assert status_counts(as_of=D(2023, 12, 5), engine=empty_engine)["已交钥匙"] == \
        int((household_status(as_of=D(2023, 12, 5), engine=empty_engine)["status"] == "已交钥匙").sum())


def test_the_header_date_counts_site_checks(seeded):
    """白庄 on 2023年10月15日: the header said 「最新数据 2023年9月30日」 above a check registered that day (17:00
    China time) — the stamp did not count site checks. A check counts on its China day, up to the look-back day."""
    assert data_as_of(as_of=D(2023, 10, 15), community="白庄", engine=seeded) == D(2023, 10, 15)
    assert data_as_of(as_of=D(2023, 10, 14), community="白庄", engine=seeded) == D(2023, 9, 30)
