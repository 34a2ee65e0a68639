"""台账 import/export: Excel templates, previews that say how every cell was read, all-or-nothing commits.

    KIND_NAMES                                                 # 五星评定, 示范社区状态, 征迁户状态, 每日入住, 指标数据
    template_xlsx(kind, rows=None) -> bytes                    # sheet 1: headers (+ rows); sheet 2: 填写说明 + examples
    current_ledger(kind, *, community=None, engine=None) -> DataFrame   # stored data in template layout
    export_xlsx(df, *, sheet_name, title) -> bytes             # any panel's DataFrame, title in row 1
    export_csv(df) -> bytes                                    # the same as CSV (UTF-8 with BOM)
    read_ledger(data, filename, kind, *, max_bytes=None, actor=None, engine=None, today=None) -> LedgerPreview
    commit_ledger(actor, preview, *, engine=None, today=None) -> LedgerResult

read_ledger raises ValidationError for file-level problems (oversize, zip bomb, damaged or hostile XML, not
xlsx/csv, undecodable, missing or duplicated columns), each naming the file; row problems land in
`preview.errors` (「第3行「入住人数」：“abc”不是数字」) and in each row. The preview runs the very planners
the forms use in a transaction that is rolled back (lib.db's session_scope, so a database fault is a
Chinese DatabaseUnavailable), and classifies each row 新增 / 更正 (a stored record with the same key
changes: `changes` holds old → new per column) / 相同. commit_ledger re-plans everything inside one
transaction (permissions per row: staff only their own community) and writes all rows or none.
"""
from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from lib import audit
from lib.fmt import cn_date
from lib.auth import Actor
from lib.config import settings
from lib.db import session_scope
from lib.errors import DashboardError, DatabaseUnavailable, PermissionDenied, ValidationError
from lib.ledger_io import INSTRUCTIONS_SHEET, Deadline, Uncomputed, csv_bytes, find_header, load_rows, workbook_bytes
from lib.ledger_kinds import GENERAL_NOTES, KINDS, Column, LedgerKind, fact_value_text
from lib.text import clean, printable, refused
from lib.writes.base import (
    REPEAT_TEXT,
    Outcome,
    WriteContext,
    as_choice,
    as_date,
    as_number,
    blank,
    same_number,
)

KIND_NAMES = list(KINDS)
MAX_ROWS = 20000
ACTION_INSERT, ACTION_CORRECT, ACTION_SAME, ACTION_ERROR = "新增", "更正", "相同", "有误"


@dataclass
class PreviewRow:
    line: int  # row number as shown in Excel / the CSV line
    values: dict[str, Any]  # header → parsed value (for display)
    args: dict[str, Any]  # planner keywords
    readings: list[str] = field(default_factory=list)  # how typed numbers/dates were read
    problems: list[str] = field(default_factory=list)
    action: str = ACTION_ERROR
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # 更正: header → (stored, new)


@dataclass
class LedgerPreview:
    kind: str
    filename: str
    file_format: str
    rows: list[PreviewRow]
    errors: list[str]
    notes: list[str]
    # This preview's submission key (commit_ledger): committing the same preview twice stores its rows once.
    submission_key: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def inserts(self) -> int:
        return sum(r.action == ACTION_INSERT for r in self.rows)

    @property
    def corrections(self) -> int:
        return sum(r.action == ACTION_CORRECT for r in self.rows)

    @property
    def unchanged(self) -> int:
        return sum(r.action == ACTION_SAME for r in self.rows)

    def frame(self) -> pd.DataFrame:
        """行号, 处理 (新增/更正/相同/有误), 问题, the kind's columns, 读数说明 — for display. In a 更正 row each
        changed cell reads 「旧 → 新」 (see `changed_cells` to highlight them)."""
        headers = KINDS[self.kind].headers
        records = []
        for r in self.rows:
            values = {h: f"{_shown(r.changes[h][0])} → {_shown(r.changes[h][1])}" if h in r.changes
                      else r.values.get(h) for h in headers}
            if "（记录）" in r.changes:  # re-registered with no visible difference
                values[headers[0]] = f"{_shown(values[headers[0]])}（重新登记）"
            records.append({"行号": r.line, "处理": r.action, "问题": "；".join(r.problems), **values,
                            "读数说明": "；".join(r.readings)})
        return pd.DataFrame(records, columns=["行号", "处理", "问题", *headers, "读数说明"])

    def changed_cells(self) -> list[tuple[int, str]]:
        """(row position in `frame()`, header) of every changed cell of the 更正 rows."""
        return [(i, h) for i, r in enumerate(self.rows) for h in r.changes if h in KINDS[self.kind].headers]


