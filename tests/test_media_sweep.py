"""deploy/media_sweep.py: Streamlit's sweep for orphaned media files and download callables runs at most once an
interval per process, not after every run (it walks every session's files: O(sessions) a run), and a sweep still
removes everything orphaned by then."""
from __future__ import annotations

import logging

import pytest
import streamlit.runtime.media_file_manager as mfm
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from deploy import media_sweep


@pytest.fixture
def manager(monkeypatch):
    """A real MediaFileManager, the throttle installed, a clock the test moves, and the current session settable."""
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    now, session = [1000.0], ["a"]
    monkeypatch.setattr(media_sweep.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(mfm, "_get_session_id", lambda: session[0])
    media_sweep.throttle()
    try:
        yield mfm.MediaFileManager(MemoryMediaFileStorage("/media")), now, session
    finally:
        media_sweep.restore()


def _files(mgr, session, name):
    """One download (deferred, as the dashboard's buttons are) and one picture for `session`."""
    return (mgr.add_deferred(lambda: b"pdf", "application/pdf", f"{name}.pdf", file_name=f"{name}.pdf"),
            mgr.add(f"png {name}".encode(), "image/png", f"{name}.png").rsplit("/", 1)[1].split(".")[0])


def _held(mgr) -> set[str]:
    return set(mgr._deferred_callables) | set(mgr._file_metadata)


def test_a_sweep_runs_at_most_once_an_interval_and_removes_what_was_orphaned_by_then(manager):
    mgr, now, session = manager
    a = _files(mgr, session, "a")
    session[0] = "b"
    b = _files(mgr, session, "b")
    mgr.clear_session_refs("a")  # session a ended
    mgr.remove_orphaned_files()  # the first sweep runs
    assert _held(mgr) == set(b)
    mgr.clear_session_refs("b")
    now[0] += media_sweep.SWEEP_INTERVAL_S / 2
    mgr.remove_orphaned_files()  # within the interval: returns at once
    assert _held(mgr) == set(b)
    now[0] += media_sweep.SWEEP_INTERVAL_S / 2
    mgr.remove_orphaned_files()
    assert _held(mgr) == set() and not set(a) & _held(mgr)


def test_files_still_shown_are_never_swept(manager):
    mgr, now, session = manager
    kept = _files(mgr, session, "a")
    for _ in range(3):
        now[0] += media_sweep.SWEEP_INTERVAL_S
        mgr.remove_orphaned_files()
    assert _held(mgr) == set(kept)


def test_a_burst_of_runs_pays_for_one_sweep(manager, monkeypatch):
    mgr, now, _ = manager
    swept = []
    monkeypatch.setattr(media_sweep, "_ORIGINAL", lambda self: swept.append(self))
    for _ in range(200):  # 200 runs finishing within one interval
        now[0] += media_sweep.SWEEP_INTERVAL_S / 400
        mgr.remove_orphaned_files()
    assert swept == [mgr]


def test_restore_gives_back_streamlits_sweep(manager):
    mgr, _, session = manager
    assert media_sweep.installed()
    media_sweep.restore()
    assert not media_sweep.installed()
    _files(mgr, session, "a")
    mgr.clear_session_refs("a")
    mgr.remove_orphaned_files()
    mgr.remove_orphaned_files()  # Streamlit's own: every call sweeps
    assert _held(mgr) == set()
