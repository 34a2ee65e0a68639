"""Every setting (lib/config.Settings) is documented in the README's 配置 table, by its environment variable."""
from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from lib.config import Settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_setting_has_a_row_in_the_readme():
    rows = "\n".join(line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| `"))
    missing = [f.name.upper() for f in fields(Settings) if f"`{f.name.upper()}`" not in rows]
    assert missing == []
