"""Performance benchmark of the dashboard: `python -m bench.run [--quick]` (see bench/run.py)."""
