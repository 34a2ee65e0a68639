"""Server-side time per page (AppTest, in-process) and per query, against one database.

Run in a subprocess so DATABASE_URL, imports and caches are fresh:
`python -m bench.apptime --database-url URL [--repeat N] [--queries]` prints one JSON object.
cold = the page's first run after `st.cache_data.clear()` (imports already done by a warm-up run);
warm = median of `repeat` reruns with the caches filled. Query times are the plain `lib` calls
(no Streamlit cache), median of `repeat` calls after one warm-up call.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGES = {"overview": "pages/overview.py", "stars": "pages/stars.py", "model": "pages/model_communities.py",
         "relocation": "pages/relocation.py", "eldercare": "pages/eldercare.py", "profiles": "pages/profiles.py",
         "checks": "pages/checks.py", "sources": "pages/sources.py"}


def _clock(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _problems(at) -> list[str]:
    out = [str(e.value)[:200] for e in at.exception]
    out += [str(i.value)[:200] for i in at.info if "暂时无法显示" in str(i.value)]
    return out


def page_times(pages: list[str], repeat: int) -> dict:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    first = _clock(at.run)  # imports, engine, first overview run
    out = {"first_run_s": first, "pages": {}}
    for name in pages:
        st.cache_data.clear()
        cold = _clock(lambda name=name: at.switch_page(PAGES[name]).run())
        warm = [_clock(at.run) for _ in range(repeat)]
        out["pages"][name] = {"cold_s": cold, "warm_s": statistics.median(warm), "warm_all_s": warm,
                              "problems": _problems(at)}
    return out


def _queries() -> dict:
    from geo.deck import build_deck
    from lib.queries import care, checks, communities, map_data, model_communities, relocation, stars

    def deck():
        values = map_data.community_metric("stars").set_index("community")["value"].to_dict()
        pts = [{"lon": r.lon, "lat": r.lat, "name": r.category}
               for r in checks.site_checks(open_only=True).itertuples()]
        return build_deck(layers=map_data.map_layers(), community_values=values, extra_points=pts)

    return {
        "data_as_of": communities.data_as_of,
        "subdistrict_overview": communities.subdistrict_overview,
        "community_summary": communities.community_summary,
        "community_profile": lambda: communities.community_profile("中兴"),
        "star_matrix": stars.star_matrix,
        "star_counts": stars.star_counts,
        "star_progress": stars.star_progress,
        "model_status": model_communities.model_status,
        "model_timeline": model_communities.model_timeline,
        "improvement_projects": model_communities.improvement_projects,
        "relocation.headline": relocation.headline,
        "relocation.burnup": relocation.burnup,
        "relocation.household_status(200)": lambda: relocation.household_status(limit=200),  # as the page
        "relocation.status_counts": relocation.status_counts,
        "care.facilities": care.facilities,
        "care.occupancy_series": lambda: care.occupancy_series(facility="care_centre"),
        "care.current_occupancy": lambda: care.current_occupancy(facility="care_centre"),
        "checks.site_checks(open)": lambda: checks.site_checks(open_only=True),
        "map_layers": map_data.map_layers,
        "community_metric(stars)": lambda: map_data.community_metric("stars"),
        "community_metric(model)": lambda: map_data.community_metric("model"),
        "community_metric(relocation)": lambda: map_data.community_metric("relocation"),
        "community_metric(care)": lambda: map_data.community_metric("care"),
        "build_deck(overview)": deck,
    }


def query_times(repeat: int) -> dict:
    out = {}
    for name, fn in _queries().items():
        fn()
        out[name] = statistics.median(_clock(fn) for _ in range(repeat))
    return out


def deck_info() -> dict:
    """The overview's map spec as the app sends it: size, per layer, and whether a rerun changes it."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300).run()

    def spec() -> str | None:
        els = at.get("deck_gl_json_chart")
        return els[0].proto.json if els else None

    first = spec()
    if first is None:
        return {"error": "overview drew no map", "problems": _problems(at)}
    at.run()
    again = spec()
    at.session_state["community"] = "中兴"
    at.run()
    selected = spec()
    layers = {lyr.get("id"): len(json.dumps(lyr, ensure_ascii=False).encode())
              for lyr in json.loads(first).get("layers", [])}
    return {"spec_bytes": len(first.encode()), "same_json_on_rerun": first == again,
            "changed_on_selection": selected != first, "layer_bytes": layers}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--queries", action="store_true")
    parser.add_argument("--no-pages", action="store_true")
    parser.add_argument("--deck", action="store_true")
    parser.add_argument("--reference-url", help="measure this database first, in the same process, as `reference`")
    args = parser.parse_args(argv)
    if os.environ.get("DATABASE_URL") != args.database_url:  # settings are read once: re-exec with the URL
        env = {**os.environ, "DATABASE_URL": args.database_url}
        os.execve(sys.executable, [sys.executable, "-m", "bench.apptime", *(argv or sys.argv[1:])], env)
    os.chdir(REPO)
    reference = None
    if args.reference_url:  # one process for both databases: saves an interpreter start and the imports
        _point_at(args.reference_url)
        reference = measure(args, deck=False)
        _point_at(args.database_url)
    result = measure(args, deck=args.deck)
    if reference is not None:
        result["reference"] = reference
    print(json.dumps(result, ensure_ascii=False))
    return 0


def _point_at(url: str) -> None:
    """Switch the data layer (settings, engine, Streamlit caches) to another database."""
    import streamlit as st

    from lib import config, db

    os.environ["DATABASE_URL"] = url
    config.settings.cache_clear()
    db.get_engine.cache_clear()
    st.cache_data.clear()


def measure(args, *, deck: bool) -> dict:
    result: dict = {"database": os.environ["DATABASE_URL"].split("@")[-1]}
    if deck:
        result["deck"] = deck_info()
    if args.queries:
        result["queries"] = query_times(args.repeat)
    if not args.no_pages:
        result.update(page_times([p for p in args.pages.split(",") if p], args.repeat))
    return result


if __name__ == "__main__":
    raise SystemExit(main())
