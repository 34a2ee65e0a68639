"""Backup and restore round-trip on SQLite and PostgreSQL: every table's rows and checksum, photos included."""
from __future__ import annotations

import json
import os

import pytest
from db_helpers import fresh_engine
from sqlalchemy import select, text

from lib import backup as backup_mod
from lib import restore as restore_mod
from lib.db import session_scope
from lib.errors import BackupError
from lib.models import Community, Photo, SiteCheck
from lib.seed import seed

PHOTO = bytes(range(256)) * 40 + os.urandom(1024)


def _with_photo(engine) -> None:
    seed(engine)
    with session_scope(engine) as s:
        check_id = s.scalar(select(SiteCheck.id).order_by(SiteCheck.id).limit(1))
        s.add(Photo(check_id=check_id, mime="image/jpeg", data=PHOTO))


def test_round_trip(empty_engine, tmp_path):
    _with_photo(empty_engine)
    backend = empty_engine.url.get_backend_name()
    path = backup_mod.backup(tmp_path / "b", engine=empty_engine)
    manifest = json.loads((tmp_path / "b" / f"{path.name}.json").read_text(encoding="utf-8"))
    assert manifest["tables"] == backup_mod.fingerprint(empty_engine)
    assert manifest["tables"]["photo"]["rows"] == 1
    assert manifest["tables"]["household_event"]["rows"] > 100

    target = fresh_engine(backend, tmp_path / "restore", database="guangwu_restore")
    restore_mod.restore(path, engine=target)
    assert backup_mod.fingerprint(target) == manifest["tables"]
    with session_scope(target) as s:
        assert s.scalar(select(Photo.data)) == PHOTO
        assert s.scalar(select(Community.name).where(Community.name == "中兴")) == "中兴"

    # a second restore over the now non-empty target is refused without --force, and nothing changes
    with pytest.raises(BackupError, match="非空"):
        restore_mod.restore(path, engine=target)
    restore_mod.restore(path, engine=target, force=True)
    assert backup_mod.fingerprint(target) == manifest["tables"]


def test_restore_detects_a_damaged_manifest(empty_engine, tmp_path):
    """Verification is real: a manifest that disagrees with the data fails the restore and names the table."""
    _with_photo(empty_engine)
    backend = empty_engine.url.get_backend_name()
    path = backup_mod.backup(tmp_path / "b", engine=empty_engine)
    manifest_path = tmp_path / "b" / f"{path.name}.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["tables"]["photo"]["sha256"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    target = fresh_engine(backend, tmp_path / "r", database="guangwu_restore")
    with pytest.raises(BackupError) as err:
        restore_mod.restore(path, engine=target)
    assert any("photo" in d for d in err.value.details)


def test_sqlite_backup_while_a_writer_holds_a_transaction(tmp_path):
    """Online: a backup taken while another connection is mid-write succeeds and holds only committed rows."""
    engine = fresh_engine("sqlite", tmp_path)
    _with_photo(engine)
    before = backup_mod.fingerprint(engine)
    with engine.connect() as writer:
        writer.execute(text("INSERT INTO audit_log (at, username, action, table_name) "
                            "VALUES ('2026-01-01', 'x', 'insert', 'fact')"))
        path = backup_mod.backup(tmp_path / "b", engine=engine)  # the write is still open
        writer.commit()
    assert backup_mod.fingerprint_file(path) == before
    assert backup_mod.fingerprint(engine)["audit_log"]["rows"] == before["audit_log"]["rows"] + 1


def test_retention_keeps_the_newest(tmp_path):
    engine = fresh_engine("sqlite", tmp_path)
    _with_photo(engine)
    made = [backup_mod.backup(tmp_path / "b", engine=engine, keep=2) for _ in range(3)]
    assert backup_mod.backups(tmp_path / "b") == made[1:]
    assert not (tmp_path / "b" / f"{made[0].name}.json").exists()


def test_cli_round_trip(tmp_path, capsys):
    engine = fresh_engine("sqlite", tmp_path)
    _with_photo(engine)
    assert backup_mod.main(["--database-url", str(engine.url), "--dir", str(tmp_path / "b"), "--keep", "3"]) == 0
    (path,) = backup_mod.backups(tmp_path / "b")
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    assert restore_mod.main([str(path), "--database-url", target]) == 0
    assert "行数与校验和均与备份一致" in capsys.readouterr().out
    assert restore_mod.main([str(path), "--database-url", target]) == 2
    assert "目标数据库非空" in capsys.readouterr().err
