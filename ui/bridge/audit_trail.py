"""The audit log (administrators; the page checks the role, lib the data) and names for its internal keys."""
from __future__ import annotations

from lib import audit, auth
from lib.queries import accounts
from ui.bridge import queries

AUDIT_SYSTEM_USER = audit.SYSTEM_USER


def audit_log(**filters):
    return audit.audit_log(**filters)


def audit_usernames() -> list[str]:
    return sorted(set(accounts.list_users()["username"]) | {audit.SYSTEM_USER})


def audit_names() -> dict[str, str]:
    """Internal keys in audit records -> names: facility keys, indicator codes, the subdistrict."""
    names = {"subdistrict": "全街道"}
    facilities = queries.care_facilities()
    names.update(dict(zip(facilities["key"], facilities["name"], strict=True)))
    figures = queries.facts_q()
    names.update(dict(zip(figures["indicator"], figures["label"], strict=True)))
    return names
