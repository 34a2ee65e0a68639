"""Failing databases for the fault tests: a socket that accepts and never answers, and a throwaway
PostgreSQL cluster on its own port that a test can stop and start (never the server on 5432)."""
from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from shown_text import texts  # noqa: F401 - also imported from here by other tests


@contextlib.contextmanager
def hung_server() -> Iterator[int]:
    """A TCP port on 127.0.0.1 that accepts connections and never sends a byte. Yields the port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=2)
        for conn in accepted:
            conn.close()
        listener.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


class Cluster:
    """A private PostgreSQL cluster (initdb into a temp dir, run as user postgres) on a free port."""

    def __init__(self, *, settings: dict[str, object] | None = None) -> None:
        self.bin = pg_bin()
        self.settings = settings or {}  # server settings for its start (-c name=value), e.g. max_connections
        self.dir = Path(tempfile.mkdtemp(prefix="gw-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def init(self) -> Cluster:
        shutil.chown(self.dir, "postgres") if os.geteuid() == 0 else None
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        return self

    def start(self) -> None:
        opts = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off"
        opts += "".join(f" -c {name}={value}" for name, value in self.settings.items())
        self._run("pg_ctl", "-D", str(self.data), "-o", opts, "-w", "-t", "60", "-l", str(self.dir / "log"), "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def freeze(self) -> list[int]:
        """SIGSTOP the server and its backends: a host stuck on storage, or paused. Its kernel still accepts and
        acknowledges, so a client waits on an open socket that never answers. Returns what `thaw` resumes."""
        main = int((self.data / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(["pgrep", "-P", str(main)], capture_output=True, text=True).stdout.split()
        pids = [main, *map(int, children)]
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        return pids

    @staticmethod
    def thaw(pids: list[int]) -> None:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)

    def remove(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@contextlib.contextmanager
def seeded_cluster(**settings: object) -> Iterator[Cluster]:
    """A started, seeded private cluster (server `settings` as Cluster's), removed afterwards; a skip without the
    PostgreSQL programs. For module-scoped fixtures."""
    from lib import db
    from lib.seed import seed

    if pg_bin() is None:
        pytest.skip("未找到 PostgreSQL 程序（/usr/lib/postgresql/*/bin）")
    c = Cluster(settings=settings).init()
    try:
        c.start()
        seed(db.get_engine(c.url))
        db.get_engine(c.url).dispose()
        yield c
    finally:
        db.get_engine(c.url).dispose()
        c.remove()


def reset_caches() -> None:
    """Settings, engines and Streamlit's data cache forgotten (after a test changed DATABASE_URL or settings)."""
    import streamlit as st

    from lib import config, db

    config.settings.cache_clear()
    db.get_engine.cache_clear()
    st.cache_data.clear()


