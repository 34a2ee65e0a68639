"""A Streamlit client at the protocol level: what the browser sends and receives over `/_stcore/stream`.

`Session(base_url)` loads `/` (as a browser does, so nginx's `gw_route` cookie pins it to a replica), opens
the websocket and speaks BackMsg/ForwardMsg protobuf (from the streamlit package). `rerun()` sends one
`rerun_script` (page, query string, widget states) and reads until the run's `script_finished`, returning
how long that took, what arrived, and anything the page drew instead of its content (a traceback, an error
box, a panel's placeholder). Used by the tests (two replicas, a killed replica) and by bench/capacity.py's
Locust user (under gevent, websocket-client is cooperative). websocket-client opens the connection and sends;
messages are read by devtools/ws_frames.py, which takes a burst of frames in one `recv`.
"""
from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from devtools.ws_frames import FrameReader
from ui.not_found import ALIASES

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
RERUN_AGAIN = ForwardMsg.FINISHED_EARLY_FOR_RERUN
# Alerts drawn instead of content, by their icon (a red box can be content too: 养老's occupancy warning):
# the database message (ui/chrome.database_ready), a panel's or page's error (ui/flash.error via
# ui/widgets.guard, ui/page_guard) and a failed panel's placeholder (ui/widgets.guard).
PROBLEM_ICONS = (":material/database:", ":material/error:", ":material/hourglass_empty:")


class ProtocolError(RuntimeError):
    """The server closed the socket, timed out, or the run did not finish cleanly."""


@dataclass
class Run:
    seconds: float
    messages: int
    bytes: int  # as sent on the socket
    exceptions: list[str]  # tracebacks, and error boxes or panel placeholders the page drew instead of content
    blob: bytes = field(repr=False)  # every ForwardMsg as the browser reads it (references resolved), for searches
    kinds: list[str] = field(default_factory=list, repr=False)  # each ForwardMsg's type as sent, in order
    elements: list[str] = field(default_factory=list, repr=False)  # each new element's type, references resolved

    def contains(self, text: str) -> bool:
        return text.encode() in self.blob


def _problem(element) -> str | None:
    """What a page drew instead of its content: a traceback or a problem alert (PROBLEM_ICONS)."""
    kind = element.WhichOneof("type")
    if kind == "exception":
        return f"{element.exception.type}: {element.exception.message}"
    if kind == "alert" and element.alert.icon in PROBLEM_ICONS:
        return f"alert: {element.alert.body[:120]}"
    return None