@dataclass(frozen=True)
class LedgerResult:
    kind: str
    filename: str
    inserted: int
    unchanged: int
    message: str
    corrected: int = 0  # of `inserted`, how many correct a stored record with the same key


def _kind(kind: str) -> LedgerKind:
    if kind not in KINDS:
        raise ValidationError(f"未知的台账类型“{kind}”，应为{'、'.join(KINDS)}之一")
    return KINDS[kind]


def _row_message(line: int, exc: DashboardError) -> str:
    msg = exc.message
    return f"第{line}行{msg}" if msg.startswith("「") else f"第{line}行：{msg}"


def _parse_cell(col: Column, raw: Any, readings: list[str], unit: str | None = None) -> tuple[Any, Any]:
    """(display value, planner value) of one cell; ValidationError names the column. A number is read in `unit`
    (the one its planner reads it in), so the preview says what will be stored."""
    if isinstance(raw, Uncomputed):
        raise ValidationError(f"「{col.header}」：是公式，但文件中没有保存计算结果（程序生成的表格常见），"
                              "请在 Excel/WPS 中打开、保存后重新上传")
    if isinstance(raw, str):
        raw = raw.strip()
    if blank(raw):
        if col.required:
            raise ValidationError(f"「{col.header}」：不能为空")
        return None, None
    if col.kind in ("number", "int"):
        parsed = as_number(raw, col.header, integer=col.kind == "int", minimum=None, unit=unit)
        if parsed.note:
            readings.append(f"「{col.header}」{parsed.note}")
        return parsed.value if not parsed.qualifier else parsed.text, raw
    if col.kind == "date":
        when = as_date(raw, col.header)
        if isinstance(raw, str) and raw != when.isoformat():
            readings.append(f"「{col.header}」“{raw}”读作 {cn_date(when)}")
        return when, when
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = clean(str(raw))  # the one text rule (lib.text), as the planners apply it
    if refused(text):
        raise ValidationError(f"「{col.header}」：含有不可见的控制字符（如 NUL），请删除后重新上传")
    if col.kind == "choice":
        text = as_choice(text, col.header, list(col.choices))
    return text, text


def _parse_rows(spec: LedgerKind, rows: list[tuple[int, list]],
                filename: str) -> tuple[list[PreviewRow], list[str], list[str]]:
    at, index, ignored = find_header(rows, spec.columns, filename=filename)
    notes = [f"已忽略无法识别的列：{'、'.join(ignored)}"] if ignored else []
    parsed: list[PreviewRow] = []
    used = set(index.values())
    for line, cells in rows[at + 1:]:
        if all(blank(c) or (isinstance(c, Uncomputed) and i not in used) for i, c in enumerate(cells)):
            continue  # a tally formula beside the table is not a row
        row = PreviewRow(line, {}, {})

        def cell(header: str | None, cells: list = cells) -> Any:
            return cells[index[header]] if header in index and index[header] < len(cells) else None

        for col in spec.columns:
            raw = cell(col.header)
            try:
                row.values[col.header], row.args[col.arg] = _parse_cell(col, raw, row.readings, _unit(col, cell))
            except DashboardError as exc:
                row.values[col.header] = raw
                row.problems.append(_row_message(line, exc))
        parsed.append(row)
    if len(parsed) > MAX_ROWS:
        raise ValidationError(f"台账超过 {MAX_ROWS} 行，请分批导入")
    return parsed, [p for r in parsed for p in r.problems], notes


def _unit(col: Column, cell: Callable[[str | None], Any]) -> str | None:
    """The unit a number column is read in: its own, or the text of its unit column (指标数据: 单位)."""
    if col.unit_header is None:
        return col.unit
    raw = cell(col.unit_header)
    return None if blank(raw) else str(raw).strip() or None


def _repeated(spec: LedgerKind, row: PreviewRow, outcome: Outcome, seen: dict[tuple[str, str], int]) -> str | None:
    """「第3行与第2行重复（…）」 when an earlier row of the file planned the same record: the planner's key, so two
    names of one record (综合养老服务中心 / 光武街道综合养老服务中心, a figure by name / by code) are one key."""
    first = seen.setdefault((outcome.table, outcome.key), row.line)
    if first == row.line:
        return None
    return f"第{row.line}行与第{first}行重复（{spec.key_help}：{'／'.join(map(_shown, spec.key(row.args)))}）"


