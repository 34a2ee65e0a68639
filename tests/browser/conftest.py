"""Browser tests: one Streamlit server on a freshly seeded SQLite file, one Chromium, a new context per test.

Chromium is Debian's (/usr/bin/chromium, installed by `make test` when root); Playwright's own browser
download is never used. Screenshots land in $ARTIFACTS/screenshots/ (default test-artifacts/).
"""
from __future__ import annotations

import contextlib
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from browser_helpers import screenshot_dir

from devtools import streamlit_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run"]
SERVER_START_SECONDS = 90
PAGE_READY_SECONDS = 40



def pytest_collection_modifyitems(items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_call_failed = report.failed
    return report


def _close(contexts: list, request) -> None:
    """Close the test's contexts; after a failure, first save what each page showed (failed-<test>-N.png)."""
    failed = getattr(request.node, "browser_call_failed", False)
    for i, ctx in enumerate(contexts):
        if failed:
            for page in ctx.pages:
                name = "".join(c if c.isalnum() or c in "-_" else "_" for c in request.node.name)
                try:
                    page.screenshot(path=str(screenshot_dir() / f"failed-{name}-{i}.png"))
                except Exception:  # noqa: BLE001, S110 - best effort, the failure itself is reported anyway
                    pass
        ctx.close()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not CHROMIUM.exists():
        pytest.skip("未找到 /usr/bin/chromium，跳过浏览器测试（以 root 运行 make test 会自动安装）/ "
                    "Debian Chromium missing at /usr/bin/chromium: browser tests skipped "
                    "(`make test` installs it when run as root)")
    pytest.importorskip("playwright.sync_api", reason="未安装 playwright / playwright is not installed")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def seeded_db(chromium_path, tmp_path_factory) -> str:
    """A fresh SQLite file seeded by `python -m lib.seed` (never the developer's data/guangwu.db)."""
    db_url = f"sqlite:///{tmp_path_factory.mktemp('browser-db') / 'browser.db'}"
    try:
        streamlit_server.seed(db_url)
    except streamlit_server.ServerError as exc:
        pytest.fail(str(exc))
    return db_url


@contextlib.contextmanager
def _serve(db_url: str, log_dir: Path) -> Iterator[str]:
    """`streamlit run serve.py` on a free port (own process group, stopped afterwards); yields the base URL."""
    # No file watcher: other edits in the working tree must not show Streamlit's "File change" prompt.
    srv = streamlit_server.start(db_url, log_dir / "streamlit.log",
                                 extra_args=["--server.fileWatcherType", "none"])
    try:
        try:
            srv.wait_healthy(SERVER_START_SECONDS)
        except streamlit_server.ServerError as exc:
            pytest.fail(str(exc))
        yield srv.url
    finally:
        srv.stop()


@pytest.fixture(scope="session")
def server(seeded_db, tmp_path_factory) -> Iterator[str]:
    """The one shared server for the suite."""
    with _serve(seeded_db, tmp_path_factory.mktemp("browser-server")) as base:
        yield base


@pytest.fixture
def fresh_server(seeded_db, tmp_path) -> Iterator[str]:
    """A server no browser has visited yet (for the first-request-is-a-deep-link test)."""
    with _serve(seeded_db, tmp_path) as base:
        yield base


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@dataclass
class Opened:
    """A page opened by `page_at`, with every request URL and page error it produced."""
    page: object
    base: str
    width: int
    height: int
    requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    frames: int = 0  # websocket messages received from the server
    last_frame: float = 0.0
    last_sent: float = 0.0  # the browser's last message (a rerun request, a widget change)

    def _frame(self, _payload) -> None:
        self.frames += 1
        self.last_frame = time.monotonic()

    def _sent(self, _payload) -> None:
        self.last_sent = time.monotonic()

    def _websocket(self, ws) -> None:
        self.frames, self.last_frame, self.last_sent = 0, 0.0, 0.0  # a new page load: this connection only
        ws.on("framereceived", self._frame)
        ws.on("framesent", self._sent)

    def goto(self, path: str, *, wait: bool = True) -> None:
        self.frames, self.last_frame, self.last_sent = 0, 0.0, 0.0
        self.page.goto(self.base + "/" + path.lstrip("/"), wait_until="domcontentloaded")
        if wait:
            self.wait_ready()

    def reload(self, *, wait: bool = True) -> None:
        self.frames, self.last_frame, self.last_sent = 0, 0.0, 0.0
        self.page.reload(wait_until="domcontentloaded")
        if wait:
            self.wait_ready()

    def foreign_requests(self) -> list[str]:
        host = urllib.parse.urlsplit(self.base).netloc
        return sorted({u for u in self.requests
                       if urllib.parse.urlsplit(u).scheme in ("http", "https", "ws", "wss")
                       and urllib.parse.urlsplit(u).netloc != host})

    def wait_ready(self, timeout: float = PAGE_READY_SECONDS) -> None:
        wait_for_streamlit(self, timeout=timeout)

    def screenshot(self, name: str, **kwargs) -> Path:
        path = screenshot_dir() / f"{name}-{self.width}x{self.height}.png"
        self.page.screenshot(path=str(path), **kwargs)
        return path


def wait_for_streamlit(opened: Opened, *, timeout: float = PAGE_READY_SECONDS, settle: float = 0.6) -> None:
    """Poll (with a deadline) until the app has rendered and gone quiet.

    Quiet means: app container and some rendered element present, no running/stale indicator, every
    map/chart drawn into its canvas/svg, the server has answered the browser's last message (a click or a
    widget change) and sent nothing for `settle` seconds (the running indicator itself only appears after
    0.5 s of running, so it alone is not enough).
    """
    page = opened.page
    deadline = time.monotonic() + timeout
    state: dict = {}
    while True:
        state = page.evaluate("""() => ({
            app: !!document.querySelector('[data-testid="stAppViewContainer"]'),
            elements: document.querySelectorAll('[data-testid="stMain"] [data-testid="stElementContainer"]').length,
            running: !!document.querySelector('[data-testid="stStatusWidget"]'),
            // the app's loading screen, and elements whose code is still loading (Suspense placeholders)
            skeleton: document.querySelectorAll('[data-testid="stAppSkeleton"], [data-testid="stSkeleton"]').length,
            stale: document.querySelectorAll('[data-stale="true"]').length,
            // deck.gl and Vega load lazily, seconds after the script has finished
            charts_pending: [...document.querySelectorAll('[data-testid="stDeckGlJsonChart"]')]
                                .filter(c => !c.querySelector('canvas')).length
                            + [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                                .filter(c => !c.querySelector('canvas, svg')).length,
        })""")
        now = time.monotonic()
        state["frames"], state["quiet_s"] = opened.frames, round(now - opened.last_frame, 2)
        state["answered"] = opened.last_frame > opened.last_sent
        ready = (state["app"] and state["elements"] and not state["running"] and not state["skeleton"]
                 and not state["stale"] and not state["charts_pending"] and opened.frames
                 and state["answered"] and now - opened.last_frame >= settle)
        if ready:
            return
        if now > deadline:
            raise AssertionError(f"Streamlit 页面在 {timeout:.0f}s 内未完成运行 / app did not settle: {state}")
        page.wait_for_timeout(150)  # lets Playwright deliver websocket events, unlike time.sleep


def _opener(browser, base: str, contexts: list) -> Callable[..., Opened]:
    def open_page(path: str, *, width: int, height: int, touch: bool = False, wait: bool = True,
                  user_agent: str | None = None) -> Opened:
        """`user_agent`: a tablet's (the context is then a mobile one too), for defaults chosen by device."""
        extra = {"user_agent": user_agent, "is_mobile": True} if user_agent else {"is_mobile": False}
        ctx = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1,
                                  has_touch=touch, locale="zh-CN", timezone_id="Asia/Shanghai", **extra)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(PAGE_READY_SECONDS * 1000)
        opened = Opened(page=page, base=base, width=width, height=height)
        ctx.on("request", lambda req: opened.requests.append(req.url))
        page.on("pageerror", lambda err: opened.page_errors.append(str(err)))
        page.on("websocket", opened._websocket)
        opened.goto(path, wait=wait)
        return opened

    return open_page


@pytest.fixture(scope="session")
def app_url(server, browser) -> str:
    """The shared server after one visit to "/".

    Streamlit runs `pages/<name>.py` bare (MPA v1) for a deep link until app.py's st.navigation has run once
    in the process; test_fresh_server.py checks that case on its own server.
    """
    contexts: list = []
    page = _opener(browser, server, contexts)("/", width=1280, height=800, wait=False).page
    page.locator('[data-testid="stSidebarNav"]').first.wait_for(state="attached")  # app.py has run
    for ctx in contexts:
        ctx.close()
    return server


@pytest.fixture
def page_at(browser, app_url, request) -> Iterator[Callable[..., Opened]]:
    """page_at(path, *, width, height, touch=False, user_agent=None) -> Opened, after Streamlit has finished
    running."""
    contexts: list = []
    yield _opener(browser, app_url, contexts)
    _close(contexts, request)


@pytest.fixture
def fresh_page_at(browser, fresh_server, request) -> Iterator[Callable[..., Opened]]:
    """Like page_at, on a server no browser has visited yet."""
    contexts: list = []
    yield _opener(browser, fresh_server, contexts)
    _close(contexts, request)
