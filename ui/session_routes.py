"""HTTP routes that set and clear the sign-in and wall-screen cookies (mounted by serve.py via st.App).

Streamlit talks to the browser over a WebSocket and cannot set cookies, so sign-in is a plain HTML
form POSTed here (the password never travels through the app's session state). Each run of the app
reads the cookie with st.context.cookies (ui/bridge/user.py) and lib.sessions decides whether it is valid.

    POST /session/login        username, password, next -> cookie, 303 to next (staff: own community selected)
    POST /session/logout       ends this browser's session
    POST /session/logout-all   ends every session of the signed-in user
    GET  /display/end          this browser stops being a wall screen
    GET  /display/<token>      a 大屏链接: cookie, 303 to the big screen

Cookies are HttpOnly, SameSite=Strict, and Secure when the request came over HTTPS (directly or as
X-Forwarded-Proto from the reverse proxy). POSTs from another origin are refused.
"""
from __future__ import annotations

import html
import logging
import urllib.parse

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from lib import display_links, sessions
from lib.config import settings
from lib.errors import DashboardError, PermissionDenied
from ui import peer

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


def _page(status: int, title: str, text: str) -> HTMLResponse:
    body = (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            "<meta name='viewport' content='width=device-width,initial-scale=1'></head>"
            "<body style='font-family:sans-serif;background:#0e1117;color:#fafafa;padding:3rem;font-size:1.3rem'>"
            f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>")
    return HTMLResponse(body, status_code=status)


def _refused() -> HTMLResponse:
    return _page(403, "请求被拒绝", "登录请求必须来自本系统的页面。请回到看板重新登录。")


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
    Route("/display/end", display_end, methods=["GET"]),
    Route("/display/{value}", display, methods=["GET"]),
]