def _plan_all(ctx: WriteContext, spec: LedgerKind, rows: list[PreviewRow], *, source_title: str,
              deadline: Deadline | None = None) -> tuple[list[str], bool]:
    """Plan and apply every clean row in `ctx` (flushed, so later rows see earlier ones).
    Returns (problems, whether any was a permission refusal). A preview passes its `deadline`."""
    problems, denied = [], False
    seen: dict[tuple[str, str], int] = {}
    ordered = sorted(rows, key=lambda r: spec.order(r.args)) if spec.order else rows
    for done, row in enumerate(ordered):
        if deadline is not None and done:
            deadline.check(done, every=32, stage="预检")
        if row.problems:
            continue
        try:
            outcome = spec.plan(ctx, dict(row.args))
            if repeated := _repeated(spec, row, outcome, seen):
                row.problems.append(repeated)
                problems.append(repeated)
                continue
            row.changes = _corrected(spec, outcome) if outcome.inserted else {}
            result = ctx.apply(outcome, source_title=source_title)
            row.action = (ACTION_CORRECT if row.changes else ACTION_INSERT) if result.inserted else ACTION_SAME
        except DatabaseUnavailable:  # the database, not the row: one message for the whole file (lib.db)
            raise
        except DashboardError as exc:
            row.problems.append(_row_message(row.line, exc))
            row.action = ACTION_ERROR
            problems.append(row.problems[-1])
            denied = denied or isinstance(exc, PermissionDenied)
    return problems, denied


def _shown(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "（空）"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _corrected(spec: LedgerKind, outcome: Outcome) -> dict[str, tuple[Any, Any]]:
    """For a row that replaces a stored record with the same key: {header: (stored, new)} of what changes
    (empty for a new record). The planner's `before` is the stored state the row follows."""
    before, after = outcome.before or {}, outcome.after
    keyed = [a for a in spec.key_args if a in before and a in after]
    if not before or not keyed or any(before[a] != after[a] for a in keyed):
        return {}
    if "qualifier" in before and "value" in before:  # a figure is its number with its qualifier (6100余)
        before = {**before, "value": fact_value_text(before["value"], before.get("qualifier") or "")}
        after = {**after, "value": fact_value_text(after["value"], after.get("qualifier") or "")}
    changes = {}
    for col in spec.columns:
        if col.arg in keyed or col.arg not in before or col.arg not in after:
            continue
        old, new = before[col.arg], after[col.arg]
        if isinstance(old, (int, float)) and isinstance(new, (int, float)) and same_number(old, new):
            continue
        if old != new and not (blank(old) and blank(new)):
            changes[col.header] = (old, new)
    return changes or {"（记录）": ("已有", "重新登记")}


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.1f} KB"


def _source_title(kind: str, filename: str) -> str:
    return f"台账导入：{kind}（{filename}）"


class _DryRun(Exception):
    """Raised at the end of a preview so that session_scope rolls everything back."""


def read_ledger(data: bytes, filename: str, kind: str, *, max_bytes: int | None = None, actor: Actor | None = None,
                engine: Engine | None = None, today: dt.date | None = None) -> LedgerPreview:
    """Parse and dry-run a ledger file. With `actor`, rows outside their permissions are flagged too."""
    spec = _kind(kind)
    filename = printable(filename or "")  # echoed in every message: nothing that hides or reorders it
    limit = max_bytes if max_bytes is not None else settings().max_upload_mb * 1024 * 1024
    if len(data) > limit:
        raise ValidationError(f"文件“{filename}”大小 {_size(len(data))}，超过上限 {_size(limit)}")
    if not data:
        raise ValidationError(f"文件“{filename}”是空文件")
    deadline = Deadline(filename)
    rows, file_format = load_rows(data, filename, max_rows=MAX_ROWS, deadline=deadline)
    if not rows:
        raise ValidationError(f"文件“{filename}”没有内容")
    parsed, errors, notes = _parse_rows(spec, rows, filename)
    if not parsed:
        raise ValidationError(f"文件“{filename}”只有表头，没有数据行")
    try:  # a dry run in lib.db's session (its fault handling), rolled back by the sentinel
        with session_scope(engine) as session:
            ctx = WriteContext(session, actor, today=today, check=actor is not None)
            errors += _plan_all(ctx, spec, parsed, source_title=_source_title(kind, filename), deadline=deadline)[0]
            raise _DryRun
    except _DryRun:
        pass
    errors.sort(key=lambda m: int(m[1:].split("行", 1)[0]) if m[1:].split("行", 1)[0].isdigit() else 0)
    return LedgerPreview(kind, filename, file_format, parsed, errors, notes)


