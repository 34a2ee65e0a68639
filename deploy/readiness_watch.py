"""Active readiness checks for nginx (open-source nginx only has passive ones: a replica that accepts connections
but cannot read the database, or is frozen, keeps getting browsers).

Every INTERVAL seconds, GET each replica's /readyz (all at once, TIMEOUT each). A replica that fails FAILS checks
in a row is marked `down` in nginx's upstreams and nginx reloads; it returns after PASSES good checks in a row (one
slow answer under load does not move browsers about). It never marks every replica down (nginx would then have
nothing to try; its passive checks and the Chinese 「暂时无法访问」 page still apply). Stopping it (SIGTERM) puts
every replica back, so a replica is never left out by a watcher that is no longer running.

Two places to apply the result (deploy/nginx_conf.upstreams writes the text in both):
- `make deploy-local`: `python -m deploy.readiness_watch --run-dir deploy/run` rewrites the private nginx's whole
  configuration and sends its master SIGHUP;
- a real server (`guangwu-readiness.service`):
  `python -m deploy.readiness_watch --upstreams /etc/nginx/conf.d/guangwu-upstreams.conf
  --replicas 127.0.0.1:8501,127.0.0.1:8502 --reload-command "systemctl reload nginx"`.
"""
from __future__ import annotations

import argparse
import os
import shlex
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from deploy.local import RUN_DIR, State, _get, replace_file, write_nginx_conf
from deploy.nginx_conf import parse_replicas, upstreams

INTERVAL = 1.0
TIMEOUT = 3.0
FAILS = 2
PASSES = 2
RELOAD_TIMEOUT = 20.0
RETRY_MAX = 60.0  # seconds between attempts to reload a broken nginx


class Rotation:
    """Which replicas are out (`down`), from one round of checks at a time (`observe`)."""

    def __init__(self, ports: Sequence[int], *, fails: int = FAILS, passes: int = PASSES) -> None:
        self.ports, self.fails, self.passes = list(ports), fails, passes
        self.down: set[int] = set()
        self._streak = dict.fromkeys(self.ports, 0)  # > 0: failed checks in a row; < 0: good checks in a row

    def observe(self, failed: Iterable[int]) -> set[int]:
        failed = set(failed)
        for port in self.ports:
            s = self._streak[port]
            self._streak[port] = max(s, 0) + 1 if port in failed else min(s, 0) - 1
        wanted = {p for p in self.ports if self._streak[p] >= self.fails
                  or (p in self.down and self._streak[p] > -self.passes)}
        if len(wanted) < len(self.ports):  # never every replica: the last ones standing stay in
            self.down = wanted
        return self.down


def failing(ports: Sequence[int], ready: Callable[[int], bool]) -> set[int]:
    """The ports whose check fails, checked side by side (a frozen replica waits out its timeout alone)."""
    with ThreadPoolExecutor(max_workers=max(len(ports), 1)) as pool:
        return {p for p, ok in zip(ports, pool.map(ready, ports)) if not ok}


