"""Every figure the article gives is in the data layer, with its citation, not flagged as demo."""
from __future__ import annotations

import datetime as dt

import pytest

from lib.queries import facts as fq
from lib.queries import stars as sq
from lib.queries.care import current_occupancy, facilities
from lib.queries.communities import community_names, subdistrict_overview
from lib.queries.model_communities import model_status
from lib.queries.relocation import headline, milestones

ARTICLE_DATE = dt.date(2023, 11, 22)

# (subject, indicator, value, unit, qualifier, display)
ARTICLE_FIGURES = [
    ("光武街道", "area_km2", 8.5, "平方公里", "", "8.5平方公里"),
    ("光武街道", "registered_population", 49600, "人", "", "4.96万人"),
    ("光武街道", "resident_population", 81500, "人", "", "8.15万人"),
    ("光武街道", "served_population", 100000, "人", "超过", "超过10万人"),
    ("光武街道", "resident_units", 62, "个", "", "62个"),
    ("光武街道", "wholesale_markets", 11, "个", "", "11个"),
    ("光武街道", "registered_enterprises", 3847, "家", "", "3847家"),
    ("光武街道", "employment", 38900, "人", "", "3.89万人"),
    ("光武街道", "communities", 11, "个", "", "11个"),
    ("光武街道", "trunk_roads", 8, "条", "", "8条"),
    ("光武街道", "model_communities_named", 4, "个", "", "4个"),
    ("专业批发市场", "market_land_m2", 470000, "平方米", "", "47万平方米"),
    ("专业批发市场", "market_floor_m2", 340000, "平方米", "", "34万平方米"),
    ("专业批发市场", "market_shops", 4000, "间", "", "4000间"),
    ("专业批发市场", "market_turnover_yuan", 3e9, "元", "", "30亿元"),
    ("专业批发市场", "market_tax_yuan", 1.2e8, "元", "", "1.2亿元"),
    ("摩天中心", "motian_floor_m2", 70000, "平方米", "", "7万平方米"),
    ("摩天中心", "motian_firms", 110, "家", "", "110家"),
    ("摩天中心", "motian_hq_firms", 13, "家", "", "13家"),
    ("摩天中心", "motian_jobs", 2000, "人", "余", "2000余人"),
    ("摩天中心", "motian_turnover_yuan", 3e8, "元", "", "3亿元"),
    ("摩天中心", "motian_tax_yuan", 8e6, "元", "余", "800余万元"),
    ("星光大排档", "night_market_area_m2", 12000, "平方米", "", "1.2万平方米"),
    ("星光大排档", "night_market_stalls", 140, "个", "", "140个"),
    ("星光大排档", "night_market_jobs", 1000, "人", "余", "1000余人"),
    ("中兴社区", "area_km2", 0.45, "平方公里", "", "0.45平方公里"),
    ("中兴社区", "urban_villages", 2, "个", "", "2个"),
    ("中兴社区", "residential_compounds", 11, "个", "", "11个"),
    ("中兴社区", "old_compounds", 9, "个", "", "9个"),
    ("中兴社区", "resident_population", 7000, "人", "余", "7000余人"),
    ("中兴社区", "party_members", 298, "名", "", "298名"),
    ("中兴社区", "committee_avg_age", 39, "岁", "", "39岁"),
    ("中兴社区", "committee_college_share", 77, "%", "", "77%"),
    ("中兴社区", "grids", 5, "个", "", "5个"),
    ("中兴社区", "grid_workers", 5, "名", "", "5名"),
    ("中兴社区", "grid_assistants", 5, "名", "", "5名"),
    ("中兴社区", "art_troupe_teams", 10, "个", "余", "10余个"),
    ("中兴社区", "red_property_compounds", 3, "个", "", "3个"),
    ("中兴社区", "red_property_projects", 50, "个", "多", "50多个"),
    ("中兴社区", "red_property_investment_yuan", 8320000, "元", "", "832万元"),
    ("诸葛书屋", "library_area_m2", 220, "平方米", "", "220平方米"),
    ("诸葛书屋", "library_books", 5394, "册", "", "5394册"),
    ("诸葛书屋", "library_seats", 50, "个", "", "50个"),
    ("清风巷", "lane_length_m", 120, "米", "余", "120余米"),
    ("综合养老服务中心", "care_area_m2", 3300, "平方米", "余", "3300余平方米"),
    ("综合养老服务中心", "care_beds", 50, "张", "", "50张"),
    ("综合养老服务中心", "care_residents", 48, "名", "", "48名"),
    ("文化路北延", "relocation_households", 78, "户", "", "78户"),
    ("文化路北延", "relocation_signed", 62, "户", "", "62户"),
    ("文化路北延", "relocation_demolished_m2", 6100, "平方米", "余", "6100余平方米"),
    ("文化路北延", "demolition_1122_rooms", 28, "间", "", "28间"),
    ("文化路北延", "demolition_1122_buildings", 2, "处", "", "2处"),
    ("文化路北延", "demolition_1122_m2", 600, "平方米", "多", "600多平方米"),
    ("文化路北延", "forums", 5, "次", "", "5次"),
    ("文化路北延", "consulted", 200, "人次", "余", "200余人次"),
    ("文化路北延", "housing_visitors", 30, "人", "余", "30余人"),
    ("文化路北延", "work_days", 10, "天", "内", "10天内"),  # 「10天内完成了78户涉迁户的工作」
    ("文化路北延", "task_groups", 3, "个", "", "3个"),
]


