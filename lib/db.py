"""The one owner of the engine and sessions; database errors become Chinese messages in lib/db_errors.py.

`get_engine()` returns one engine per URL, with connect, statement and lock-wait timeouts from lib.config;
`session_scope()` is the only way code writes: it commits on success and rolls back everything on any error
(all-or-nothing). Every engine raises lib/db_errors.py's Chinese `lib.errors` errors instead of driver errors (a
`handle_error` hook), for reads and writes alike.
IntegrityError is left as it is for the write layer (lib/writes turns a lost race into "already saved").
"""
from __future__ import annotations

import contextlib
import logging
import re
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from lib import db_deadline
from lib.config import ROOT, settings
from lib.db_errors import NOT_ANSWERING, UNSAVED, database_error, describe
from lib.errors import DashboardError, DatabaseUnavailable, ValidationError

MIGRATIONS_DIR = ROOT / "migrations"
# After a failed connect, further connects to that database fail at once for this long, so a page with
# many queries waits for one connect timeout, not one per query. Shorter than the 5 s recovery promise.
FAIL_FAST_SECONDS = 2.0
_down_until: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # dialect → (until, message)
# Execution option: the statement limit (seconds) that applies on a connection, when it is not the page reads'
# (a write transaction's, or 0 for a migration); its client-side deadline follows it (lib/db_deadline.py).
LIMIT_OPTION = "guangwu_limit_s"
_DEADLINE = "guangwu_deadline"  # connection.info key: the armed deadline of the statement in flight


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={int(settings().db_lock_wait_seconds * 1000)}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    # Read through a memory map (shared by all connections via the OS page cache) rather than each
    # connection's 2 MB page cache: index seeks over district-size tables ran ~2× faster (bench/).
    cur.execute("PRAGMA mmap_size=268435456")
    cur.close()


def _postgres_args(url) -> dict:
    """psycopg connect arguments: give up connecting, and cancel long statements, after the configured time."""
    s = settings()
    args: dict = {"connect_timeout": max(2, s.db_connect_timeout_seconds)}  # libpq's minimum is 2 s
    if "application_name" not in url.query and s.db_application_name:
        args["application_name"] = s.db_application_name[:63]  # PostgreSQL keeps 63 bytes (NAMEDATALEN)
    opts = [url.query.get("options")]
    if s.db_statement_timeout_seconds > 0:
        opts.append(f"-c statement_timeout={s.db_statement_timeout_seconds * 1000}")
    if s.db_idle_transaction_seconds > 0:  # a frozen or cut-off replica's open transaction lets its locks go
        opts.append(f"-c idle_in_transaction_session_timeout={s.db_idle_transaction_seconds * 1000}")
    if any(opts):
        args["options"] = " ".join(filter(None, opts))
    return args


