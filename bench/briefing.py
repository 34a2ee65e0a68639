"""8 briefing pack: seconds to build the PDF + xlsx of a scope (issue #14: ready in ≤ 3 s).

Run in a fresh process (`python -m bench.briefing --database-url URL`) so the first build pays what the
first click in a running app pays: the pack's own imports, font registration, the chart renderer's start.
What a running app has already loaded (Streamlit, Altair, pandas, the queries, the chart builders) is
imported before the clock starts.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_S = 3.0
SCOPES = {"全街道": None, "中兴": "中兴"}


def measure(db_url: str, *, repeat: int) -> dict:
    """The JSON result of this module run in a subprocess."""
    done = subprocess.run([sys.executable, "-m", "bench.briefing", "--database-url", db_url, "--repeat", str(repeat)],
                          cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"error": f"briefing bench failed ({done.returncode}): {done.stderr[-1500:]}"}
    return json.loads(lines[-1])


def row(r: dict) -> dict:
    b = r["briefing"]
    worst = max(b["first_s"].values())
    measured = (f"first build {', '.join(f'{k} {v:.2f} s' for k, v in b['first_s'].items())}; then median "
                f"{', '.join(f'{k} {v:.2f} s' for k, v in b['warm_s'].items())}; {b['pages']} pages, "
                f"{b['pdf_kb']:.0f} KB PDF")
    return {"figure": "8 briefing pack (PDF + xlsx)", "measured": measured, "target": f"≤ {TARGET_S:.0f} s",
            "met": "yes" if worst <= TARGET_S else "MISSED"}


def _main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    sys.path.insert(0, str(REPO))
    import lib.queries.care  # noqa: F401  (all loaded in a running app)
    import lib.queries.map_data  # noqa: F401
    import ui.charts  # noqa: F401

    t = time.perf_counter()
    from pypdf import PdfReader

    from ui.briefing_pack import pack_files
    first, warm, pages, size = {}, {}, 0, 0
    for name, community in SCOPES.items():
        times = []
        for _ in range(1 + args.repeat):
            pdf, _xlsx = pack_files(community=community, as_of=None)
            times.append(time.perf_counter() - t)
            t = time.perf_counter()
        first[name], warm[name] = times[0], statistics.median(times[1:]) if args.repeat else times[0]
        import io

        pages, size = len(PdfReader(io.BytesIO(pdf)).pages), len(pdf)
    print(json.dumps({"first_s": first, "warm_s": warm, "pages": pages, "pdf_kb": size / 1024}))


if __name__ == "__main__":
    _main()
