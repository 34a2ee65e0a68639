"""Ledgers: the 台账导入导出 page's one door to lib.ledger."""
from __future__ import annotations

from lib import ledger as _ledger
from lib.ledger_kinds import KINDS as _LEDGER_KINDS
from lib.models import Role as _Role
from ui.bridge import state, user

LEDGER_KIND_NAMES = _ledger.KIND_NAMES
ledger_template = _ledger.template_xlsx
ledger_current = _ledger.current_ledger


def ledger_columns_text(kind: str) -> str:
    """「社区、星级、…、得分（选填）。同一社区＋星级＋评定日期视为同一条记录。」"""
    spec = _LEDGER_KINDS[kind]
    cols = "、".join(c.header + ("" if c.required else "（选填）") for c in spec.columns)
    return f"「{kind}」的列：{cols}。同一{spec.key_help}视为同一条记录。"


def ledger_scope(actor) -> str | None:
    """Staff see and import their own community only; administrators follow the shared community filter."""
    return actor.community if actor.role == _Role.STAFF else state.selected_community()


def ledger_preview(data: bytes, filename: str, kind: str):
    """The dry run of an upload for the signed-in user (raises DashboardError, always Chinese)."""
    return _ledger.read_ledger(data, filename, kind, actor=user.current_actor())


def ledger_commit(preview):
    return _ledger.commit_ledger(user.current_actor(), preview)
