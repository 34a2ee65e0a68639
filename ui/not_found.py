"""Unknown addresses (/foo, /check_form/extra): a Chinese 「页面不存在」 page from the server, never Streamlit's.

Streamlit answers every unknown path with its app page (a single-page app), which then flashes the English
「Page not found … Running the app's main page」 dialog, and a path of two or more segments even loads its
scripts from the wrong place and stays blank. This ASGI middleware (mounted by serve.py through st.App's
`middleware=`, the supported hook) answers such a GET/HEAD itself with a small Chinese page (HTTP 404) and a
link home that keeps the query (?community=…). A wall screen (大屏链接 cookie) is sent to "/" instead: any
address typed there shows the big screen.

Known: "/", each page of app.py's navigation (its url_path is the file's name in pages/; tests check that),
Streamlit's own routes and root files, and the routes serve.py adds. A wrong path under a known route prefix
(/session/x, /display/end/x, /static/x, /_stcore/x) still reaches Streamlit, whose static files answer it with the
app's index.html (the same blank English page) or with an English 404 text: the middleware watches what comes
back for a GET/HEAD of anything but a page, and puts the Chinese page in place of either.

Any other method (a form POSTed to a wrong address, a script's PUT/DELETE): Streamlit's static files answer it with
Starlette's English 「Method Not Allowed」 (or 「Not Found」) text. A request that a route takes passes untouched
(the sign-in form's POST, Streamlit's upload PUT); otherwise that English text is replaced by the Chinese
「页面不存在」 (404) when nothing is served at the path, or by 「不支持此操作」 (405) whose Allow header lists the
methods the path does take (its routes', read from the app's route table; GET/HEAD for a page or a static file).
The same 405 replaces the fallback for a GET of a route that takes no GET (Streamlit's upload address).
A route whose endpoint has `answers_not_allowed` set (ui/session_routes.py's pages for a GET of a form's address)
does not count as taking its method. WebSockets (/_stcore/stream) are never touched.

`render()` is the look of every page the server itself answers with (ui/session_routes.py uses it too).
"""
from __future__ import annotations

import html
from pathlib import Path
from stat import S_ISREG

from starlette.concurrency import run_in_threadpool
from starlette.requests import cookie_parser
from starlette.responses import HTMLResponse, RedirectResponse
from starlette.routing import Match, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from lib import display_links

PAGES_DIR = Path(__file__).resolve().parents[1] / "pages"
# The default pages live at "/" (Streamlit gives their own url_path its 「Page not found」): sent there.
ALIASES = {"overview": "", "screen": "screen=1"}
PAGE_PATHS = frozenset(p.stem for p in PAGES_DIR.glob("*.py") if not p.stem.startswith("_")) - set(ALIASES)
# Paths served by a route: Streamlit's (_stcore/, media/, component/, static/, app/static/) and serve.py's
# (/readyz, /metrics, /session/…, /display/…).
ROUTE_PREFIXES = ("_stcore/", "media/", "component/", "static/", "app/static/", "session/", "display/")
ROUTES = frozenset({"readyz", "metrics"})
ROOT_FILES = frozenset({"favicon.png", "manifest.json"})  # Streamlit's static root (index.html is the app)
# Where a 200 HTML answer can be a real file (a component's page, a downloaded file): only a bare 404 is replaced.
FILE_PREFIXES = ("component/", "media/", "_stcore/bidi-components/")
READ = ("GET", "HEAD")
METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · 光武街道基层治理看板</title>
<style>
body {{ margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center;
  background: #0e1117; color: #fafafa; font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei",
  sans-serif; }}
