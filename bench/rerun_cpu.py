"""Server CPU time per rerun, per page: what one selection change costs the server (issue #15).

A real server (`streamlit run serve.py`, and the framework floor `bench/floor_app.py`, served by
`bench/floor_serve.py`) is driven at the protocol level (devtools.st_client, as bench/capacity.py's Locust user):
after a warm-up through every community, each page gets `n` reruns, each a change of the sidebar community (cycling
through all, and 全街道), and more while their CPU time spans fewer than MIN_CPU_S of /proc's 10 ms ticks. The
server's process CPU time (user + system, /proc) is read before and after; CPU time does not depend on how much of a
core a busy machine gives the server, so the figure is robust where wall-clock times are not.

    python -m bench.rerun_cpu [--database-url URL] [--n 30] [--pages overview,stars] [--port 8660]

prints one JSON object: per page {ms_per_rerun, reruns, bytes_per_rerun}, and the floor's.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

PAGES = ["overview", "stars", "model_communities", "relocation", "eldercare", "profiles", "checks"]
LABEL = "社区"
MIN_CPU_S = 0.2  # /proc counts CPU in 10 ms ticks: 20 ticks or more keep the figure's rounding within 5 %
MAX_RERUNS = 2000


def _choices(session) -> list[str | None]:
    return [None, *session.options.get(LABEL, [])]


def _select(session, page: str, choice: str | None):
    return session.rerun(page=page, query=f"community={choice}" if choice else "",
                         strings={LABEL: choice or ""} if LABEL in session.widget_ids else None)


def page_cost(url: str, pid: int, page: str, n: int) -> dict:
    """Warm the page through every community, then time `n` selection changes by the server's CPU."""
    from bench.stats import sample_process
    from devtools.st_client import Session

    s = Session(url, timeout=120)
    try:
        s.rerun(page=page)
        first = s.rerun(page=page)  # a fresh process runs its very first session once in legacy page mode
        if first.exceptions:  # a page showing the database message costs little and would be printed as cheap
            raise SystemExit(f"page {page or 'overview'} did not draw: {'; '.join(first.exceptions)}")
        choices = _choices(s)
        for c in choices:
            _select(s, page, c)
        cpu0 = sample_process(pid)[1]
        sent = done = cpu = 0
        while done < n or (cpu < MIN_CPU_S and done < MAX_RERUNS):  # past n until the ticks make a figure
            sent += _select(s, page, choices[(done + 1) % len(choices)]).bytes
            done += 1
            cpu = sample_process(pid)[1] - cpu0
    finally:
        s.close()
    return {"ms_per_rerun": cpu / done * 1000, "reruns": done, "bytes_per_rerun": sent // done}


def measure(db_url: str, work: Path, *, pages: list[str], n: int, port: int) -> dict:
    from devtools import streamlit_server as ss

    out: dict = {"n": n}
    runs = (("floor", "bench/floor_serve.py", [""], port + 1 if port else None),
            ("dashboard", "serve.py", pages, port or None))
    for name, app, todo, p in runs:
        server = ss.start(db_url, work / f"{name}.log", app=app, port=p)
        try:
            server.wait_healthy()
            out[name] = {page or "home": page_cost(server.url, server.pid, page, n) for page in todo}
        finally:
            server.stop()
    return out


def report(result: dict) -> list[str]:
    floor = result.get("floor", {}).get("home", {}).get("ms_per_rerun", float("nan"))
    lines = [f"server CPU per selection change (at least {result['n']} reruns each; floor {floor:.1f} ms):"]
    for page, r in result.get("dashboard", {}).items():
        ratio = f"{r['ms_per_rerun'] / floor:4.1f}x floor" if floor > 0 else "floor below the clock's 10 ms tick"
        lines.append(f"  {page:18s} {r['ms_per_rerun']:6.1f} ms  ({ratio}), "
                     f"{r['bytes_per_rerun'] / 1000:6.1f} kB sent, {r.get('reruns', result['n'])} reruns")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="seeded first; default: a fresh SQLite file")
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--port", type=int, default=0, help="dashboard port (the floor uses port + 1); 0: free ports")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="guangwu-rerun-") as tmp:
        work = Path(tmp)
        from devtools import streamlit_server as ss

        db_url = args.database_url or f"sqlite:///{work / 'seed.db'}"
        ss.seed(db_url)  # as bench/capacity.py: a given database may be empty (the seed adds only what is missing)
        result = measure(db_url, work, pages=[p for p in args.pages.split(",") if p], n=args.n, port=args.port)
    print("\n".join(report(result)), file=sys.stderr)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
