"""Accounts and what guards them: users and roles, the audit log, claimed submission keys (idempotent writes),
sign-in sessions, wall-screen links, generated secrets and app settings. Re-exported by lib/models.py."""
from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lib.model_base import Base, utcnow


class Role(enum.StrEnum):
    LEADER = "领导"
    STAFF = "社区工作人员"
    ADMIN = "街道管理员"


class User(Base):
    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AuditLog(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))  # insert / update / import / login …
    table_name: Mapped[str] = mapped_column(String(40))
    record_key: Mapped[str | None] = mapped_column(String(120))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)


class WriteSubmission(Base):
    """A claimed submission key: one per stored write (a form's token, a ledger's, or one derived from the
    write's content and the row it supersedes). The primary key makes a repeat of the same submission fail
    in the database, whatever connection it arrives on, so one submission is one row."""

    __tablename__ = "write_submission"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


# ---- sign-in sessions and wall-screen links (lib.sessions, lib.display_links) ----
class UserSession(Base):
    """A signed-in browser. Its cookie carries a random token; only the token's SHA-256 is stored."""

    __tablename__ = "user_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)  # absolute lifetime
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    end_reason: Mapped[str | None] = mapped_column(String(16))  # sign_out / sign_out_all / password / deactivated
    user_agent: Mapped[str | None] = mapped_column(String(200))


class DisplayLink(Base):
    """A named, read-only link that opens the big screen on a wall without a password."""

    __tablename__ = "display_link"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(64))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class AppSecret(Base):
    """Secrets generated on first start (the cookie-signing key) when none is configured."""

    __tablename__ = "app_secret"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AppSetting(Base):
    """A value staff set once and change rarely (「上次汇报日期」): one row per key, changed in place; every
    change leaves an AuditLog row with the value before and after (lib.briefing_date)."""

    __tablename__ = "app_setting"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(64))
