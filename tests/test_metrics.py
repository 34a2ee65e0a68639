"""/metrics (ui/metrics.py): each page run counted and timed by page and outcome, panel failures by kind, the
sessions a served replica holds, its pool and memory; only peers in METRICS_ALLOW may read it, and nginx never
passes it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
import yaml
from starlette.applications import Starlette
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest

from deploy import nginx_conf
from lib import config, db
from lib.errors import DatabaseUnavailable, ValidationError
from tests.page_runs import open_page
from tests.test_pages_apptest import APP
from ui import metrics, widgets

REPO = Path(__file__).resolve().parents[1]


def _runs(page: str, outcome: str) -> float:
    return metrics.REGISTRY.get_sample_value("guangwu_page_runs_total", {"page": page, "outcome": outcome}) or 0.0


def _all_runs(outcome: str) -> float:
    return sum(s.value for family in metrics.REGISTRY.collect() for s in family.samples
               if s.name == "guangwu_page_runs_total" and s.labels["outcome"] == outcome)


def _timed(page: str) -> float:
    return metrics.REGISTRY.get_sample_value("guangwu_page_run_seconds_count", {"page": page}) or 0.0


def _failures(kind: str) -> float:
    return metrics.REGISTRY.get_sample_value("guangwu_panel_failures_total", {"kind": kind}) or 0.0


@pytest.mark.parametrize(("host", "allow", "ok"), [
    ("127.0.0.1", "127.0.0.1/32,::1/128", True),
    ("::1", "127.0.0.1/32,::1/128", True),
    ("10.20.0.7", "127.0.0.1/32,::1/128", False),
    ("10.20.0.7", "127.0.0.1/32, 10.20.0.0/24", True),
    ("10.20.1.7", "127.0.0.1/32, 10.20.0.0/24", False),
    ("10.20.0.7", "10.20.0.7", True),
    ("::ffff:127.0.0.1", "127.0.0.1/32,::1/128", True),  # a dual-stack socket (`make run` binds "::") sees IPv4
    ("::ffff:10.20.0.7", "10.20.0.0/24", True),  # peers as IPv4-mapped IPv6 addresses
    ("::ffff:10.20.1.7", "10.20.0.0/24", False),
    ("10.20.0.7", "not-a-network, 10.20.0.7", True),  # a mistyped entry allows nothing, the rest still apply
    ("testclient", "127.0.0.1/32", False),  # not an address at all
    (None, "127.0.0.1/32", False),
    ("127.0.0.1", "", False),  # an empty list allows nobody
])
def test_who_may_read(host, allow, ok):
    assert metrics.allowed(host, allow) is ok


def _client(host: str) -> TestClient:
    return TestClient(Starlette(routes=metrics.ROUTES), client=(host, 40000))


def test_route_serves_the_text_format_to_loopback_only(monkeypatch):
    monkeypatch.setenv("METRICS_ALLOW", "127.0.0.1/32")
    config.settings.cache_clear()
    try:
        ok = _client("127.0.0.1").get("/metrics")
        assert ok.status_code == 200 and ok.headers["content-type"].startswith("text/plain; version=")
        assert ok.headers["cache-control"] == "no-store"
        for kind, name in (("gauge", "guangwu_sessions"), ("gauge", "guangwu_db_pool_connections"),
                           ("counter", "guangwu_page_runs_total"), ("histogram", "guangwu_page_run_seconds"),
                           ("counter", "guangwu_panel_failures_total"), ("gauge", "process_resident_memory_bytes")):
            assert f"# TYPE {name} {kind}\n" in ok.text, name
        assert re.search(r'^guangwu_panel_failures_total\{kind="internal"\} \d+\.0$', ok.text, re.M)
        assert "_created" not in ok.text
        assert re.search(r'^guangwu_sessions\{state="active"\} 0\.0$', ok.text, re.M)  # no runtime in this process
        refused = _client("10.20.0.7").get("/metrics")
        assert refused.status_code == 403 and "只对监控主机开放" in refused.text
        assert "guangwu_" not in refused.text
    finally:
        config.settings.cache_clear()


def test_a_page_run_is_counted_and_timed_by_page(app_db):
    before_ok, before_timed = _runs("overview", "ok"), _timed("overview")
    before_stars = _runs("stars", "ok")
    at = open_page(None)
    assert (_runs("overview", "ok"), _timed("overview")) == (before_ok + 1, before_timed + 1)
    open_page("stars", "中兴", at=at)  # a run of app.py with the overview, then one with 五星
    assert _runs("stars", "ok") == before_stars + 1
    assert _runs("overview", "ok") == before_ok + 2
    seconds = metrics.REGISTRY.get_sample_value("guangwu_page_run_seconds_sum", {"page": "stars"})
    assert 0 < seconds < 60


def test_the_big_screen_is_counted_as_its_own_page(app_db):
    """?screen=1 runs pages/screen.py as its navigation's default page (url path ""), as the overview is in the
    desk navigation: the label comes from the page's file, so the wall is not counted as the overview."""
    before_screen, before_overview = _runs("screen", "ok"), _runs("overview", "ok")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["screen"] = "1"
    at.run()
    assert not at.exception
    assert (_runs("screen", "ok"), _runs("overview", "ok")) == (before_screen + 1, before_overview)


