"""The checkout itself: no merge left half-done (conflict markers in any tracked text file)."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^(<{7}|>{7}) |^={7}$", re.M)
TEXT = (".py", ".md", ".toml", ".txt", ".typ", ".cfg", ".ini", ".conf", ".json", ".css", ".js", ".sh", "Makefile")


def test_no_conflict_markers_in_tracked_files():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    found = [f for f in files if f.endswith(TEXT) and (ROOT / f).is_file()
             and MARKER.search((ROOT / f).read_text(encoding="utf-8", errors="replace"))]
    assert not found, f"合并冲突标记未解决 / unresolved conflict markers in: {found}"
