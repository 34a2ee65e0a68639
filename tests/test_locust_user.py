"""The protocol-level client and the Locust user (bench/locust_streamlit.py) against a test server:
a scripted session opens, loads, changes the community, switches pages, and every rerun finishes."""
from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
import urllib.request

import pytest

from devtools import streamlit_server as ss
from devtools.st_client import Session

PAGES = "overview,stars,relocation,checks"


@pytest.fixture(scope="module")
def server(app_db, tmp_path_factory):
    srv = ss.start(app_db, tmp_path_factory.mktemp("locust") / "streamlit.log")
    try:
        srv.wait_healthy()
        yield srv
    finally:
        srv.stop()


def test_first_session_of_a_fresh_server_keeps_its_widget_ids(server):
    """The process's very first run is in st.navigation mode (serve.py), not legacy pages mode: the widget
    ids it draws are the ones the next run reads, so the first widget change is not lost. (Runs first.)"""
    s = Session(server.url)
    try:
        s.rerun()
        first_ids = dict(s.widget_ids)
        picked = s.rerun(strings={"社区": "中兴"})
        assert set(s.widget_ids.values()) == set(first_ids.values())  # labels may name the scope (生成汇报材料（中兴社区）)
        assert picked.exceptions == [] and picked.contains("中兴社区")
    finally:
        s.close()


def test_client_selection_and_pages_take_effect(server):
    s = Session(server.url)
    try:
        first = s.rerun()
        assert first.exceptions == [] and "社区" in s.options and "西华" in s.options["社区"]
        assert not first.contains("西华社区")
        picked = s.rerun(query="community=西华", strings={"社区": "西华"})
        assert picked.contains("西华社区") and picked.exceptions == []
        stars = s.rerun(page="stars", query="community=西华", strings={"社区": "西华"})
        assert stars.exceptions == [] and stars.contains("五星")
    finally:
        s.close()


def _redraws(server) -> float:
    text = urllib.request.urlopen(f"{server.url}/metrics", timeout=10).read().decode()
    return sum(float(line.split()[-1]) for line in text.splitlines()
               if line.startswith("guangwu_reconnect_redraws_total"))


def test_a_tab_names_the_session_it_held_and_only_a_session_from_elsewhere_is_a_redraw(server):
    """As Streamlit's frontend does on every reconnect (bench/failover.py relies on it), the tab names the session
    it held. The process that holds it gives it back, widget values and all; one that never had it makes a new
    session, which draws the page asked for. Only that new session's first run is a redraw (ui/reconnect.moved_here:
    ui/admission.py lets it wait behind the runs people are waiting for), counted on /metrics."""
    before = _redraws(server)
    tab = Session(server.url)
    try:
        tab.rerun()
        tab.rerun(query="community=西华", strings={"社区": "西华"})
        held = tab.session_id
    finally:
        tab.close()
    assert _redraws(server) == before  # a new tab names no session
    back = Session(server.url, resume=held)
    try:
        run = back.rerun()  # no widget value sent: the resumed session still has 西华
        assert back.session_id == held and run.exceptions == [] and run.contains("西华社区")
    finally:
        back.close()
    assert _redraws(server) == before  # a blip: the same process had the session
    gone = "f0f0f0f0-dead-4bad-8bad-0123456789ab"
    moved = Session(server.url, resume=gone)
    try:
        run = moved.rerun(query="community=中兴")
        assert moved.session_id not in ("", gone, held)
        assert run.exceptions == [] and run.contains("中兴社区")
        assert _redraws(server) == before + 1
        assert moved.rerun(query="community=八一").exceptions == []
        assert _redraws(server) == before + 1  # only its first run
    finally:
        moved.close()


@pytest.mark.parametrize("page", ["", "stars", "model_communities", "relocation", "eldercare", "profiles", "checks",
                                  "sources", "account"])
def test_every_page_asks_the_browser_to_run_it_again_after_a_reconnect(server, page):
    """Streamlit's frontend asks for a run after a reconnect only when the page holds a timed fragment
    (ui/reconnect.py): each page's run must register one, or a failover leaves it as the lost process drew it
    (tests/browser/test_replica_failover.py shows the effect)."""
    s = Session(server.url)
    try:
        run = s.rerun(page=page)
        assert run.exceptions == [] and "auto_rerun" in run.kinds
    finally:
        s.close()


