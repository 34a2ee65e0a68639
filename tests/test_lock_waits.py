"""A write waiting behind another writer gets its Chinese message within seconds with the DEFAULT settings.

With the defaults a form waited 30 s behind a PostgreSQL row lock (no lock_timeout: only the 30 s write limit bounded
it) and 15 s behind another SQLite writer in the same process (a hard-coded queue, not DB_LOCK_WAIT_SECONDS = 5)."""
from __future__ import annotations

import threading
import time

import pytest
from abuse_helpers import assert_unchanged, row_counts
from fault_helpers import reset_caches
from sqlalchemy import text
from staff_fixtures import PASSWORD, _staff_templates, world  # noqa: F401

from lib import auth, config, db
from lib.errors import DatabaseUnavailable
from lib.writes.base import take_writer_turn

PROMISE_SECONDS = 10  # as tests/test_db_faults.py


@pytest.fixture
def defaults(world):
    """A fresh engine on the world's database with the shipped settings (no test overrides)."""
    reset_caches()
    engine = db.get_engine(world.engine.url.render_as_string(hide_password=False))
    yield engine
    engine.dispose()
    reset_caches()


def test_a_write_behind_another_writer_is_told_within_seconds(world, defaults):
    wait = config.Settings().db_lock_wait_seconds
    before = row_counts(world.engine)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:  # another writer: PostgreSQL, the account's row; SQLite, this process's writer turn
        with db.session_scope(world.engine) as s:
            if world.backend == "postgresql":
                s.execute(text("SELECT 1 FROM app_user WHERE username = 'zx' FOR UPDATE"))
            else:
                take_writer_turn(s)
            held.set()
            release.wait(PROMISE_SECONDS * 4)

    other = threading.Thread(target=hold)
    other.start()
    try:
        assert held.wait(10)
        started = time.monotonic()
        with pytest.raises(DatabaseUnavailable) as err:
            auth.set_password("zx", "another-pass-9", by=world.admin, engine=defaults, rounds=4)
        elapsed = time.monotonic() - started
    finally:
        release.set()
        other.join()
    assert err.value.message.startswith("数据库正忙") or err.value.message.startswith("数据库繁忙"), err.value.message
    assert f"{wait} 秒" in err.value.message
    assert wait - 0.5 < elapsed < PROMISE_SECONDS, elapsed
    assert_unchanged(world.engine, before)
    assert auth.authenticate("zx", PASSWORD, engine=world.engine) == world.staff, "the old password still holds"
