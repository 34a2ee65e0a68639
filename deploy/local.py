"""`make deploy-local REPLICAS=2` / `make deploy-stop`: nginx in front of N replicas on this machine.

    python -m deploy.local up [--replicas N] [--port P] [--run-dir D] [--pin]
    python -m deploy.local down [--run-dir D]
    python -m deploy.local migrate        (systemd's guangwu-migrate.service)
    python -m deploy.local budget --replicas N   (N replicas' connections against max_connections: lib/db_budget.py)

`up`: installs Debian's nginx when missing (root only), migrates the database (and seeds an empty one),
starts the replicas (`streamlit run serve.py` on 127.0.0.1, ports P+1…P+N) and a private nginx (its own
prefix, config, pid and logs in the run directory; a system nginx service is never touched), waits for
every replica's /readyz and for nginx, writes `state.json` and prints the URL. `--pin` pins replica i to
CPU i (taskset). deploy/readiness_watch.py takes a replica whose /readyz fails out of rotation. `down` stops exactly the PIDs in `state.json` (checking each is still the process it
started), SIGTERM then SIGKILL after 10 s.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from deploy.nginx_conf import private

REPO = Path(__file__).resolve().parents[1]
RUN_DIR = REPO / "deploy" / "run"
NGINX = "/usr/sbin/nginx"


class DeployError(RuntimeError):
    """Bringing the deployment up failed; the message says why (Chinese) and carries a log tail."""


@dataclass
class Proc:
    name: str
    pid: int
    port: int
    marker: str  # a string of its command line, checked before signalling a PID


@dataclass
class State:
    url: str
    run_dir: str
    database: str
    procs: list[Proc] = field(default_factory=list)

    def replicas(self) -> list[Proc]:
        return [p for p in self.procs if p.name.startswith("replica")]

    def replica(self, i: int) -> Proc:
        return self.replicas()[i]

    def save(self) -> None:
        Path(self.run_dir, "state.json").write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1))

    @classmethod
    def load(cls, run_dir: Path) -> State | None:
        path = Path(run_dir) / "state.json"
        if not path.is_file():
            return None
        raw = json.loads(path.read_text())
        return cls(url=raw["url"], run_dir=raw["run_dir"], database=raw["database"],
                   procs=[Proc(**p) for p in raw["procs"]])


def ensure_nginx() -> str:
    if Path(NGINX).is_file():
        return NGINX
    if os.geteuid() != 0:
        raise DeployError("未安装 nginx，且当前不是 root：请先 apt-get install nginx")
    print("安装 nginx（Debian 软件包）…", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-q", "nginx"], check=True, env=env)
    return NGINX


def prepare_database(db_url: str) -> None:
    """Migrate to the newest revision; seed only an empty database (a live one keeps its data)."""
    from lib.db import get_engine
    from lib.seed import prepare

    prepare(get_engine(db_url))


def _tail(path: Path, n: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


def _get(url: str, timeout: float = 2) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError, http.client.HTTPException):  # refused, timed out, cut off mid-answer
        return 0


def wait_ready(url: str, proc: subprocess.Popen | None, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while _get(url) != 200:
        if proc is not None and proc.poll() is not None:
            raise DeployError(f"进程已退出（{proc.returncode}）：{url}\n{_tail(log)}")
        if time.monotonic() > deadline:
            raise DeployError(f"{timeout:.0f} 秒内未就绪：{url}\n{_tail(log)}")
        time.sleep(0.2)


def write_nginx_conf(run_dir: Path, ports: list[int], listen: int, *, down: list[int] = ()) -> Path:
    conf = Path(run_dir) / "nginx.conf"
    replace_file(conf, private([("127.0.0.1", p) for p in ports], listen=f"127.0.0.1:{listen}", down=down,
                               prefix=str(run_dir)))
    return conf


def replace_file(path: Path, text: str) -> None:
    """Write `path` whole or not at all (nginx may read it at any moment), readable by nginx's workers."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def start_replica(i: int, port: int, db_url: str, run_dir: Path, *, cpu: int | None = None,
                  extra_env: dict[str, str] | None = None) -> tuple[Proc, subprocess.Popen]:
    log = run_dir / f"replica-{i}.log"
    cmd = [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    if cpu is not None:
        cmd = ["taskset", "-c", str(cpu), *cmd]
    env = {**os.environ, "DATABASE_URL": db_url, "DB_APPLICATION_NAME": f"guangwu@{port}", **(extra_env or {})}
    with log.open("w") as fh:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    return Proc(f"replica-{i}", proc.pid, port, "serve.py"), proc


def up(*, replicas: int = 2, port: int = 8080, run_dir: Path = RUN_DIR, db_url: str | None = None,
       pin: bool = False, extra_env: dict[str, str] | None = None) -> State:
    run_dir = Path(run_dir).resolve()
    if (old := State.load(run_dir)) is not None and any(_alive(p) for p in old.procs):
        raise DeployError(f"已有一套在运行（{old.url}）：先 make deploy-stop")
    nginx = ensure_nginx()
    from lib.config import settings
    from lib.db import describe, get_engine

    db_url = db_url or settings().database_url
    if not db_url.startswith("postgresql"):
        print("提示：多个副本应共用 PostgreSQL（DATABASE_URL）；当前为 SQLite，仅适合本机试用。", flush=True)
    prepare_database(db_url)
    print(budget(replicas, db_url).message(), flush=True)  # a warning only: the units may run elsewhere
    (run_dir / "tmp").mkdir(parents=True, exist_ok=True)
    state = State(url=f"http://127.0.0.1:{port}", run_dir=str(run_dir), database=describe(get_engine(db_url)))
    started: list[tuple[Proc, subprocess.Popen]] = []
    try:
        for i in range(replicas):
            started.append(start_replica(i, port + 1 + i, db_url, run_dir, cpu=i if pin else None,
                                         extra_env=extra_env))
            state.procs.append(started[-1][0])
            state.save()
        for proc, popen in started:
            wait_ready(f"http://127.0.0.1:{proc.port}/readyz", popen, run_dir / f"{proc.name}.log")
        conf = write_nginx_conf(run_dir, [p.port for p, _ in started], port)
        test = subprocess.run([nginx, "-t", "-p", str(run_dir), "-c", str(conf)], capture_output=True, text=True)
        if test.returncode != 0:
            raise DeployError(f"nginx 配置无效：\n{test.stderr}")
        with (run_dir / "nginx.out").open("w") as fh:
            ngx = subprocess.Popen([nginx, "-p", str(run_dir), "-c", str(conf), "-g", "daemon off;"],
                                   stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
        state.procs.append(Proc("nginx", ngx.pid, port, "nginx"))
        state.save()
        wait_ready(f"{state.url}/readyz", ngx, run_dir / "nginx-error.log", timeout=20)
        with (run_dir / "readiness-watch.log").open("w") as fh:
            watcher = subprocess.Popen([sys.executable, "-m", "deploy.readiness_watch", "--run-dir", str(run_dir)],
                                       cwd=REPO, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
        state.procs.append(Proc("readiness-watch", watcher.pid, 0, "deploy.readiness_watch"))
        state.save()
    except BaseException:
        down(run_dir)
        raise
    return state


def budget(replicas: int, db_url: str | None = None):
    """lib.db_budget's check of `replicas` processes against the server behind `db_url` (default DATABASE_URL)."""
    from lib.db import get_engine
    from lib.db_budget import check

    return check(processes=replicas, engine=get_engine(db_url) if db_url else None)


def _alive(p: Proc) -> bool:
    try:
        cmdline = Path(f"/proc/{p.pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
    return p.marker in cmdline


def kill(p: Proc, sig: int = signal.SIGTERM) -> None:
    """Signal the process group of `p` (it was started in its own session), if it is still ours."""
    if _alive(p):
        os.killpg(p.pid, sig)


def down(run_dir: Path = RUN_DIR) -> list[str]:
    """Stop what `up` started in `run_dir`; returns the names stopped."""
    state = State.load(run_dir)
    if state is None:
        return []
    stopped = []
    for p in reversed(state.procs):  # the watcher, nginx, then the replicas
        if _alive(p):
            kill(p)
            stopped.append(p.name)
    deadline = time.monotonic() + 10
    for p in state.procs:
        while _alive(p) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(p):
            kill(p, signal.SIGKILL)
    for p in state.procs:  # reap zombies of a caller that started us in-process
        try:
            os.waitpid(p.pid, os.WNOHANG)
        except ChildProcessError:
            pass
    Path(run_dir, "state.json").unlink(missing_ok=True)
    return stopped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="本机部署：nginx + 多个 Streamlit 副本")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_up = sub.add_parser("up")
    p_up.add_argument("--replicas", type=int, default=2)
    p_up.add_argument("--port", type=int, default=8080)
    p_up.add_argument("--run-dir", type=Path, default=RUN_DIR)
    p_up.add_argument("--pin", action="store_true", help="副本 i 绑定到 CPU i")
    p_down = sub.add_parser("down")
    p_down.add_argument("--run-dir", type=Path, default=RUN_DIR)
    sub.add_parser("migrate", help="迁移 DATABASE_URL 的数据库（空库则载入种子数据）")
    p_budget = sub.add_parser("budget", help="N 个副本的数据库连接数是否在 max_connections 之内（不足时状态 1）")
    p_budget.add_argument("--replicas", type=int, required=True)
    args = parser.parse_args(argv)
    if args.cmd == "budget":
        from lib.errors import DashboardError
        try:
            found = budget(args.replicas)
        except DashboardError as exc:
            print(f"无法读取数据库设置：{exc.message}", file=sys.stderr)
            return 2
        print(found.message())
        return 0 if found.ok else 1
    if args.cmd == "migrate":
        from lib.config import settings
        from lib.errors import DashboardError
        try:
            prepare_database(settings().database_url)
        except DashboardError as exc:
            print(f"数据库迁移失败：{exc.message}", file=sys.stderr)
            return 2
        print("数据库已迁移到最新版本")
        return 0
    if args.cmd == "down":
        names = down(args.run_dir)
        print("已停止：" + ("、".join(names) if names else "无（没有在运行的部署）"))
        return 0
    try:
        state = up(replicas=args.replicas, port=args.port, run_dir=args.run_dir, pin=args.pin)
    except DeployError as exc:
        print(f"部署失败：{exc}", file=sys.stderr)
        return 2
    n = sum(p.name.startswith("replica") for p in state.procs)
    print(f"{n} 个副本 + nginx + 就绪检查已启动（数据库 {state.database}）")
    print(f"访问：{state.url}   停止：make deploy-stop   日志：{state.run_dir}")
    print("监控指标（各副本，本机可读）：" + "  ".join(f"http://127.0.0.1:{p.port}/metrics" for p in state.replicas()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
