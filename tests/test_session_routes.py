"""The HTTP routes that set and clear the cookies (ui/session_routes.py), through Starlette's test client."""
from __future__ import annotations

import pytest
from staff_apptest import PASSWORD, _staff_templates, engine  # noqa: F401
from starlette.applications import Starlette
from starlette.testclient import TestClient

from lib import display_links, sessions
from lib.audit import audit_log
from lib.auth import Actor
from ui import session_routes

ADMIN = Actor("admin", "街道管理员", "街道管理员", None)
SAME = {"origin": "http://testserver"}


@pytest.fixture
def client(engine):
    with TestClient(Starlette(routes=session_routes.ROUTES), follow_redirects=False) as c:
        yield c


def login(client, username, password, next_path="/check_form", headers=SAME):
    return client.post("/session/login", data={"username": username, "password": password, "next": next_path},
                       headers=headers)


def test_wrong_password_goes_back_with_a_message_and_no_cookie(client):
    r = login(client, "zx", "wrong-password")
    assert r.status_code == 303 and r.headers["location"] == "/check_form?signin=failed&user=zx"
    assert "set-cookie" not in r.headers


def test_sign_in_sets_a_strict_httponly_cookie_and_lands_on_the_page_with_the_community(client, engine):
    r = login(client, "zx", PASSWORD)
    assert r.status_code == 303 and r.headers["location"] == "/check_form?community=%E4%B8%AD%E5%85%B4"
    cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith(sessions.COOKIE + "="))
    attrs = [a.strip().lower() for a in cookie.split(";")]
    assert "httponly" in attrs and "samesite=strict" in attrs and "path=/" in attrs and "secure" not in attrs
    value = cookie.split(";")[0].split("=", 1)[1].strip('"')
    assert sessions.resolve(value).actor.username == "zx"
    # Behind the HTTPS reverse proxy the cookie is Secure.
    r = login(client, "admin", PASSWORD, "/users", headers={**SAME, "x-forwarded-proto": "https"})
    assert r.headers["location"] == "/users"
    assert any("secure" in [a.strip().lower() for a in c.split(";")] for c in r.headers.get_list("set-cookie"))


@pytest.mark.parametrize("origin", ["http://evil.example", "null"])
def test_cross_site_posts_are_refused(client, engine, origin):
    r = login(client, "zx", PASSWORD, headers={"origin": origin})
    assert r.status_code == 403 and "请求被拒绝" in r.text and "set-cookie" not in r.headers
    assert client.post("/session/logout-all", headers={"origin": origin}).status_code == 403


def test_next_never_leaves_the_site(client):
    assert login(client, "admin", PASSWORD, "https://evil.example/").headers["location"] == "/account"
    assert login(client, "admin", PASSWORD, "//evil.example/").headers["location"] == "/account"


def test_sign_out_here_and_everywhere(client, engine):
    first = login(client, "zx", PASSWORD).cookies[sessions.COOKIE]
    client.cookies.clear()
    second = login(client, "zx", PASSWORD).cookies[sessions.COOKIE]
    r = client.post("/session/logout", headers=SAME)  # the client holds `second`
    assert r.status_code == 303 and r.headers["location"] == "/account?signout=here"
    assert any(c.startswith(f"{sessions.COOKIE}=") and "max-age=0" in c.lower()
               for c in r.headers.get_list("set-cookie"))
    assert sessions.resolve(second).state == "ended" and sessions.resolve(first).state == "ok"
    client.cookies.clear()
    client.cookies.set(sessions.COOKIE, first)
    r = client.post("/session/logout-all", headers=SAME)
    assert r.headers["location"] == "/account?signout=all" and sessions.resolve(first).state == "ended"


def test_display_link_opens_the_wall_until_revoked(client, engine):
    path = display_links.create("大厅", days=7, by=ADMIN)
    r = client.get(path + "?community=中兴&evil=1")
    assert r.status_code == 303 and r.headers["location"] == "/?screen=1&community=%E4%B8%AD%E5%85%B4"
    cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith(display_links.COOKIE + "="))
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    link_id = int(display_links.list_links().iloc[0]["id"])
    display_links.revoke(link_id, by=ADMIN)
    r = client.get(path)
    assert r.status_code == 403 and "大屏链接无效" in r.text and "set-cookie" not in r.headers
    assert client.get("/display/forged.token").status_code == 403
    for pasted in ("。", "）", "‮"):  # a character pasted after the link in a chat: refused, not a 500
        r = client.get(path + pasted)
        assert r.status_code == 403 and "大屏链接无效" in r.text, pasted
    assert list(audit_log(table="display_link")["action"])[::-1][:4] == [
        "create_display_link", "display_link_use", "revoke_display_link", "display_link_refused"]
    r = client.get("/display/end")
    assert r.status_code == 303 and "max-age=0" in r.headers["set-cookie"].lower()


def test_locked_or_database_down_sign_in_says_so_without_a_cookie(client, monkeypatch):
    from lib.errors import DatabaseUnavailable, PermissionDenied

    for exc, code in ((PermissionDenied("锁定"), "locked"), (DatabaseUnavailable("数据库无法访问"), "unavailable")):
        def refuse(*_a, _exc=exc, **_k):
            raise _exc
        monkeypatch.setattr(sessions, "check_password", refuse)
        r = login(client, "zx", PASSWORD)
        assert r.status_code == 303 and r.headers["location"] == f"/check_form?signin={code}"
        assert "set-cookie" not in r.headers


# The sign-in lockout keys on the client's address: a direct peer's own address (headers could be forged), or,
# from a reverse proxy on this host, the address nginx forwards. A replica bound to "::" (a dual-stack socket, as
# `make run`) sees nginx on 127.0.0.1 as ::ffff:127.0.0.1 — still this host, so the forwarded address counts.
@pytest.mark.parametrize("peer, headers, expected", [
    ("10.1.2.3", {"x-real-ip": "10.9.9.9"}, "10.1.2.3"),
    ("127.0.0.1", {"x-real-ip": "10.9.9.9"}, "10.9.9.9"),
    ("::1", {"x-forwarded-for": "10.8.8.8, 10.9.9.9"}, "10.9.9.9"),
    ("::ffff:127.0.0.1", {"x-real-ip": "10.9.9.9"}, "10.9.9.9"),
    ("::ffff:10.1.2.3", {"x-real-ip": "10.9.9.9"}, "::ffff:10.1.2.3"),
    ("127.0.0.1", {}, "127.0.0.1"),
])
def test_the_lockout_counts_the_forwarded_client_behind_a_local_proxy(engine, monkeypatch, peer, headers, expected):
    seen = []

    def record(*_a, client=None, **_k):
        seen.append(client)
        return None
    monkeypatch.setattr(session_routes.sessions, "sign_in", record)
    with TestClient(Starlette(routes=session_routes.ROUTES), client=(peer, 40000), follow_redirects=False) as c:
        r = login(c, "zx", "wrong-password", headers={**SAME, **headers})
    assert r.status_code == 303 and seen == [expected]
