"""Run a few lines of Python in a fresh interpreter at the repository root (process-wide settings such as
the garbage collector or a socket option are then tried without touching the test process)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def last_line(code: str) -> str:
    """The last line the child printed; the child must exit 0."""
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]
