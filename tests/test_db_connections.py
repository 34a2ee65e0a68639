"""Connections to PostgreSQL under real use (issue #15): each process's pool is sized by settings, every connection
names the dashboard in pg_stat_activity, a server out of connection slots gets its own Chinese message within
seconds, and the connection budget of N replicas is checked against the server's max_connections."""
from __future__ import annotations

import time

import psycopg
import pytest
from db_helpers import fresh_engine
from fault_helpers import seeded_cluster
from fault_helpers import reset_caches as _reset
from sqlalchemy import text

from deploy import local
from lib import config, db, db_budget, db_errors
from lib.errors import DatabaseUnavailable
from lib.queries.communities import community_names

NOWHERE = "postgresql+psycopg://guangwu@127.0.0.1:1/guangwu"  # never connected: pools are built lazily
MAX_CONNECTIONS, RESERVED = 6, 1  # the private cluster: 5 slots for ordinary roles, 6 for a superuser


@pytest.fixture
def env(monkeypatch):
    def set_env(**values: object) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, str(value))
        _reset()

    yield set_env
    monkeypatch.undo()
    _reset()


@pytest.mark.parametrize(("values", "size", "overflow"), [
    ({}, 10, 20),  # the defaults: room for 30 script threads at once
    ({"DB_POOL_SIZE": 3}, 3, 20),
    ({"DB_POOL_SIZE": 2, "DB_MAX_OVERFLOW": 0}, 2, 0),
])
def test_pool_size_comes_from_settings(env, values, size, overflow):
    env(**values)
    pool = db.get_engine(NOWHERE).pool
    assert (pool.size(), pool._max_overflow) == (size, overflow)
    assert db_budget.per_process() == size + overflow


@pytest.mark.parametrize(("values", "url_query", "expected"), [
    ({}, "", "guangwu"),
    ({"DB_APPLICATION_NAME": "guangwu@8502"}, "", "guangwu@8502"),  # what each systemd instance sets
    ({"DB_APPLICATION_NAME": "guangwu@8502"}, "?application_name=named-in-url", "named-in-url"),  # the URL wins
])
def test_connections_name_the_dashboard_in_pg_stat_activity(env, tmp_path, values, url_query, expected):
    url = fresh_engine("postgresql", tmp_path).url.render_as_string(hide_password=False)
    env(**values)
    engine = db.get_engine(url + url_query)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()")
                            ).scalar_one() == expected
    engine.dispose()


@pytest.fixture(scope="module")
def small_cluster():
    with seeded_cluster(max_connections=MAX_CONNECTIONS, superuser_reserved_connections=RESERVED) as c:
        yield c


def test_a_server_out_of_connections_gets_its_own_chinese_message(small_cluster, env):
    env(DATABASE_URL=small_cluster.url)
    raw = small_cluster.url.replace("postgresql+psycopg", "postgresql")
    held = []
    try:
        while len(held) < MAX_CONNECTIONS:  # every slot taken, the superuser's too
            held.append(psycopg.connect(raw, autocommit=True))
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(raw).close()
        started = time.monotonic()
        with pytest.raises(DatabaseUnavailable) as err:
            community_names(engine=db.get_engine())
        assert time.monotonic() - started < 5
        assert err.value.message.startswith("数据库连接数已满"), err.value.message
        assert "DB_POOL_SIZE" in err.value.message and "max_connections" in err.value.message
    finally:
        for conn in held:
            conn.close()
    time.sleep(db.FAIL_FAST_SECONDS + 0.1)  # the failed connect is remembered this long (lib.db fail-fast)
    assert "中兴" in community_names(engine=db.get_engine()), "reads come back once slots are free"
    db.get_engine().dispose()


