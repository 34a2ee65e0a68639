"""Which side of the 焦枝铁路 a community lies on carries its basis: the article places only 榆树庄 (铁路以西);
the other ten are placed by the schematic map. Before, every community's side was attributed to the article.
A 示范社区 status from the article carries the article's words (the seed dropped data/model_status.csv's quote)."""
from __future__ import annotations

import datetime as dt

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from lib.db import MIGRATIONS_DIR
from lib.panels import summary_panel
from lib.queries.communities import community_profile, list_communities
from lib.queries.model_communities import model_status
from lib.scope import Scope
from lib.seed import seed

PILOT_QUOTE = "选定榆树庄社区作为突破口，借助南阳市城管局联建力量，作为铁路以西创建先行先试区"
L_QUOTE = "将大官庄—中兴—工业路—西华社区串联成“L”形进行连片打造"
NAMED_QUOTE = "2023年9月23日，该街道中兴、大官庄、西华、工业路等4个社区，被南阳市创建全国文明城市工作指挥部命名为示范社区"


def _check_sides(engine) -> None:
    sides = list_communities(engine=engine).set_index("name")["side"]
    assert sides["榆树庄"] == "铁路以西（报道）"
    assert sides["光彩"] == "铁路以西（示意）" and sides["中兴"] == "铁路以东（示意）"
    assert sum(s.endswith("（示意）") for s in sides) == 10
    yu, zx = community_profile("榆树庄", engine=engine), community_profile("中兴", engine=engine)
    assert (yu.side, yu.side_quote) == ("铁路以西（报道）", PILOT_QUOTE)
    assert (zx.side, zx.side_quote) == ("铁路以东（示意）", None)
    status = model_status(engine=engine).set_index("community")
    assert status.loc["榆树庄", "side"] == "铁路以西（报道）" and status.loc["华盛", "side"] == "铁路以东（示意）"


def _check_status_quotes(engine) -> None:
    named = summary_panel(Scope("中兴"), free_beds_warning=3, engine=engine).model
    assert (named.display, named.kind, named.citation) == ("已命名示范社区", "article", NAMED_QUOTE)
    earlier = summary_panel(Scope("中兴", dt.date(2023, 6, 1)), free_beds_warning=3, engine=engine).model
    assert (earlier.display, earlier.citation) == ("创建中", L_QUOTE)
    pilot = summary_panel(Scope("榆树庄"), free_beds_warning=3, engine=engine).model
    assert (pilot.display, pilot.citation) == ("先行先试", PILOT_QUOTE)
    # the article says nothing of 华盛's status itself: 「未命名」 rests on the four it names (migration 0009)
    unnamed = summary_panel(Scope("华盛"), free_beds_warning=3, engine=engine).model
    assert (unnamed.display, unnamed.citation) == ("未命名", NAMED_QUOTE)


def test_sides_and_status_quotes_on_a_new_database(seeded):
    _check_sides(seeded)
    _check_status_quotes(seeded)


def test_an_existing_database_gets_them_from_its_migration(empty_engine):
    """A live database seeded before this change (no re-seed on start) is given the same by its migration."""
    seed(empty_engine, with_demo=False)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with empty_engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # before the transaction starts (see the migration's downgrade)
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006")
        conn.commit()
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
    with empty_engine.begin() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0006"
        # the seeded texts as they were before
        conn.execute(text("UPDATE fact SET qualifier = '' WHERE indicator = 'work_days'"))
        conn.execute(text("UPDATE project_milestone SET detail = replace(detail, :n, '')"),
                     {"n": "（报道未载明日期，按指挥部成立的2023年11月记）"})
    with empty_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        assert conn.execute(text("SELECT count(*) FROM community WHERE side_source_id IS NULL")).scalar() == 0
    _check_sides(empty_engine)
    _check_status_quotes(empty_engine)
    # and the two texts brought in line with the article (facts and milestones of a live database)
    from lib.queries.facts import facts
    from lib.queries.relocation import milestones

    days = facts(indicators=["work_days"], engine=empty_engine)
    assert days["display"].tolist() == ["10天内"]
    detail = milestones(engine=empty_engine).set_index("title")["detail"]
    assert detail["北延专班入驻现场"].endswith("（报道未载明日期，按指挥部成立的2023年11月记）")
    assert detail["群众座谈会与征求意见"].count("报道未载明日期") == 1


def test_the_quotes_are_the_articles_words_and_the_migration_agrees_with_the_data(article_text):
    import csv
    import importlib.util
    from pathlib import Path

    data = Path(__file__).resolve().parent.parent / "data"
    sides = list(csv.DictReader((data / "communities.csv").open(encoding="utf-8")))
    assert [r["name"] for r in sides if r["side_source"] == "article"] == ["榆树庄"]
    statuses = list(csv.DictReader((data / "model_status.csv").open(encoding="utf-8")))
    for quote in [r["side_quote"] for r in sides] + [r["quote"] for r in statuses]:
        assert quote in article_text, quote
    spec = importlib.util.spec_from_file_location("m0007", MIGRATIONS_DIR / "versions" /
                                                  "0007_side_basis_and_status_quote.py")
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    quoted = {(r["community"], r["status"], r["valid_from"], r["quote"]) for r in statuses
              if r["quote"] and r["status"] != "未命名"}  # the 未命名 rows' quote is migration 0009's
    assert set(migration.STATUS_QUOTES) == quoted
    assert migration.PILOT == next(r["side_quote"] for r in sides if r["name"] == "榆树庄")
