"""AppTest helpers for the 工作台 page tests (test_pages_staff.py, test_pages_checkform.py).

`engine` gives each test its own copy of the seeded staff database (tests/staff_fixtures.py: users
admin, zx = 中兴 staff, hs = 华盛 staff, boss = 领导, made with lib.auth.create_user(rounds=4)) and points
the app at it, so the shared app_db of the read-only page tests stays untouched. Import explicitly:
`from staff_apptest import _staff_templates, engine, ...`.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import time
import urllib.parse
from pathlib import Path

import pytest
import streamlit as st
from PIL import Image
from sqlalchemy import func, select
from staff_fixtures import PASSWORD, _staff_templates  # noqa: F401 - PASSWORD and the fixture are re-exported
from streamlit.testing.v1 import AppTest

from lib import clock, db, sessions
from lib.config import settings
from lib.db import session_scope
from lib.writes import local_today
from shown_text import texts  # noqa: F401 - also imported from here by other tests

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TODAY = local_today()


@pytest.fixture
def on_today(monkeypatch):
    """The clock runs from 11:00 China time on TODAY (read when this module was imported), so a suite that crosses
    midnight in China (16:00 UTC) still writes and reads the day its expected values name."""
    start, anchor = time.monotonic(), dt.datetime.combine(TODAY, dt.time(3, 0))  # naive UTC, as lib.clock
    monkeypatch.setattr(clock, "now_utc", lambda: anchor + dt.timedelta(seconds=time.monotonic() - start))
STAFF_PAGES = {"check_form", "entry", "ledgers"}


def png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 30, 200)).save(buf, "JPEG")
    return buf.getvalue()


def _point_app_at(url: str | None) -> None:
    if url is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = url
    settings.cache_clear()
    db.get_engine.cache_clear()
    st.cache_data.clear()


@pytest.fixture
def engine(_staff_templates, tmp_path):  # noqa: F811 - the imported fixture
    """The app's database for this test: a fresh copy of the seeded template with the four accounts."""
    path = tmp_path / "staff-app.db"
    shutil.copyfile(_staff_templates.sqlite(), path)
    before = os.environ.get("DATABASE_URL")
    _point_app_at(f"sqlite:///{path}")
    yield db.get_engine(f"sqlite:///{path}")
    _point_app_at(before)


def count(engine, model, *where) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))



def pages(at: AppTest) -> set[str]:
    """url_paths the navigation offers this session (AppTest keeps st.navigation's registry); work pages the
    session may not use stay registered, hidden, as a sign-in gate (ui/page_guard.py), and are left out."""
    hidden = set(at.session_state["page_guard.hidden"]) if "page_guard.hidden" in at.session_state else set()
    return {info.get("url_pathname") for info in at._registered_pages.values()} - hidden


def clean(at: AppTest) -> AppTest:
    assert not at.exception, texts(at.exception)
    return at


def session_cookie(username: str) -> str:
    """What /session/login would put in the browser's cookie for `username` (lib.sessions)."""
    value, _ = sessions.sign_in(username, PASSWORD)
    return value


def form_sign_in(at: AppTest, username: str, password: str = PASSWORD, next_path: str = "/account") -> AppTest:
    """What a browser does with the sign-in form: POST it to the real /session/login route, then load the page it
    redirects to with the cookie it set (AppTest: the cookie value goes to session_state, the redirect's query to
    query_params), and run."""
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from ui import session_routes

    with TestClient(Starlette(routes=session_routes.ROUTES), follow_redirects=False) as client:
        answer = client.post("/session/login", data={"username": username, "password": password, "next": next_path},
                             headers={"origin": "http://testserver"})
    cookie = answer.cookies.get(sessions.COOKIE)
    if cookie:
        at.session_state["auth.token"] = cookie
    for key, value in urllib.parse.parse_qsl(urllib.parse.urlsplit(answer.headers["location"]).query):
        at.query_params[key] = value
    return at.run()


def has_sign_in_form(at: AppTest) -> bool:
    return any('action="/session/login"' in e.proto.body for e in at.get("html"))


def sign_in(username: str | None, page: str | None = None) -> AppTest:
    """An AppTest signed in as `username` (None: anonymous). AppTest cannot send cookies, so the session's
    cookie value goes where ui.bridge.resolve_sign_in looks for it in tests; the app validates it as a cookie."""
    at = AppTest.from_file(APP, default_timeout=60)
    if username:
        at.session_state["auth.token"] = session_cookie(username)
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    return clean(at)


def submit(at: AppTest, key: str) -> AppTest:
    return clean(at.button(key=key).click().run())