class Session:
    """One simulated browser tab."""

    def __init__(self, base_url: str, *, timeout: float = 30, cookie: str = "", resume: str = "") -> None:
        """`cookie`: cookies the browser already holds ("a=1; b=2"), e.g. the session cookie from sign_in(), or
        nginx's gw_route of an earlier tab. Sent with the page load and the websocket; what either answer sets
        is kept, as a browser's cookie jar does (`self.cookie`). `resume`: the id of the session this tab held
        before a reconnect (empty for a new tab); the server resumes it if it holds it."""
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.jar: dict[str, str] = {}
        self._keep([part for part in (cookie or "").split("; ") if part])
        headers = {"Cookie": self.cookie} if self.cookie else {}
        with urllib.request.urlopen(urllib.request.Request(f"{self.base_url}/", headers=headers),
                                    timeout=timeout) as resp:
            resp.read()
            self._keep(resp.headers.get_all("Set-Cookie") or [])
        ws_url = "ws" + self.base_url[4:] + "/_stcore/stream"
        # As Streamlit's frontend: the subprotocol, its XSRF token, and the session to resume if any.
        xsrf = self.jar.get("_streamlit_xsrf") or "PLACEHOLDER_AUTH_TOKEN"
        tokens = ["streamlit", xsrf, *([resume] if resume else [])]
        self.ws = websocket.create_connection(ws_url, subprotocols=tokens, timeout=timeout,
                                              header=[f"Cookie: {self.cookie}"] if self.cookie else [])
        self.frames = FrameReader(self.ws.sock, self.ws.pong, buffered=b"".join(self.ws.frame_buffer.recv_buffer))
        answer = self.ws.getheaders() or {}
        self._keep([answer["set-cookie"]] if answer.get("set-cookie") else [])
        # behind deploy/'s nginx: the replica this socket (not some later request) was proxied to
        self.upstream: str = answer.get("x-guangwu-replica", "")
        self.widget_ids: dict[str, str] = {}  # label -> widget id, as last drawn
        self.options: dict[str, list[str]] = {}  # label -> a selectbox's options, as the browser shows them
        self.auto_reruns: dict[str, float] = {}  # fragment id -> interval (st.fragment(run_every=…))
        self.session_id = ""
        # The browser's ForwardMsg cache: hash -> (message bytes, run count when last used). Large elements
        # the browser holds come as a reference (ref_hash); entries unused for max_age runs are dropped.
        self.held: dict[str, tuple[bytes, int]] = {}
        self.runs = 0
        self.max_age = 2

    @property
    def cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.jar.items())

    def _keep(self, set_cookies: list[str]) -> None:
        """Cookies from Set-Cookie headers (the name=value before the attributes)."""
        for header in set_cookies:
            name, _, value = header.split(";", 1)[0].strip().partition("=")
            if name:
                self.jar[name] = value

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:  # noqa: BLE001 - closing a dead socket
            pass

    def _widgets(self, msg: ForwardMsg) -> None:
        if msg.WhichOneof("type") == "auto_rerun":
            self.auto_reruns[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
        if msg.WhichOneof("type") == "new_session":
            self.session_id = msg.new_session.initialize.session_id or self.session_id
            self.max_age = msg.new_session.config.max_cached_message_age or self.max_age
        if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
            return
        el = msg.delta.new_element
        kind = el.WhichOneof("type")
        if kind in {"selectbox", "date_input", "button", "radio", "multiselect", "text_input", "text_area"}:
            widget = getattr(el, kind)
            self.widget_ids[widget.label] = widget.id
            if kind == "selectbox":
                self.options[widget.label] = list(widget.options)

    def _resolve(self, data: bytes) -> tuple[ForwardMsg, bytes, str]:
        """A received message as the browser reads it: a reference replaced by the message it names (held
        messages are refreshed); a cacheable message kept. Returns (message, its bytes, type as sent)."""
        fwd = ForwardMsg()
        fwd.ParseFromString(data)
        kind = fwd.WhichOneof("type")
        if kind == "ref_hash":
            if fwd.ref_hash not in self.held:
                raise ProtocolError(f"reference to a message this client does not hold: {fwd.ref_hash}")
            data = self.held[fwd.ref_hash][0]
            self.held[fwd.ref_hash] = (data, self.runs)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
        elif fwd.metadata.cacheable and fwd.hash and fwd.hash not in self.held:
            self.held[fwd.hash] = (data, self.runs)
        return fwd, data, kind

    def _run_finished(self) -> None:
        self.runs += 1
        self.held = {h: (d, n) for h, (d, n) in self.held.items() if self.runs - n <= self.max_age}

    def rerun(self, *, page: str = "", query: str = "", strings: dict[str, str] | None = None,
              fragment: str = "", click: str = "", cached: bool = True) -> Run:
        """One rerun: `page` is the page's url path (""/overview/stars…), `query` the URL query string,
        `strings` maps widget labels (as drawn in the previous run) to string values, `click` is the label
        of a button (or form submit button) pressed in this run; `fragment` runs one
        fragment as the browser's run_every timer does (a full rerun it asks for is read to its end too);
        `cached=False` sends no held hashes (every large element arrives in full)."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query
        # A browser at a default page's own path (/overview) is sent to "/" (ui/not_found.ALIASES), where it asks
        # for page "" — asking Streamlit for "overview" would get a page_not_found message and the default page.
        state.page_name = "" if ALIASES.get(page) == "" else page
        if fragment:
            state.fragment_id = fragment
            state.is_auto_rerun = True
        if cached:
            state.cached_message_hashes.extend(self.held)
        for label, value in (strings or {}).items():
            ws = WidgetState(id=self.widget_ids[label], string_value=value)
            state.widget_states.widgets.append(ws)
        if click:
            state.widget_states.widgets.append(WidgetState(id=self.widget_ids[click], trigger_value=True))
        started = time.perf_counter()
        try:
            self.ws.send_binary(msg.SerializeToString())
        except Exception as exc:  # noqa: BLE001
            raise ProtocolError(f"send failed: {exc.__class__.__name__}: {exc}") from exc
        sent = 0
        chunks: list[bytes] = []
        exceptions: list[str] = []
        kinds: list[str] = []
        elements: list[str] = []
        while True:
            try:
                data = self.frames.recv()
            except Exception as exc:  # noqa: BLE001 - timeout, reset, closed
                raise ProtocolError(f"no script_finished: {exc.__class__.__name__}: {exc}") from exc
            if not isinstance(data, bytes) or not data:
                raise ProtocolError("socket closed")
            sent += len(data)
            fwd, data, kind = self._resolve(data)
            chunks.append(data)
            self._widgets(fwd)
            kinds.append(kind)
            if fwd.WhichOneof("type") == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                elements.append(fwd.delta.new_element.WhichOneof("type"))
                problem = _problem(fwd.delta.new_element)
                if problem:
                    exceptions.append(problem)
            if kind == "script_finished":
                self._run_finished()
                if fwd.script_finished == RERUN_AGAIN:
                    continue
                if fwd.script_finished not in FINISHED:
                    raise ProtocolError(f"script finished with status {fwd.script_finished}")
                return Run(time.perf_counter() - started, len(chunks), sent, exceptions, b"".join(chunks), kinds,
                           elements)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # keep the 303 (and its Set-Cookie) as the answer
        return None


def sign_in(base_url: str, username: str, password: str, *, timeout: float = 30) -> str:
    """Submit the sign-in form as a browser does (POST /session/login); the session cookie "name=value"."""
    base_url = base_url.rstrip("/")
    data = urllib.parse.urlencode({"username": username, "password": password, "next": "/account"}).encode()
    request = urllib.request.Request(f"{base_url}/session/login", data=data, headers={"Origin": base_url})
    try:
        urllib.request.build_opener(_NoRedirect).open(request, timeout=timeout)
    except urllib.error.HTTPError as answer:  # the 303 arrives as an "error" without the redirect handler
        cookies = [c.split(";", 1)[0] for c in answer.headers.get_all("Set-Cookie") or []]
        found = [c for c in cookies if c.startswith("gw_session=")]
        if answer.code == 303 and found:
            return found[0]
        raise ProtocolError(f"sign-in refused: {answer.code} {answer.headers.get('Location')}") from None
    raise ProtocolError("sign-in answered without a redirect")
