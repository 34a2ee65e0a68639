"""「汇报材料」 (PDF, xlsx) and 「简报图片」 (PNG) are built when asked, in the page's run: a database fault while
building is a Chinese message (never Streamlit's English 「Failed to generate file for download」), a signed-in
viewer's pack names who entered a figure, and a pack built for another scope or older data is never offered.

Each test asks as a person does: it presses 「生成…」 when the page has it, then takes each download as the
browser gets it — a deferred download (a callable for `data=`) is run the way Streamlit's download handler runs
it: on another thread, outside the script run, its failure reported in English.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
import streamlit.testing.v1.app_test as app_test_module
from PIL import Image
from pypdf import PdfReader
from staff_apptest import _staff_templates, engine, session_cookie  # noqa: F401 - fixtures
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from lib import auth, db, writes
from lib.errors import DatabaseUnavailable
from lib.models import Star
from shown_text import texts
from ui import bridge

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PROMISE_SECONDS = 10  # a database fault: a Chinese message within seconds
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"  # nothing listens on port 1
STREAMLIT_FAILURE = "Failed to generate file for download"  # what the browser shows when a deferred call fails
ENGLISH = re.compile(r"Failed|Traceback|Exception\b|Error:|error|File \"")
PACK_LABELS = ("汇报材料 PDF", "汇报数字 Excel")
DAY = dt.date(2024, 1, 5)
ZX = auth.Actor("zx", "中兴录入员", "社区工作人员", "中兴")


@dataclass
class Asked:
    at: AppTest
    seconds: float  # how long the request took (the run after pressing 「生成…」, or the deferred call)
    files: dict[str, bytes | str]  # download label → bytes, or the text the browser shows for a failed download


@pytest.fixture
def fetch(monkeypatch):
    """Keeps AppTest's media manager (a new one each run) so a download's bytes can be read back; returns
    fetch(button) → bytes, or Streamlit's failure text for a deferred call that raised."""
    managers: list[MediaFileManager] = []

    class Recording(MediaFileManager):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Recording)

    def get(button) -> bytes | str:
        manager, proto = managers[-1], button.proto
        if proto.deferred_file_id:  # as backend_operation_handler.DeferredFileHandler: a worker thread, no run
            result: dict[str, str] = {}

            def call() -> None:
                try:
                    result["url"] = manager.execute_deferred(proto.deferred_file_id)
                except Exception:  # noqa: BLE001 - the handler logs it and sends this text to the browser
                    result["failed"] = STREAMLIT_FAILURE
            worker = threading.Thread(target=call)
            worker.start()
            worker.join(120)
            if "failed" in result:
                return result["failed"]
            url = result["url"]
        else:
            url = proto.url
        return manager._storage.get_file(url.rsplit("/", 1)[-1]).content
    return get


def downloads(at: AppTest, *labels: str) -> list:
    return [b for b in at.get("download_button") if b.label.startswith(labels)]


def ask(at: AppTest, fetch, make_key: str, *labels: str) -> Asked:
    """Press 「生成…」 (`make_key`) when the page has it, then take every download whose label starts with one of
    `labels`."""
    started = time.monotonic()
    if make_key in [b.key for b in at.button]:
        at.button(key=make_key).click().run()
    files = {b.label: fetch(b) for b in downloads(at, *labels)}
    return Asked(at, time.monotonic() - started, files)


def shown(at: AppTest) -> list[str]:
    return [*texts(at.error), *texts(at.warning), *texts(at.info), *texts(at.exception), *texts(at.markdown),
            *texts(at.caption)]


def open_app(*, community: str | None = "中兴", screen: bool = False, token: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if screen:
        at.query_params["screen"] = "1"
        at.query_params["pause"] = "1"
    if token:
        at.session_state["auth.token"] = token
    at.session_state["community"] = community
    at.run()
    assert not at.exception, texts(at.exception)
    return at


def pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def xlsx_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v is not None)


def assert_chinese_fault(asked: Asked, prefix: str) -> None:
    at = asked.at
    assert asked.seconds < PROMISE_SECONDS, f"{asked.seconds:.1f} s"
    assert not at.exception, texts(at.exception)
    errors = texts(at.error)
    assert any(e.startswith(prefix) for e in errors), (errors, asked.files)
    english = [t for t in [*shown(at), *(f for f in asked.files.values() if isinstance(f, str))] if ENGLISH.search(t)]
    assert not english, english
    assert not asked.files, "no download offered after a failed build"


@pytest.fixture
def unreachable_pack(app_db, monkeypatch):
    """Building the pack reads an unreachable database (the engine's own Chinese DatabaseUnavailable)."""
    import ui.briefing_pack

    real = ui.briefing_pack.pack_files
    monkeypatch.setattr(ui.briefing_pack, "pack_files",
                        lambda **kw: real(**{**kw, "engine": db.get_engine(UNREACHABLE)}))
    bridge.clear_caches()  # no pack kept from another test
    yield
    bridge.clear_caches()


@pytest.mark.parametrize("screen", [False, True], ids=["overview", "screen"])
def test_database_fault_while_building_the_pack_is_a_chinese_message(unreachable_pack, fetch, screen):
    at = open_app(screen=screen)
    asked = ask(at, fetch, f"{'screen' if screen else 'overview'}.pack_make", *PACK_LABELS)
    assert_chinese_fault(asked, "生成汇报材料失败：数据库无法连接")


