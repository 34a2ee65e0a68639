"""Item 7: server capacity at the protocol level (Locust + bench/locust_streamlit.py; no browsers).

Targets: (a) the floor app and (b) the dashboard, each one process pinned to CPU 0 with the Locust client
pinned to CPU 1; (c) the dashboard behind nginx (make deploy-local) with 2 replicas pinned to CPUs 0 and 1
(the client then shares the cores: its CPU is reported). Users are ramped level by level; a level holds
when rerun p95 ≤ 1 s with 0 errors, and the capacity is the largest level held. Reported beside it:
server and client CPU, memory per session (RSS with M open sessions against the warm baseline), and
RSS over a soak at a held level. `python -m bench.capacity [--quick]` prints JSON; bench/run.py runs it
as part `capacity`.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from bench.stats import machine_cpu, percentile, sample_process

REPO = Path(__file__).resolve().parents[1]
P95_LIMIT = 1.0
SPAWN_RATE = 40  # new sessions per second while a level ramps up (each opens a session and loads a page)
PAGES = "overview,stars,model_communities,relocation,eldercare,profiles,checks"
MODES = {
    # Levels reach past the floor's bound (it held 480 in an earlier run); users start at most SPAWN_RATE/s.
    # Steps of at most 1/6 near the bounds seen (one replica ~320-400, two ~480-640): a ratio of 1.8 is resolvable.
    "full": {"levels": [10, 20, 40, 80, 120, 160, 240, 280, 320, 360, 400, 440, 480, 560, 640, 720, 800, 960, 1200],
             "step_s": 25, "ramp_s": 5, "mem_sessions": 200, "soak_s": 600, "replicas": True, "warm_all": True},
    # CI (crash check, not a figure): (a) and (b) once at a small level; (c) is exercised by tests/test_deploy.py.
    "quick": {"levels": [4], "step_s": 6, "ramp_s": 1, "mem_sessions": 3, "soak_s": 0, "replicas": False,
              "warm_all": False, "wait": "0.5,1"},
}


def log(msg: str) -> None:
    print(msg, flush=True)


class Probe:
    """Samples RSS and CPU of the server PIDs and the client PID every second in a thread."""

    def __init__(self, server_pids: list[int], client_pid: int | None = None) -> None:
        self.server_pids, self.client_pid = server_pids, client_pid
        self.series: list[tuple[float, float, float, float, float]] = []  # (t, rss, server cpu s, client cpu s, busy)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        rss = cpu = 0.0
        for pid in self.server_pids:
            r, c = sample_process(pid)
            rss, cpu = rss + r, cpu + c
        client = self._client_cpu()
        self.series.append((time.monotonic(), rss, cpu, client, machine_cpu()[0]))

    def _client_cpu(self) -> float:
        if not self.client_pid:
            return 0.0
        try:
            return sample_process(self.client_pid)[1]
        except psutil.Error:  # the client exited between two samples (a level ends): its last reading stands
            return self.series[-1][3] if self.series else 0.0

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(1.0)

    def __enter__(self) -> Probe:  # noqa: PYI034
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def cpu_pct(self, since: float) -> tuple[float, float, float]:
        """(server, client, whole machine) CPU % of one core, averaged from `since` to the last sample."""
        s = [x for x in self.series if x[0] >= since]
        if len(s) < 2:
            return float("nan"), float("nan"), float("nan")
        dt = s[-1][0] - s[0][0]
        return tuple((s[-1][i] - s[0][i]) / dt * 100 for i in (2, 3, 4))  # type: ignore[return-value]


def run_locust(host: str, users: int, seconds: float, *, ramp_s: float, pages: str, work: Path,
               server_pids: list[int], client_cpu: int | None, wait: str = "2,4") -> dict:
    """One level: `users` sessions for `seconds` (after a ramp of `ramp_s`); stats from the steady part."""
    samples = work / f"samples-{users}-{time.monotonic_ns()}.json"
    cmd = [sys.executable, "-m", "locust", "-f", str(REPO / "bench" / "locust_streamlit.py"), "--headless",
           "-u", str(users), "-r", str(max(1.0, users / max(ramp_s, 0.5))), "-t", f"{int(ramp_s + seconds)}s",
           "--host", host, "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5"]
    if client_cpu is not None:
        cmd = ["taskset", "-c", str(client_cpu), *cmd]
    env = {**os.environ, "CAPACITY_PAGES": pages, "CAPACITY_SAMPLES": str(samples), "CAPACITY_WAIT": wait}
    log_path = work / f"locust-{users}.log"
    started = time.time()
    with log_path.open("w") as fh:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=fh, stderr=subprocess.STDOUT)
        with Probe(server_pids, proc.pid) as probe:
            steady = time.monotonic() + ramp_s
            proc.wait(timeout=ramp_s + seconds + 120)
    if not samples.is_file():
        raise RuntimeError(f"locust wrote no samples (exit {proc.returncode}): {log_path.read_text()[-800:]}")
    rows = json.loads(samples.read_text())
    cut = started + ramp_s
    reruns = [r[3] for r in rows if r[1] == "rerun" and r[0] >= cut and not r[4]]
    errors = [r[4] for r in rows if r[4]]
    loads = [r[3] for r in rows if r[1] == "load" and not r[4]]
    server, client, machine = probe.cpu_pct(steady)
    rss = [x[1] for x in probe.series]
    # server CPU time per rerun: what the level cost, independent of how much of the core the server was given
    cpu_ms = server / 100 * seconds / len(reruns) * 1000 if reruns else float("nan")
    return {"users": users, "reruns": len(reruns), "p50_s": percentile(reruns, 50), "p95_s": percentile(reruns, 95),
            "server_cpu_ms_per_rerun": cpu_ms,
            "load_p95_s": percentile(loads, 95), "errors": len(errors), "error_examples": sorted(set(errors))[:3],
            "server_cpu_pct": server, "client_cpu_pct": client, "machine_cpu_pct": machine,
            "rss_end_mb": rss[-1] / 2**20 if rss else None,
            "rss_series_mb": [(round(t - probe.series[0][0]), round(r / 2**20, 1)) for t, r, *_ in probe.series]}


def ramp(host: str, cfg: dict, *, pages: str, work: Path, server_pids: list[int], client_cpu: int | None) -> dict:
    steps = []
    for users in cfg["levels"]:
        ramp_s = max(cfg["ramp_s"], users / SPAWN_RATE)
        step = run_locust(host, users, cfg["step_s"], ramp_s=ramp_s, pages=pages, work=work,
                          server_pids=server_pids, client_cpu=client_cpu, wait=cfg.get("wait", "2,4"))
        steps.append({k: v for k, v in step.items() if k != "rss_series_mb"})
        held = step["p95_s"] <= P95_LIMIT and step["errors"] == 0 and step["reruns"] > 0
        log(f"    {users:4d} users: rerun p95 {step['p95_s'] * 1000:6.0f} ms (n={step['reruns']}), "
            f"errors {step['errors']}, server CPU {step['server_cpu_pct']:.0f}%, client CPU {step['client_cpu_pct']:.0f}%"
            + ("" if held else "  ← not held"))
        if not held:
            break
    held_steps = [s for s in steps if s["p95_s"] <= P95_LIMIT and s["errors"] == 0 and s["reruns"] > 0]
    capacity = held_steps[-1]["users"] if held_steps else 0
    return {"capacity": capacity, "bounded": len(held_steps) < len(steps), "steps": steps}


def memory_per_session(host: str, server_pids: list[int], sessions: int, page: str = "") -> dict:
    """RSS with `sessions` open sessions that loaded a page, against the warm baseline, per session."""
    from devtools.st_client import Session

    base = sum(sample_process(p)[0] for p in server_pids)
    opened = []
    try:
        for _ in range(sessions):
            s = Session(host)
            s.rerun(page=page)
            opened.append(s)
        time.sleep(1)
        loaded = sum(sample_process(p)[0] for p in server_pids)
    finally:
        for s in opened:
            s.close()
    return {"sessions": sessions, "baseline_mb": base / 2**20, "loaded_mb": loaded / 2**20,
            "per_session_mb": (loaded - base) / max(sessions, 1) / 2**20}


def soak(host: str, users: int, seconds: float, *, pages: str, work: Path, server_pids: list[int],
         client_cpu: int | None) -> dict:
    step = run_locust(host, users, seconds, ramp_s=5, pages=pages, work=work, server_pids=server_pids,
                      client_cpu=client_cpu)
    series = [r for _, r in step["rss_series_mb"]]
    tenth = max(1, len(series) // 10)
    first, last = sum(series[tenth:2 * tenth]) / tenth, sum(series[-tenth:]) / tenth
    return {"users": users, "seconds": seconds, "p95_s": step["p95_s"], "errors": step["errors"],
            "rss_early_mb": first, "rss_end_mb": last, "growth": last / first - 1 if first else None,
            "series_mb": step["rss_series_mb"][:: max(1, len(series) // 60)]}


def warm(host: str, pages: str, *, every_community: bool = False) -> None:
    """One session through every page (and, when asked, every community on each): imports and caches are
    warm before anything is timed, as on a server that has been up for a while."""
    from devtools.st_client import Session

    s = Session(host, timeout=120)
    try:
        s.rerun()
        s.rerun()  # a fresh process runs its very first session once in legacy page mode
        choices = [None, *(s.options.get("社区", []) if every_community else [])]
        for page in [p for p in pages.split(",") if p] or [""]:
            for c in choices:
                s.rerun(page=page, query=f"community={c}" if c else "", strings={"社区": c} if c else None)
    finally:
        s.close()


@contextlib.contextmanager
def _single(db_url: str, work: Path, app: str, cpu: int):
    from devtools import streamlit_server as ss

    server = ss.start(db_url, work / f"{Path(app).stem}.log", app=app, cpu=cpu)
    try:
        server.wait_healthy()
        yield server
    finally:
        server.stop()


def measure(db_url: str, work: Path, *, quick: bool, pg: bool) -> dict:
    cfg = MODES["quick" if quick else "full"]
    out: dict = {"mode": "quick" if quick else "full", "p95_limit_s": P95_LIMIT, "cores": os.cpu_count(),
                 "database": "postgresql" if pg else "sqlite"}
    log("  (a) floor app, 1 process on CPU 0, client on CPU 1")
    with _single(db_url, work, "bench/floor_serve.py", 0) as floor:
        warm(floor.url, "")
        out["floor"] = ramp(floor.url, cfg, pages="", work=work, server_pids=[floor.pid], client_cpu=1)
        out["floor"]["memory"] = memory_per_session(floor.url, [floor.pid], cfg["mem_sessions"])
    log("  (b) dashboard, 1 replica on CPU 0, client on CPU 1")
    with _single(db_url, work, "serve.py", 0) as one:
        warm(one.url, PAGES, every_community=cfg["warm_all"])
        out["one"] = ramp(one.url, cfg, pages=PAGES, work=work, server_pids=[one.pid], client_cpu=1)
        out["one"]["memory"] = memory_per_session(one.url, [one.pid], cfg["mem_sessions"])
        if cfg["soak_s"]:
            users = max(2, int(out["one"]["capacity"] * 0.8))
            log(f"  soak: {users} users for {cfg['soak_s']} s")
            out["soak"] = soak(one.url, users, cfg["soak_s"], pages=PAGES, work=work, server_pids=[one.pid],
                               client_cpu=1)
    if not cfg["replicas"]:
        return out
    log("  (c) dashboard behind nginx, 2 replicas on CPUs 0 and 1 (client shares the cores)")
    try:
        from deploy import local

        local.ensure_nginx()
    except Exception as exc:  # noqa: BLE001
        out["two"] = {"error": f"nginx unavailable: {exc}"}
        return out
    run_dir = work / "deploy"
    state = local.up(replicas=2, port=_free_port(), run_dir=run_dir, db_url=db_url, pin=True)
    try:
        pids = [p.pid for p in state.procs if p.name.startswith("replica")]
        for p in state.replicas():
            warm(f"http://127.0.0.1:{p.port}", PAGES, every_community=cfg["warm_all"])
        out["two"] = ramp(state.url, cfg, pages=PAGES, work=work, server_pids=pids, client_cpu=None)
    finally:
        local.down(run_dir)
    return out


def _free_port() -> int:
    from devtools.streamlit_server import free_port

    return free_port()


def row(r: dict) -> dict:
    """The `make bench` table row (bench/report.py)."""
    c = r.get("capacity")
    if not c:
        return {"figure": "7 capacity (protocol level)", "measured": "not run", "target": "—", "met": "—"}
    f, one, two = c["floor"]["capacity"], c["one"]["capacity"], (c.get("two") or {}).get("capacity")
    if c["mode"] == "quick":
        return {"figure": "7 capacity (protocol level)", "measured": f"quick: floor and 1 replica ran {c['floor']['steps'][0]['users']} "
                f"Locust users (p95 {c['floor']['steps'][0]['p95_s'] * 1000:.0f} / {c['one']['steps'][0]['p95_s'] * 1000:.0f} ms, "
                f"errors {c['floor']['steps'][0]['errors'] + c['one']['steps'][0]['errors']}); capacity in the full run",
                "target": "runs", "met": "—"}
    ratio1 = one / f if f else float("nan")
    ratio2 = two / one if one and two is not None else float("nan")
    lim = "≥" if not c["floor"].get("bounded") else ""
    mem = c["one"]["memory"]["per_session_mb"]
    soak_txt = f"; soak {c['soak']['growth'] * 100:+.1f}% RSS" if c.get("soak") else ""
    measured = (f"sessions at p95 ≤ 1 s: floor {lim}{f}, dashboard 1 replica {one} ({ratio1:.0%}), 2 replicas "
                f"{two if two is not None else 'n/a'} ({ratio2:.1f}×); {mem:.1f} MB/session{soak_txt}")
    met = ratio1 >= 0.5 and ratio2 >= 1.8
    return {"figure": "7 capacity (protocol level)", "measured": measured,
            "target": "dashboard ≥ 50% of floor; 2 replicas ≥ 1.8× one", "met": "yes" if met else "no"}


def seeded_database(name: str, work: Path, db_url: str | None = None) -> str:
    """`db_url`, else a fresh PostgreSQL scratch database `name` when reachable, else a SQLite file; seeded (the seed
    adds only what is missing)."""
    if not db_url:
        from bench.run import pg_url

        db_url = pg_url(name + os.environ.get("TEST_DB_SUFFIX", "")) or f"sqlite:///{work / (name + '.db')}"
    from devtools import streamlit_server as ss

    ss.seed(db_url)
    return db_url


def run(work: Path, *, quick: bool, db_url: str | None = None) -> dict:
    db_url = seeded_database("guangwu_capacity", work, db_url)
    return measure(db_url, work, quick=quick, pg=db_url.startswith("postgresql"))


def details(c: dict) -> list[str]:
    """Per target and level: p95, errors, server/client CPU; memory per session; soak."""
    lines = [f"  capacity ({c['database']}, {c['cores']} cores; a level holds at rerun p95 ≤ 1 s with 0 errors):"]
    names = {"floor": "(a) floor app, CPU 0", "one": "(b) dashboard 1 replica, CPU 0", "two": "(c) nginx + 2 replicas"}
    for key, label in names.items():
        block = c.get(key) or {}
        if "error" in block:
            lines.append(f"    {label}: {block['error']}")
            continue
        for st in block.get("steps", []):
            lines.append(f"    {label}: {st['users']:4d} users p95 {st['p95_s'] * 1000:6.0f} ms (n={st['reruns']}) "
                         f"errors {st['errors']} server CPU {st['server_cpu_pct']:4.0f}% client CPU "
                         f"{st['client_cpu_pct']:4.0f}% machine {st['machine_cpu_pct']:4.0f}%, "
                         f"{st.get('server_cpu_ms_per_rerun', float('nan')):.1f} ms server CPU per rerun")
        if block.get("memory"):
            m = block["memory"]
            lines.append(f"    {label}: {m['per_session_mb']:.2f} MB per session ({m['sessions']} sessions, "
                         f"{m['baseline_mb']:.0f} → {m['loaded_mb']:.0f} MB)")
    if c.get("soak"):
        s = c["soak"]
        lines.append(f"    soak: {s['users']} users {s['seconds']:.0f} s, p95 {s['p95_s'] * 1000:.0f} ms, errors "
                     f"{s['errors']}, RSS {s['rss_early_mb']:.0f} → {s['rss_end_mb']:.0f} MB ({s['growth'] * 100:+.1f}%)")
    return lines


def cli(measure_run, doc: str, argv: list[str] | None = None) -> int:
    """`python -m bench.capacity|bench.failover [--quick] [--database-url URL]`: run it, print its JSON."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--database-url", help="default: a fresh PostgreSQL scratch database, else SQLite")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="guangwu-bench-") as tmp:
        result = measure_run(Path(tmp), quick=args.quick, db_url=args.database_url)
    print(json.dumps(result, ensure_ascii=False, default=str))
    return 0


def main(argv: list[str] | None = None) -> int:
    return cli(run, __doc__, argv)


if __name__ == "__main__":
    raise SystemExit(main())
