"""The one mapping of database errors to lib.errors' Chinese messages (`database_error`), used by every engine's
`handle_error` hook (lib/db.py) and by the page-run wrapper; `describe` prints a URL without its password."""
from __future__ import annotations

import re

from sqlalchemy import Engine
from sqlalchemy.exc import DataError, IntegrityError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from lib.config import settings
from lib.errors import DashboardError, DatabaseUnavailable, ValidationError


def describe(engine: Engine) -> str:
    """A URL safe to print (password hidden)."""
    return engine.url.render_as_string(hide_password=True)


UNSAVED = "本次操作未写入任何数据。"
# new connections within FAIL_FAST_SECONDS of a round trip that ended at its deadline
NOT_ANSWERING = f"数据库没有响应（服务器无响应或网络中断），操作已取消。{UNSAVED}请稍后刷新页面，或请管理员检查数据库服务器。"


def _driver_error(exc: BaseException) -> tuple[BaseException, str, str, str]:
    """(driver exception, SQLSTATE or '', SQLite error name or '', lower-case text)."""
    orig = getattr(exc, "orig", None) or exc
    return orig, getattr(orig, "sqlstate", None) or "", getattr(orig, "sqlite_errorname", None) or "", str(orig).lower()


def database_error(exc: BaseException, engine: Engine | None = None) -> DashboardError | None:
    """The Chinese `lib.errors` error for a database exception, or None when `exc` is not a database error."""
    if isinstance(exc, DashboardError):
        return exc
    if not isinstance(exc, SQLAlchemyError) and not _is_driver_error(exc):
        return None
    where = describe(engine) if engine is not None else "当前数据库"
    s = settings()
    if isinstance(exc, PoolTimeout):
        return DatabaseUnavailable(f"数据库繁忙：{s.db_lock_wait_seconds} 秒内没有空闲连接，请稍后重试。{UNSAVED}")
    orig, state, name, msg = _driver_error(exc)
    if name.startswith("SQLITE_READONLY") or state == "25006" or "read-only" in msg or "readonly" in msg:
        return DatabaseUnavailable(f"数据库当前为只读（{where}），不能保存。{UNSAVED}"
                                   "请管理员检查数据库文件的写权限或数据库的只读设置。")
    if state == "57014":
        return DatabaseUnavailable(f"数据库响应超时（超过设定的等待时间），操作已取消。{UNSAVED}请稍后重试。")
    if state == "55P03" or name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):  # lock_timeout / busy_timeout
        return DatabaseUnavailable(f"数据库正忙（其他人正在写入，等待 {s.db_lock_wait_seconds} 秒仍未完成）。{UNSAVED}"
                                   "请稍后重试。")
    if name == "SQLITE_FULL" or state == "53100":
        return DatabaseUnavailable(f"数据库所在磁盘已满，未能保存。{UNSAVED}请联系管理员清理磁盘空间。")
    if isinstance(exc, IntegrityError) or state.startswith("23") or name.startswith("SQLITE_CONSTRAINT"):
        return ValidationError(f"与已有记录冲突（重复提交，或引用的记录不存在），未保存。{UNSAVED}")
    if isinstance(exc, DataError) or state.startswith("22"):
        if "nul" in msg or "0x00" in msg:
            return ValidationError(f"输入的文字中含有空字符（NUL），未保存。{UNSAVED}请删除该字符后重试。")
        if state == "22001":
            return ValidationError(f"输入的文字过长，超出数据库允许的长度，未保存。{UNSAVED}")
        if state == "22003":
            return ValidationError(f"输入的数值超出数据库允许的范围，未保存。{UNSAVED}")
        return ValidationError(f"输入的数据格式不被数据库接受，未保存。{UNSAVED}")
    refused = _refusal(msg)
    if state == "53300" or refused == "slots":
        return DatabaseUnavailable(f"数据库连接数已满（服务器允许的连接都已占用）：{where}。{UNSAVED}请稍后刷新页面；"
                                   "请管理员核对连接预算（python -m deploy.local budget：副本数 × DB_POOL_SIZE 与 "
                                   "DB_MAX_OVERFLOW 之和应小于数据库的 max_connections）。")
    if state == "25P03" or "idle-in-transaction timeout" in msg or "事务内空闲超时" in msg:
        return DatabaseUnavailable(f"数据库连接在事务中闲置超过 {s.db_idle_transaction_seconds} 秒，已被数据库关闭。{UNSAVED}"
                                   "请重新提交（同一份表单只会保存一次）。")
    if state == "3D000" or refused == "database":
        return DatabaseUnavailable(f"数据库不存在：{where}。请管理员核对 DATABASE_URL 中的库名，或先建库并运行迁移"
                                   "（python -m deploy.local migrate）。")
    if state.startswith("28") or refused == "login":
        return DatabaseUnavailable(f"数据库拒绝了登录：{where}（账号或密码不对、账号不允许登录，或数据库未允许本机连接）。"
                                   "请管理员核对 DATABASE_URL 中的账号与密码，以及数据库的 pg_hba.conf。")
    if "timeout expired" in msg or "timed out" in msg:
        return DatabaseUnavailable(f"数据库连接超时（{s.db_connect_timeout_seconds} 秒内无响应）：{where}。"
                                   "请稍后刷新页面，或请管理员检查数据库服务。")
    if name == "SQLITE_CANTOPEN":
        return DatabaseUnavailable(f"数据库文件无法打开：{where}。请管理员检查文件路径与权限。")
    if state.startswith(("57P", "08")) or "connection" in msg or "server closed" in msg:
        return DatabaseUnavailable(f"数据库无法连接：{where}（{orig.__class__.__name__}）。"
                                   "请稍后刷新页面，或请管理员检查数据库服务。")
    return DatabaseUnavailable(f"数据库操作失败：{where}（{orig.__class__.__name__}）。{UNSAVED}请稍后重试或联系管理员。")


# Connections PostgreSQL refuses: libpq reports them as text only (no SQLSTATE), in the server's language
# (lc_messages): the English text and PostgreSQL 15's zh_CN translation of each.
_REFUSALS = {
    "slots": re.compile(r"too many clients|remaining connection slots|客户端连接过多|剩余连接槽位"),
    "database": re.compile(r'database ".*" does not exist|数据库 ".*" 不存在'),
    "login": re.compile(r'password authentication failed|密码认证失败|role ".*" (does not exist|is not permitted to log '
                        r'in)|角色 ".*" 不存在|不允许角色 ".*" 进行登录|no pg_hba\.conf entry|的 pg_hba\.conf 条目'),
}


def _refusal(msg: str) -> str | None:
    """Why the server refused a connection ("slots", "database", "login"), from its message; None otherwise."""
    return next((reason for reason, pattern in _REFUSALS.items() if pattern.search(msg)), None)


def _is_driver_error(exc: BaseException) -> bool:
    import sqlite3

    if isinstance(exc, sqlite3.Error):
        return True
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a requirement
        return False
    return isinstance(exc, psycopg.Error)
