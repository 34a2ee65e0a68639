"""HTTP routes that set and clear the sign-in and wall-screen cookies (mounted by serve.py via st.App).

Streamlit talks to the browser over a WebSocket and cannot set cookies, so sign-in is a plain HTML
form POSTed here (the password never travels through the app's session state). Each run of the app
reads the cookie with st.context.cookies (ui/bridge/user.py) and lib.sessions decides whether it is valid.

    POST /session/login        username, password, next -> cookie, 303 to next (staff: own community selected)
    POST /session/logout       ends this browser's session
    POST /session/logout-all   ends every session of the signed-in user
    GET  /display/end          this browser stops being a wall screen
    GET  /display/<token>      a 大屏链接: cookie, 303 to the big screen

The three POST routes opened directly (a bookmark, a typed address, a reload after the redirect) get a Chinese
page saying where to sign in or out (HTTP 405, Allow: POST), never Streamlit's English index page; a wrong path
under /session/ or /display/ gets the Chinese 「页面不存在」, and any other method on these addresses (PUT
/session/login, POST /display/end) the Chinese 「不支持此操作」 with the right Allow header (both ui/not_found.py,
which reads the methods from these routes). Every page here has a link back.

Cookies are HttpOnly, SameSite=Strict, and Secure when the request came over HTTPS (directly or as
X-Forwarded-Proto from the reverse proxy). POSTs from another origin are refused.
"""
from __future__ import annotations

import logging
import urllib.parse

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from lib import display_links, sessions
from lib.config import settings
from lib.errors import DashboardError, PermissionDenied
from ui import not_found, peer

log = logging.getLogger("guangwu.session")
MAX_FIELD = 200


def _https(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None  # no Origin header (old browsers) is let through; "null" is not
    host = request.headers.get("x-forwarded-host") or request.headers.get("host") or ""
    return urllib.parse.urlsplit(origin).netloc == host.split(",")[0].strip()


def _client(request: Request) -> str | None:
    """The client address for the sign-in lockout (ui.peer.lockout_client)."""
    return peer.lockout_client(request.client.host if request.client else None,
                               lambda name: request.headers.get(name, ""))


def _set(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="strict",
                        secure=_https(request))


def _clear(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, path="/", httponly=True, samesite="strict", secure=_https(request))


def _with_params(path: str, **params: str) -> str:
    parts = urllib.parse.urlsplit(path)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += list(params.items())
    return urllib.parse.urlunsplit(("", "", parts.path, urllib.parse.urlencode(query), ""))


HOME = ("/", "返回首页")
ACCOUNT = ("/account", "前往「登录 / 账号」页")


def _page(status: int, title: str, text: str, links: list[tuple[str, str]] | None = None,
          headers: dict[str, str] | None = None) -> HTMLResponse:
    """A Chinese page in the look of 「页面不存在」 (ui.not_found.render), with a link back to the app."""
    return HTMLResponse(not_found.render(title, text, links or [HOME]), status_code=status,
                        headers={"Cache-Control": "no-cache", **(headers or {})})


def _form_only(title: str, text: str):
    """GET/HEAD of a route that only takes its form's POST: say where to do it instead."""
    async def endpoint(request: Request) -> Response:
        return _page(405, title, text, [ACCOUNT, HOME], headers={"Allow": "POST"})
    endpoint.answers_not_allowed = True  # ui/not_found.py: this GET route does not make GET an allowed method
    return endpoint


def _refused() -> HTMLResponse:
    return _page(403, "请求被拒绝", "登录请求必须来自本系统的页面。请回到看板重新登录。", [ACCOUNT, HOME])


async def login(request: Request) -> Response:
    if not _same_origin(request):
        return _refused()
    form = await request.form()
    username = str(form.get("username", ""))[:MAX_FIELD]
    password = str(form.get("password", ""))[:MAX_FIELD]
    wanted = sessions.safe_next(str(form.get("next", ""))[:2000])
    try:
        result = await run_in_threadpool(sessions.sign_in, username, password,
                                         user_agent=request.headers.get("user-agent"), client=_client(request))
    except PermissionDenied:  # too many failures: locked for a while (lib.auth says so in the audit log)
        return RedirectResponse(_with_params(wanted, signin="locked"), status_code=303)
    except DashboardError as exc:
        log.warning("sign-in failed: %s", exc.message)
        code = "readonly" if exc.message.startswith("数据库当前为只读") else "unavailable"
        return RedirectResponse(_with_params(wanted, signin=code), status_code=303)
    if result is None:
        return RedirectResponse(_with_params(wanted, signin="failed", user=username.strip()[:64]), status_code=303)
    value, actor = result
    response = RedirectResponse(sessions.landing(wanted, actor), status_code=303)
    _set(response, request, sessions.COOKIE, value, settings().session_max_hours * 3600)
    _clear(response, request, display_links.COOKIE)  # a person signing in is not a wall
    return response


async def _end(request: Request, everywhere: bool) -> Response:
    if not _same_origin(request):
        return _refused()
    value = request.cookies.get(sessions.COOKIE)
    action = sessions.sign_out_everywhere if everywhere else sessions.sign_out
    try:
        await run_in_threadpool(action, value)
    except DashboardError as exc:  # the cookie is cleared anyway; the row ends by its idle timeout
        log.warning("sign-out failed: %s", exc.message)
    response = RedirectResponse(f"/account?signout={'all' if everywhere else 'here'}", status_code=303)
    _clear(response, request, sessions.COOKIE)
    return response


async def logout(request: Request) -> Response:
    return await _end(request, everywhere=False)


async def logout_all(request: Request) -> Response:
    return await _end(request, everywhere=True)


async def display_end(request: Request) -> Response:
    response = RedirectResponse("/", status_code=303)
    _clear(response, request, display_links.COOKIE)
    return response


async def display(request: Request) -> Response:
    value = request.path_params["value"]
    try:
        name = await run_in_threadpool(display_links.open_link, value)
    except DashboardError as exc:
        return _page(503, "暂时无法打开大屏", exc.message)
    if name is None:
        return _page(403, "大屏链接无效", "该大屏链接不存在、已过期或已被撤销。请联系街道管理员在「用户管理」中重新创建。")
    query = [(k, v) for k, v in request.query_params.multi_items() if k in ("community", "rotate", "pause")]
    response = RedirectResponse("/?" + urllib.parse.urlencode([("screen", "1"), *query]), status_code=303)
    _set(response, request, display_links.COOKIE, value, display_links.MAX_DAYS * 86400)
    return response


ROUTES = [
    Route("/session/login", login, methods=["POST"]),
    Route("/session/logout", logout, methods=["POST"]),
    Route("/session/logout-all", logout_all, methods=["POST"]),
    Route("/session/login", _form_only("请从看板的登录页登录", "此地址只接收看板登录页提交的用户名和密码，不能直接打开。"
                                       "请回到看板，在「登录 / 账号」页输入用户名和密码登录。"), methods=["GET"]),
    Route("/session/logout", _form_only("请在看板中退出登录", "此地址不能直接打开。请回到看板，在「登录 / 账号」页"
                                        "点按「退出登录」。"), methods=["GET"]),
    Route("/session/logout-all", _form_only("请在看板中退出登录", "此地址不能直接打开。请回到看板，在「登录 / 账号」页"
                                            "点按「在所有设备上退出」。"), methods=["GET"]),
    Route("/display/end", display_end, methods=["GET"]),
    Route("/display/{value}", display, methods=["GET"]),
]
