"""A 网格员's 现场核查 when the database stops as they press 提交 (review of session 25, finding 1): the save failed,
the next run showed the database message instead of the page, and Streamlit dropped every widget not drawn in that
run — the typed finding, the category, the status and the photo were gone when the page came back. Now what was
filled in is kept through the outage, photo included, the message says nothing was saved, and a second press saves
it once."""
from __future__ import annotations

from staff_apptest import _staff_templates, count, engine, png, sign_in, submit, texts  # noqa: F401
from sqlalchemy import select

from lib.db import session_scope
from lib.errors import DatabaseUnavailable
from lib.models import Photo, SiteCheck
from ui import bridge, chrome

FINDING = "3号楼楼道堆放纸箱，影响通行"


def _down(*_args, **_kw):
    raise DatabaseUnavailable("数据库无法连接（测试）。本次操作未写入任何数据。")


def test_what_was_filled_in_survives_a_database_outage(engine, monkeypatch):  # noqa: F811
    before = count(engine, SiteCheck)
    at = sign_in("zx", "check_form")
    at.selectbox(key="checkform.category").set_value("环境卫生")
    at.text_area(key="checkform.finding").input(FINDING)
    at.radio(key="checkform.status").set_value("待整改")
    at.file_uploader(key="checkform.photo.0").set_value(("楼道.png", png(), "image/png"))
    with monkeypatch.context() as outage:
        outage.setattr(bridge, "file_site_check", _down)
        outage.setattr(chrome, "_db_problem", lambda: "数据库无法连接（测试）")
        submit(at, "checkform.submit")
        assert any(t.startswith("看板暂时无法读取数据") for t in texts(at.error)), texts(at.error)
        at.run()  # the page's own retry while the database is still away
    at.run()  # the database is back
    assert not at.exception
    assert at.text_area(key="checkform.finding").value == FINDING
    assert at.selectbox(key="checkform.category").value == "环境卫生"
    assert at.radio(key="checkform.status").value == "待整改"
    said = " ".join(texts(at.error) + texts(at.caption) + texts(at.info))
    assert "未保存" in said, said
    assert at.checkbox(key="checkform.use_kept").value and "楼道" in at.checkbox(key="checkform.use_kept").label
    assert count(engine, SiteCheck) == before
    submit(at, "checkform.submit")
    assert count(engine, SiteCheck) == before + 1
    with session_scope(engine) as s:
        check = s.scalar(select(SiteCheck).order_by(SiteCheck.id.desc()).limit(1))
        assert check.finding == FINDING
        assert s.scalar(select(Photo.data).where(Photo.check_id == check.id)) == png()
    submit(at, "checkform.submit")  # the second press of a double-click stores nothing more
    assert count(engine, SiteCheck) == before + 1


def test_a_refused_save_keeps_no_second_photo(engine, monkeypatch):  # noqa: F811
    """A save refused while the database answers (no category): the form is drawn again with all it held, so nothing
    is kept aside — a photo the 网格员 then removes is not saved behind their back."""
    at = sign_in("zx", "check_form")
    at.text_area(key="checkform.finding").input(FINDING)
    at.file_uploader(key="checkform.photo.0").set_value(("楼道.png", png(), "image/png"))
    submit(at, "checkform.submit")
    assert texts(at.error), "refused: no category"
    assert not [c for c in at.checkbox if c.key == "checkform.use_kept"]
