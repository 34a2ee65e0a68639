"""Text typed by staff or by anyone at the sign-in form — a check's finding and category, a username (also a failed
sign-in's), a display name, an uploaded ledger's file name and cells, a figure's quote — is shown as text on the work
pages too, never as Markdown or HTML (the overview, profiles and sources pages: tests/test_stored_text.py)."""
# ruff: noqa: F811 - pytest fixtures are imported from staff_apptest and named as parameters
from __future__ import annotations

import pandas as pd
import pytest
from staff_apptest import (  # noqa: F401 - fixtures among them
    PASSWORD, TODAY, _staff_templates, clean, engine, on_today, sign_in, submit, texts)
from streamlit.testing.v1 import AppTest
from test_stored_text import ADMIN, EVIL, STAFF, _live_markup, _shown

from lib.auth import authenticate, create_user
from lib.ledger_io import csv_bytes
from lib.writes import file_site_check, record_fact, record_model_status

pytestmark = pytest.mark.usefixtures("on_today")  # TODAY stays today when the run crosses midnight in China


CATEGORY = "![](//attacker.invalid/a)**粗**"  # within the category's 32 characters
USERNAME = "evil__粗__"  # what a username may hold (letters, digits, 汉字, _ . @ -) is Markdown emphasis too
FILE_NAME = "![](x)<img src=x>**粗**.csv"
POINT = {"lon": 112.5262, "lat": 33.0011}


def _labels(at: AppTest) -> list[str]:
    """Widget labels (Markdown in Streamlit) and st.table cells (GitHub-flavoured Markdown since 1.4x)."""
    out = [w.label for kind in ("checkbox", "selectbox", "radio", "text_area", "text_input", "button")
           for w in getattr(at, kind)]
    for table in at.table:
        out += [str(v) for v in table.value.to_numpy().ravel()]
    return out


def _markup(at: AppTest, *, skip: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """(the rendered Markdown strings holding the typed text, those of them with live markup)."""
    texts_ = [t for t in _shown(at) + _labels(at) if not any(t.startswith(s) for s in skip)]
    hits = [t for t in texts_ if "attacker" in t or "粗" in t]
    return hits, [t for t in hits if _live_markup(t)]


def _evil_user(engine) -> None:
    create_user(USERNAME, PASSWORD, role="社区工作人员", display_name=EVIL, community="中兴", by=ADMIN,
                engine=engine, rounds=4)


def test_checks_typed_by_staff_are_text(engine):
    file_site_check(STAFF, community="中兴", category=CATEGORY, finding=EVIL, status="待整改", **POINT,
                    engine=engine, today=TODAY)
    mine = sign_in("zx", "my_checks")
    hits, bad = _markup(mine)
    assert hits and not bad, bad  # the category is on the card, as typed
    assert EVIL in texts(mine.text)  # the finding as plain text
    form = sign_in("zx", "check_form")
    form.selectbox(key="checkform.category").set_value("环境卫生")
    form.text_area(key="checkform.finding").input(EVIL)
    submit(form, "checkform.submit")
    _, bad = _markup(form, skip=("已保存",))  # the flash message: see test_flash_messages_are_text
    assert not bad, bad
    assert EVIL in texts(form.text)  # the check just saved, its finding as typed


def test_failed_sign_in_name_in_the_audit_log_is_text(engine):
    """Anyone can type a username at the sign-in form; the failed attempt is audited under that name."""
    assert authenticate(EVIL, "wrong-password", engine=engine) is None
    at = sign_in("admin", "audit")
    table = at.dataframe[0].value
    row = next(i for i, r in enumerate(table.astype(str).to_numpy()) if any("attacker" in v for v in r))
    at.session_state["audit.grid"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    clean(at.run())
    hits, bad = _markup(at)
    assert hits and not bad, bad


def test_names_made_by_an_admin_are_text(engine):
    _evil_user(engine)
    for page in ("account", "my_checks", "ledgers"):
        at = sign_in(USERNAME, page)
        hits, bad = _markup(at)
        assert hits and not bad, (page, bad)
    users = sign_in("admin", "users")
    users.selectbox(key="users.edit.user").set_value(USERNAME).run()
    hits, bad = _markup(clean(users))
    assert any("确认停用" in h for h in hits) and not bad, bad


def test_uploaded_ledger_name_and_cells_are_text(engine):
    at = sign_in("zx", "ledgers")
    at.selectbox(key="ledgers.kind").set_value("每日入住").run()
    data = csv_bytes(pd.DataFrame({"机构": [EVIL], "日期": ["2024-01-05"], "入住人数": [4]}))
    at.file_uploader[0].set_value((FILE_NAME, data, "text/csv")).run()
    clean(at)
    hits, bad = _markup(at)
    assert any("未找到养老机构" in h for h in hits) and any(h.startswith("文件") for h in hits), hits
    assert not bad, bad


def test_a_recorded_note_on_the_model_communities_page_is_text(engine):
    """A status note typed by staff, on the community's card and in the 全街道 line of who was named and who left.
    (A recorded count of 4 with its own quote is no longer shown under the count: the count is counted from the
    status records, and only the article's words about that same count are its 原文 — tests/test_named_count_truth.)"""
    record_model_status(ADMIN, community="中兴", status="创建中", valid_from=TODAY, note=f"复查{EVIL}", engine=engine,
                        today=TODAY)
    at = sign_in(None, "model_communities")
    at.sidebar.selectbox(key="community").set_value("中兴").run()
    hits, bad = _markup(at)
    assert not bad, bad
    cards = "\n".join(e.proto.body for e in at.get("html"))  # the cards are HTML: the note escaped, never markup
    assert "复查![](//attacker.invalid/a)&lt;img src=//attacker.invalid&gt;**粗**" in cards
    assert "<img src=//attacker" not in cards


def test_flash_messages_are_text(engine):
    form = sign_in("zx", "check_form")
    form.selectbox(key="checkform.category").set_value("环境卫生")
    form.text_area(key="checkform.finding").input(EVIL)
    submit(form, "checkform.submit")
    hits, bad = _markup(form)
    assert hits and not bad, bad


def test_the_work_pages_account_caption_is_text(engine):
    _evil_user(engine)
    at = sign_in(USERNAME, "entry")
    hits, bad = _markup(at)
    assert hits and not bad, bad


def _panel_fails_quoting_typed_text():
    from lib.errors import DashboardError
    from ui import widgets

    with widgets.guard("面板"):
        raise DashboardError("文件「![](//attacker.invalid/a)」无法读取", details=["第2行：**粗**"] * 25)


def test_a_panels_domain_error_is_text():
    """widgets.guard shows a DashboardError (which may quote what was typed) as text, its details capped."""
    at = AppTest.from_function(_panel_fails_quoting_typed_text, default_timeout=30).run()
    shown = [str(e.value) for e in [*at.error, *at.caption]]
    assert not at.exception and len(at.error) == 1 and len(at.caption) == 21  # 20 details and 「……另有 5 处」
    assert not [m for s in shown for m in _live_markup(s)], shown
    assert texts(at.error) == ["文件「![](//attacker.invalid/a)」无法读取"] and texts(at.caption)[-1] == "……另有 5 处"