def test_locust_user_completes_a_scripted_session(server, tmp_path):
    samples = tmp_path / "samples.json"
    env = {**os.environ, "CAPACITY_PAGES": PAGES, "CAPACITY_WAIT": "0.1,0.3", "CAPACITY_SAMPLES": str(samples)}
    done = subprocess.run([sys.executable, "-m", "locust", "-f", "bench/locust_streamlit.py", "--headless",
                           "-u", "2", "-r", "2", "-t", "10s", "--host", server.url, "--only-summary",
                           "--stop-timeout", "5"], cwd=ss.REPO, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    rows = json.loads(samples.read_text())
    kinds = [(r[1], r[2].split(" ")[0]) for r in rows]
    assert [r for r in rows if r[4]] == [], "no rerun failed"
    assert kinds.count(("load", "load")) == 2
    assert kinds.count(("rerun", "select")) >= 2
    assert kinds.count(("rerun", "page")) >= 1
    assert all(0 < r[3] < 60 for r in rows)


def test_served_runs_leave_the_page_script_and_icon_to_the_page_shell(server):
    """Under serve.py the translation script is in every page's <head> (ui/page_shell.py): a rerun does not
    send it again (nor the desk CSS), and the favicon is an inline data URL (no file read and image conversion per run)."""
    s = Session(server.url)
    try:
        s.rerun()
        again = s.rerun(strings={"社区": "中兴"})
        assert again.exceptions == [] and again.contains("中兴社区")
        assert not again.contains("__gwLayout") and not again.contains("<span id=\"gw-layout-script\">")
        assert again.contains("data:image/png;base64,")  # page_config_changed carries the icon inline
        assert not again.contains("min-height: 44px")  # the desk CSS is in the served page (ui/page_shell.py)
    finally:
        s.close()


def test_the_overview_is_asked_for_as_a_browser_does(server):
    """The overview's own path is redirected to "/" (ui/not_found.py), where a browser asks for page "": the
    protocol client does the same, so the benchmarks time the overview, not a page_not_found and a fallback."""
    s = Session(server.url)
    try:
        by_path = s.rerun(page="overview", query="community=中兴", strings=None)
        stars = s.rerun(page="stars")
    finally:
        s.close()
    assert by_path.exceptions == [] and "page_not_found" not in by_path.kinds and by_path.contains("中兴社区")
    assert "new_session" in by_path.kinds and by_path.kinds[-1] == "script_finished"
    assert "page_not_found" not in stars.kinds and stars.contains("五星")


def test_large_unchanged_elements_come_as_references_as_in_a_browser(server):
    """A browser tells the server which large messages it holds (ClientState.cached_message_hashes) and gets a
    short reference for an unchanged one (the overview's map); the protocol client does the same, so the
    capacity figures load the server as browsers do. What a reference stands for is read as the browser reads it."""
    s = Session(server.url)
    try:
        first = s.rerun(query="community=中兴", strings=None)
        again = s.rerun(query="community=中兴", strings={"社区": "中兴"} if "社区" in s.widget_ids else None)
        fresh = Session(server.url)
        try:
            fresh.rerun(query="community=中兴")
            forgetful = fresh.rerun(query="community=中兴", strings={"社区": "中兴"}, cached=False)
        finally:
            fresh.close()
    finally:
        s.close()
    assert "ref_hash" not in first.kinds and "ref_hash" in again.kinds
    assert again.exceptions == [] and again.contains("中兴社区")
    assert "deck_gl_json_chart" in first.elements and "deck_gl_json_chart" in again.elements
    assert "ref_hash" not in forgetful.kinds
    assert again.bytes < forgetful.bytes - 10_000  # the map (> 10 kB) is not sent again
    assert "社区" in s.options and "西华" in s.options["社区"]


def test_rerun_cpu_report_survives_a_floor_below_the_clock():
    """/proc counts CPU in 10 ms ticks: a short run of the (now ~2 ms) floor can read 0 — the report says so
    instead of dividing by it (bench-quick crashed on this)."""
    from bench.rerun_cpu import report

    lines = report({"n": 5, "floor": {"home": {"ms_per_rerun": 0.0}},
                    "dashboard": {"stars": {"ms_per_rerun": 6.0, "bytes_per_rerun": 45000}}})
    assert "6.0 ms" in lines[1] and "floor below the clock" in lines[1]


def test_rerun_cpu_measures_at_least_enough_clock_ticks_of_the_floor(app_db, tmp_path):
    """bench-quick asked for 5 reruns of the ~2 ms floor: /proc's 10 ms tick read 0 and CI called the
    benchmark broken. A page is now rerun past `n` until its CPU time spans enough ticks to be a figure."""
    from bench import rerun_cpu

    srv = ss.start(app_db, tmp_path / "floor.log", app="bench/floor_serve.py")
    try:
        srv.wait_healthy()
        r = rerun_cpu.page_cost(srv.url, srv.pid, "", 3)
    finally:
        srv.stop()
    assert r["ms_per_rerun"] > 0 and r["reruns"] >= 3
    assert r["ms_per_rerun"] * r["reruns"] >= rerun_cpu.MIN_CPU_S * 1000


def test_a_page_that_cannot_read_the_database_is_a_failed_run_and_the_cpu_bench_refuses_it(tmp_path):
    """A benchmark against an empty or unreachable database measured the Chinese database message, fast,
    and printed it as the page's cost (bench.rerun_cpu against a fresh machine's empty `test` database):
    such a run is a failure for the Locust user and the CPU bench stops with the reason."""
    from bench import rerun_cpu

    nowhere = f"postgresql+psycopg://postgres@127.0.0.1:{ss.free_port()}/nowhere"  # nothing listens there
    srv = ss.start(nowhere, tmp_path / "streamlit.log")
    try:
        srv.wait_healthy()
        s = Session(srv.url)
        try:
            run = s.rerun(page="stars")
        finally:
            s.close()
        assert len(run.exceptions) == 1 and run.exceptions[0].startswith("alert: 看板暂时无法读取数据")
        with pytest.raises(SystemExit, match="stars.*看板暂时无法读取数据"):
            rerun_cpu.page_cost(srv.url, srv.pid, "stars", 3)
    finally:
        srv.stop()


def test_a_panel_placeholder_counts_as_a_failed_run_and_a_red_warning_does_not():
    from streamlit.proto.Element_pb2 import Element

    from devtools.st_client import PROBLEM_ICONS, _problem
    from ui import chrome, flash, widgets

    shown = "".join(inspect.getsource(f) for f in (widgets.guard, chrome.database_ready)) + flash.ICONS["error"]
    assert all(icon in shown for icon in PROBLEM_ICONS)
    placeholder, warning = Element(), Element()
    placeholder.alert.body, placeholder.alert.icon = "「五星进度」暂时无法显示，请稍后刷新。", ":material/hourglass_empty:"
    warning.alert.body, warning.alert.icon = "入住率 96%：空床仅 2 张，少于预警值 3 张。", ":material/warning:"
    placeholder.alert.format = warning.alert.format = Element().alert.ERROR
    assert _problem(placeholder).startswith("alert: 「五星进度」") and _problem(warning) is None
