"""The systemd units of a real deployment (deploy/systemd/, README 部署): valid for systemd, and an upgrade
that re-runs the migration (README step 6) does not restart every replica at once."""
from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

UNITS = Path(__file__).resolve().parents[1] / "deploy" / "systemd"


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in systemd
    parser.read(UNITS / name, encoding="utf-8")
    return parser


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze 未安装")
def test_units_verify(tmp_path):
    for unit in UNITS.glob("*.service"):
        shutil.copy(unit, tmp_path / unit.name.replace("@.", "@8501."))
    shutil.copy(UNITS / "guangwu-backup.timer", tmp_path)
    names = sorted(str(p) for p in tmp_path.iterdir())
    done = subprocess.run(["systemd-analyze", "verify", *names], capture_output=True, text=True, timeout=60)
    # /opt/guangwu is where the README installs the code; it is not on a test machine
    problems = [line for line in done.stderr.splitlines() if line and "/opt/guangwu/" not in line]
    assert problems == []


def test_restarting_the_migration_leaves_the_replicas_running():
    """Requires=/BindsTo=/PartOf= would propagate `systemctl restart guangwu-migrate` to every replica: all
    browsers dropped at once. The replica only orders itself after the migration (and /readyz keeps a
    replica whose schema is behind out of rotation)."""
    unit = _unit("guangwu@.service")["Unit"]
    for key in ("Requires", "BindsTo", "PartOf", "Requisite"):
        assert "guangwu-migrate.service" not in unit.get(key, ""), key
    assert "guangwu-migrate.service" in unit["After"] and "guangwu-migrate.service" in unit["Wants"]


def test_each_replica_names_its_database_connections_after_its_port():
    """pg_stat_activity shows which replica holds which connections (lib.db: DB_APPLICATION_NAME)."""
    from lib.config import Settings

    assert _unit("guangwu@.service")["Service"]["Environment"] == "DB_APPLICATION_NAME=guangwu@%i"
    assert "db_application_name" in Settings.__dataclass_fields__


def test_no_unit_writes_core_files():
    """A crashed process's core file is its memory: residents' names, phone numbers, photos. No unit that reads the
    data may leave one (systemd-coredump keeps them under /var/lib/systemd/coredump, readable by administrators)."""
    for name in ("guangwu@.service", "guangwu-migrate.service", "guangwu-backup.service"):
        assert _unit(name)["Service"].get("LimitCORE") == "0", name
