"""Signed random tokens for cookies and links.

    new_token() -> (value, token_hash)   # value = "<token>.<signature>" for the browser; store only the hash
    derived_token(purpose, seed) -> (value, token_hash)   # the same for the same seed (a form's repeat)
    token_hash(value, purpose) -> str | None   # the stored hash of a well-signed value, else None

The signing key is SESSION_SECRET when configured; otherwise one is generated on first use and kept
in the database (table app_secret, row "session"), so every server sharing the database signs alike.
A signature only keeps forged or mangled values from reaching the database; what makes a value
valid is its hash in user_session / display_link.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from lib.config import settings
from lib.db import get_engine, session_scope
from lib.models import AppSecret

SECRET_NAME = "session"
_KEYS: dict[str, bytes] = {}


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def signing_key(engine: Engine | None = None) -> bytes:
    """The configured secret, or the one stored in the database (created race-safely on first use)."""
    configured = settings().session_secret
    if configured:
        return configured.encode("utf-8")
    engine = engine or get_engine()
    url = engine.url.render_as_string(hide_password=False)
    if url not in _KEYS:
        with session_scope(engine) as s:
            value = s.scalar(select(AppSecret.value).where(AppSecret.name == SECRET_NAME))
        if value is None:
            try:
                with session_scope(engine) as s:
                    s.add(AppSecret(name=SECRET_NAME, value=secrets.token_urlsafe(48)))
            except IntegrityError:  # another process created it first: use theirs
                pass
            with session_scope(engine) as s:
                value = s.scalar(select(AppSecret.value).where(AppSecret.name == SECRET_NAME))
        _KEYS[url] = value.encode("utf-8")
    return _KEYS[url]


def _signature(token: str, purpose: str, key: bytes) -> str:
    return _b64(hmac.new(key, f"{purpose}:{token}".encode("ascii"), hashlib.sha256).digest())


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def new_token(purpose: str, engine: Engine | None = None) -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return f"{token}.{_signature(token, purpose, signing_key(engine))}", hash_token(token)


def derived_token(purpose: str, seed: str, engine: Engine | None = None) -> tuple[str, str]:
    """A token made from `seed` (a form's submission key, which never leaves the server) and the signing key:
    a repeat of the same submission gets the same token, so its link is stored once and shown again."""
    key = signing_key(engine)
    token = _b64(hmac.new(key, f"derive:{purpose}:{seed}".encode("utf-8"), hashlib.sha256).digest())
    return f"{token}.{_signature(token, purpose, key)}", hash_token(token)


def token_hash(value: str | None, purpose: str, engine: Engine | None = None) -> str | None:
    """The stored hash for a correctly signed `value`, else None (no database row is read for a bad one)."""
    if not value or not isinstance(value, str) or value.count(".") != 1 or len(value) > 200 or not value.isascii():
        return None  # a link with a character pasted after it (「。」) is simply not a link (compare_digest: ASCII)
    token, sig = value.split(".")
    try:
        expected = _signature(token, purpose, signing_key(engine))
    except UnicodeEncodeError:
        return None
    return hash_token(token) if token and hmac.compare_digest(sig, expected) else None
