"""Shared pieces of the staff forms: who may write, the community choice by role, one write per submit.

Forms submit through `submit` used as the submit button's callback (`on_click=forms.submit,
args=(ns, build))`: it runs before the script, so the page drawn right after already shows the new
state, and a rerun cannot lose the click. `build()` reads the form's values from session state and
returns (values, write, summary). Every rendered form has a submission key (a uuid in session state,
kept until a submit succeeds; identical values resent reuse the stored write's key) that goes to the
lib write: a repeat — a double-click, even on two connections at once — stores nothing and the page
says 「已保存（重复提交已忽略）」. The outcome goes through ui/flash.py, the one way to show one: a lib
error becomes a Chinese message (never a traceback); after a write the caches are cleared.
"""
from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from ui import bridge, flash
from ui.bridge import WriteResult
from ui.widgets import md_escape


_TOUCH_CSS = """
<style>
/* Work pages are used on tablets: every control at least 44 px high (selects, radios, submit, upload). */
[data-testid="stMain"] [data-testid="stSelectbox"] [role="group"],
[data-testid="stMain"] [data-testid="stSelectbox"] input[role="combobox"] { min-height: 48px; }
[data-testid="stMain"] [data-testid="stFormSubmitButton"] button,
[data-testid="stMain"] [data-testid="stFileUploader"] button,
[data-testid="stMain"] [data-testid="stPageLink"] a { min-height: 48px; }
[data-testid="stMain"] [role="radiogroup"] label,
[data-testid="stMain"] [data-testid="stCheckbox"] label { min-height: 44px; align-items: center; padding-right: 1rem; }
[data-testid="stMain"] [data-testid="stFormSubmitButton"] button p { font-size: 1.1rem; }
[data-testid="stMain"] [role="tab"] { min-height: 44px; padding: 0 0.5rem; }
</style>
"""


def touch_css() -> None:
    """Touch-sized controls on the work pages (ui/chrome.py covers buttons and inputs everywhere)."""
    st.html(_TOUCH_CSS)


def require_editor(what: str):
    """The signed-in Actor allowed to edit; otherwise a hint to sign in and the page stops."""
    actor = bridge.current_actor()
    if actor is None or not actor.can_edit:
        reason = "请先登录" if actor is None else f"当前账号（{actor.role}）只能查看，不能录入"
        st.warning(f"{reason}：{what}只对社区工作人员和街道管理员开放。", icon=":material/lock:")
        st.page_link("pages/account.py", label="前往登录", icon=":material/login:")
        st.stop()
    return actor


def actor_caption(actor) -> None:
    where = f"，{actor.community}社区" if actor.community else ""
    st.caption(f":material/person: 当前账号：{md_escape(f'{actor.display_name}（{actor.role}{where}）')}。"
               "录入只追加、不覆盖历史；每次保存都记入审计日志。")


def community_choice(key: str, *, label: str = "社区") -> str | None:
    """Staff: their own community, locked. Administrators: any community (pre-filled from the sidebar).

    A value forged into session state is not corrected here: the lib write refuses it with a message.
    """
    actor = bridge.current_actor()
    options = bridge.community_options()
    owner_key = f"{key}.owner"
    if actor is not None and not actor.is_admin:
        if st.session_state.get(owner_key) != actor.username or key not in st.session_state:
            st.session_state[key] = actor.community
            st.session_state[owner_key] = actor.username
        return st.selectbox(label, options, key=key, disabled=True, format_func=lambda c: f"{c}社区",
                            help="社区工作人员只能录入本社区的数据")
    if st.session_state.get(key) not in options:
        st.session_state[key] = bridge.selected_community() or options[0]
    st.session_state[owner_key] = actor.username if actor is not None else None
    return st.selectbox(label, options, key=key, format_func=lambda c: f"{c}社区")


def token(ns: str) -> str:
    """This form's client token (a uuid kept in session state until `renew_token`)."""
    key = f"{ns}.token"
    if key not in st.session_state:
        st.session_state[key] = uuid.uuid4().hex
    return st.session_state[key]


def renew_token(ns: str) -> None:
    st.session_state[f"{ns}.token"] = uuid.uuid4().hex


