"""systemd's watchdog for a served replica: WATCHDOG=1 only while the process answers its own /_stcore/health.

systemd restarts a process that exits (Restart=always), not one that stops answering: a replica whose event loop is
stuck (a deadlock, a runaway callback) kept its port and failed every liveness check until someone restarted it by
hand. The replica's unit asks for a watchdog (WatchdogSec=): systemd then passes NOTIFY_SOCKET and WATCHDOG_USEC,
and a thread here asks the process's own /_stcore/health over HTTP every third of that time (the path a browser's
requests take: the event loop, uvicorn, Streamlit's runtime) and sends WATCHDOG=1 when it answers 200. When the
answers stop for the whole limit, systemd kills the process (WatchdogSignal=SIGKILL) and starts it again; its
browsers reconnect to another replica. Started by serve.py; without systemd's variables it does nothing.
"""
from __future__ import annotations

import os
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from deploy.local import _get


@dataclass(frozen=True)
class Settings:
    address: str  # the notify socket's path ("\0…" for an abstract one)
    interval: float  # seconds between checks: a third of systemd's limit


def settings(environ: Mapping[str, str] = os.environ) -> Settings | None:
    """What systemd asked for, or None when this process is not under a systemd watchdog."""
    path, usec, pid = environ.get("NOTIFY_SOCKET"), environ.get("WATCHDOG_USEC", ""), environ.get("WATCHDOG_PID")
    if not path or not usec.isdigit() or int(usec) == 0 or (pid and pid != str(os.getpid())):
        return None
    return Settings("\0" + path[1:] if path.startswith("@") else path, int(usec) / 1e6 / 3)


class Watchdog:
    def __init__(self, url: str, cfg: Settings) -> None:
        self.url, self.cfg, self._stop = url, cfg, threading.Event()
        self.thread = threading.Thread(target=self._run, name="systemd-watchdog", daemon=True)

    def _run(self) -> None:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            while not self._stop.is_set():
                if _get(self.url, timeout=self.cfg.interval) == 200:
                    try:
                        sock.sendto(b"WATCHDOG=1", self.cfg.address)
                    except OSError:  # systemd restarting, the socket gone: the next round tries again
                        pass
                self._stop.wait(self.cfg.interval)

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(self.cfg.interval * 2 + 1)


def start(url: str, *, environ: Mapping[str, str] = os.environ) -> Watchdog | None:
    """Feed systemd's watchdog while `url` answers 200; None (nothing started) when not under one."""
    cfg = settings(environ)
    if cfg is None:
        return None
    dog = Watchdog(url, cfg)
    dog.thread.start()
    return dog


def own_health_url() -> str:
    """This server's /_stcore/health, from Streamlit's options (as `streamlit run` was given them)."""
    from streamlit import config

    address = config.get_option("server.address") or ""
    host = "127.0.0.1" if address in ("", "0.0.0.0", "::") else address  # noqa: S104 - comparing, not binding
    return f"http://{'[' + host + ']' if ':' in host else host}:{config.get_option('server.port')}/_stcore/health"
