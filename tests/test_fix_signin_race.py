"""A password change (or deactivation) that lands between the password check and the session's insert leaves no
valid session made with the old password."""
from __future__ import annotations

import pytest
from staff_fixtures import PASSWORD, _staff_templates, world  # noqa: F401

from lib import auth, sessions

NEW = "a-brand-new-pass-1"


def _change_password(world) -> None:
    auth.set_password("zx", NEW, by=world.admin, engine=world.engine, rounds=4)


def _deactivate(world) -> None:
    auth.deactivate("zx", by=world.admin, engine=world.engine)


def _own_password(world) -> None:
    auth.set_password("zx", NEW, by=world.staff, engine=world.engine, rounds=4)


@pytest.mark.parametrize("between", [_change_password, _deactivate, _own_password])
def test_change_between_check_and_session_leaves_no_session(world, monkeypatch, between):
    real = sessions.new_token

    def token_after_change(*args, **kw):
        between(world)
        return real(*args, **kw)

    monkeypatch.setattr(sessions, "new_token", token_after_change)
    signed = sessions.sign_in("zx", PASSWORD, engine=world.engine)
    monkeypatch.setattr(sessions, "new_token", real)
    if signed is not None:
        assert sessions.resolve(signed[0], engine=world.engine).state != "ok"
    assert signed is None


def test_sign_in_without_a_change_still_works(world):
    value, actor = sessions.sign_in("zx", PASSWORD, engine=world.engine)
    assert actor.username == "zx" and sessions.resolve(value, engine=world.engine).state == "ok"