main {{ max-width: 36rem; padding: 2rem; }}
h1 {{ font-size: 2rem; margin: 0 0 1rem; }}
p {{ font-size: 1.1rem; line-height: 1.7; color: #d0d3da; }}
a {{ display: inline-flex; align-items: center; min-height: 44px; min-width: 44px; padding: 0 1.4rem;
  margin: 0.6rem 0.8rem 0 0; border-radius: 0.5rem; background: #e8463a; color: #fff; text-decoration: none;
  font-size: 1.1rem; }}
a.secondary {{ background: transparent; border: 1px solid #6b7280; }}
</style></head>
<body><main>
<h1>{title}</h1>
<p>{text}</p>
{links}
</main></body></html>
"""


def render(title: str, text: str, links: list[tuple[str, str]]) -> str:
    """A small Chinese page: heading, one paragraph, links [(href, label)] (the first is the main one, id "home"
    when it goes home). Everything is escaped."""
    tags = []
    for i, (href, label) in enumerate(links):
        attrs = ' class="secondary"' if i else (' id="home"' if label == "返回首页" else "")
        tags.append(f'<a{attrs} href="{html.escape(href, quote=True)}">{html.escape(label)}</a>')
    return TEMPLATE.format(title=html.escape(title), text=html.escape(text), links="".join(tags))


def _relative(path: str, base: str) -> str | None:
    """`path` without the app's base path and slashes; None when it lies outside the base path."""
    rel, base = path.strip("/"), base.strip("/")
    if base:
        if rel != base and not rel.startswith(base + "/"):
            return None
        rel = rel[len(base):].strip("/")
    return rel


def is_known(path: str, base: str = "") -> bool:
    """Whether `path` (the request's URL path) is a page of the app or a route: anything else is unknown."""
    rel = _relative(path, base)
    if not rel:
        return True  # "/" or outside the base path (not ours to answer)
    return rel in PAGE_PATHS or rel in ROOT_FILES or rel in ROUTES or (rel + "/").startswith(ROUTE_PREFIXES)


def is_page(path: str, base: str = "") -> bool:
    """Whether `path` is "/" or one of the app's pages (what Streamlit answers with its index.html)."""
    rel = _relative(path, base)
    return rel is not None and (rel == "" or rel in PAGE_PATHS)


def page(query: str = "", base: str = "") -> str:
    """The 「页面不存在」 page; its home link keeps the query string (escaped)."""
    root = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    home = root + (f"?{query}" if query else "")
    return render("页面不存在", "您要打开的页面不存在：网址可能输入有误，或该页面已不再提供。",
                  [(home, "返回首页"), (root + "account", "登录 / 账号")])


def not_allowed_page(query: str = "", base: str = "") -> str:
    """The 「不支持此操作」 page: the address exists but not for this kind of request (HTTP 405)."""
    root = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    home = root + (f"?{query}" if query else "")
    return render("不支持此操作", "此地址不接受这种请求，不能以这种方式打开或提交。请回到看板，通过页面上的链接、按钮和表单操作。",
                  [(home, "返回首页"), (root + "account", "登录 / 账号")])


def allow_header(methods) -> str:
    """Methods in the usual order (GET, HEAD, POST, …; others after them, sorted), as an Allow header."""
    known = [m for m in METHOD_ORDER if m in methods]
    return ", ".join(known + sorted(set(methods) - set(METHOD_ORDER)))


def _static_file(mount: Mount, scope: Scope) -> bool:
    """Whether the static-files mount holds a file at the request's path."""
    _match, child = mount.matches(scope)
    app = mount.app
    try:
        _full, stat = app.lookup_path(app.get_path({**scope, **child}))
    except (OSError, ValueError):
        return False
    return stat is not None and S_ISREG(stat.st_mode)


async def route_methods(scope: Scope, base: str) -> tuple[bool, frozenset[str]]:
    """(whether a route takes this request's method at its path, the methods taken at the path).

    Read from the Starlette app's route table (scope["app"]). A static-files mount (Streamlit's, at "/") takes
    GET/HEAD of a page and of a file it holds, and is not counted as taking the request (it answers other methods
    with its English 405). Another kind of mount that matches is counted as taking everything (left alone)."""
    methods: set[str] = set()
    taken = False
    rel = _relative(scope.get("path", "/"), base) or ""
    for route in getattr(scope.get("app"), "routes", None) or []:
        if isinstance(route, Route):
            match, _child = route.matches(scope)
            if match is Match.NONE or getattr(route.endpoint, "answers_not_allowed", False):
                continue
            methods |= set(route.methods or METHOD_ORDER)
            taken = taken or match is Match.FULL
        elif isinstance(route, Mount) and route.matches(scope)[0] is not Match.NONE:
            if not isinstance(route.app, StaticFiles):
                return True, frozenset(METHOD_ORDER)
            if rel in ROOT_FILES or await run_in_threadpool(_static_file, route, scope):
                methods |= set(READ)
    if is_page(scope.get("path", "/"), base):  # the static files' index.html
        methods |= set(READ)
    return taken, frozenset(methods)


def base_path() -> str:
    """Streamlit's server.baseUrlPath (empty unless the app is served under a prefix)."""
    from streamlit import config

    return config.get_option("server.baseUrlPath") or ""


def _header(headers, name: bytes) -> str:
    return next((v for k, v in headers or [] if k.lower() == name), b"").decode("latin-1").lower()


def is_fallback(rel: str, start: dict) -> bool:
    """Whether `start`, answering a GET/HEAD of `rel` (a route or file, not a page), is Streamlit's answer for a
    file it does not have: its index.html (200, HTML) or a bare English 404 (「File not found」, 「not found」)."""
    html_body = _header(start.get("headers"), b"content-type").startswith("text/html")
    if start["status"] == 404:
        return not html_body
    return start["status"] == 200 and html_body and not (rel + "/").startswith(FILE_PREFIXES)


def _unknown(scope: Scope, base: str):
    """The answer to an unknown address: 「页面不存在」 (404), or on a wall screen (GET/HEAD) the big screen."""
    query = scope.get("query_string", b"").decode("latin-1")
    root = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    cookies = cookie_parser(dict(scope.get("headers") or []).get(b"cookie", b"").decode("latin-1"))
    if display_links.COOKIE in cookies and scope.get("method") in READ:
        return RedirectResponse(root + (f"?{query}" if query else ""), status_code=303)
    return HTMLResponse(page(query, base), status_code=404, headers={"Cache-Control": "no-cache"})


def _answer(scope: Scope, base: str, methods: frozenset[str]):
    """「不支持此操作」 (405, Allow) when the path takes other methods, else the unknown address's answer."""
    if methods and scope.get("method") not in methods:
        query = scope.get("query_string", b"").decode("latin-1")
        return HTMLResponse(not_allowed_page(query, base), status_code=405,
                            headers={"Cache-Control": "no-cache", "Allow": allow_header(methods)})
    return _unknown(scope, base)


def is_refusal(start: dict) -> bool:
    """Whether `start` is Starlette's plain-text 404 or 405 (「Not Found」, 「Method Not Allowed」)."""
    html_body = _header(start.get("headers"), b"content-type").startswith("text/html")
    return start["status"] in (404, 405) and not html_body


class NotFoundMiddleware:
    """Answers unknown paths and wrong methods in Chinese (see module docstring); passes everything else through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        base = base_path() if scope["type"] == "http" else ""
        path = scope.get("path", "/")
        if scope["type"] != "http" or _relative(path, base) is None:
            await self.app(scope, receive, send)
            return
        if scope.get("method") not in READ:
            taken, methods = await route_methods(scope, base)
            if taken:
                await self.app(scope, receive, send)
            else:
                await self._watched(scope, receive, send, base, methods)
            return
        if is_page(path, base):
            await self.app(scope, receive, send)
            return
        if is_known(path, base):
            await self._watched(scope, receive, send, base)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        root = "/" + base.strip("/") + "/" if base.strip("/") else "/"
        alias = ALIASES.get(_relative(path, base))
        if alias is not None:
            joined = "&".join(q for q in (alias, query) if q)
            await RedirectResponse(root + (f"?{joined}" if joined else ""), status_code=303)(scope, receive, send)
            return
        await _unknown(scope, base)(scope, receive, send)

    async def _watched(self, scope: Scope, receive: Receive, send: Send, base: str,
                       methods: frozenset[str] | None = None) -> None:
        """Passed through, unless what comes back is Streamlit's fallback for a GET/HEAD or Starlette's English
        refusal of another method: then the Chinese page goes out instead, and the rest of the answer is dropped.
        `methods` (those the path takes) are read when needed if not given."""
        replaced = False
        rel = _relative(scope.get("path", "/"), base) or ""
        before = dict(scope)  # the router below rewrites the scope (root_path, path_params)
        reading = scope.get("method") in READ

        async def watch(message) -> None:
            nonlocal replaced
            if message["type"] == "http.response.start" and (
                    is_fallback(rel, message) if reading else is_refusal(message)):
                replaced = True
                taken = methods if methods is not None else (await route_methods(before, base))[1]
                await _answer(before, base, taken)(before, receive, send)
            elif not replaced:
                await send(message)

        await self.app(scope, receive, watch)
