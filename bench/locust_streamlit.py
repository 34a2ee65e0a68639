"""Locust user that speaks Streamlit's websocket protocol (devtools.st_client; gevent-cooperative).

Each user opens a session and loads the first page, then every WAIT seconds changes the community in
the sidebar selectbox (label 社区, as the browser does: the widget's new value and the URL query string),
and now and then switches to another page (CAPACITY_PAGES, comma list of url paths; empty for the floor
app). Every rerun is timed from sending `rerun_script` to `script_finished` and reported to Locust
(request type `rerun`, or `load` for the first page); an exception drawn by the script, a socket error
or a run that never finishes is a failure. With CAPACITY_SAMPLES=path, the raw samples are written there
as JSON when the run ends (bench/capacity.py computes p95 from them).

    locust -f bench/locust_streamlit.py --headless -u 10 -r 10 -t 30s --host http://127.0.0.1:8501
"""
from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path

from locust import User, between, events, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from devtools.st_client import ProtocolError, Session  # noqa: E402

PAGES = [p for p in os.environ.get("CAPACITY_PAGES", "").split(",") if p]
WAIT = tuple(float(x) for x in os.environ.get("CAPACITY_WAIT", "2,4").split(","))
LABEL = os.environ.get("CAPACITY_LABEL", "社区")
SAMPLES: list[tuple[float, str, str, float, str | None]] = []  # (t, type, name, seconds, error)


@events.quitting.add_listener
def _dump(environment, **_kw):
    path = os.environ.get("CAPACITY_SAMPLES")
    if path:
        Path(path).write_text(json.dumps(SAMPLES))


class StreamlitUser(User):
    wait_time = between(*WAIT)

    def on_start(self) -> None:
        self.page = ""
        self.choice: str | None = None
        try:
            self.session = Session(self.host, timeout=60)
        except Exception as exc:  # noqa: BLE001
            self._report("connect", "open", 0.0, exc)
            raise StopUser() from exc
        self._rerun("load", "load")

    def on_stop(self) -> None:
        if getattr(self, "session", None) is not None:
            self.session.close()

    def _report(self, kind: str, name: str, seconds: float, error: BaseException | str | None, size: int = 0) -> None:
        exc = None if error is None else (error if isinstance(error, BaseException) else RuntimeError(error))
        SAMPLES.append((time.time(), kind, name, seconds, None if exc is None else str(exc)[:200]))
        self.environment.events.request.fire(request_type=kind, name=name, response_time=seconds * 1000,
                                             response_length=size, exception=exc, context={})

    def _rerun(self, kind: str, name: str) -> None:
        strings = {LABEL: self.choice} if self.choice and LABEL in self.session.widget_ids else None
        query = f"community={self.choice}" if self.choice else ""
        try:
            run = self.session.rerun(page=self.page, query=query, strings=strings)
        except ProtocolError as exc:
            self._report(kind, name, 0.0, exc)
            raise StopUser() from exc
        self._report(kind, name, run.seconds, "; ".join(run.exceptions) or None, run.bytes)

    @task(4)
    def change_community(self) -> None:
        options = [o for o in self.session.options.get(LABEL, []) if o != self.choice]
        if not options:
            self._rerun("rerun", "no-selectbox")
            return
        self.choice = random.choice(options)
        self._rerun("rerun", f"select {self.page or 'home'}")

    @task(1)
    def switch_page(self) -> None:
        if not PAGES:
            self.change_community()
            return
        self.page = random.choice([p for p in PAGES if p != self.page] or PAGES)
        self._rerun("rerun", f"page {self.page}")
