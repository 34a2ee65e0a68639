"""「未命名」 rests on the article's list of the four communities it names, and says how it is dated.

白庄's card read 「示范社区 未命名 · 报道 · 2023年1月1日」 with no words behind it: the article never mentions 白庄's
status, and 2023年1月1日 is the seed's convention, not the article's date. The status now cites the naming sentence
(the four it lists do not include 白庄) and says, under the card, that the article does not mention the community
and that the start date is a convention. Migration 0009 brings a live database's six seeded rows in line."""
from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

from sqlalchemy import text
from staff_apptest import APP, _staff_templates, clean, engine  # noqa: F401 - fixtures
from streamlit.testing.v1 import AppTest

from lib.db import migrate
from lib.panels import model_figure
from lib.scope import Scope
from lib.seed import seed

ROOT = Path(__file__).resolve().parents[1]
NAMING = "2023年9月23日，该街道中兴、大官庄、西华、工业路等4个社区，被南阳市创建全国文明城市工作指挥部命名为示范社区"
CONVENTION = "起始日期报道未载明，按2023年1月1日记"


def _migration():
    path = ROOT / "migrations" / "versions" / "0009_unnamed_status_quote.py"
    spec = importlib.util.spec_from_file_location("m0009", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_unnamed_status_cites_the_naming_and_its_convention(engine):  # noqa: F811 - the imported fixture
    fig, _ = model_figure(Scope.of("白庄", None), engine=engine)
    assert (fig.display, fig.kind, fig.citation) == ("未命名", "article", NAMING)
    assert "报道未提及该社区的示范社区创建情况" in fig.warning and CONVENTION in fig.warning, fig.warning


def test_the_card_says_it_under_the_figure(engine):  # noqa: F811 - the imported fixture
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["community"] = "白庄"
    at = clean(at.run())
    shown = "\n".join(e.proto.body for e in at.get("html")) + "\n".join(m.value for m in at.markdown)
    assert CONVENTION in shown and "未命名" in shown


def test_the_data_file_and_the_migration_agree():
    m = _migration()
    rows = [r for r in csv.DictReader((ROOT / "data" / "model_status.csv").open(encoding="utf-8"))
            if r["status"] == "未命名"]
    assert len(rows) == 6 and {(r["note"], r["quote"]) for r in rows} == {(m.NEW_NOTE, m.NEW_QUOTE)}
    assert m.NEW_QUOTE == NAMING


def test_a_live_database_gets_the_quote(empty_engine):
    m = _migration()
    migrate(empty_engine)
    seed(empty_engine, with_demo=False)
    with empty_engine.begin() as conn:  # the rows as the old seed wrote them, the schema one step back
        conn.execute(text("UPDATE model_status SET note = :old, quote = NULL WHERE status = '未命名'"),
                     {"old": m.OLD_NOTE})
        conn.execute(text("UPDATE alembic_version SET version_num = '0008'"))
    migrate(empty_engine)
    with empty_engine.connect() as conn:
        got = conn.execute(text("SELECT DISTINCT note, quote FROM model_status WHERE status = '未命名'")).all()
    assert [tuple(r) for r in got] == [(m.NEW_NOTE, m.NEW_QUOTE)]