def test_internal_fault_while_building_the_pack_is_a_chinese_message(app_db, fetch, monkeypatch):
    import ui.briefing_pack

    def broken(**_kw):
        raise RuntimeError("boom in the pack")
    monkeypatch.setattr(ui.briefing_pack, "pack_files", broken)
    bridge.clear_caches()
    try:
        asked = ask(open_app(), fetch, "overview.pack_make", *PACK_LABELS)
    finally:
        bridge.clear_caches()
    assert_chinese_fault(asked, "生成汇报材料失败：系统内部错误")
    assert not any("boom" in t for t in shown(asked.at))


@pytest.mark.parametrize("screen", [False, True], ids=["overview", "screen"])
def test_database_fault_while_drawing_the_picture_is_a_chinese_message(app_db, fetch, monkeypatch, screen):
    from ui import summary

    def unreachable(**_kw):
        raise DatabaseUnavailable("数据库无法连接：127.0.0.1:1（OperationalError）。请稍后刷新页面。")
    monkeypatch.setattr(summary, "briefing_png", unreachable)
    asked = ask(open_app(screen=screen), fetch, f"{'screen' if screen else 'overview'}.export_make", "导出简报图片")
    assert_chinese_fault(asked, "生成简报图片失败：数据库无法连接")


def _stars_by_zx(engine_) -> None:
    for star in Star:
        writes.record_star_assessment(ZX, community="中兴", star=star.value, status="已达标", score=95,
                                      valid_from=DAY, engine=engine_, today=dt.date(2024, 3, 1))


def test_signed_in_viewer_gets_a_pack_naming_who_entered_a_figure(engine, fetch):  # noqa: F811
    _stars_by_zx(engine)
    staff = ask(open_app(token=session_cookie("zx")), fetch, "overview.pack_make", *PACK_LABELS)
    assert not staff.at.exception and not staff.at.error, texts(staff.at.error)
    pdf, xlsx = (staff.files.get(f"{label}（中兴社区）") for label in PACK_LABELS)
    assert isinstance(pdf, bytes) and isinstance(xlsx, bytes), staff.files
    assert "中兴录入员" in pdf_text(pdf), "the PDF names who entered the 五星 assessments"
    assert "录入：中兴录入员" in xlsx_text(xlsx)
    anonymous = ask(open_app(), fetch, "overview.pack_make", *PACK_LABELS)
    assert not any("中兴录入员" in (xlsx_text(f) if f[:2] == b"PK" else pdf_text(f))
                   for f in anonymous.files.values()), "names reach signed-in viewers only"
    assert "录入：工作人员" in xlsx_text(anonymous.files["汇报数字 Excel（中兴社区）"])


def test_signed_in_viewer_gets_a_wall_picture_naming_who_entered_a_figure(engine, fetch):  # noqa: F811
    _stars_by_zx(engine)
    asked = ask(open_app(screen=True, token=session_cookie("zx")), fetch, "screen.export_make", "导出简报图片")
    picture = asked.files.get("导出简报图片（PNG）")
    assert isinstance(picture, bytes), asked.files
    assert "中兴录入员" in Image.open(io.BytesIO(picture)).text["figures"]


def test_pack_is_built_only_when_asked(app_db, fetch, monkeypatch):
    import ui.briefing_pack

    calls: list[dict] = []
    real = ui.briefing_pack.pack_files
    monkeypatch.setattr(ui.briefing_pack, "pack_files", lambda **kw: calls.append(kw) or real(**kw))
    bridge.clear_caches()
    at = open_app()
    at.run()
    assert not calls and not downloads(at, *PACK_LABELS), "opening the page builds nothing and offers nothing"
    asked = ask(at, fetch, "overview.pack_make", *PACK_LABELS)
    assert set(asked.files) == {f"{label}（中兴社区）" for label in PACK_LABELS} and len(calls) == 1
    at.run()  # a rerun offers the same bytes without building again
    assert len(calls) == 1 and len(downloads(at, *PACK_LABELS)) == 2


def test_pack_of_another_community_is_not_offered(app_db, fetch):
    at = open_app(community="中兴")
    asked = ask(at, fetch, "overview.pack_make", *PACK_LABELS)
    assert set(asked.files) == {f"{label}（中兴社区）" for label in PACK_LABELS}, asked.files
    at.session_state["community"] = "华盛"
    at.run()
    assert not at.exception
    assert not downloads(at, *PACK_LABELS), [b.label for b in downloads(at, *PACK_LABELS)]
    assert "overview.pack_make" in [b.key for b in at.button]
    at.session_state["community"] = "中兴"
    at.run()
    assert not downloads(at, *PACK_LABELS), "the dropped pack does not come back"
    asked = ask(at, fetch, "overview.pack_make", *PACK_LABELS)
    assert "中兴社区" in pdf_text(asked.files["汇报材料 PDF（中兴社区）"])


def test_pack_of_older_data_is_not_offered(engine, fetch):  # noqa: F811
    at = open_app(screen=True)
    asked = ask(at, fetch, "screen.pack_make", *PACK_LABELS)
    assert len(asked.files) == 2
    asked = ask(at, fetch, "screen.export_make", "导出简报图片")
    assert len(asked.files) == 1
    _stars_by_zx(engine)
    time.sleep(0.6)  # lib.data_version re-reads at most every 0.5 s
    at.run()
    assert not at.exception
    assert not downloads(at, *PACK_LABELS, "导出简报图片"), "a pack of the data before the write is not offered"
