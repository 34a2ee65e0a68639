"""Restore a backup made by `lib.backup`: `python -m lib.restore FILE [--database-url URL] [--force]`.

- `.sqlite3` → a SQLite database file (through the backup API, so the target is written atomically
  page by page and stays a valid database);
- `.dump` → PostgreSQL through `pg_restore` (one transaction: all or nothing).

By default the target must be empty (a fresh database): restoring over live data needs `--force`, and
the app should be stopped first. After restoring, every table's row count and checksum are compared
with the backup's manifest; any difference is an error.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine, inspect, text

from lib import data_version
from lib.backup import copy_sqlite, fingerprint, libpq, pg_tool
from lib.db import describe, get_engine
from lib.errors import BackupError, DashboardError


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(inspect(conn).get_table_names())


def _restore_sqlite(source: Path, engine: Engine) -> None:
    target = engine.url.database
    if not target or target == ":memory:":
        raise BackupError("恢复目标必须是 SQLite 数据库文件")
    engine.dispose()
    copy_sqlite(source, target)


def _restore_postgres(source: Path, engine: Engine, *, force: bool) -> None:
    if force:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    conninfo, env = libpq(engine.url)
    done = subprocess.run([pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction",
                           "--exit-on-error", "--dbname", conninfo, str(source)],
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"pg_restore 失败：{done.stderr.strip()[-400:]}")


def verify(engine: Engine, manifest: dict) -> None:
    """Raise BackupError naming every table whose rows or checksum differ from the manifest."""
    got = fingerprint(engine)
    want = manifest["tables"]
    bad = [f"{name}：应 {want.get(name, {}).get('rows')} 行，实 {got.get(name, {}).get('rows')} 行"
           for name in sorted(set(want) | set(got)) if want.get(name) != got.get(name)]
    if bad:
        raise BackupError("恢复后的数据与备份清单不一致", details=bad)


def restore(source: Path, *, engine: Engine | None = None, force: bool = False) -> dict:
    """Restore `source` into `engine`'s database and verify it; returns the manifest's tables."""
    source = Path(source)
    engine = engine or get_engine()
    if not source.is_file():
        raise BackupError(f"备份文件不存在：{source}")
    manifest_path = Path(f"{source}.json")
    if not manifest_path.is_file():
        raise BackupError(f"缺少备份清单：{manifest_path}")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    backend = engine.url.get_backend_name()
    if manifest["backend"] != backend:
        raise BackupError(f"备份来自 {manifest['backend']}，不能恢复到 {backend}（{describe(engine)}）")
    if _has_tables(engine) and not force:
        raise BackupError(f"目标数据库非空：{describe(engine)}。请恢复到新建的空数据库，或停止应用后加 --force 覆盖。")
    if backend == "sqlite":
        _restore_sqlite(source, engine)
    else:
        _restore_postgres(source, engine, force=force)
    verify(engine, manifest)
    data_version.forget()  # older data at this address: nothing kept in this process may outlive it
    return manifest["tables"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="从 lib.backup 的备份恢复数据库，并按清单逐表核对行数与校验和")
    parser.add_argument("file", type=Path, help="备份文件（.sqlite3 或 .dump）")
    parser.add_argument("--database-url", help="恢复目标，默认取 DATABASE_URL")
    parser.add_argument("--force", action="store_true", help="目标非空时覆盖（先停止应用）")
    args = parser.parse_args(argv)
    try:
        engine = get_engine(args.database_url)
        tables = restore(args.file, engine=engine, force=args.force)
    except DashboardError as exc:
        print("恢复失败：" + "\n".join([exc.message, *exc.details]), file=sys.stderr)
        return 2
    rows = sum(int(t["rows"]) for t in tables.values())
    print(f"恢复完成：{describe(engine)}，{len(tables)} 张表 {rows} 行，行数与校验和均与备份一致")
    return 0


if __name__ == "__main__":
    sys.exit(main())