@pytest.fixture
def unreachable_database(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    config.settings.cache_clear()
    st.cache_data.clear()
    db.get_engine.cache_clear()
    yield
    config.settings.cache_clear()
    st.cache_data.clear()
    db.get_engine.cache_clear()


def test_a_run_without_the_database_is_counted_as_database(unreachable_database):
    before_db, before_ok = _runs("overview", "database"), _runs("overview", "ok")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and at.error[0].value.startswith("看板暂时无法读取数据")
    assert _runs("overview", "database") == before_db + 1
    assert _runs("overview", "ok") == before_ok


def _guarded(exc: BaseException) -> None:
    with widgets.guard("测试面板"):
        raise exc


@pytest.mark.parametrize(("exc", "kind"), [
    (ValidationError("第3行：数量必须是整数"), "domain"),
    (DatabaseUnavailable("数据库无法连接"), "database"),
    (KeyError("a bug"), "internal"),
])
def test_panel_failures_by_kind(exc, kind):
    before = {k: _failures(k) for k in ("domain", "database", "internal")}
    _guarded(exc)
    after = {k: _failures(k) for k in before}
    assert after == {**before, kind: before[kind] + 1}


def test_nginx_never_passes_metrics():
    text = nginx_conf.site([("127.0.0.1", 8501)], listen="8080")
    block = text[text.index("location = /metrics"):]
    assert block.split("}", 1)[0].split("{", 1)[1].strip() == "return 404;"


def test_prometheus_rules_name_only_exported_metrics():
    """deploy/prometheus/guangwu.yml: its targets are the production replicas, and every metric its rules
    read is one /metrics exports (a renamed metric would silently never alert)."""
    conf = yaml.safe_load((REPO / "deploy" / "prometheus" / "guangwu.yml").read_text(encoding="utf-8"))
    (job,) = conf["scrape_configs"]
    assert job["metrics_path"] == "/metrics"
    ports = {int(t.rsplit(":", 1)[1]) for t in job["static_configs"][0]["targets"]}
    assert ports == {int(p) for p in re.findall(r"server 127\.0\.0\.1:(\d+) ",
                                          nginx_conf.upstreams(nginx_conf.PRODUCTION_REPLICAS))}
    metrics.RUN_SECONDS.labels("overview")  # a labelled family shows its samples once it has a child
    metrics.RUNS.labels("overview", "ok")
    exported = {s.name for family in metrics.REGISTRY.collect() for s in family.samples}
    rules = conf["groups"][0]["rules"]
    assert len(rules) >= 6
    for rule in rules:
        named = set(re.findall(r"\b((?:guangwu|process)_[a-z_]+)", rule["expr"]))
        assert named <= exported, (rule["alert"], named - exported)
        assert re.search(r"[\u4e00-\u9fff]", rule["annotations"]["summary"]), "summaries in Chinese"


def _stopped():
    import streamlit as st

    from ui import page_guard

    with page_guard.page_run(screen=False):
        st.write("到此为止")
        st.stop()
        st.write("不应显示")


def _broken():
    from ui import page_guard

    with page_guard.page_run(screen=False):
        raise KeyError("a bug")


@pytest.mark.parametrize(("script", "outcome"), [(_stopped, "ok"), (_broken, "error")])
def test_a_run_ended_by_st_stop_or_an_exception_is_counted(script, outcome):
    before = {o: _all_runs(o) for o in ("ok", "database", "error")}
    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception
    assert {o: _all_runs(o) for o in before} == {**before, outcome: before[outcome] + 1}
    if outcome == "error":
        assert at.error[0].value.startswith("页面暂时无法显示：页面出现内部错误")


def _reran():
    import streamlit as st

    from ui import page_guard

    with page_guard.page_run(screen=False):
        if not st.session_state.get("again"):
            st.session_state["again"] = True
            st.rerun()  # cut short: the run that follows is the one counted
        st.write("第二次运行")


def test_a_run_cut_short_by_st_rerun_is_not_counted():
    before = _all_runs("ok")
    at = AppTest.from_function(_reran, default_timeout=30).run()
    assert not at.exception and at.markdown[0].value == "第二次运行"
    assert _all_runs("ok") == before + 1


def test_the_newest_finished_backup_is_exported_for_the_stale_backup_alert(monkeypatch, tmp_path):
    """Backups run from a timer that nobody watches: the replicas export when the newest finished backup in
    BACKUP_DIR was made (0 when there is none), and GuangwuBackupStale fires when that is over 26 h old."""
    import datetime as dt
    import json
    import sqlite3

    from lib import backup

    monkeypatch.setenv("BACKUP_DIR", str(tmp_path / "backups"))
    config.settings.cache_clear()
    try:
        def exported() -> float:
            return metrics.REGISTRY.get_sample_value("guangwu_backup_last_success_timestamp_seconds")

        assert exported() == 0  # the folder does not even exist yet
        with sqlite3.connect(tmp_path / "a.db") as conn:
            conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        path = backup.backup(tmp_path / "backups", engine=db.get_engine(f"sqlite:///{tmp_path / 'a.db'}"))
        made = dt.datetime.fromisoformat(json.loads(Path(f"{path}.json").read_text())["created_utc"])
        assert exported() == made.timestamp()
        (tmp_path / "backups" / "guangwu-20991231T000000Z.dump.partial").write_bytes(b"x")  # one being written
        assert exported() == made.timestamp()
    finally:
        config.settings.cache_clear()
    rules = (REPO / "deploy" / "prometheus" / "guangwu.yml").read_text(encoding="utf-8")
    assert "time() - max(guangwu_backup_last_success_timestamp_seconds) > 26 * 3600" in rules


def test_readiness_is_exported_so_an_unready_replica_is_not_silent(monkeypatch):
    """A replica nginx stopped sending to (its /readyz fails: the database unreadable, or its schema behind the
    code) still answers /metrics; `guangwu_ready` 0 raises GuangwuReplicaNotReady."""
    from lib import health

    monkeypatch.setattr(health, "check", lambda *a, **k: health.Readiness(True, "ok", 1.0))
    assert metrics.REGISTRY.get_sample_value("guangwu_ready") == 1
    monkeypatch.setattr(health, "check", lambda *a, **k: health.Readiness(False, "数据库结构版本 0005 落后", 1.0))
    assert metrics.REGISTRY.get_sample_value("guangwu_ready") == 0
    rules = (REPO / "deploy" / "prometheus" / "guangwu.yml").read_text(encoding="utf-8")
    assert "expr: guangwu_ready == 0" in rules


def test_the_pool_limit_is_exported_for_the_pool_alert(monkeypatch):
    """DB_POOL_SIZE + DB_MAX_OVERFLOW is what one replica may open (lib/db_budget.py); the alert compares the
    connections checked out with it, not with the defaults it once named."""
    monkeypatch.setenv("DB_POOL_SIZE", "3")
    monkeypatch.setenv("DB_MAX_OVERFLOW", "4")
    config.settings.cache_clear()
    try:
        text = _client("127.0.0.1").get("/metrics").text
        assert "# TYPE guangwu_db_pool_limit gauge\n" in text
        assert re.search(r"^guangwu_db_pool_limit 7\.0$", text, re.M)
    finally:
        config.settings.cache_clear()
    rules = (REPO / "deploy" / "prometheus" / "guangwu.yml").read_text(encoding="utf-8")
    assert ('expr: guangwu_db_pool_connections{state="checked_out"} >= ignoring(state) 0.8 * guangwu_db_pool_limit'
            in rules)