@pytest.mark.parametrize(("processes", "pool", "overflow", "ok"), [
    (1, 1, 1, True),  # 1 × 2 + 2 (a migration and a backup) = 4 ≤ 5
    (1, 2, 1, True),  # 1 × 3 + 2 = 5 ≤ 5
    (2, 1, 1, False),  # 2 × 2 + 2 = 6 > 5
    (3, 10, 20, False),  # the defaults on three replicas: 92 > 5
])
def test_connection_budget_of_n_replicas_against_max_connections(small_cluster, env, processes, pool, overflow,
                                                                 ok):
    env(DATABASE_URL=small_cluster.url, DB_POOL_SIZE=pool, DB_MAX_OVERFLOW=overflow)
    budget = db_budget.check(processes=processes)
    db.get_engine().dispose()
    assert (budget.limit, budget.per_process, budget.needed) == (
        MAX_CONNECTIONS - RESERVED, pool + overflow, processes * (pool + overflow) + db_budget.OTHERS)
    assert budget.ok is ok
    line = budget.message()
    assert f"{processes} 个进程" in line and f"max_connections {MAX_CONNECTIONS}" in line
    assert line.startswith("数据库连接预算：") if ok else line.startswith("警告：数据库连接预算不足")


def test_deploy_local_prints_the_budget(small_cluster, env, capsys):
    env(DATABASE_URL=small_cluster.url, DB_POOL_SIZE=1, DB_MAX_OVERFLOW=1)
    assert local.main(["budget", "--replicas", "2"]) == 1  # 2 × 2 + 2 > 5: a warning and status 1
    out = capsys.readouterr().out
    assert "警告：数据库连接预算不足" in out and "2 个进程" in out
    assert local.main(["budget", "--replicas", "1"]) == 0
    assert capsys.readouterr().out.startswith("数据库连接预算：")
    db.get_engine().dispose()


def test_budget_on_sqlite_says_it_does_not_apply(env, tmp_path):
    env(DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")
    budget = db_budget.check(processes=2)
    assert budget.ok and budget.limit is None
    assert budget.message() == "数据库连接预算：SQLite 无连接数上限（多副本应共用 PostgreSQL）。"
    assert config.settings().db_pool_size == 10


# ---- connections the server refuses: libpq reports them as text only (no SQLSTATE), in the server's language ----
REFUSALS = [  # (what a server says, English or zh_CN lc_messages, from PostgreSQL 15's translations; our message)
    ("sorry, too many clients already", "数据库连接数已满"),
    ("客户端连接过多", "数据库连接数已满"),
    ("remaining connection slots are reserved for non-replication superuser connections", "数据库连接数已满"),
    ("剩余连接槽位保留给超级用户的非复制连接", "数据库连接数已满"),
    ('database "guangwu" does not exist', "数据库不存在"),
    ('数据库 "guangwu" 不存在', "数据库不存在"),
    ('password authentication failed for user "guangwu"', "数据库拒绝了登录"),
    ('用户 "guangwu" 的密码认证失败', "数据库拒绝了登录"),
    ('role "guangwu" does not exist', "数据库拒绝了登录"),
    ('角色 "guangwu" 不存在', "数据库拒绝了登录"),
    ('role "guangwu" is not permitted to log in', "数据库拒绝了登录"),
    ('不允许角色 "guangwu" 进行登录', "数据库拒绝了登录"),
    ('no pg_hba.conf entry for host "10.0.0.5", user "guangwu", database "guangwu", no encryption', "数据库拒绝了登录"),
    ('没有适用于主机 "10.0.0.5", 用户 "guangwu", 数据库 "guangwu", 未加密 的 pg_hba.conf 条目', "数据库拒绝了登录"),
]


@pytest.mark.parametrize(("server_says", "expected"), REFUSALS)
def test_a_refused_connection_names_its_reason(server_says, expected):
    exc = psycopg.OperationalError(f'connection failed: connection to server at "10.0.0.9", port 5432 failed: '
                                   f"FATAL:  {server_says}")
    message = db_errors.database_error(exc).message
    assert message.startswith(expected), message
    assert "请检查数据库服务" not in message  # the service runs: what is wrong is named instead


@pytest.mark.parametrize(("change", "expected"), [
    ({"database": "guangwu_no_such_database"}, "数据库不存在"),
    ({"username": "guangwu_no_such_role"}, "数据库拒绝了登录"),
])
def test_a_real_server_refusing_the_connection(tmp_path, change, expected):
    url = fresh_engine("postgresql", tmp_path).url.set(**change)
    engine = db.get_engine(url.render_as_string(hide_password=False))
    with pytest.raises(DatabaseUnavailable) as err:
        community_names(engine=engine)
    assert err.value.message.startswith(expected), err.value.message
    engine.dispose()