def get_engine(url: str | None = None) -> Engine:
    """The engine for `url` (default: DATABASE_URL as configured now), one per URL."""
    return _engine(url or settings().database_url)


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    # hide_parameters: an unexpected error is logged with its traceback, and SQLAlchemy writes a statement's
    # parameters (names, phone numbers, findings) into the error's text; the logs never get them.
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            try:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUnavailable(f"数据库文件目录无法创建：{parsed.database}（{exc.strerror}）") from exc
        engine = create_engine(url, connect_args={"timeout": settings().db_lock_wait_seconds}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        # Streamlit runs each session's script in its own thread: by default room for 30 at once before anyone
        # waits (DB_POOL_SIZE + DB_MAX_OVERFLOW; lib/db_budget.py checks N processes against max_connections).
        s = settings()
        engine = create_engine(url, pool_pre_ping=True, pool_size=s.db_pool_size, max_overflow=s.db_max_overflow,
                               pool_timeout=s.db_lock_wait_seconds, connect_args=_postgres_args(parsed),
                               hide_parameters=True)
    event.listen(engine, "handle_error", _on_error, retval=True)
    event.listen(engine, "do_connect", _fail_fast)
    event.listen(engine, "before_cursor_execute", _refuse_nul)
    if engine.dialect.name == "postgresql":
        _watch_deadlines(engine)  # after _refuse_nul: a refused statement is never armed
    return engine


get_engine.cache_clear = _engine.cache_clear  # type: ignore[attr-defined]


def _limit(seconds: int) -> float:
    """A server limit's client-side deadline: the limit and some grace (0: none, as the server's)."""
    return seconds + db_deadline.GRACE_SECONDS if seconds > 0 else 0


def _watch_deadlines(engine: Engine) -> None:
    """PostgreSQL: every statement, commit and rollback, and the pool's check of an idle connection, ends within
    its deadline even when the server stops answering (lib/db_deadline.py)."""
    s = settings()
    dialect = engine.dialect
    dialect.do_ping = db_deadline.guarded(dialect.do_ping, db_deadline.GRACE_SECONDS, db_deadline.CHECK)
    # a commit may wait as a write does; a rollback never waits on another writer (the end of every page run's read)
    ends = max(s.db_statement_timeout_seconds, s.db_write_timeout_seconds)
    dialect.do_commit = db_deadline.guarded(dialect.do_commit, _limit(ends), db_deadline.COMMIT)
    dialect.do_rollback = db_deadline.guarded(dialect.do_rollback, _limit(s.db_statement_timeout_seconds),
                                              db_deadline.STATEMENT)

    @event.listens_for(engine, "before_cursor_execute")
    def _arm(conn, cursor, statement, parameters, context, executemany) -> None:
        seconds = (context.execution_options if context is not None else {}).get(
            LIMIT_OPTION, s.db_statement_timeout_seconds)
        conn.info[_DEADLINE] = db_deadline.arm(cursor.connection, _limit(seconds), db_deadline.STATEMENT)

    @event.listens_for(engine, "after_cursor_execute")
    def _disarm(conn, cursor, statement, parameters, context, executemany) -> None:
        db_deadline.disarm(conn.info.pop(_DEADLINE, None))


@lru_cache(maxsize=8)
def _sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def _on_error(ctx) -> BaseException | None:
    """SQLAlchemy's handle_error hook: raise the Chinese error instead of the driver's (not for pre-ping)."""
    with contextlib.suppress(Exception):  # the statement's deadline, before anything can close its connection
        db_deadline.disarm(ctx.connection.info.pop(_DEADLINE, None))
    if ctx.is_pre_ping or isinstance(ctx.original_exception, (DashboardError, IntegrityError)):
        return None
    if (ended := _deadline_passed(ctx)) is not None:
        # the server stopped answering mid-conversation: each new connection would wait its whole connect timeout
        _down_until[ctx.dialect] = (time.monotonic() + FAIL_FAST_SECONDS, NOT_ANSWERING)
        return ended
    error = ctx.sqlalchemy_exception or ctx.original_exception
    if isinstance(error, IntegrityError):
        return None
    mapped = database_error(error, ctx.engine)
    if isinstance(mapped, DatabaseUnavailable) and ctx.connection is None:  # a failed connect
        _down_until[ctx.dialect] = (time.monotonic() + FAIL_FAST_SECONDS, mapped.message)
    return mapped


def _deadline_passed(ctx) -> DatabaseUnavailable | None:
    """The Chinese error for a round trip that lib/db_deadline.py ended, if it ended this one."""
    try:
        expired = db_deadline.expired(ctx.connection.connection.dbapi_connection)
    except Exception:  # noqa: BLE001 - no connection, or already let go of
        return None
    if expired is None:
        return None
    seconds = f"{expired.seconds:g}"
    if expired.kind == db_deadline.COMMIT:  # the server may have committed before it stopped: say so
        return DatabaseUnavailable(f"数据库 {seconds} 秒内没有确认保存（服务器无响应或网络中断），无法确定是否已保存。"
                                   "请稍后刷新页面查看；再次提交不会重复记录。")
    return DatabaseUnavailable(f"数据库 {seconds} 秒内没有响应（服务器无响应或网络中断），操作已取消。{UNSAVED}"
                               "请稍后刷新页面，或请管理员检查数据库服务器。")


def _fail_fast(dialect, _conn_rec, _cargs, _cparams) -> None:
    """do_connect hook: within FAIL_FAST_SECONDS of a failed connect, fail again at once with its message."""
    until, message = _down_until.get(dialect, (0.0, ""))
    if time.monotonic() < until:
        raise DatabaseUnavailable(message)
    _down_until.pop(dialect, None)


def _refuse_nul(conn, cursor, statement, parameters, context, executemany) -> None:
    """Text with a NUL character is refused on both backends (PostgreSQL cannot store it; SQLite would)."""
    for key, value in _values(parameters):
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError(f"输入的文字中含有空字符（NUL），未保存。{UNSAVED}请删除该字符后重试。",
                                  details=[f"字段：{_bind_name(context, key)}"])


def _bind_name(context, key) -> str:
    """The column behind a bound value: positional drivers (SQLite) give an index, the statement knows its name."""
    names = getattr(getattr(context, "compiled", None), "positiontup", None)
    if isinstance(key, int) and names:
        key = names[key % len(names)]
    return re.sub(r"_\d+$", "", str(key))


def _values(parameters) -> Iterator[tuple[object, object]]:
    """(name or position, value) of every bound value, whatever shape the driver's parameters have."""
    if isinstance(parameters, dict):
        yield from parameters.items()
    elif isinstance(parameters, (list, tuple)):
        for i, item in enumerate(parameters):
            if isinstance(item, (dict, list, tuple)):
                yield from _values(item)
            else:
                yield i, item


@contextlib.contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    engine = engine or get_engine()
    session = _sessionmaker(engine)()
    try:
        _write_timeout(session, engine)
        yield session
        session.commit()
    except IntegrityError:
        session.rollback()
        raise
    except SQLAlchemyError as exc:  # what the hook did not map (e.g. the pool's timeout)
        session.rollback()
        raise database_error(exc, engine) from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def touch(model, row_id: int, *, engine: Engine | None = None, **values: object) -> bool:
    """Best effort: `values` written to one row in a short transaction of its own; False (logged) when the database
    cannot take the write (read-only, busy). For last-used times, which must never refuse what they record."""
    try:
        with session_scope(engine) as s:
            s.execute(update(model).where(model.id == row_id).values(**values))
        return True
    except DashboardError as exc:
        logging.getLogger("guangwu.db").warning("%s #%s not touched: %s", model.__tablename__, row_id, exc.message)
        return False


def _write_timeout(session: Session, engine: Engine) -> None:
    """PostgreSQL: a write's statements get the write limit, and wait DB_LOCK_WAIT_SECONDS at most for a lock."""
    s = settings()
    if engine.dialect.name != "postgresql":
        return
    session.connection(execution_options={LIMIT_OPTION: max(0, s.db_write_timeout_seconds)})  # its deadline too
    ms = {"t": str(max(0, s.db_write_timeout_seconds) * 1000), "l": str(max(0, s.db_lock_wait_seconds) * 1000)}
    session.execute(text("SELECT set_config('statement_timeout', :t, true), set_config('lock_timeout', :l, true)"), ms)


def check_database(engine: Engine | None = None) -> None:
    """Raise DatabaseUnavailable with a Chinese message unless the schema is ready."""
    engine = engine or get_engine()
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            tables = set(inspect(conn).get_table_names())
            behind = schema_revision(conn).behind if "alembic_version" in tables else None
    except DatabaseUnavailable:
        raise
    except (SQLAlchemyError, DashboardError) as exc:
        raise DatabaseUnavailable(
            f"数据库无法连接：{describe(engine)}。请检查 DATABASE_URL 与数据库服务。"
        ) from exc
    if "community" not in tables:
        raise DatabaseUnavailable(f"数据库尚未初始化：{describe(engine)}。请先运行 python -m lib.seed。")
    if behind:
        raise DatabaseUnavailable(f"{behind}：请管理员先运行数据库迁移（python -m deploy.local migrate），再刷新页面。")


@lru_cache(maxsize=1)
def _code_revisions() -> tuple[str, frozenset[str]]:
    """The migrations this code carries: its newest revision and every revision it knows."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return script.get_current_head() or "", frozenset(r.revision for r in script.walk_revisions())


@dataclass(frozen=True)
class SchemaRevision:
    stored: str | None
    behind: str | None  # why this code cannot serve the database yet: its migration has not run
    ahead: str | None  # the database was migrated by a newer release (it still serves: migrations only add)


def schema_revision(conn: Connection) -> SchemaRevision:
    """Where the database's Alembic revision stands against this code's migrations (a rolling upgrade runs
    the migration first, then restarts replicas one by one: old code keeps serving a newer schema)."""
    head, known = _code_revisions()
    stored = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if stored is None or stored == head:
        return SchemaRevision(stored, None, None)
    if stored in known:
        return SchemaRevision(stored, f"数据库结构版本 {stored} 落后于程序所需的 {head}", None)
    return SchemaRevision(stored, None, f"数据库结构 {stored} 比程序新")


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (no statement timeout: a migration may be long)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execution_options(**{LIMIT_OPTION: 0})  # no client-side deadline either
                conn.execute(text("SET LOCAL statement_timeout = 0"))
                conn.execute(text("SET LOCAL idle_in_transaction_session_timeout = 0"))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except SQLAlchemyError as exc:
        raise database_error(exc, engine) from exc