def _digest(values: dict[str, Any]) -> str:
    parts = []
    for k in sorted(values):
        v = values[k]
        if isinstance(v, (bytes, bytearray, memoryview)):
            v = "sha1:" + hashlib.sha1(bytes(v)).hexdigest()
        parts.append(f"{k}={v!r}")
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def submit_token(ns: str, values: dict[str, Any]) -> str:
    """The token to send with `values`: the previous submit's token when the values are unchanged
    (a double-click or a resent form), else this form's current token."""
    last = st.session_state.get(f"{ns}.last")
    if last and last["digest"] == _digest(values):
        return last["token"]
    return token(ns)


def remember_submit(ns: str, values: dict[str, Any], key: str) -> None:
    """After a write answered: these values resent (the second click of a double-click) reuse `key`; any other
    submit is a new submission."""
    st.session_state[f"{ns}.last"] = {"digest": _digest(values), "token": key}
    renew_token(ns)


Build = Callable[[], tuple[dict[str, Any], Callable[[str], WriteResult], str]]


@dataclass(frozen=True)
class Saved:
    """A submit's outcome as `flash.show` hands it back: the write's result and the form's summary."""

    result: WriteResult
    summary: str


def submit(ns: str, build: Build, after: Callable[[WriteResult], None] | None = None,
           keep: tuple[str, ...] = ()) -> None:
    """Submit-button callback; see the module docstring. `after(result)` runs after a successful call
    (e.g. to empty the form for the next entry). The outcome is shown by `flash.show(ns)`. `keep`: the form's
    field keys to keep when the save fails (with any photo under `ns`), for `restore`."""
    done: list[Saved] = []

    def write() -> Saved:
        values, write_fn, summary = build()
        key = submit_token(ns, values)
        result = write_fn(key)
        remember_submit(ns, values, key)
        done.append(Saved(result, summary))
        return done[0]

    ok = flash.run(ns, write, lambda saved: saved.result.message, failed="保存失败",
                   repeat=lambda saved: not saved.result.inserted,
                   details=lambda saved: [f"内容：{saved.summary}"] if saved.summary else [])
    if ok:
        forget_kept(ns)
        if after is not None:
            after(done[0].result)
    elif keep:
        _keep(ns, keep)


def _keep(ns: str, keep: tuple[str, ...]) -> None:
    """A save failed: when the database is away the next run draws its message instead of the page, and Streamlit
    drops every widget not drawn — a 网格员 would lose the finding and the photo. Kept in plain session state."""
    st.session_state[f"{ns}.kept"] = {k: st.session_state[k] for k in keep if k in st.session_state}
    photo = next(((f.name, f.type, f.getvalue(), k) for k, f in list(st.session_state.items())
                  if str(k).startswith(f"{ns}.") and isinstance(f, UploadedFile)), None)
    if photo is not None:
        st.session_state[f"{ns}.kept_photo"] = photo
    flash.add_detail(ns, "本次未保存。已填写的内容" + ("和照片" if kept_photo(ns) else "") + "已保留，可稍后再次提交。")


def restore(ns: str) -> None:
    """At the top of a form page: put back the fields `submit` kept that the browser no longer holds. A form drawn
    right after its failed save (a refusal, not an outage) still holds them all, its photo too: nothing is kept."""
    kept = st.session_state.pop(f"{ns}.kept", None)
    if kept is None:
        return
    photo = kept_photo(ns)
    if photo is not None and photo[3] in st.session_state:
        st.session_state.pop(f"{ns}.kept_photo", None)
    for key, value in kept.items():
        if key not in st.session_state:
            st.session_state[key] = value


def kept_photo(ns: str) -> tuple[str, str, bytes, str] | None:
    """(file name, MIME type, bytes, widget key) of a photo chosen for a save that could not reach the database,
    until a save succeeds."""
    return st.session_state.get(f"{ns}.kept_photo")


def forget_kept(ns: str) -> None:
    st.session_state.pop(f"{ns}.kept", None)
    st.session_state.pop(f"{ns}.kept_photo", None)


def number_text(label: str, key: str, *, placeholder: str = "", help: str | None = None) -> str:
    """A number typed as text (「6100余」, 「4.96万」): lib parses and validates it with a Chinese message."""
    return st.text_input(label, key=key, placeholder=placeholder, help=help)
