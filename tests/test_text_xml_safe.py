"""Stored text never holds a character that breaks an output, and is shown line by line as typed.

- U+FFFF (a noncharacter) passed the text rule: one 示范社区 note holding it stopped the 汇报材料 PDF for every scope
  (Typst refused the chart's SVG) and made the Excel files unreadable; a failed sign-in with it in the user name,
  by anyone, corrupted the audit log's Excel export.
- A bare carriage return is a line break to Markdown: 「中兴台账\\r\\r    第二行」 became a code block.
- A 大屏链接's name skipped the rule altogether: 「会议室\\x01大屏」 made every audit export fail, 「\\u202e…」 was stored
  reordered."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from sqlalchemy import func, select
from staff_fixtures import _staff_templates, world  # noqa: F401

from lib import audit, display_links, sessions, text, writes
from lib.db import session_scope
from lib.errors import ValidationError
from lib.ledger import export_xlsx
from lib.models import ModelCommunityStatus
from ui import audit_view
from ui.widgets import md_escape

BAD = ["\uffff", "\ufffe", "\ufdd0", "\U0010ffff", "\U0001fffe", "\ud800"]


@pytest.mark.parametrize("ch", BAD)
def test_the_text_rule_refuses_characters_no_document_may_hold(ch):
    assert text.refused(f"复查{ch}") == ch
    assert text.printable(f"攻击{ch}者") == "攻击者"


@pytest.mark.parametrize("typed, stored", [("a\r\nb", "a\nb"), ("a\rb\r\rc", "a\nb\n\nc"), ("一\n二", "一\n二")])
def test_line_breaks_are_stored_as_one_kind(typed, stored):
    assert text.clean(typed) == stored


def test_a_carriage_return_never_starts_a_code_block():
    shown = md_escape("中兴台账\r\r    第二行缩进四格")
    assert "\r" not in shown and "\n    " not in shown, repr(shown)
    assert "\u00a0\u00a0\u00a0\u00a0第二行缩进四格" in shown


def _rows(world) -> int:
    with session_scope(world.engine) as s:
        return s.scalar(select(func.count()).select_from(ModelCommunityStatus))


def test_a_note_with_a_noncharacter_is_refused_whole(world):
    before = _rows(world)
    with pytest.raises(ValidationError, match="「备注」"):
        writes.record_model_status(world.staff, community="中兴", status="创建中", valid_from=dt.date(2024, 2, 1),
                                   note="复查\uffff", engine=world.engine, today=world.today)
    assert _rows(world) == before


@pytest.mark.parametrize("name", ["会议室\x01大屏", "\u202e屏大室议会", "会议室\uffff"])
def test_a_display_link_name_keeps_the_text_rule(world, name):
    with pytest.raises(ValidationError, match="「名称」"):
        display_links.create(name, days=3, by=world.admin, engine=world.engine)


def test_a_display_link_name_is_stored_clean(world):
    display_links.create(" 三楼\u200b会议室 ", days=3, by=world.admin, engine=world.engine)
    assert list(display_links.list_links(engine=world.engine)["name"]) == ["三楼会议室"]


def test_a_failed_sign_in_cannot_corrupt_the_audit_export(world):
    sessions.sign_in("攻击\uffff者", "wrong-password", client="203.0.113.9", engine=world.engine)
    raw = audit.audit_log(limit=50, engine=world.engine)
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx(audit_view.audit_table(raw), sheet_name="审计日志",
                                                         title="审计日志")))
    cells = [str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None]
    assert any("攻击?者" in c for c in cells), cells  # the user name as typed, its bad character marked


def test_text_stored_before_the_rule_cannot_stop_the_pack(world):
    """A database written before this rule may hold U+FFFF already: the pack's charts and files drop it."""
    from sqlalchemy import update

    from ui.briefing_pack import pack_files
    with session_scope(world.engine) as s:
        s.execute(update(ModelCommunityStatus).values(note="复查\uffff"))
    pdf, xlsx = pack_files(community=None, as_of=None, signed_in=False, engine=world.engine)
    assert pdf.startswith(b"%PDF")
    openpyxl.load_workbook(io.BytesIO(xlsx))
    assert text.xml_safe("复查\uffff\x01\t\n") == "复查\ufffd\ufffd\t\n"
