"""A broken or unreachable database: a clear Chinese message on screen and a non-zero seed exit."""
from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib import config, db
from lib.seed import main as seed_main

APP = str(Path(__file__).resolve().parent.parent / "app.py")
BAD_URLS = [
    "postgresql+psycopg://postgres@127.0.0.1:1/nowhere",  # nothing listens on port 1
    "sqlite:////etc/hostname/guangwu.db",  # a file where a folder should be
]


@pytest.fixture
def bad_database(monkeypatch, request):
    monkeypatch.setenv("DATABASE_URL", request.param)
    config.settings.cache_clear()
    st.cache_data.clear()
    db.get_engine.cache_clear()  # get_engine() caches the default URL's engine: an earlier test's good one
    yield request.param
    config.settings.cache_clear()
    st.cache_data.clear()
    db.get_engine.cache_clear()


@pytest.mark.parametrize("bad_database", BAD_URLS, indirect=True)
def test_app_shows_chinese_error_not_traceback(bad_database):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("看板暂时无法读取数据：数据库")
    assert not at.metric, "no figures drawn from a database that is not there"


def test_seed_command_fails_with_chinese_message(capsys):
    assert seed_main(["--database-url", BAD_URLS[0]]) == 2
    err = capsys.readouterr().err
    assert err.startswith("种子数据载入失败：数据库无法连接")



def test_a_database_behind_the_code_says_to_migrate(tmp_path, monkeypatch):
    """New code on a database its migration has not reached: one Chinese message naming both revisions and
    the command, not a panel-by-panel failure (lib.db.schema_revision)."""
    from sqlalchemy import text

    url = f"sqlite:///{tmp_path / 'old.db'}"
    assert seed_main(["--database-url", url, "--no-demo"]) == 0
    with db.get_engine(url).begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0005'"))
    monkeypatch.setenv("DATABASE_URL", url)
    config.settings.cache_clear()
    st.cache_data.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=60).run()
        assert not at.exception and not at.metric
        assert [e.value for e in at.error] == ["看板暂时无法读取数据：数据库结构版本 0005 落后于程序所需的 0009："
                                               "请管理员先运行数据库迁移（python -m deploy.local migrate），再刷新页面。"]
    finally:
        config.settings.cache_clear()
        st.cache_data.clear()
