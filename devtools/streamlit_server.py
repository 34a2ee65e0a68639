"""Start `streamlit run serve.py` (the app plus /readyz) on a free port against a (freshly seeded) database, wait for health, stop it.

Shared by `tests/browser/conftest.py` and `bench/`. Failures raise `ServerError` with the log tail,
so a caller can turn them into `pytest.fail` or a benchmark error.
"""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
START_SECONDS = 90


class ServerError(RuntimeError):
    """Seeding or starting the server failed; the message carries the output or log tail."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path: Path, n: int = 40) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


def server_env(db_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": db_url, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **(extra or {})}


def seed(db_url: str, *, timeout: float = 180) -> subprocess.CompletedProcess:
    """`python -m lib.seed --database-url db_url` in a subprocess; raises ServerError on failure."""
    done = subprocess.run([sys.executable, "-m", "lib.seed", "--database-url", db_url], cwd=REPO,
                          env=server_env(db_url), capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise ServerError(f"种子数据载入失败 / seeding failed:\n{done.stdout}\n{done.stderr}")
    return done


@dataclass
class Server:
    """A running `streamlit run` process (its own process group) and where it logs."""
    proc: subprocess.Popen
    port: int
    log_path: Path
    _log: object = field(repr=False, default=None)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.proc.pid

    def tail(self, n: int = 40) -> str:
        return tail(self.log_path, n)

    def wait_healthy(self, timeout: float = START_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise ServerError(f"Streamlit 进程已退出（{self.proc.returncode}）/ server exited:\n{self.tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise ServerError(f"Streamlit 未在 {timeout:.0f}s 内就绪 / not healthy:\n{self.tail()}")
            time.sleep(0.1)

    def stop(self) -> None:
        """SIGTERM the process group, SIGKILL after 10 s."""
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None


def start(db_url: str, log_path: Path, *, app: str = "serve.py", port: int | None = None,
          extra_env: dict[str, str] | None = None, extra_args: list[str] | None = None,
          cpu: int | None = None) -> Server:
    """Launch `streamlit run app` (headless, 127.0.0.1, no usage stats; pinned to `cpu` by taskset when
    given); does not wait for health."""
    port = port or free_port()
    log = Path(log_path).open("w", encoding="utf-8")  # noqa: SIM115 - open while the server runs; stop() closes it
    pin = ["taskset", "-c", str(cpu)] if cpu is not None else []
    proc = subprocess.Popen(
        [*pin, sys.executable, "-m", "streamlit", "run", app, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         *(extra_args or [])],
        cwd=REPO, env=server_env(db_url, extra_env), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    return Server(proc=proc, port=port, log_path=Path(log_path), _log=log)


@contextlib.contextmanager
def running(db_url: str, workdir: Path, *, seed_first: bool = True, app: str = "serve.py",
            timeout: float = START_SECONDS, extra_env: dict[str, str] | None = None) -> Iterator[Server]:
    """Seed `db_url` (optional), start the server, wait for health; always stop it afterwards."""
    if seed_first:
        seed(db_url)
    server = start(db_url, Path(workdir) / "streamlit.log", app=app, extra_env=extra_env)
    try:
        server.wait_healthy(timeout)
        yield server
    finally:
        server.stop()