@pytest.fixture(scope="module")
def all_facts(seeded):
    return fq.facts(engine=seeded)


@pytest.mark.parametrize(("subject", "indicator", "value", "unit", "qualifier", "display"), ARTICLE_FIGURES)
def test_article_figure(all_facts, subject, indicator, value, unit, qualifier, display):
    rows = all_facts[(all_facts["subject"] == subject) & (all_facts["indicator"] == indicator)]
    assert len(rows) == 1, f"{subject}/{indicator} missing or duplicated"
    r = rows.iloc[0]
    assert r["value"] == pytest.approx(value)
    assert (r["unit"], r["qualifier"], r["display"]) == (unit, qualifier, display)
    assert r["source_kind"] == "article" and not r["is_demo"]
    assert r["quote"], "every article figure carries the sentence it comes from"


def test_every_article_fact_is_in_the_table(all_facts):
    article = all_facts[all_facts["source_kind"] == "article"]
    listed = {(s, i) for s, i, *_ in ARTICLE_FIGURES}
    assert set(zip(article["subject"], article["indicator"], strict=True)) - listed == set()


def test_quotes_are_verbatim_from_the_article(all_facts, article_text):
    for quote in all_facts["quote"]:
        assert quote in article_text, quote


PARTY = [("社区联合党委", 11), ("网格联合党支部", 48), ("小区党支部", 68), ("楼院党小组", 110),
         ("党员示范岗", 26), ("党员突击队", 11)]


def test_party_network(seeded):
    df = sq.party_network(engine=seeded)
    assert list(zip(df["kind"], df["count"], strict=True)) == PARTY
    assert not df["is_demo"].any()


def test_eleven_communities_in_article_order(seeded):
    assert community_names(engine=seeded) == ["大官庄", "中兴", "工业路", "西华", "刘庄", "白庄", "小铁路",
                                              "麒麟", "榆树庄", "光彩", "华盛"]


def test_overview_figures_in_order(seeded):
    df = subdistrict_overview(engine=seeded)
    assert df["display"].tolist() == ["8.5平方公里", "4.96万人", "8.15万人", "超过10万人", "11个", "62个", "11个",
                                      "3847家", "3.89万人"]


def test_model_communities_named_2023_09_23(seeded):
    df = model_status(engine=seeded)
    named = df[df["status"] == "已命名示范社区"]
    assert sorted(named["community"]) == sorted(["中兴", "大官庄", "西华", "工业路"])
    assert set(named["valid_from"]) == {dt.date(2023, 9, 23)}
    assert df.set_index("community").loc["榆树庄", "status"] == "先行先试"
    assert not df["is_demo"].any()


