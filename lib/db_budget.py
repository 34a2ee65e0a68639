"""The connection budget: can N processes, each with its pool full, connect to the PostgreSQL server at once?

Each process may hold DB_POOL_SIZE + DB_MAX_OVERFLOW connections (lib.db); beside the replicas, a migration and a
backup (`pg_dump`) take one each (OTHERS). Ordinary roles may use max_connections less the slots PostgreSQL keeps
for superusers (and, from version 16, for roles granted pg_use_reserved_connections). A budget over that limit
works until a busy hour fills every pool; then a replica's next connect fails with 「数据库连接数已满」.
`python -m deploy.local budget --replicas N` prints the check, and `make deploy-local` prints it on start.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text

from lib.config import settings
from lib.db import get_engine

OTHERS = 2  # a migration and a backup, beside the replicas
_RESERVED = ("superuser_reserved_connections", "reserved_connections")  # the second from PostgreSQL 16


def per_process() -> int:
    """The most connections one process opens (its pool and overflow, lib.db)."""
    s = settings()
    return s.db_pool_size + s.db_max_overflow


@dataclass(frozen=True)
class ConnectionBudget:
    processes: int
    per_process: int
    max_connections: int | None  # None: SQLite, no limit
    reserved: int = 0
    in_use: int = 0  # connections open on the server now (any client)

    @property
    def limit(self) -> int | None:
        return None if self.max_connections is None else self.max_connections - self.reserved

    @property
    def needed(self) -> int:
        return self.processes * self.per_process + OTHERS

    @property
    def ok(self) -> bool:
        return self.limit is None or self.needed <= self.limit

    def message(self) -> str:
        if self.limit is None:
            return "数据库连接预算：SQLite 无连接数上限（多副本应共用 PostgreSQL）。"
        sums = (f"{self.processes} 个进程 × 每进程最多 {self.per_process}（DB_POOL_SIZE + DB_MAX_OVERFLOW）"
                f"+ 迁移与备份 {OTHERS} = {self.needed}；服务器 max_connections {self.max_connections}，"
                f"保留 {self.reserved}，可用 {self.limit}（当前已用 {self.in_use}）")
        if self.ok:
            return f"数据库连接预算：{sums}。"
        return (f"警告：数据库连接预算不足：{sums}。负载高时会有副本连不上数据库（页面提示「数据库连接数已满」）；"
                "请调小 DB_POOL_SIZE / DB_MAX_OVERFLOW，或调大 PostgreSQL 的 max_connections。")


def check(*, processes: int, engine: Engine | None = None) -> ConnectionBudget:
    """The budget of `processes` processes against the server behind `engine` (default: DATABASE_URL)."""
    engine = engine or get_engine()
    if engine.dialect.name != "postgresql":
        return ConnectionBudget(processes, per_process(), None)
    with engine.connect() as conn:
        found = dict(conn.execute(text("SELECT name, setting FROM pg_settings WHERE name = ANY(:names)"),
                                  {"names": ["max_connections", *_RESERVED]}).all())
        in_use = conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"))
        in_use = int(in_use.scalar_one())
    reserved = sum(int(found.get(name, 0)) for name in _RESERVED)
    return ConnectionBudget(processes, per_process(), int(found["max_connections"]), reserved, in_use)