class UpstreamsFile:
    """A real server: the upstreams file nginx includes, rewritten whole (atomically) and nginx reloaded. A failed
    reload is retried after 1, 2, 4 … s, at most a minute apart (a broken nginx configuration is not reloaded and
    logged every second); a new change of rotation tries again at once."""

    def __init__(self, path: Path, replicas: Sequence[tuple[str, int]], *, reload_command: str,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.path, self.replicas, self.reload_command, self.clock = Path(path), list(replicas), reload_command, clock
        self._reloaded = False  # whether nginx has read what the file says
        self._backoff, self._next_try = 0.0, 0.0

    def apply(self, down: set[int], *, force: bool = False) -> bool:
        """Write the file for `down` and have nginx read it; whether nginx has. `force`: try now, whatever the
        backoff says (the watcher stopping)."""
        text = upstreams(self.replicas, sorted(down))
        try:
            current = self.path.read_text()
        except OSError:
            current = None
        if current != text:
            replace_file(self.path, text)
            self._reloaded, self._backoff, self._next_try = False, 0.0, 0.0
        if self._reloaded or (self.clock() < self._next_try and not force):
            return self._reloaded
        try:
            done = subprocess.run(shlex.split(self.reload_command), capture_output=True, text=True,
                                  timeout=RELOAD_TIMEOUT, check=False)
            ok, problem = done.returncode == 0, (done.stderr or done.stdout).strip()
        except (OSError, subprocess.TimeoutExpired) as exc:
            ok, problem = False, str(exc)
        stamp = time.strftime('%H:%M:%S')
        if ok:
            if self._backoff:
                print(f"{stamp} nginx 已重新加载（此前失败）", flush=True)
            self._reloaded, self._backoff = True, 0.0
        else:
            self._backoff = min(max(self._backoff * 2, 1.0), RETRY_MAX)
            self._next_try = self.clock() + self._backoff
            print(f"{stamp} nginx 重新加载失败（{self.reload_command}），{self._backoff:g} 秒后再试：{problem}", flush=True)
        return self._reloaded


class LocalNginx:
    """make deploy-local: the private nginx's whole configuration, and SIGHUP to its master."""

    def __init__(self, run_dir: Path, state: State) -> None:
        self.run_dir, self.nginx = run_dir, next(p for p in state.procs if p.name == "nginx")
        self.ports = [p.port for p in state.replicas()]
        self._written: set[int] = set()  # deploy-local started nginx with every replica in rotation

    def apply(self, down: set[int], *, force: bool = False) -> bool:  # noqa: ARG002 - nothing is held back here
        if down == self._written:
            return True
        write_nginx_conf(self.run_dir, self.ports, self.nginx.port, down=sorted(down))
        self._written = set(down)
        try:
            os.kill(self.nginx.pid, signal.SIGHUP)
        except ProcessLookupError:  # deploy-stop stopped nginx first
            pass
        return True


def watch(hosts: dict[int, str], target, *, interval: float = INTERVAL, stop: threading.Event | None = None,
          fails: int = FAILS, passes: int = PASSES) -> None:
    """Check `hosts` (port → host) until `stop` is set, applying each change to `target`; then put all back."""
    stop = stop or threading.Event()
    rotation = Rotation(list(hosts), fails=fails, passes=passes)
    applied: set[int] | None = None

    def ready(port: int) -> bool:
        return _get(f"http://{hosts[port]}:{port}/readyz", timeout=TIMEOUT) == 200

    def name(ports: Iterable[int]) -> str:
        return "、".join(f"{hosts[p]}:{p}" for p in sorted(ports)) or "无"

    while not stop.is_set():
        down = set(rotation.observe(failing(list(hosts), ready)))
        if down != applied and target.apply(down):
            if applied is not None or down:
                print(f"{time.strftime('%H:%M:%S')} 未就绪、已摘除：{name(down)}", flush=True)
            applied = down
        stop.wait(interval)
    for _ in range(3):  # a replica left `down` by a watcher that is gone would never return
        if target.apply(set(), force=True):
            print(f"{time.strftime('%H:%M:%S')} 就绪检查已停止，所有副本放回轮询（nginx 的被动检查照常）", flush=True)
            return
        time.sleep(interval)
    print(f"{time.strftime('%H:%M:%S')} 就绪检查已停止，但未能让 nginx 放回所有副本：请检查 nginx 并手动重新加载",
          flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run-dir", type=Path, default=RUN_DIR, help="make deploy-local 的运行目录")
    parser.add_argument("--upstreams", type=Path, help="正式环境：nginx 包含的上游文件（整份改写）")
    parser.add_argument("--replicas", help="正式环境：主机:端口,…（与上游文件一致）")
    parser.add_argument("--reload-command", default="systemctl reload nginx", help="改写后让 nginx 重新加载")
    parser.add_argument("--interval", type=float, default=INTERVAL)
    args = parser.parse_args(argv)
    if args.upstreams:
        if not args.replicas:
            parser.error("--upstreams 需要同时给出 --replicas")
        try:
            replicas = parse_replicas(args.replicas)
        except ValueError as exc:
            parser.error(str(exc))
        hosts = {port: host for host, port in replicas}
        target = UpstreamsFile(args.upstreams, replicas, reload_command=args.reload_command)
    else:
        state = State.load(args.run_dir)
        if state is None:
            raise SystemExit(f"no deployment in {args.run_dir}")
        target = LocalNginx(args.run_dir, state)
        hosts = dict.fromkeys(target.ports, "127.0.0.1")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"{time.strftime('%H:%M:%S')} 就绪检查开始：{len(hosts)} 个副本，每 {args.interval:g} 秒一轮", flush=True)
    watch(hosts, target, interval=args.interval, stop=stop)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