def test_relocation_headline(seeded):
    h = headline(engine=seeded)
    assert (h.total.value, h.signed.value, h.pending) == (78, 62, 16)
    assert h.demolished_m2.display == "6100余平方米"
    assert not (h.total.is_demo or h.signed.is_demo or h.demolished_m2.is_demo)


def test_milestones_are_cited(seeded, article_text):
    df = milestones(engine=seeded)
    assert len(df) >= 5
    assert all(q in article_text for q in df["quote"])
    # a month the quote does not give is said to be inferred (the article dates only the 指挥部 「11月」)
    for r in df.itertuples():
        dated = r.quote.startswith("11月") or "11月21日" in r.quote or r.happened_on.isoformat() == "2023-11-22"
        assert dated or "报道未载明日期" in r.detail, r.title


def test_care_centre(seeded):
    fac = facilities(engine=seeded).set_index("key")
    assert fac.loc["care_centre", "beds"] == 50
    occ = current_occupancy(facility="care_centre", engine=seeded)
    assert (occ.occupied, occ.beds, occ.day, occ.is_demo) == (48, 50, ARTICLE_DATE, False)
    assert occ.rate == pytest.approx(0.96)


def test_notes_include_honours(seeded):
    df = fq.notes(community="中兴", kind="荣誉", engine=seeded)
    assert set(df["text"]) == {"红旗基层党组织", "省级“文明单位”", "曲艺先进社区"}


CN_DIGITS = {"两": 2, "三": 3, "十几": 10}  # the article's words for the few figures it writes in Chinese


def test_each_quote_holds_its_figure(all_facts):
    """A quote is the figure's evidence: 「网格员 5名」 quoted 「每个网格配备1名网格员」, which has no 5 in it."""
    article = all_facts[all_facts["source_kind"] == "article"]
    missing = []
    for r in article.itertuples():
        value = float(r.value)
        scaled = {f"{value / s:g}" for s in (1, 1e4, 1e8)}  # 8.15万, 30亿 as written
        if not any(v in r.quote for v in scaled) and not any(w in r.quote and n == value for w, n in CN_DIGITS.items()):
            missing.append(f"{r.label} {value:g}: 「{r.quote}」")
    assert not missing, missing


def test_a_live_database_gets_the_corrected_quote(empty_engine):
    """A database seeded before the fix keeps its rows (it is not re-seeded): migration 0008 corrects the quote."""
    from sqlalchemy import text

    from lib.db import migrate
    from lib.seed import seed

    migrate(empty_engine)
    seed(empty_engine, with_demo=False)
    new = "将社区划分为5个网格，每个网格配备1名网格员、1名网格协管员"
    with empty_engine.begin() as conn:  # the rows as the old seed wrote them, the schema one step back
        conn.execute(text("UPDATE fact SET quote = '每个网格配备1名网格员、1名网格协管员' WHERE quote = :q"), {"q": new})
        conn.execute(text("UPDATE source SET note = :old WHERE key = 'schematic'"), {"old": M0008.OLD_NOTE})
        conn.execute(text("UPDATE alembic_version SET version_num = '0007'"))
    migrate(empty_engine)
    with empty_engine.connect() as conn:
        quotes = conn.execute(text("SELECT indicator, quote FROM fact WHERE indicator IN "
                                   "('grid_workers', 'grid_assistants') ORDER BY indicator")).all()
        note = conn.execute(text("SELECT note FROM source WHERE key = 'schematic'")).scalar_one()
    assert quotes == [("grid_assistants", new), ("grid_workers", new)]
    assert note == M0008.NEW_NOTE == _yaml_note("schematic")  # the migration and data/sources.yaml agree


def _migration():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "migrations" / "versions" / "0008_quote_and_map_note.py"
    spec = importlib.util.spec_from_file_location("m0008", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _yaml_note(key: str) -> str:
    from pathlib import Path

    import yaml

    rows = yaml.safe_load((Path(__file__).resolve().parent.parent / "data" / "sources.yaml").read_text("utf-8"))
    return next(r["note"] for r in rows if r["key"] == key)


M0008 = _migration()