def commit_ledger(actor: Actor | None, preview: LedgerPreview, *, engine: Engine | None = None,
                  today: dt.date | None = None) -> LedgerResult:
    """Write every row of a clean preview in one transaction, re-validated; any problem → nothing is written.

    The preview's submission key is claimed first (a primary key in write_submission): a second commit of
    the same preview — a double-click, or two connections at the same moment — writes nothing and answers
    「已保存（重复提交已忽略）」. Each row also claims its own derived key (lib.writes.base)."""
    spec = _kind(preview.kind)
    if preview.errors:
        raise ValidationError(f"台账“{preview.filename}”有 {len(preview.errors)} 处问题，未写入任何数据",
                              details=list(preview.errors))
    if not preview.rows:
        raise ValidationError(f"台账“{preview.filename}”没有数据行")
    rows = [PreviewRow(r.line, dict(r.values), dict(r.args), list(r.readings)) for r in preview.rows]
    ledger_key = f"ledger-{preview.submission_key}"
    with session_scope(engine) as s:
        ctx = WriteContext(s, actor, today=today, action="import")
        try:
            with s.begin_nested():
                ctx.claim(ledger_key, "ledger")
        except IntegrityError:
            if not ctx.claimed(ledger_key):
                raise
            return LedgerResult(preview.kind, preview.filename, 0, len(preview.rows),
                                f"{REPEAT_TEXT}：台账“{preview.filename}”已导入过，本次未写入")
        problems, denied = _plan_all(ctx, spec, rows, source_title=_source_title(preview.kind, preview.filename))
        if problems:
            cls = PermissionDenied if denied else ValidationError
            raise cls(f"台账“{preview.filename}”有 {len(problems)} 处问题，未写入任何数据", details=problems)
        corrected = sum(r.action == ACTION_CORRECT for r in rows)
        inserted = sum(r.action == ACTION_INSERT for r in rows) + corrected
        unchanged = len(rows) - inserted
        audit.record(s, actor, "import", "ledger", printable(f"{preview.kind}：{preview.filename}")[:120], None, None,
                     {"kind": preview.kind, "file": printable(preview.filename), "rows": len(rows),
                      "inserted": inserted,
                      "unchanged": unchanged})
    message = (f"已导入“{preview.filename}”：新增 {inserted - corrected} 条，更正 {corrected} 条，"
               f"{unchanged} 条与已有数据相同未重复写入")
    return LedgerResult(preview.kind, preview.filename, inserted, unchanged, message, corrected)


def current_ledger(kind: str, *, community: str | None = None, engine: Engine | None = None) -> pd.DataFrame:
    """The stored data (latest state) in template layout; `template_xlsx(kind, rows=…)` makes it a file."""
    return _kind(kind).current(community, engine)


def template_xlsx(kind: str, rows: pd.DataFrame | None = None) -> bytes:
    """The import template: sheet 1 = headers (and `rows`, if given); sheet 2 「填写说明」 with examples."""
    spec = _kind(kind)
    data = [spec.headers]
    if rows is not None:
        data += [[r.get(h) for h in spec.headers] for r in rows.to_dict("records")]
    guide = [["列名", "是否必填", "说明", "可填写的值", "示例"]]
    for col in spec.columns:
        guide.append([col.header, "必填" if col.required else "选填", col.help, "、".join(col.choices) or "",
                      col.example if col.example not in (None, "") else ""])
    guide += [[], ["键", spec.key_help + " 相同的行视为同一条记录；文件内不能重复"], [], ["通用说明"]]
    guide += [[f"{i}. {n}"] for i, n in enumerate((*spec.notes, *GENERAL_NOTES), start=1)]
    guide += [[], ["示例（请在第一个工作表中填写，本页不会被导入）"], spec.headers]
    guide += [list(e) for e in spec.examples]
    return workbook_bytes([(spec.name, data, 1), (INSTRUCTIONS_SHEET, guide, 1)])


def export_xlsx(df: pd.DataFrame, *, sheet_name: str, title: str) -> bytes:
    """Any DataFrame as a plain workbook: the title in row 1, headers in row 2, data below."""
    header = [str(c) for c in df.columns]
    body = df.astype(object).where(pd.notna(df), None).values.tolist() if len(df) else []
    return workbook_bytes([(sheet_name, [[title], header, *body], 2)])


def export_csv(df: pd.DataFrame) -> bytes:
    """Any DataFrame as CSV (UTF-8 with BOM); text that looks like a formula gets a leading '."""
    return csv_bytes(df)
