"""Backups while the app runs: `python -m lib.backup [--dir D] [--keep N] [--database-url URL]`.

- SQLite: the online backup API (`sqlite3.Connection.backup`) copies a consistent snapshot while
  readers and writers carry on (WAL); no need to stop the app.
- PostgreSQL: `pg_dump --format=custom` (Debian's postgresql-client) inside an exported snapshot, so
  the manifest's fingerprint describes exactly what the dump holds.

Each backup is one file `guangwu-<UTC time>.sqlite3|.dump` plus `<file>.json`, a manifest with every
table's row count and SHA-256 of its contents (photos included); `lib.restore` checks a restore
against it. Backups beyond the newest `--keep` are deleted (retention).
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Connection, Engine, MetaData, create_engine, select, text
from sqlalchemy.engine import URL, make_url

from lib.config import settings
from lib.db import describe, get_engine
from lib.errors import BackupError, DashboardError

PREFIX = "guangwu-"
SUFFIXES = (".sqlite3", ".dump")


def _norm(value: object) -> object:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if value is None or isinstance(value, (str, int, bool)):
        return value
    return str(value)


def fingerprint_conn(conn: Connection) -> dict[str, dict[str, object]]:
    """{table: {"rows": n, "sha256": digest}} for every table, rows in primary-key order."""
    meta = MetaData()
    meta.reflect(conn)
    out: dict[str, dict[str, object]] = {}
    for name in sorted(meta.tables):
        tbl = meta.tables[name]
        order = list(tbl.primary_key.columns) or list(tbl.columns)
        digest, rows = hashlib.sha256(), 0
        for row in conn.execute(select(tbl).order_by(*order)):
            digest.update(json.dumps([_norm(v) for v in row], ensure_ascii=False).encode())
            digest.update(b"\n")
            rows += 1
        out[name] = {"rows": rows, "sha256": digest.hexdigest()}
    return out


def fingerprint(engine: Engine) -> dict[str, dict[str, object]]:
    with engine.connect() as conn:
        return fingerprint_conn(conn)


def fingerprint_file(path: Path) -> dict[str, dict[str, object]]:
    """Fingerprint of a SQLite file, through a throwaway engine (no pragmas, nothing cached)."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        return fingerprint(engine)
    finally:
        engine.dispose()


def libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string for pg_dump/pg_restore (password passed in the environment, not argv)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    conninfo = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return conninfo, env


def pg_tool(name: str) -> str:
    """Debian's client binary (newest installed version), or the one on PATH."""
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    path = str(found[-1]) if found else shutil.which(name)
    if not path:
        raise BackupError(f"未找到 {name}：请安装 postgresql-client（apt-get install postgresql-client）。")
    return path


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")


def copy_sqlite(source: Path | str, target: Path | str) -> None:
    """SQLite's online backup API: a consistent copy of `source` while others read and write it."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target, timeout=30)
    try:
        with dst:
            src.backup(dst)
    finally:
        src.close()
        dst.close()


def _backup_sqlite(engine: Engine, target: Path) -> dict:
    source = make_url(str(engine.url)).database
    if not source or source == ":memory:" or not Path(source).is_file():
        raise BackupError(f"SQLite 数据库文件不存在：{source}")
    copy_sqlite(source, target)
    return fingerprint_file(target)


def _backup_postgres(engine: Engine, target: Path) -> dict:
    conninfo, env = libpq(engine.url)
    with engine.connect() as conn:
        conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        conn.execute(text("SET LOCAL idle_in_transaction_session_timeout = 0"))  # idle while pg_dump reads it
        snapshot = conn.scalar(text("SELECT pg_export_snapshot()"))
        done = subprocess.run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                               f"--snapshot={snapshot}", "--file", str(target), "--dbname", conninfo],
                              env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise BackupError(f"pg_dump 失败：{done.stderr.strip()[-400:]}")
        tables = fingerprint_conn(conn)
        conn.rollback()
    return tables


def backup(directory: Path, *, engine: Engine | None = None, keep: int | None = None) -> Path:
    """Write one backup of `engine`'s database into `directory`; return its path."""
    engine = engine or get_engine()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    sqlite = engine.url.get_backend_name() == "sqlite"
    target = directory / f"{PREFIX}{_stamp()}{SUFFIXES[0] if sqlite else SUFFIXES[1]}"
    partial = target.with_name(target.name + ".partial")
    try:
        tables = _backup_sqlite(engine, partial) if sqlite else _backup_postgres(engine, partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.rename(target)
    manifest = {"file": target.name, "backend": engine.url.get_backend_name(), "source": describe(engine),
                "created_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "tables": tables}
    Path(f"{target}.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    if keep:
        prune(directory, keep)
    return target


def backups(directory: Path) -> list[Path]:
    """Backup files in `directory`, oldest first."""
    return sorted(p for p in Path(directory).glob(f"{PREFIX}*") if p.suffix in SUFFIXES)


def last_success(directory: Path) -> float:
    """When the newest finished backup in `directory` was made (its manifest is written last), as a Unix
    time; 0.0 when there is none (monitoring: GuangwuBackupStale in deploy/prometheus/guangwu.yml)."""
    for path in reversed(backups(directory)):
        try:
            manifest = json.loads(Path(f"{path}.json").read_text(encoding="utf-8"))
            return dt.datetime.fromisoformat(manifest["created_utc"]).timestamp()
        except (OSError, ValueError, KeyError, TypeError):
            continue  # no manifest yet (or a damaged one): not a finished backup
    return 0.0


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups (and their manifests); return what was deleted."""
    old = backups(directory)[:-keep] if keep > 0 else []
    for path in old:
        path.unlink(missing_ok=True)
        Path(f"{path}.json").unlink(missing_ok=True)
    return old


def main(argv: list[str] | None = None) -> int:
    cfg = settings()
    parser = argparse.ArgumentParser(description="在线备份数据库（SQLite 在线备份 / PostgreSQL pg_dump 自定义格式）")
    parser.add_argument("--database-url", help="默认取 DATABASE_URL")
    parser.add_argument("--dir", default=cfg.backup_dir, help=f"备份目录（默认 {cfg.backup_dir}）")
    parser.add_argument("--keep", type=int, default=cfg.backup_keep, help=f"保留最新几份（默认 {cfg.backup_keep}，0 = 全部保留）")
    args = parser.parse_args(argv)
    try:
        path = backup(Path(args.dir), engine=get_engine(args.database_url), keep=args.keep)
    except DashboardError as exc:
        print(f"备份失败：{exc.message}", file=sys.stderr)
        return 2
    print(f"备份完成：{path}（{path.stat().st_size} 字节；清单 {path.name}.json）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
